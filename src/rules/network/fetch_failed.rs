use crate::knowledge::transport::Failure;
use crate::report::Finding;
use crate::rules::{Cx, Rule, network};

rule! {
    /// `TypeError: Failed to fetch` (Chromium), `NetworkError when attempting to fetch
    /// resource` (Firefox), `Load failed` (Safari) with nothing else pasted: the browser
    /// hides the reason from scripts on purpose. The console or the Network panel has it.
    NetworkFetchFailed {
        id: "network.fetch-failed",
        severity: Warning,
        title: "fetch() failed without saying why",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/API/Window/fetch#exceptions"),
        fixtures: ["console/failed-to-fetch.txt", "console-wild/firefox-request-did-not-succeed.txt"],
        explanation: "Browsers turn every network-level failure (CORS, DNS, refused connection, TLS, an extension blocking the request, mixed content) into the same TypeError so that pages cannot probe the network. The real reason is printed separately in the console, in red, just above or below this line.",
        fix: {
            caller: "Paste the other console lines about this request (the CORS message or the `net::ERR_…` line), or export a HAR from the Network panel and drop it here.",
        },
    }
}

impl Rule for NetworkFetchFailed {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if let Some(f) = network::finding(cx, self.meta(), Failure::FetchFailed, |_| {
            "fetch() was rejected, and the browser does not tell the script why".to_owned()
        }) {
            out.push(f);
        }
    }
}
