use crate::knowledge::transport::Failure;
use crate::report::Finding;
use crate::rules::{Cx, Rule, network};

rule! {
    /// Chromium's `ERR_BLOCKED_BY_CLIENT`: a browser extension (ad or tracker blocker,
    /// privacy tool) cancelled the request before it left the browser.
    NetworkBlockedByClient {
        id: "network.blocked-by-client",
        severity: Error,
        title: "A browser extension blocked the request",
        reference: Some("https://developer.chrome.com/docs/devtools/network/reference#blocked"),
        fixtures: ["handmade/console-blocked-by-client.txt"],
        explanation: "The request never left the browser: an extension such as an ad blocker matched its URL (paths with `ads`, `track`, `analytics`, `pixel` are typical). Other users without the extension are not affected.",
        fix: {
            caller: "Retry in a private window without extensions, or allow the site in the blocker.",
            owner: "Avoid ad-like words in API paths and host names if real users run blockers.",
        },
    }
}

impl Rule for NetworkBlockedByClient {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if let Some(f) = network::finding(cx, self.meta(), Failure::BlockedByClient, |host| {
            format!("A browser extension blocked the request to {host}")
        }) {
            out.push(f);
        }
    }
}
