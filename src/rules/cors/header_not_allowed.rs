use crate::knowledge::text;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::cors::{self, Broken};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A header the request wants to send (listed in the preflight's
    /// Access-Control-Request-Headers) is not in the response's Access-Control-Allow-Headers.
    /// `*` covers every header except Authorization, and only without credentials.
    CorsHeaderNotAllowed {
        id: "cors.header-not-allowed",
        severity: Error,
        title: "A request header is not allowed by CORS",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowHeaderFromPreflight"),
        fixtures: ["express/cors-preflight-header.txt", "console/chromium-cors.txt", "console-wild/firefox-missing-token-learn-more.txt", "console-wild/chromium-reason-on-next-line.txt"],
        restates: ["cors.blocked", "cors.preflight-rejected"],
        explanation: "Only a few request headers are CORS-safelisted (Accept, Accept-Language, Content-Language, and Content-Type with a form or text type). Any other header — Authorization, X-Api-Key, Content-Type: application/json — must be listed in Access-Control-Allow-Headers in the preflight response.",
        fix: {
            caller: "Drop the header if it is not needed; otherwise the server must allow it.",
            owner: "Add the header to Access-Control-Allow-Headers in the OPTIONS response (e.g. `Authorization, Content-Type`).",
        },
    }
}

impl Rule for CorsHeaderNotAllowed {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let finding = if let Some(reason) = cors::console_says(cx, Broken::HeaderNotAllowed) {
            let header = reason
                .message
                .split("Request header field ")
                .nth(1)
                .and_then(|r| r.split_whitespace().next())
                .or_else(|| {
                    reason
                        .message
                        .split("missing token '")
                        .nth(1)
                        .and_then(|r| r.split('\'').next())
                })
                .map_or_else(|| "a header".to_owned(), input);
            self.meta().finding(
                format!("The request header {header} is not allowed by the server's CORS policy"),
                reason.evidence,
            )
        } else {
            if !cors::is_preflight(cx.exchange) {
                return;
            }
            let (Some(request), Some(response)) = (cx.request(), cx.response()) else {
                return;
            };
            let Some(wanted) = request.header("access-control-request-headers") else {
                return;
            };
            let allowed_header = response.header("access-control-allow-headers");
            let allowed: Vec<String> = allowed_header
                .map(|h| {
                    h.value
                        .split(',')
                        .map(|s| s.trim().to_ascii_lowercase())
                        .collect()
                })
                .unwrap_or_default();
            let wildcard = allowed.iter().any(|a| a == "*") && request.header("cookie").is_none();
            let missing: Vec<&str> = wanted
                .value
                .split(',')
                .map(str::trim)
                .filter(|h| !h.is_empty())
                .filter(|h| {
                    !allowed.contains(&h.to_ascii_lowercase())
                        // `*` covers every header but Authorization.
                        && (!wildcard || h.eq_ignore_ascii_case("authorization"))
                })
                .collect();
            if missing.is_empty() || !(200..300).contains(&response.status) {
                return;
            }
            let mut finding = self.meta().finding(
                format!(
                    "The preflight does not allow the request header{} {}",
                    if missing.len() > 1 { "s" } else { "" },
                    text::join_words(&missing.iter().map(|h| input(h)).collect::<Vec<_>>())
                ),
                cx.header_evidence(Side::Request, wanted),
            );
            if let Some(h) = allowed_header {
                finding = finding.with_evidence(cx.header_evidence(Side::Response, h));
            } else {
                finding = finding.with_all_evidence(cx.status_evidence());
            }
            finding
        };
        out.push(finding);
    }
}
