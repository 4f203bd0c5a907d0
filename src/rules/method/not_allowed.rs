use crate::fix::RequestEdit;
use crate::knowledge::text;
use crate::knowledge::url;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A 405 whose Allow header lists the methods the URL takes, and the request's method
    /// is not among them. Names the allowed methods and the call to make instead.
    MethodNotAllowed {
        id: "method.not-allowed",
        severity: Error,
        title: "The method is not allowed at this URL",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-405-method-not-allowed"),
        fixtures: ["fastapi/405.txt", "flask/405.txt", "curl/post-redirect-get.txt"],
        explanation: "The URL exists, but its handler does not accept this method. Usually the wrong endpoint for the action (POST to an item URL instead of its collection, PUT where the API uses PATCH), or a redirect changed the method on the way.",
        fix: {
            caller: "Use one of the methods the Allow header lists, or find the endpoint that performs this action with this method.",
            owner: "Keep sending Allow; it is what makes this diagnosis possible.",
        },
    }
}

impl Rule for MethodNotAllowed {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if cx.status() != Some(405) {
            return;
        }
        let Some(allow) = cx.response().and_then(|r| r.header("allow")) else {
            return;
        };
        let allowed: Vec<&str> = allow
            .value
            .split(',')
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .collect();
        let method = cx.request().and_then(|r| r.method.as_deref());
        let path = cx.request().map_or("this URL", |r| url::path_of(&r.url));
        let substantive: Vec<&str> = allowed
            .iter()
            .copied()
            .filter(|m| !matches!(*m, "HEAD" | "OPTIONS"))
            .collect();
        let shown = if substantive.is_empty() {
            &allowed
        } else {
            &substantive
        };
        let path_words = cx
            .request()
            .map_or_else(|| "this URL".to_owned(), |r| input(url::path_of(&r.url)));
        let shown_words: Vec<String> = shown.iter().map(|m| input(m)).collect();
        let title = match method {
            Some(m) => format!(
                "{path_words} does not take {}; it allows {}",
                input(m),
                text::join_words(&shown_words)
            ),
            None => format!(
                "{path_words} allows only {}",
                text::join_words(&shown_words)
            ),
        };
        let instead = shown
            .first()
            .map(|m| match cx.request() {
                Some(_) => format!("Call {}", input(&format!("{m} {path}"))),
                None => format!("Call {} on this URL", input(m)),
            })
            .unwrap_or_default();
        let evidence = cx
            .request_line_evidence()
            .into_iter()
            .chain([cx.header_evidence(Side::Response, allow)]);
        let Some(mut finding) = self.meta().finding_from(title, evidence) else {
            return;
        };
        if let [only] = shown.as_slice()
            && plausible_instead(cx, only)
        {
            finding = finding.edit(RequestEdit::Method((*only).to_owned()));
        }
        out.push(finding.caller_fix(format!("{instead}, or check the documentation for the endpoint that performs this action with {}.", method.map_or_else(|| "this method".to_owned(), input))));
    }
}

/// Whether `method`, the one the URL allows, can stand in for the request's: a request with
/// a body becomes another that carries one (PUT → PATCH, GET → POST after a redirect), not
/// a GET or DELETE that would drop it.
fn plausible_instead(cx: &Cx, method: &str) -> bool {
    let has_body = cx
        .request()
        .and_then(|r| r.body.as_ref())
        .is_some_and(|b| !b.text.trim().is_empty());
    !has_body || matches!(method, "POST" | "PUT" | "PATCH")
}
