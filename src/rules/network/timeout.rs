use crate::knowledge::transport::Failure;
use crate::rules::{Cx, Rule, network};

use crate::report::Finding;

rule! {
    /// The client gave up waiting: curl (28), `ERR_TIMED_OUT`, `ETIMEDOUT`. Either the
    /// connection never completed (a firewall dropping packets) or the server was too slow.
    NetworkTimeout {
        id: "network.timeout",
        severity: Error,
        title: "The request timed out",
        reference: Some("https://curl.se/libcurl/c/libcurl-errors.html#CURLEOPERATIONTIMEDOUT"),
        fixtures: ["curl/timeout.txt"],
        explanation: "The client gave up before an answer arrived: either the connection could not be set up in time (a firewall dropping packets, a wrong address), or the server accepted the request and took longer than the client's time limit.",
        fix: {
            caller: "Raise the client timeout if the work is legitimately long, or use the API's asynchronous variant; retry idempotent calls with back-off. If no connection was made, check the address, port and firewalls.",
            owner: "Find what the request waits on in the server's logs and traces; make long work asynchronous. If connections time out, open the port for the caller's network.",
        },
    }
}

impl Rule for NetworkTimeout {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let connected = cx.exchange.notes.iter().any(|n| {
            n.text.starts_with("Connected to") || n.text.starts_with("Established connection")
        });
        let Some(f) = network::finding(cx, self.meta(), Failure::Timeout, |host| {
            if connected {
                format!("{host} accepted the connection but did not answer in time")
            } else {
                format!("No connection to {host} could be made in time")
            }
        }) else {
            return;
        };
        let explanation = if connected {
            "The TCP connection was made and the request sent, but the response did not arrive before the client's time limit. The server is slow or stuck on this request (a long query, a lock, a slow dependency)."
        } else {
            "The connection attempt got no answer at all: packets are being dropped by a firewall or security group, or the address is wrong and unreachable."
        };
        out.push(f.explain(explanation)
            .caller_fix(if connected { "Raise the client timeout if the work is legitimately long, or use the API's asynchronous variant; retry idempotent calls with back-off." } else { "Check the address and port, firewalls, VPN and proxy settings." })
            .owner_fix(if connected { "Find what the request waits on in the server's logs and traces; make long work asynchronous." } else { "Open the port in the firewall or security group for the caller's network." }));
    }
}
