use crate::knowledge::transport::Failure;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, browser};

rule! {
    /// The page's Content-Security-Policy refused the connection: `blocked:csp` in a HAR, the
    /// console's `Refused to connect to '…' because it violates the following Content
    /// Security Policy directive: "connect-src …"` or `Connecting to '…' violates the
    /// following Content Security Policy directive`.
    BrowserCspBlocked {
        id: "browser.csp-blocked",
        severity: Error,
        title: "The page's Content-Security-Policy blocked the request",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Content-Security-Policy/connect-src"),
        fixtures: ["browser/csp-connect-src-console.txt"],
        explanation: "The page declares, in its Content-Security-Policy header or meta tag, which addresses scripts may connect to (`connect-src`, else `default-src`). The API's origin is not among them, so the browser refused the request before sending it: the API never saw it, and nothing the API returns can change that.",
        fix: {
            caller: "Nothing in the request can fix it: the page's policy must allow the API's origin.",
            owner: "Add the API's origin to the page's `connect-src` directive (where the page's CSP header or meta tag is set: server, CDN, framework config), or serve the API from the page's origin.",
        },
    }
}

impl Rule for BrowserCspBlocked {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let directive = cx.transport_error().and_then(|e| {
            let at = e.message.find("directive: \"")? + "directive: \"".len();
            e.message[at..].split('"').next().map(str::to_owned)
        });
        out.extend(browser::blocked(
            cx,
            self.meta(),
            Failure::Csp,
            |host, _| match directive {
                Some(d) => format!(
                    "The page's Content-Security-Policy ({}) does not allow connecting to {host}",
                    input(&d)
                ),
                None => format!(
                    "The page's Content-Security-Policy does not allow connecting to {host}"
                ),
            },
        ));
    }
}
