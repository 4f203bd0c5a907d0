use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::cors::{self, Broken};
use crate::rules::{Cx, Rule};

rule! {
    /// The OPTIONS preflight the browser sends before a non-simple request (a JSON body, an
    /// Authorization header, PUT or DELETE) failed: it got a non-2xx status, no CORS headers,
    /// or a redirect. The real request was then never sent.
    CorsPreflightRejected {
        id: "cors.preflight-rejected",
        severity: Error,
        title: "The CORS preflight was rejected",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS#preflighted_requests"),
        fixtures: ["nginx/preflight-405.txt", "console-wild/safari-preflight-403.txt", "console-wild/chromium-old-preflight-405.txt", "console-wild/firefox-preflight-502.txt", "console-wild/chromium-preflight-404.txt"],
        restates: ["cors.blocked"],
        explanation: "Before a request with a JSON body, an Authorization header or a method other than GET/HEAD/POST, the browser asks the server with OPTIONS whether it may send it. The server (or a proxy or auth middleware in front of it) must answer that OPTIONS with 2xx and CORS headers, without requiring credentials; otherwise the real request is never sent.",
        fix: {
            caller: "A simple request (GET, or POST with a form content type and no custom headers) needs no preflight, if the API accepts one; otherwise the server must change.",
            owner: "Answer OPTIONS on every API route with 204 and Access-Control-Allow-Origin/-Methods/-Headers, before authentication and without redirects.",
        },
    }
}

impl Rule for CorsPreflightRejected {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let reason = cors::console_mentions(cx, Broken::PreflightRedirect)
            .or_else(|| cors::console_mentions(cx, Broken::PreflightRejected));
        let finding = if let Some(reason) = reason {
            let why = if reason.message.contains("Redirect") {
                "it was redirected"
            } else {
                "it did not get a 2xx answer with CORS headers"
            };
            self.meta().finding(
                format!("The browser's preflight OPTIONS request failed: {why}"),
                reason.evidence,
            )
        } else {
            if !cors::is_preflight(cx.exchange) {
                return;
            }
            let Some(response) = cx.response() else {
                return;
            };
            let ok = (200..300).contains(&response.status);
            let allows = response.header("access-control-allow-origin").is_some();
            if ok && allows {
                return;
            }
            let why = if ok {
                "the answer has no Access-Control-Allow-Origin".to_owned()
            } else {
                format!("it answered {} instead of 2xx", response.status)
            };
            let Some(request_method) = cx
                .request()
                .and_then(|r| r.header("access-control-request-method"))
            else {
                return;
            };
            let Some(request_line) = cx.request_line_evidence() else {
                return;
            };
            self.meta()
                .finding(
                    format!(
                        "The preflight for {} was rejected: {why}",
                        input(request_method.value.trim())
                    ),
                    request_line,
                )
                .with_evidence(cx.header_evidence(crate::rules::Side::Request, request_method))
                .with_all_evidence(cx.status_evidence())
        };
        out.push(finding);
    }
}
