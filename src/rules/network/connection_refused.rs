use crate::knowledge::transport::Failure;
use crate::report::Finding;
use crate::rules::{Cx, Rule, network};

rule! {
    /// The host was reached but nothing listens on the port: curl (7), Chromium's
    /// `ERR_CONNECTION_REFUSED`, Node's `ECONNREFUSED`.
    NetworkConnectionRefused {
        id: "network.connection-refused",
        severity: Error,
        title: "The connection was refused",
        reference: Some("https://curl.se/libcurl/c/libcurl-errors.html#CURLECOULDNTCONNECT"),
        fixtures: ["curl/closed-port.txt", "node/econnrefused.txt", "console/chromium-refused.txt"],
        explanation: "The machine answered the connection attempt with a reset: no process listens on that port. The server is not running, listens on another port, or binds only to another interface (127.0.0.1 inside a container).",
        fix: {
            caller: "Check the port and scheme in the URL; check that the server is running (`ss -ltnp`, `docker ps`); from a container, use the host's address rather than localhost.",
            owner: "Start the service, and bind it to 0.0.0.0 (or the right interface) on the documented port.",
        },
    }
}

impl Rule for NetworkConnectionRefused {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // The proxy refused, not the API (`network.proxy-failure`).
        if network::proxy_failure::unreachable_proxy(cx).is_some() {
            return;
        }
        if let Some(f) = network::finding(cx, self.meta(), Failure::Refused, |host| {
            format!("Nothing is listening at {host}: the connection was refused")
        }) {
            out.push(f);
        }
    }
}
