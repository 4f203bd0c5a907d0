//! A bare JSON error body, pasted without headers.

use crate::model::{Body, Capture, Exchange, Response, Span};

pub(crate) fn read(text: &str) -> Capture {
    let trimmed = text.trim();
    let Some(at) = super::lines::offset_in(text, trimmed) else {
        return Capture::default();
    };
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
