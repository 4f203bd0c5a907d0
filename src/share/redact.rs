//! Redaction before anything is shared: credentials, cookies, API keys, secret parameters
//! and fields, passwords in URLs, well-known key shapes; a JWT keeps its header and claims
//! (the diagnosis reads them) and loses its signature.
//!
//! Every replacement has the byte length of what it replaces, so Content-Length, the
//! positions of everything else and the structure of JSON all stay as they were, and the
//! opened link diagnoses like the original.

use base64::Engine;
use serde_json::Value;

use crate::input::{self, lines::offset_in};
use crate::knowledge::{jwt, secrets, url};
use crate::model::Span;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RedactOptions {
    /// Also replace a JWT's header and claims, not only its signature.
    pub redact_claims: bool,
    /// Original values the person chose to keep.
    pub keep: Vec<String>,
    /// More text to redact wherever it appears.
    pub extra: Vec<String>,
}

/// One replacement, located in the text that was redacted.
#[derive(Debug, Clone, PartialEq)]
pub struct Redaction {
    pub span: Span,
    /// What was redacted, in words: `Authorization header`, `JWT signature` …
    pub kind: String,
    pub original: String,
    pub replacement: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redacted {
    pub text: String,
    pub redactions: Vec<Redaction>,
}

/// Shortest value searched for everywhere; shorter ones would hit ordinary words.
const MIN_SECRET_LEN: usize = 4;

/// A replacement of exactly `len` bytes.
fn mask(len: usize) -> String {
    const WORD: &str = "[redacted]";
    if len >= WORD.len() {
        format!("{WORD}{}", "*".repeat(len - WORD.len()))
    } else {
        "*".repeat(len)
    }
}

/// A replacement of exactly `len` bytes using only base64url characters, so a token stays a
/// token (a JWT with a redacted signature still decodes).
fn token_mask(len: usize) -> String {
    "REDACTED".chars().cycle().take(len).collect()
}

struct Candidates {
    values: Vec<(String, String, Option<String>)>,
}

impl Candidates {
    /// `value` is secret wherever it appears; `replacement` defaults to a mask.
    fn add(&mut self, value: &str, kind: &str, replacement: Option<String>) {
        let value = value.trim();
        if value.len() >= MIN_SECRET_LEN
            && !value.starts_with("[redacted]")
            && !self.values.iter().any(|(v, _, _)| v == value)
        {
            self.values
                .push((value.to_owned(), kind.to_owned(), replacement));
        }
    }
}

pub fn redact(text: &str, options: &RedactOptions) -> Redacted {
    let format = input::detect(text);
    let capture = input::read(text, format);
    let mut candidates = Candidates { values: Vec::new() };
    let jwt_inside = |value: &str| jwt::find_tokens(value).next().is_some();

    for exchange in &capture.exchanges {
        let requests = exchange
            .request
            .iter()
            .map(|r| (&r.headers, r.url.as_str(), r.body.as_ref()));
        let responses = exchange
            .response
            .iter()
            .map(|r| (&r.headers, "", r.body.as_ref()));
        for (headers, request_url, body) in requests.chain(responses) {
            for header in headers {
                let name = header.name.to_ascii_lowercase();
                match name.as_str() {
                    "authorization" | "proxy-authorization" => {
                        let (scheme, token) = header
                            .value
                            .trim()
                            .split_once(' ')
                            .unwrap_or(("", header.value.trim()));
                        let token = token.trim().trim_matches(['"', '\'']);
                        if jwt_inside(token) && !options.redact_claims {
                            continue; // the JWT scan keeps its claims
                        }
                        let replacement = scheme
                            .eq_ignore_ascii_case("basic")
                            .then(|| basic_keeping_user(token))
                            .flatten();
                        candidates.add(token, &format!("{} header", header.name), replacement);
                    }
                    "cookie" => {
                        for pair in header.value.split(';') {
                            if let Some((cookie, value)) = pair.split_once('=')
                                && (options.redact_claims || !jwt_inside(value))
                            {
                                candidates.add(value, &format!("cookie {}", cookie.trim()), None);
                            }
                        }
                    }
                    "set-cookie" => {
                        if let Some((cookie, value)) = header
                            .value
                            .split(';')
                            .next()
                            .and_then(|p| p.split_once('='))
                        {
                            candidates.add(value, &format!("Set-Cookie {}", cookie.trim()), None);
                        }
                    }
                    _ if secrets::is_credential_header(&name) => {
                        candidates.add(&header.value, &format!("{} header", header.name), None);
                    }
                    _ => {}
                }
            }
            for (name, value) in url::query_pairs(request_url).filter(|(n, v)| {
                (options.redact_claims || !jwt_inside(v)) && secrets::is_secret_name(n)
            }) {
                candidates.add(value, &format!("query parameter {name}"), None);
            }
            if let Some(body) = body {
                secret_fields(&body.text, &mut candidates);
            }
        }
    }
    for (value, kind) in &options
        .extra
        .iter()
        .map(|e| (e.clone(), "your selection".to_owned()))
        .collect::<Vec<_>>()
    {
        candidates.add(value, kind, None);
    }

    let mut found: Vec<Redaction> = Vec::new();
    for (value, kind, replacement) in &candidates.values {
        for (at, _) in text.match_indices(value.as_str()) {
            let replacement = replacement.clone().unwrap_or_else(|| mask(value.len()));
            found.push(Redaction {
                span: Span::new(at, at + value.len()),
                kind: kind.clone(),
                original: value.clone(),
                replacement,
            });
        }
    }
    scan_patterns(text, options, &mut found);
    found.retain(|r| !options.keep.contains(&r.original));
    let redactions = without_overlaps(found);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in &redactions {
        out.push_str(&text[at..r.span.start]);
        out.push_str(&r.replacement);
        at = r.span.end;
    }
    out.push_str(&text[at..]);
    Redacted {
        text: out,
        redactions,
    }
}

/// `Basic base64(user:password)` → the same with the password masked.
fn basic_keeping_user(token: &str) -> Option<String> {
    let engine = base64::engine::general_purpose::STANDARD;
    let decoded = String::from_utf8(engine.decode(token).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    let replaced = engine.encode(format!("{user}:{}", "*".repeat(password.len())));
    (replaced.len() == token.len()).then_some(replaced)
}

/// Secret fields of a JSON or form body.
fn secret_fields(body: &str, candidates: &mut Candidates) {
    fn walk(value: &Value, candidates: &mut Candidates, depth: usize) {
        if depth > 64 {
            return;
        }
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    match value {
                        Value::String(s) if secrets::is_secret_name(key) => {
                            candidates.add(s, &format!("field {key}"), None);
                        }
                        _ => walk(value, candidates, depth + 1),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, candidates, depth + 1)),
            _ => {}
        }
    }
    let trimmed = body.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(value) = serde_json::from_str::<Value>(body)
    {
        walk(&value, candidates, 0);
    }
}

/// Secrets found by their shape, wherever they are in the text.
fn scan_patterns(text: &str, options: &RedactOptions, found: &mut Vec<Redaction>) {
    for (start, end) in jwt::find_tokens(text) {
        let token = &text[start..end];
        let (span, kind) = if options.redact_claims {
            (Span::new(start, end), "JWT")
        } else {
            let signature_at = start + token.rfind('.').map_or(token.len(), |i| i + 1);
            (Span::new(signature_at, end), "JWT signature")
        };
        if span.end > span.start {
            let original = text[span.start..span.end].to_owned();
            found.push(Redaction {
                span,
                kind: kind.to_owned(),
                replacement: token_mask(original.len()),
                original,
            });
        }
    }
    for (start, end, what) in secrets::find_keys(text) {
        // Keep the prefix: it names the key's type and environment (test vs live).
        let prefix = secrets::KEY_PREFIXES
            .iter()
            .find(|(p, _)| text[start..].starts_with(p))
            .map_or(0, |(p, _)| p.len());
        let span = Span::new(start + prefix, end);
        found.push(Redaction {
            span,
            kind: what.to_owned(),
            original: text[span.start..span.end].to_owned(),
            replacement: token_mask(end - start - prefix),
        });
    }
    // `name=value` for secret names (query strings, form bodies, cookies, env-style lines).
    let bytes = text.as_bytes();
    for (eq, _) in text.match_indices('=') {
        let name_start = text[..eq]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map_or(0, |i| i + 1);
        let name = &text[name_start..eq];
        if name.is_empty() || !secrets::is_secret_name(name) {
            continue;
        }
        let value_end = text[eq + 1..]
            .find(|c: char| {
                matches!(
                    c,
                    '&' | '#'
                        | ' '
                        | '\t'
                        | '\n'
                        | '\r'
                        | '"'
                        | '\''
                        | ';'
                        | ','
                        | '<'
                        | '>'
                        | '\\'
                )
            })
            .map_or(text.len(), |i| eq + 1 + i);
        let keeps_claims =
            !options.redact_claims && jwt::find_tokens(&text[eq + 1..value_end]).next().is_some();
        if value_end - (eq + 1) >= MIN_SECRET_LEN
            && bytes.get(eq + 1) != Some(&b'[')
            && !keeps_claims
        {
            let span = Span::new(eq + 1, value_end);
            let original = text[span.start..span.end].to_owned();
            found.push(Redaction {
                span,
                kind: format!("parameter {name}"),
                replacement: mask(original.len()),
                original,
            });
        }
    }
    // `"name": "value"` for secret names, also inside JSON-escaped bodies of a HAR.
    for quote in ["\"", "\\\"", "'"] {
        for (at, _) in text.match_indices(quote) {
            let name_start = at + quote.len();
            let Some(name_len) = text[name_start..].find(quote) else {
                continue;
            };
            let name = &text[name_start..name_start + name_len];
            if name.len() > 40
                || !(secrets::is_secret_name(name) || secrets::is_credential_header(name))
            {
                continue;
            }
            let after = &text[name_start + name_len + quote.len()..];
            let Some(rest) = after.trim_start().strip_prefix(':') else {
                continue;
            };
            let rest_trimmed = rest.trim_start();
            let Some(value) = rest_trimmed.strip_prefix(quote) else {
                continue;
            };
            let Some(value_len) = value.find(quote) else {
                continue;
            };
            let value_start = offset_in(text, value).unwrap_or(0);
            let keeps_claims =
                !options.redact_claims && jwt::find_tokens(&value[..value_len]).next().is_some();
            if value_len >= MIN_SECRET_LEN && !value.starts_with("[redacted]") && !keeps_claims {
                let span = Span::new(value_start, value_start + value_len);
                let original = text[span.start..span.end].to_owned();
                found.push(Redaction {
                    span,
                    kind: format!("field {name}"),
                    replacement: mask(value_len),
                    original,
                });
            }
        }
    }
    // Credentials by their scheme, wherever they are written (`Authorization: 'Bearer …'` in
    // a console dump, a header inside a JSON body).
    for scheme in ["Bearer ", "bearer ", "Basic ", "basic ", "Token ", "token "] {
        for (at, _) in text.match_indices(scheme) {
            let start = at + scheme.len();
            let len = text[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || "._~+/=-".contains(c)))
                .unwrap_or(text.len() - start);
            let token = &text[start..start + len];
            if len < 8 || (!options.redact_claims && jwt::find_tokens(token).next().is_some()) {
                continue;
            }
            let replacement = if scheme.eq_ignore_ascii_case("basic ") {
                basic_keeping_user(token)
            } else {
                None
            };
            found.push(Redaction {
                span: Span::new(start, start + len),
                kind: format!("{scheme}credential"),
                replacement: replacement.unwrap_or_else(|| token_mask(len)),
                original: token.to_owned(),
            });
        }
    }
    // Passwords in URLs: `scheme://user:password@host`.
    for (at, _) in text.match_indices("://") {
        let authority_end = text[at + 3..]
            .find(['/', ' ', '\n', '"', '\'', '?', '#'])
            .map_or(text.len(), |i| at + 3 + i);
        let authority = &text[at + 3..authority_end];
        if let Some(userinfo_end) = authority.rfind('@')
            && let Some(colon) = authority[..userinfo_end].find(':')
        {
            let span = Span::new(at + 3 + colon + 1, at + 3 + userinfo_end);
            if span.end > span.start {
                let original = text[span.start..span.end].to_owned();
                found.push(Redaction {
                    span,
                    kind: "password in URL".into(),
                    replacement: mask(original.len()),
                    original,
                });
            }
        }
    }
}

/// Sorted, without overlaps: of two overlapping redactions the wider wins (a whole token
/// over a part of it).
fn without_overlaps(mut found: Vec<Redaction>) -> Vec<Redaction> {
    found.sort_by_key(|r| (r.span.start, std::cmp::Reverse(r.span.end)));
    let mut out: Vec<Redaction> = Vec::with_capacity(found.len());
    for r in found {
        match out.last_mut() {
            Some(last) if r.span.start < last.span.end => {
                if r.span.end > last.span.end {
                    // Partial overlap: extend the earlier one over both.
                    let len = r.span.end - last.span.start;
                    last.span.end = r.span.end;
                    last.replacement = mask(len);
                }
            }
            _ => out.push(r),
        }
    }
    out
}

/// A HAR holding only `indexes` of its entries, with long bodies trimmed: what a link for
/// those exchanges carries. Returns the text unchanged when it is not a readable HAR.
pub(super) fn select_har_entries(text: &str, indexes: &[usize]) -> String {
    const BODY_LIMIT: usize = 4096;
    let Ok(mut har) = serde_json::from_str::<Value>(text) else {
        return text.to_owned();
    };
    let Some(entries) = har
        .pointer_mut("/log/entries")
        .and_then(Value::as_array_mut)
    else {
        return text.to_owned();
    };
    let kept: Vec<Value> = entries
        .iter()
        .enumerate()
        .filter(|(i, _)| indexes.contains(i))
        .map(|(_, e)| e.clone())
        .collect();
    *entries = kept;
    for entry in entries.iter_mut() {
        for pointer in ["/response/content/text", "/request/postData/text"] {
            if let Some(Value::String(body)) = entry.pointer_mut(pointer)
                && body.len() > BODY_LIMIT
            {
                let cut = body.floor_char_boundary(BODY_LIMIT);
                let dropped = body.len() - cut;
                body.truncate(cut);
                body.push_str(&format!("\n…[{dropped} bytes trimmed by httpdx share]"));
            }
        }
        if let Some(object) = entry.as_object_mut() {
            // Stack traces of the page's scripts: noise for the diagnosis.
            object.remove("_initiator");
        }
    }
    serde_json::to_string_pretty(&har).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lengths_schemes_claims_and_users() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.c2lnbmF0dXJlLXNlY3JldA";
        let basic = base64::engine::general_purpose::STANDARD.encode("alice:hunter22");
        let text = format!(
            "GET /x?api_key=abcdef123456&page=2 HTTP/1.1\nAuthorization: Bearer {token}\nProxy-Authorization: Basic {basic}\nCookie: session=9f8e7d6c5b; theme=dark\n\n"
        );
        let redacted = redact(&text, &RedactOptions::default());
        assert_eq!(redacted.text.len(), text.len());
        assert!(!redacted.text.contains("c2lnbmF0dXJlLXNlY3JldA"));
        assert!(redacted.text.contains(
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.REDACTED"
        ));
        assert!(!redacted.text.contains("hunter22") && !redacted.text.contains(&basic));
        let user = redacted
            .text
            .split("Basic ")
            .nth(1)
            .unwrap()
            .lines()
            .next()
            .unwrap();
        let decoded = String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(user)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(decoded, "alice:********");
        // Every cookie value goes; their names stay.
        assert!(
            redacted
                .text
                .contains("Cookie: session=[redacted]; theme=****")
        );
        assert!(!redacted.text.contains("abcdef123456") && redacted.text.contains("page=2"));
    }

    #[test]
    fn keep_and_extra_and_claims() {
        let text = "token=abcdef123456 ticket=T-99-XYZ eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
        let kept = redact(
            text,
            &RedactOptions {
                keep: vec!["abcdef123456".into()],
                extra: vec!["T-99-XYZ".into()],
                redact_claims: true,
            },
        );
        assert!(kept.text.contains("abcdef123456"));
        assert!(!kept.text.contains("T-99-XYZ"));
        assert!(!kept.text.contains("eyJzdWIiOiJhIn0"));
    }
}
