//! Lines a platform or proxy logs about a failed call: Heroku's router (`at=error code=H12
//! desc="Request timeout" method=GET path=… status=503 service=30000ms`), Vercel's function
//! errors (`504: GATEWAY_TIMEOUT` / `Code: FUNCTION_INVOCATION_TIMEOUT`, `[POST] /api
//! reason=EDGE_FUNCTION_INVOCATION_TIMEOUT, status=504`) and nginx's error log (`upstream
//! timed out … request: "GET /api HTTP/1.1"`). Each becomes an exchange whose response body
//! is what the platform said, so the rules read its codes as they read an error page.

use super::lines::{Line, lines};
use crate::model::{Body, Capture, Exchange, Request, Response, Span, Timings};

/// `key=value` and `key="quoted value"` pairs of a logfmt line, with where each value is.
fn logfmt(line: &str) -> Vec<(&str, &str, usize)> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        let key_start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'-' | b'.'))
        {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b'=' || i == key_start {
            // Not a pair: skip the word.
            while i < bytes.len() && bytes[i] != b' ' {
                i += 1;
            }
            continue;
        }
        let key = &line[key_start..i];
        i += 1;
        let (value_start, value_end) = if bytes.get(i) == Some(&b'"') {
            let start = i + 1;
            let end = memchr::memchr(b'"', &bytes[start..]).map_or(bytes.len(), |e| start + e);
            i = end + 1;
            (start, end)
        } else {
            let start = i;
            while i < bytes.len() && !matches!(bytes[i], b' ' | b',') {
                i += 1;
            }
            (start, i)
        };
        out.push((
            key,
            &line[value_start..value_end.min(line.len())],
            value_start,
        ));
        if bytes.get(i) == Some(&b',') {
            i += 1;
        }
    }
    out
}

fn value<'a>(pairs: &[(&'a str, &'a str, usize)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _, _)| *k == key).map(|(_, v, _)| *v)
}

fn millis(value: &str) -> Option<f64> {
    value.strip_suffix("ms")?.parse().ok()
}

/// A Heroku router line, a Vercel log line, or an nginx error-log line.
fn logged(line: &Line) -> Option<Exchange> {
    let t = line.text;
    let body = |from: usize| Some(Body::verbatim(&t[from..], line.start + from));
    // Before 2013 the router wrote `Error H12 (Request timeout) -> POST host/path dyno=…
    // service=30000ms status=503`.
    let old_form = t
        .find("heroku[router]: Error H")
        .map(|at| at + "heroku[router]: ".len());
    if let Some(at) = t
        .find("at=error code=H")
        .or_else(|| t.find("at=info code=H").filter(|_| t.contains("status=")))
        .or(old_form)
    {
        let mut pairs = logfmt(&t[at..]);
        if old_form == Some(at)
            && let Some(arrow) = t[at..].find("-> ")
        {
            // `-> POST host/path`: the method, then the host and path in one word.
            let rest = &t[at + arrow + 3..];
            let mut words = rest.split_whitespace();
            if let (Some(method), Some(target)) = (words.next(), words.next()) {
                let (host, path) = target.split_at(target.find('/').unwrap_or(target.len()));
                let offset = at + arrow + 3;
                pairs.push(("method", method, offset));
                pairs.push(("host", host, offset));
                pairs.push(("path", if path.is_empty() { "/" } else { path }, offset));
            }
        }
        let status = value(&pairs, "status")
            .and_then(|s| s.parse().ok())
            .unwrap_or(503);
        let host = value(&pairs, "host").unwrap_or("");
        let path = value(&pairs, "path").unwrap_or("/");
        let scheme = value(&pairs, "protocol").unwrap_or("https");
        let total = millis(value(&pairs, "connect").unwrap_or("0ms")).unwrap_or(0.0)
            + millis(value(&pairs, "service").unwrap_or("0ms")).unwrap_or(0.0);
        return Some(Exchange {
            request: Some(Request {
                method: value(&pairs, "method").map(str::to_owned),
                url: format!("{scheme}://{host}{path}"),
                span: Some(line.span()),
                ..Request::default()
            }),
            response: Some(Response {
                status,
                body: body(at),
                span: Some(line.span()),
                ..Response::default()
            }),
            timings: (total > 0.0).then_some(Timings {
                total_ms: Some(total),
                ..Timings::default()
            }),
            span: Some(line.span()),
            ..Exchange::default()
        });
    }
    // Vercel: `[POST] /api/chat reason=EDGE_FUNCTION_INVOCATION_TIMEOUT, status=504, …`
    if let (Some(open), Some(reason)) = (t.find('['), t.find("reason=")) {
        let method = t[open + 1..].split(']').next().unwrap_or("");
        if method.chars().all(|c| c.is_ascii_uppercase()) && !method.is_empty() {
            let pairs = logfmt(&t[reason..]);
            let path = t[open + method.len() + 2..]
                .split_whitespace()
                .next()
                .unwrap_or("/");
            let status = value(&pairs, "status")
                .and_then(|s| s.parse().ok())
                .unwrap_or(500);
            return Some(Exchange {
                request: Some(Request {
                    method: Some(method.to_owned()),
                    url: path.to_owned(),
                    span: Some(line.span()),
                    ..Request::default()
                }),
                response: Some(Response {
                    status,
                    body: body(reason),
                    span: Some(line.span()),
                    ..Response::default()
                }),
                span: Some(line.span()),
                ..Exchange::default()
            });
        }
    }
    // nginx: `… upstream timed out (110: Connection timed out) while reading response header
    // from upstream, client: …, request: "GET /api HTTP/1.1", upstream: "http://…", host: "…"`
    if t.contains("[error]") && t.contains("upstream") {
        let status = if t.contains("timed out") { 504 } else { 502 };
        let request_line = t
            .split("request: \"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("");
        let mut parts = request_line.split(' ');
        let method = parts.next().filter(|m| !m.is_empty());
        let path = parts.next().unwrap_or("/");
        let host = t
            .split("host: \"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or("");
        let at = t.find("[error]").unwrap_or(0);
        return Some(Exchange {
            request: method.map(|m| Request {
                method: Some(m.to_owned()),
                url: if host.is_empty() {
                    path.to_owned()
                } else {
                    format!("http://{host}{path}")
                },
                span: Some(line.span()),
                ..Request::default()
            }),
            response: Some(Response {
                status,
                body: body(at),
                span: Some(line.span()),
                ..Response::default()
            }),
            span: Some(line.span()),
            ..Exchange::default()
        });
    }
    None
}

pub(crate) fn read(text: &str) -> Capture {
    let all: Vec<Line> = lines(text).collect();
    let mut capture = Capture::default();
    for line in &all {
        if let Some(exchange) = logged(line) {
            capture.exchanges.push(exchange);
        }
    }
    // Vercel's error page, copied as text: `504: GATEWAY_TIMEOUT` then `Code: FUNCTION_…`.
    if capture.exchanges.is_empty() {
        let status_line = all.iter().find_map(|l| {
            let (code, name) = l.text.trim().split_once(": ")?;
            let status: u16 = code.parse().ok()?;
            (name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                && (100..600).contains(&status))
            .then_some((status, *l))
        });
        if let Some((status, line)) = status_line {
            let start = all.first().map_or(0, |l| l.start);
            let end = all.last().map_or(text.len(), Line::end);
            capture.exchanges.push(Exchange {
                response: Some(Response {
                    status,
                    reason: line
                        .text
                        .trim()
                        .split_once(": ")
                        .map_or("", |(_, r)| r)
                        .to_owned(),
                    body: Some(Body::verbatim(&text[start..end], start)),
                    span: Some(line.span()),
                    ..Response::default()
                }),
                span: Some(Span::new(start, end)),
                ..Exchange::default()
            });
        }
    }
    capture
}
