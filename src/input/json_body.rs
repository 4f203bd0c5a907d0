//! A bare JSON error body, pasted without headers — perhaps with a line of prose before it
//! or log lines after it, which are not part of the body.

use crate::model::{Body, Capture, Exchange, Response, Span};

/// Where a complete, valid JSON value starting at `at` ends.
fn valid_value(text: &str, at: usize) -> Option<usize> {
    let end = super::json_scan::value_end(text.as_bytes(), at)?;
    serde_json::from_str::<serde::de::IgnoredAny>(&text[at..end]).ok()?;
    Some(end)
}

/// The part of `text` that is the body: the first JSON value that parses, starting a line;
/// or, when none does, the whole text (a body with a syntax error is still the body).
fn region(text: &str) -> (usize, usize) {
    let trimmed = text.trim();
    let whole_start = text.len() - text.trim_start().len();
    let whole = (whole_start, whole_start + trimmed.len());
    if trimmed.starts_with(['{', '[']) {
        return valid_value(text, whole_start).map_or(whole, |end| (whole_start, end));
    }
    super::lines::lines(text)
        .filter_map(|line| {
            let lead = line.text.len() - line.text.trim_start().len();
            let at = line.start + lead;
            line.text.trim_start().starts_with(['{', '[']).then_some(at)
        })
        .find_map(|at| valid_value(text, at).map(|end| (at, end)))
        .unwrap_or(whole)
}

pub(crate) fn read(text: &str) -> Capture {
    let (at, end) = region(text);
    let trimmed = &text[at..end];
    if trimmed.is_empty() {
        return Capture::default();
    }
    let body = Body::verbatim(trimmed, at);
    let status = declared_status(trimmed).unwrap_or(0);
    let span = Span::new(at, at + trimmed.len());
    Capture {
        exchanges: vec![Exchange {
            response: Some(Response {
                status,
                body: Some(body),
                span: Some(span),
                ..Response::default()
            }),
            span: Some(span),
            ..Exchange::default()
        }],
        issues: Vec::new(),
    }
}

/// A status the body states about itself: `"status": 422` (problem+json, Spring),
/// `"statusCode": 400` (`NestJS`, Joi), `"error": {"code": 403}` (Google).
fn declared_status(text: &str) -> Option<u16> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let object = value.as_object()?;
    let candidates = [
        object.get("status"),
        object.get("statusCode"),
        object.get("error").and_then(|e| e.get("code")),
    ];

    candidates.into_iter().flatten().find_map(|v| {
        let n = v
            .as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))?;
        u16::try_from(n).ok().filter(|n| (100..600).contains(n))
    })
}
