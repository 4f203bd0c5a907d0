use crate::knowledge::transport::Failure;
use crate::report::Finding;
use crate::rules::{Cx, Rule, browser};

rule! {
    /// An https page's request to an `http://` address, blocked by the browser before it was
    /// sent: `blocked:mixed-content` / `mixed-content` in a HAR, the console's
    /// `Mixed Content: The page at '…' was loaded over HTTPS, but requested an insecure
    /// resource '…'`.
    BrowserMixedContent {
        id: "browser.mixed-content",
        severity: Error,
        title: "The browser blocked an http:// request from an https page",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/Security/Mixed_content"),
        fixtures: ["browser/mixed-content.har", "browser/mixed-content-console.txt"],
        explanation: "A page loaded over HTTPS may not fetch from plain `http://` addresses: the browser blocks such requests itself, without sending them, so the API never sees them and no status exists. It often happens when an API base URL is configured with `http://`, or a redirect or a link in a response points to `http://`.",
        fix: {
            caller: "Call the API over `https://` (fix the base URL in the front-end's configuration); for local development, serve both page and API over the same scheme.",
            owner: "Serve the API over HTTPS, and make the URLs it returns (Location, pagination links) use `https://`; `Content-Security-Policy: upgrade-insecure-requests` upgrades the page's own links.",
        },
    }
}

impl Rule for BrowserMixedContent {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        out.extend(browser::blocked(
            cx,
            self.meta(),
            Failure::MixedContent,
            |host, page| match page {
                Some(page) => format!("The https page {page} may not call {host}: the browser blocked it as mixed content"),
                None => format!("The browser blocked the http:// request to {host} as mixed content"),
            },
        ));
    }
}
