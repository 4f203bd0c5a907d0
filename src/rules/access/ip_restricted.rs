use crate::knowledge::text::Signatures;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule};

rule! {
    /// The response says the caller's IP address is not on an allow-list (API key IP
    /// restrictions, Cloudflare 1006–1008 bans, cloud storage policies with a source-IP
    /// condition).
    AccessIpRestricted {
        id: "access.ip-restricted",
        severity: Error,
        title: "The caller's IP address is not allowed",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-403-forbidden"),
        fixtures: ["handmade/ip-not-allowed.json"],
        explanation: "The credential may be fine; the network address the request came from is not on the list the API or key allows. Requests from a laptop, CI runner, new server or a VPN exit often hit this.",
        fix: {
            caller: "Call from an allowed network, or add this machine's public IP (`curl ifconfig.me`) to the key's or account's allow-list.",
            owner: "Say which IP was seen (as the server saw it, after proxies) so callers can add the right one.",
        },
    }
}

static SIGNS: Signatures = Signatures::new(&[
    "IP address is not allowed",
    "IP address not allowed",
    "not in the allowlist",
    "not in allowlist",
    "not whitelisted",
    "IP not allowed",
    "ip_not_allowed",
    "IpNotAllowed",
    "not authorized from this IP",
    "IP address is blocked",
    "your IP address has been banned",
    "error code: 1006",
    "error code: 1007",
    "error code: 1008",
    "IP address rejected",
    "Request from this IP",
    "aws:SourceIp",
]);

impl Rule for AccessIpRestricted {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if !cx
            .response()
            .is_some_and(|r| matches!(r.status, 401 | 403 | 0))
        {
            return;
        }
        let Some(evidence) = cx.response_signature(&SIGNS).map(|(_, e)| e) else {
            return;
        };
        out.push(self.meta().finding(
            format!("The server refuses this caller's IP address: {}",
                input(&cx.response_message().unwrap_or_else(|| evidence.quote.clone()))),
            evidence,
        ));
    }
}
