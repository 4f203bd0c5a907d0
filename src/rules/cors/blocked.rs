use crate::knowledge::url;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::cors::{self, Broken};
use crate::rules::{Cx, Rule};

rule! {
    /// The browser blocked the response for CORS: a pasted console message, or a HAR entry
    /// with status 0 (Chromium) or -1 (Playwright) and `net::ERR_FAILED` on a cross-origin
    /// request. Names which check broke when the input tells: the console message does; in a
    /// HAR, other exchanges with the same URL (a preflight, an earlier response) do.
    CorsBlocked {
        id: "cors.blocked",
        severity: Error,
        title: "The browser blocked the response (CORS)",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors"),
        fixtures: ["chromium/cors-blocked.har", "console/chromium-cors.txt", "console-wild/safari-origin-not-allowed.txt"],
        explanation: "The request may well have reached the server and been answered, but the browser withheld the response from the page because the server's CORS headers did not allow this origin. The page's script only sees a network error; the real reason is in the console.",
        fix: {
            caller: "Read the console message for the exact check that failed. A browser cannot bypass CORS; call the API through your own backend or a dev-server proxy if you do not control it.",
            owner: "Send Access-Control-Allow-Origin for this origin on every response, errors included, and answer the OPTIONS preflight with 204 and the allowed methods and headers.",
        },
    }
}

fn describe(broken: Broken) -> &'static str {
    match broken {
        Broken::MissingAllowOrigin => "the response has no Access-Control-Allow-Origin",
        Broken::OriginMismatch => "Access-Control-Allow-Origin names another origin",
        Broken::CredentialsWildcard => {
            "credentials were sent but Access-Control-Allow-Origin is `*`"
        }
        Broken::CredentialsNotTrue => {
            "credentials were sent but Access-Control-Allow-Credentials is not `true`"
        }
        Broken::PreflightRejected => "the preflight OPTIONS request failed",
        Broken::HeaderNotAllowed => "a request header is not in Access-Control-Allow-Headers",
        Broken::MethodNotAllowed => "the method is not in Access-Control-Allow-Methods",
        Broken::PreflightRedirect => "the preflight was redirected",
    }
}

impl Rule for CorsBlocked {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if !cors::blocked(cx) {
            return;
        }
        let target = cx
            .request()
            .and_then(|r| url::origin(&r.url))
            .map_or_else(|| "the API".to_owned(), input);
        let from = cors::requesting_origin(cx);
        let from_text = from
            .as_ref()
            .map_or(String::new(), |(o, _)| format!(" from {}", input(o)));
        let Some(message) = cx.transport_evidence() else {
            return;
        };
        let title = match cors::console_reason(cx).map(|r| r.broken) {
            Some(broken) => format!(
                "The browser blocked the response of {target}{from_text}: {}",
                describe(broken)
            ),
            None => format!("The browser blocked the cross-origin request to {target}{from_text}"),
        };
        let mut finding = self.meta().finding(title, message);
        if let Some((_, evidence)) = from.filter(|(_, e)| {
            e.span.is_some() || cx.transport_error().is_some_and(|t| t.span.is_none())
        }) {
            finding = finding.with_evidence(evidence);
        }
        // The same URL answered elsewhere in the capture: what did that response lack?
        let url = cx.request().map(|r| r.url.as_str()).unwrap_or_default();
        let sibling = cx
            .lookup
            .answered(&cx.capture.exchanges, url, cx.index)
            .and_then(|i| Some((i, cx.capture.exchanges[i].response.as_ref()?)));
        let mut explanation = "The request may well have reached the server and been answered, but the browser withheld the response from the page because the server's CORS headers did not allow this origin. The page's script only sees a network error; the real reason is in the console.".to_owned();
        if let Some((i, response)) = sibling
            && response.header("access-control-allow-origin").is_none()
        {
            explanation.push_str(&format!(
                " Exchange {} to the same URL got {} without Access-Control-Allow-Origin.",
                i, response.status
            ));
        }
        if let Some(status) = cx.status().filter(|s| *s >= 400) {
            explanation.push_str(&format!(" The server answered {status}: error responses often skip the middleware that adds CORS headers, so a server error surfaces as a CORS error."));
        }
        out.push(finding.explain(explanation));
    }
}
