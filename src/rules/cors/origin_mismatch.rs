use crate::knowledge::url;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::cors::{self, Broken};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// Access-Control-Allow-Origin names a different origin than the request's: the server
    /// allows one origin (often production, or `http://localhost:3000`) and the page runs on
    /// another (another port, scheme or subdomain).
    CorsOriginMismatch {
        id: "cors.origin-mismatch",
        severity: Error,
        title: "Access-Control-Allow-Origin names another origin",
        reference: Some("https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSAllowOriginNotMatchingOrigin"),
        fixtures: ["express/cors-other-origin.txt", "console-wild/firefox-multiple-allow-origin.txt", "console-wild/chromium-typographic-multiple-values.txt"],
        restates: ["cors.blocked", "cors.preflight-rejected"],
        explanation: "Origins must match exactly: scheme, host and port. `http://localhost:3000` and `http://127.0.0.1:3000` are different origins, and so are http and https.",
        fix: {
            caller: "Open the page from the origin the server allows, or ask for your origin to be added.",
            owner: "Answer with the requesting origin when it is on your allow-list (and `Vary: Origin`), rather than a fixed origin.",
        },
    }
}

impl Rule for CorsOriginMismatch {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let requesting = cors::requesting_origin(cx);
        let origin = requesting
            .as_ref()
            .map_or_else(|| "your page's origin".to_owned(), |(o, _)| o.clone());
        let origin_words = requesting
            .as_ref()
            .map_or_else(|| "your page's origin".to_owned(), |(o, _)| input(o));
        let finding = if let Some(reason) = cors::console_says(cx, Broken::OriginMismatch) {
            let message = cors::plain_quotes(reason.message);
            let quoted = |marker: &str| {
                message
                    .split(marker)
                    .nth(1)
                    .and_then(|r| r.split('\'').next())
                    .map(str::to_owned)
            };
            let title = if let Some(values) = quoted("multiple values '") {
                format!(
                    "The response carries several allowed origins ({}); browsers accept exactly one",
                    input(&values)
                )
            } else if message.contains("Multiple CORS header")
                || message.contains("more than one origin")
            {
                "The response carries Access-Control-Allow-Origin more than once; browsers accept exactly one".to_owned()
            } else {
                let allowed = quoted("has a value '")
                    .or_else(|| quoted("does not match '"))
                    .map_or_else(|| "another origin".to_owned(), |o| input(&o));
                format!("The server allows {allowed}, but the page runs on {origin_words}")
            };
            self.meta().finding(title, reason.evidence)
        } else {
            let Some((_, origin_evidence)) = requesting else {
                return;
            };
            let Some(allow) = cx
                .response()
                .and_then(|r| r.header("access-control-allow-origin"))
            else {
                return;
            };
            if allow.value.trim() == "*" || url::same_origin(allow.value.trim(), &origin) {
                return;
            }
            self.meta()
                .finding(
                    format!(
                        "The server allows {}, but the request comes from {origin_words}",
                        input(allow.value.trim())
                    ),
                    cx.header_evidence(Side::Response, allow),
                )
                .with_evidence(origin_evidence)
        };
        out.push(finding
            .owner_fix(format!("Check the request's Origin against an allow-list and echo it back when allowed (with `Vary: Origin`); add {origin_words} if it is legitimate.")));
    }
}
