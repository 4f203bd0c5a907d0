use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::cors::{self, Broken};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// The method the request wants (the preflight's Access-Control-Request-Method) is not
    /// in Access-Control-Allow-Methods. GET, HEAD and POST are always allowed.
    CorsMethodNotAllowed {
        id: "cors.method-not-allowed",
        severity: Error,
        title: "The method is not allowed by CORS",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMethodNotFound"),
        fixtures: ["express/cors-preflight-method.txt", "console/chromium-cors.txt"],
        restates: ["cors.blocked", "cors.preflight-rejected"],
        explanation: "For methods other than GET, HEAD and POST the browser sends a preflight and proceeds only if Access-Control-Allow-Methods lists the method.",
        fix: {
            caller: "Use a method the server allows, if the API offers one for this action.",
            owner: "Add the method to Access-Control-Allow-Methods in the OPTIONS response.",
        },
    }
}

impl Rule for CorsMethodNotAllowed {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let finding = if let Some(reason) = cors::console_says(cx, Broken::MethodNotAllowed) {
            let method = reason
                .message
                .split("Method ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .map_or_else(|| "The method".to_owned(), input);
            self.meta().finding(
                format!("{method} is not allowed by the server's CORS policy"),
                reason.evidence,
            )
        } else {
            if !cors::is_preflight(cx.exchange) {
                return;
            }
            let (Some(request), Some(response)) = (cx.request(), cx.response()) else {
                return;
            };
            let Some(wanted) = request.header("access-control-request-method") else {
                return;
            };
            let method = wanted.value.trim().to_ascii_uppercase();
            if matches!(method.as_str(), "GET" | "HEAD" | "POST")
                || !(200..300).contains(&response.status)
            {
                return;
            }
            let Some(allowed) = response.header("access-control-allow-methods") else {
                return;
            };
            let ok = allowed
                .value
                .split(',')
                .map(str::trim)
                .any(|m| m == "*" || m.eq_ignore_ascii_case(&method));
            if ok {
                return;
            }
            self.meta()
                .finding(
                    format!(
                        "The preflight allows {} but not {}",
                        input(allowed.value.trim()),
                        input(&method)
                    ),
                    cx.header_evidence(Side::Request, wanted),
                )
                .with_evidence(cx.header_evidence(Side::Response, allowed))
        };
        out.push(finding);
    }
}
