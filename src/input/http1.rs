//! Start lines and header fields in HTTP/1-style text, shared by the raw and curl readers.

use crate::model::{Header, Span, header_name};

/// `HTTP/1.1 401 Unauthorized`, `HTTP/2 401`, `HTTP/3 200`.
pub(crate) struct StatusLine<'a> {
    pub version: &'a str,
    pub status: u16,
    pub reason: &'a str,
}

pub(crate) fn parse_status_line(line: &str) -> Option<StatusLine<'_>> {
    let rest = line.strip_prefix("HTTP/")?;
    let (version, rest) = rest.split_once(' ')?;
    if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let rest = rest.trim_start();
    let code = rest.get(..3)?;
    if !code.bytes().all(|b| b.is_ascii_digit())
        || rest[3..].starts_with(|c: char| c.is_ascii_digit())
    {
        return None;
    }
    let status: u16 = code.parse().ok()?;
    if !(100..=999).contains(&status) {
        return None;
    }
    Some(StatusLine {
        version: &line[..5 + version.len()],
        status,
        reason: rest[3..].trim(),
    })
}

/// A status line, also as Java's `HttpURLConnection` header map prints it, under the empty
/// or `null` key (`: HTTP/1.1 401 Unauthorized`, `null: HTTP/1.1 401`; Retrofit, OkHttp's
/// older loggers).
pub(crate) fn parse_status_line_keyed(line: &str) -> Option<StatusLine<'_>> {
    let rest = line
        .strip_prefix("null: ")
        .or_else(|| line.strip_prefix(": "))
        .or_else(|| line.strip_prefix(":"))
        .unwrap_or(line);
    parse_status_line(rest)
}

/// `GET /path HTTP/1.1` (the version is optional: devtools sometimes drops it).
pub(crate) struct RequestLine<'a> {
    pub method: &'a str,
    pub target: &'a str,
    pub version: Option<&'a str>,
}

pub(crate) fn parse_request_line(line: &str) -> Option<RequestLine<'_>> {
    let mut parts = line.split(' ').filter(|p| !p.is_empty());
    let method = parts.next()?;
    let target = parts.next()?;
    let version = parts.next();
    if parts.next().is_some() || !is_method(method) {
        return None;
    }
    if !(target.starts_with('/') || target.contains("://") || target == "*") {
        return None;
    }
    if version.is_some_and(|v| !v.starts_with("HTTP/")) {
        return None;
    }
    Some(RequestLine {
        method,
        target,
        version,
    })
}

fn is_method(token: &str) -> bool {
    const KNOWN: [&str; 9] = [
        "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "CONNECT",
    ];
    KNOWN.contains(&token)
}

/// `Name: value` → a header with the span of the whole line.
pub(crate) fn parse_header_line(line: &str, start: usize) -> Option<Header> {
    let (name, value) = line.split_once(':')?;
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return None;
    }
    Some(Header {
        name: header_name(name),
        value: value.trim().to_owned(),
        span: Some(Span::new(start, start + line.len())),
    })
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Response headers common enough that a few of them, alone, say "these are HTTP headers"
/// (a header block pasted without its status line).
const COMMON_RESPONSE_HEADERS: &[&str] = &[
    "content-type",
    "content-length",
    "date",
    "server",
    "www-authenticate",
    "set-cookie",
    "cache-control",
    "location",
    "retry-after",
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "x-request-id",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "via",
    "vary",
    "etag",
    "last-modified",
    "connection",
    "transfer-encoding",
    "strict-transport-security",
    "x-powered-by",
    "cf-ray",
    "x-amzn-requestid",
    "x-amz-request-id",
    "content-encoding",
    "allow",
    "x-frame-options",
    "x-content-type-options",
    "expires",
    "pragma",
    "age",
    "x-cache",
    "keep-alive",
    "alt-svc",
];

/// Whether `name` is a response header seen on most APIs.
pub(crate) fn is_common_response_header(name: &str) -> bool {
    COMMON_RESPONSE_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}
