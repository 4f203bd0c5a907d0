use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::cors::{self, Broken};
use crate::rules::{Cx, Rule};

rule! {
    /// A cross-origin request (it carries Origin, or its page is on another origin) got a
    /// response without Access-Control-Allow-Origin, so the browser hides the response from
    /// the page. Common on error responses: the error handler runs before or without the
    /// CORS middleware.
    CorsMissingAllowOrigin {
        id: "cors.missing-allow-origin",
        severity: Error,
        title: "No Access-Control-Allow-Origin on a cross-origin response",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin"),
        fixtures: ["express/cors-missing.txt", "console/chromium-cors.txt", "console-wild/firefox-missing-allow-origin.txt", "console-wild/firefox-zh-cn-missing-allow-origin.txt", "console-wild/chromium-old-missing-allow-origin-404.txt"],
        restates: ["cors.blocked", "cors.preflight-rejected"],
        explanation: "A browser lets a page read a cross-origin response only when the response carries Access-Control-Allow-Origin naming the page's origin (or `*`). Error responses often skip the middleware that adds it, so a server error surfaces as a CORS error.",
        fix: {
            caller: "Nothing in the page can fix this; call the API through your own backend or a dev-server proxy, or ask the owner to allow your origin.",
            owner: "Send `Access-Control-Allow-Origin` with the calling origin (and `Vary: Origin`) on every response, error responses included: register the CORS middleware before routes and error handlers.",
        },
    }
}

impl Rule for CorsMissingAllowOrigin {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // The console says so even when it does not name the page's origin (Firefox).
        let requesting = cors::requesting_origin(cx);
        let origin = requesting
            .as_ref()
            .map_or_else(|| "your page's origin".to_owned(), |(o, _)| input(o));
        let finding = if let Some(reason) = cors::console_says(cx, Broken::MissingAllowOrigin) {
            let to = if requesting.is_some() {
                format!(" to {origin}")
            } else {
                String::new()
            };
            self.meta().finding(
                format!("The response{to} carries no Access-Control-Allow-Origin"),
                reason.evidence,
            )
        } else if let Some((_, origin_evidence)) = requesting
            && let Some(response) = cx
                .response()
                .filter(|_| cors::readable_response(cx) && !cors::is_preflight(cx.exchange))
        {
            if response.header("access-control-allow-origin").is_some() {
                return;
            }
            self.meta()
                .finding(
                    format!(
                        "The {} response carries no Access-Control-Allow-Origin for {origin}",
                        response.status
                    ),
                    origin_evidence,
                )
                .with_all_evidence(cx.status_evidence())
        } else {
            return;
        };
        let error_status = cx.status().filter(|s| *s >= 400);
        let explanation = match error_status {
            Some(status) => format!("Without Access-Control-Allow-Origin the browser withholds the response from the page. This is a {status}: error responses often bypass the CORS middleware, so the page sees a CORS error instead of the real one."),
            None => "Without Access-Control-Allow-Origin the browser withholds the response from the page, whatever its status.".to_owned(),
        };
        out.push(finding.explain(explanation)
            .owner_fix(format!("Send `Access-Control-Allow-Origin: {origin}` (and `Vary: Origin`) on every response, error responses included: register the CORS middleware before routes and error handlers.")));
    }
}
