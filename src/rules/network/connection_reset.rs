use crate::knowledge::transport::Failure;
use crate::report::Finding;
use crate::rules::{Cx, Rule, network};

rule! {
    /// The connection closed without a complete response: curl (52) empty reply, (56)
    /// reset, `ERR_CONNECTION_RESET`, `ERR_EMPTY_RESPONSE`, `ECONNRESET`, `socket hang up`.
    NetworkConnectionReset {
        id: "network.connection-reset",
        severity: Error,
        title: "The connection was reset",
        reference: Some("https://curl.se/libcurl/c/libcurl-errors.html#CURLEGOTNOTHING"),
        fixtures: ["curl/empty-reply.txt", "node/socket-hang-up.txt"],
        explanation: "The server (or something between) accepted the request and then closed the connection before sending a full response. Common causes: the server process crashed on this request, a proxy or load balancer idle timeout, plain HTTP sent to a TLS port or the reverse, or a keep-alive connection the server had already closed.",
        fix: {
            caller: "Check the scheme (http vs https) and port; retry idempotent requests once on a fresh connection.",
            owner: "Look for a crash or worker kill (OOM) at that time in the server logs; align keep-alive timeouts between proxy and app.",
        },
    }
}

impl Rule for NetworkConnectionReset {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if let Some(f) = network::finding(cx, self.meta(), Failure::Reset, |host| {
            format!("{host} closed the connection without a complete response")
        }) {
            out.push(f);
        }
    }
}
