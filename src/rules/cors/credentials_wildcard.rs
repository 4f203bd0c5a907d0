use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::cors::{self, Broken};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A credentialed cross-origin request (cookies or `credentials: 'include'`) needs an
    /// exact Access-Control-Allow-Origin, never `*`, and `Access-Control-Allow-Credentials:
    /// true`. Either one missing makes the browser hide the response.
    CorsCredentialsWildcard {
        id: "cors.credentials-wildcard",
        severity: Error,
        title: "Credentials with a wildcard or without Allow-Credentials",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSNotSupportingCredentials"),
        fixtures: ["express/cors-credentials.txt", "console/chromium-cors.txt", "console-wild/chromium-old-credentials-wildcard.txt"],
        restates: ["cors.blocked", "cors.preflight-rejected"],
        explanation: "When a request carries credentials (cookies, HTTP auth, `credentials: 'include'` or `withCredentials`), the browser accepts the response only if Access-Control-Allow-Origin names the page's exact origin and Access-Control-Allow-Credentials is `true`. The wildcard is refused so that any site cannot read a logged-in user's data.",
        fix: {
            caller: "If the call does not need cookies, drop `credentials: 'include'` / `withCredentials`; otherwise the server must change.",
            owner: "Echo the allowed Origin (not `*`), send `Access-Control-Allow-Credentials: true` and `Vary: Origin`.",
        },
    }
}

impl Rule for CorsCredentialsWildcard {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let reason = cors::console_reason(cx);
        let title = match reason.as_ref().map(|r| r.broken) {
            Some(Broken::CredentialsWildcard) => {
                "Credentials were sent, but Access-Control-Allow-Origin is the wildcard `*`"
            }
            Some(Broken::CredentialsNotTrue) => {
                "Credentials were sent, but Access-Control-Allow-Credentials is not `true`"
            }
            _ => {
                let Some((origin, _)) = cors::requesting_origin(cx) else {
                    return;
                };
                let (Some(request), Some(response)) = (cx.request(), cx.response()) else {
                    return;
                };
                let Some(cookie) = request.header("cookie") else {
                    return;
                };
                let Some(allow) = response.header("access-control-allow-origin") else {
                    return;
                };
                let credentials = response.header("access-control-allow-credentials");
                let title = if allow.value.trim() == "*" {
                    format!(
                        "The request from {} sends cookies, but Access-Control-Allow-Origin is `*`",
                        input(&origin)
                    )
                } else if credentials.is_none_or(|c| c.value.trim() != "true") {
                    format!(
                        "The request from {} sends cookies, but Access-Control-Allow-Credentials is not `true`",
                        input(&origin)
                    )
                } else {
                    return;
                };
                out.push(
                    self.meta()
                        .finding(title, cx.header_evidence(Side::Request, cookie))
                        .with_evidence(cx.header_evidence(Side::Response, allow)),
                );
                return;
            }
        };
        if let Some(reason) = reason {
            out.push(self.meta().finding(title, reason.evidence));
        }
    }
}
