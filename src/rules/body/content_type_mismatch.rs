use crate::fix::RequestEdit;
use crate::model::HasHeaders;
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// The request body is JSON but Content-Type is missing or another type — most often
    /// because `curl -d` sends `application/x-www-form-urlencoded` — or the body is form data
    /// sent as `application/json`. The server then parses the body the wrong way and
    /// reports missing fields or an invalid object. A request that succeeded is not reported:
    /// the server read the body as it was sent (beacons and `no-cors` fetches send JSON as
    /// `text/plain` on purpose).
    BodyContentTypeMismatch {
        id: "body.content-type-mismatch",
        severity: Error,
        title: "The body's Content-Type does not match the body",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-content-type"),
        fixtures: ["curl/json-without-content-type.txt", "fastapi/422-form-instead-of-json.txt"],
        restates: ["validation.field-errors", "request.media-type-unsupported"],
        explanation: "Servers choose how to parse a body from its Content-Type. JSON sent as form data is read as one odd form field, so the server sees no JSON object and reports missing fields or an invalid body. curl's `-d` sends `application/x-www-form-urlencoded` unless you say otherwise.",
        fix: {
            caller: "Send `-H 'Content-Type: application/json'` with the JSON body (curl 7.82+: `--json '{…}'` sets it for you).",
            owner: "Answer 415 Unsupported Media Type naming the expected type, rather than a validation error that hides the cause.",
        },
    }
}

impl Rule for BodyContentTypeMismatch {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // The server took the body as it came: whatever the type said, it did not get in the
        // way. Kept for failures, where it is a likely cause.
        if cx.status().is_some_and(|s| s < 400) {
            return;
        }
        let Some(request) = cx.request() else { return };
        let Some(body) = &request.body else { return };
        let trimmed = body.text.trim_start();
        let is_json = (trimmed.starts_with('{') || trimmed.starts_with('['))
            && serde_json::from_str::<serde::de::IgnoredAny>(&body.text).is_ok();
        let content_type = request.header("content-type");
        let media = content_type.map(|h| {
            h.value
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
        let declared_json = media.as_deref().is_some_and(|m| m.contains("json"));
        let type_evidence = match content_type {
            Some(h) if h.span.is_some() => cx.header_evidence(Side::Request, h),
            Some(h) => Evidence::new(
                "request header (sent by curl -d, not typed)",
                format!("{}: {}", h.name, h.value),
                None,
            ),
            None => Evidence::new("request headers", "no Content-Type", None),
        };
        let (title, right_type) = if is_json && !declared_json {
            let title = match media.as_deref() {
                Some(m) => format!("The request body is JSON but is sent as {}", input(m)),
                None => "The request body is JSON but has no Content-Type".to_owned(),
            };
            (title, "application/json")
        } else if !is_json
            && declared_json
            && trimmed.contains('=')
            && !trimmed.starts_with(['{', '[', '"'])
        {
            (
                "The request says application/json but the body is form data".to_owned(),
                "application/x-www-form-urlencoded",
            )
        } else {
            return;
        };
        let mut finding = self
            .meta()
            .finding(title, type_evidence)
            .with_evidence(cx.body_evidence(Side::Request, body, 0, body.text.len().min(120)))
            .edit(RequestEdit::SetHeader {
                name: "Content-Type".to_owned(),
                value: right_type.to_owned(),
            });
        for needle in [
            "valid dictionary or object",
            "model_attributes_type",
            "Unsupported Media Type",
            "must be a valid object",
        ] {
            if let Some(e) = cx.response_body_match(needle) {
                finding = finding.with_evidence(e);
                break;
            }
        }
        out.push(finding);
    }
}
