//! Redaction inside JSON documents (HAR files, JSON bodies) by structure: `{name, value}`
//! objects (a HAR's headers, cookies, query strings and form params) judged by their name
//! and the key of the array they are in, string members by their key, and the bodies a HAR
//! carries (`postData.text`, `content.text`) scanned after decoding — base64 bodies are
//! decoded, redacted and encoded again once every secret of the document is known.
//!
//! One pass with an explicit stack, so nesting depth costs no recursion; a document cut off
//! midway still has its complete parts redacted.

use base64::Engine;

use super::RedactOptions;
use super::scan;
use super::site::{Part, Site, Sites};
use super::values;
use crate::knowledge::secrets::{self, Context, NameClass};
use crate::model::Span;

/// A JSON string's content decoded, with the way back from decoded offsets to the raw text.
pub(crate) struct Decoded {
    pub text: String,
    /// `(decoded offset, raw offset, raw length of an escape or 0 for a plain run)`.
    runs: Vec<(usize, usize, usize)>,
    raw_end: usize,
}

impl Decoded {
    /// Decodes the content of a JSON string that sits at `raw_start..raw_end` of `text`.
    pub(crate) fn new(text: &str, raw_start: usize, raw_end: usize) -> Decoded {
        let raw = &text[raw_start..raw_end];
        let bytes = raw.as_bytes();
        let mut out = String::with_capacity(raw.len());
        let mut runs = vec![(0, raw_start, 0)];
        let mut i = 0;
        while i < bytes.len() {
            let Some(slash) = memchr::memchr(b'\\', &bytes[i..]).map(|s| i + s) else {
                out.push_str(&raw[i..]);
                break;
            };
            out.push_str(&raw[i..slash]);
            let (decoded, len) = unescape(&raw[slash..]);
            runs.push((out.len(), raw_start + slash, len));
            out.push(decoded);
            i = slash + len;
            runs.push((out.len(), raw_start + i, 0));
        }
        Decoded {
            text: out,
            runs,
            raw_end,
        }
    }

    fn run(&self, at: usize) -> (usize, usize, usize) {
        let index = self.runs.partition_point(|r| r.0 <= at).saturating_sub(1);
        self.runs[index]
    }

    /// The raw span of `start..end` of the decoded text.
    pub(crate) fn raw_span(&self, start: usize, end: usize) -> Span {
        let (d, r, escape) = self.run(start);
        let raw_start = if escape > 0 { r } else { r + (start - d) };
        let (d, r, escape) = self.run(end.saturating_sub(1).max(start));
        let raw_end = if escape > 0 {
            r + escape
        } else {
            r + (end - d)
        };
        Span::new(raw_start, raw_end.min(self.raw_end))
    }

    /// Sites for `parts` of the decoded text, placed in the raw text.
    pub(crate) fn place(&self, parts: Vec<Part>, sites: &mut Sites) {
        for part in parts {
            let span = self.raw_span(part.start, part.end);
            let replacement = part
                .replacement
                .filter(|r| r.len() == span.end - span.start);
            sites.push(Site {
                span,
                kind: part.kind,
                secret: part.secret,
                replacement,
            });
        }
    }
}

/// One escape at the start of `raw` (which starts with `\`): the character and the escape's length.
fn unescape(raw: &str) -> (char, usize) {
    let bytes = raw.as_bytes();
    match bytes.get(1) {
        Some(b'n') => ('\n', 2),
        Some(b'r') => ('\r', 2),
        Some(b't') => ('\t', 2),
        Some(b'b') => ('\u{8}', 2),
        Some(b'f') => ('\u{c}', 2),
        Some(b'u') => {
            let hex = |at: usize| {
                raw.get(at..at + 4)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
            };
            match hex(2) {
                Some(high @ 0xD800..=0xDBFF) if raw.get(6..8) == Some("\\u") => {
                    match hex(8).filter(|low| (0xDC00..=0xDFFF).contains(low)) {
                        Some(low) => (
                            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                                .unwrap_or('\u{FFFD}'),
                            12,
                        ),
                        None => ('\u{FFFD}', 6),
                    }
                }
                Some(code) => (char::from_u32(code).unwrap_or('\u{FFFD}'), 6),
                None => ('\u{FFFD}', 2),
            }
        }
        Some(&b) if b.is_ascii() => (char::from(b), 2),
        _ => ('\\', 1),
    }
}

/// A base64 body whose decoded text is redacted once all secrets are known.
pub(crate) struct Base64Body {
    /// The raw span of the base64 text (the string's content).
    pub span: Span,
    /// The decoded bytes, invalid UTF-8 replaced byte for byte with `?` so that offsets
    /// into `text` are offsets into the bytes.
    pub text: String,
    pub sites: Sites,
}

/// A scalar member of an object.
#[derive(Clone, Copy)]
enum Scalar {
    /// The raw span of the string's content (between the quotes).
    String(Span),
    Number(Span),
    Other,
}

struct Member {
    key: String,
    value: Scalar,
}

enum Frame {
    Object {
        parent_key: Option<String>,
        members: Vec<Member>,
        key: Option<String>,
    },
    Array {
        parent_key: Option<String>,
    },
}

impl Frame {
    /// The key under which a value starting now sits.
    fn key_for_child(&self) -> Option<String> {
        match self {
            Frame::Object { key, .. } => key.clone(),
            Frame::Array { parent_key } => parent_key.clone(),
        }
    }
}

/// The end of the string whose opening quote is at `at` (just past the closing quote), or
/// the end of the text when it never closes.
fn string_end(bytes: &[u8], at: usize) -> usize {
    let mut i = at + 1;
    while let Some(found) = memchr::memchr2(b'"', b'\\', &bytes[i.min(bytes.len())..]) {
        let at = i + found;
        if bytes[at] == b'\\' {
            i = at + 2;
            if i >= bytes.len() {
                return bytes.len();
            }
        } else {
            return at + 1;
        }
    }
    bytes.len()
}

/// Walks the JSON document `text` and collects its secrets.
pub(crate) fn walk(
    text: &str,
    options: &RedactOptions,
    sites: &mut Sites,
    bodies: &mut Vec<Base64Body>,
) {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                let parent_key = stack.last().and_then(Frame::key_for_child);
                if let Some(Frame::Object { members, key, .. }) = stack.last_mut()
                    && let Some(key) = key.take()
                {
                    members.push(Member {
                        key,
                        value: Scalar::Other,
                    });
                }
                stack.push(if bytes[i] == b'{' {
                    Frame::Object {
                        parent_key,
                        members: Vec::new(),
                        key: None,
                    }
                } else {
                    Frame::Array { parent_key }
                });
                i += 1;
            }
            b'}' | b']' => {
                if let Some(Frame::Object {
                    parent_key,
                    members,
                    ..
                }) = stack.pop()
                {
                    object(
                        text,
                        parent_key.as_deref(),
                        &members,
                        options,
                        sites,
                        bodies,
                    );
                }
                i += 1;
            }
            b'"' => {
                let end = string_end(bytes, i);
                let content = Span::new(i + 1, end.saturating_sub(1).max(i + 1));
                if let Some(Frame::Object { members, key, .. }) = stack.last_mut() {
                    match key.take() {
                        None => {
                            let raw = &text[content.start..content.end];
                            *key = Some(if raw.contains('\\') {
                                Decoded::new(text, content.start, content.end).text
                            } else {
                                raw.to_owned()
                            });
                        }
                        Some(name) => members.push(Member {
                            key: name,
                            value: Scalar::String(content),
                        }),
                    }
                }
                i = end;
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                let start = i;
                while i < bytes.len()
                    && !matches!(bytes[i], b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n')
                {
                    i += 1;
                }
                if let Some(Frame::Object { members, key, .. }) = stack.last_mut()
                    && let Some(name) = key.take()
                {
                    let number = bytes[start] == b'-' || bytes[start].is_ascii_digit();
                    members.push(Member {
                        key: name,
                        value: if number {
                            Scalar::Number(Span::new(start, i))
                        } else {
                            Scalar::Other
                        },
                    });
                }
                i = i.max(start + 1);
            }
            _ => i += 1,
        }
    }
    // A document cut off midway: what was read of the open objects still counts.
    while let Some(frame) = stack.pop() {
        if let Frame::Object {
            parent_key,
            members,
            ..
        } = frame
        {
            object(
                text,
                parent_key.as_deref(),
                &members,
                options,
                sites,
                bodies,
            );
        }
    }
}

fn string_member(members: &[Member], name: &str) -> Option<Span> {
    members.iter().find_map(|m| match m.value {
        Scalar::String(span) if m.key == name => Some(span),
        _ => None,
    })
}

fn object(
    text: &str,
    parent_key: Option<&str>,
    members: &[Member],
    options: &RedactOptions,
    sites: &mut Sites,
    bodies: &mut Vec<Base64Body>,
) {
    // `{"name": …, "value": …}`: a header, cookie, query or form parameter, by its array.
    if let (Some(name), Some(value)) = (
        string_member(members, "name"),
        string_member(members, "value"),
    ) {
        let context = match parent_key {
            Some("headers") => Context::Header,
            Some("cookies") => Context::Cookie,
            Some("queryString") => Context::Query,
            Some("params") => Context::Form,
            _ => Context::Json,
        };
        let name = Decoded::new(text, name.start, name.end).text;
        let value = Decoded::new(text, value.start, value.end);
        value.place(
            values::named_value(&name, &value.text, context, options),
            sites,
        );
    }
    // A HAR body: `postData.text` or `content.text`, perhaps base64.
    let is_body = members
        .iter()
        .any(|m| m.key == "mimeType" || m.key == "encoding");
    if let Some(body) = string_member(members, "text").filter(|_| is_body) {
        let base64 = string_member(members, "encoding")
            .is_some_and(|e| text[e.start..e.end].eq_ignore_ascii_case("base64"));
        if base64 {
            base64_body(text, body, options, bodies);
        } else {
            let decoded = Decoded::new(text, body.start, body.end);
            let mut inner = Sites::default();
            scan::scan(&decoded.text, options, &mut inner);
            sites.secrets.append(&mut inner.secrets);
            for site in inner.list {
                let span = decoded.raw_span(site.span.start, site.span.end);
                let replacement = site
                    .replacement
                    .filter(|r| r.len() == span.end - span.start);
                sites.list.push(Site {
                    span,
                    replacement,
                    ..site
                });
            }
        }
    }
    // Any other member whose key names a secret.
    for member in members {
        if matches!(member.key.as_str(), "name" | "value" | "text") {
            continue;
        }
        match member.value {
            Scalar::String(span) => {
                if secrets::classify_name(&member.key, Context::Json) == NameClass::NotSecret
                    && !member.key.eq_ignore_ascii_case("authorization")
                {
                    continue;
                }
                let value = Decoded::new(text, span.start, span.end);
                value.place(
                    values::named_value(&member.key, &value.text, Context::Json, options),
                    sites,
                );
            }
            Scalar::Number(span)
                if secrets::classify_name(&member.key, Context::Json) == NameClass::Password =>
            {
                let value = &text[span.start..span.end];
                sites.secret(
                    span,
                    value,
                    values::strength_of(value),
                    &format!("field {}", member.key),
                );
            }
            _ => {}
        }
    }
}

fn base64_body(text: &str, span: Span, options: &RedactOptions, bodies: &mut Vec<Base64Body>) {
    let raw: String = text[span.start..span.end]
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && *c != '\\')
        .collect();
    // As the HAR reader decodes it: padded or not (a body that cannot be encoded back to the
    // same length is then masked whole).
    let Ok(bytes) = base64::engine::general_purpose::STANDARD
        .decode(raw.as_bytes())
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(raw.trim_end_matches('=').as_bytes())
        })
    else {
        return;
    };
    // Offsets into the text must be offsets into the bytes: invalid sequences become `?`.
    let text_view = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let bytes = error.into_bytes();
            let mut out = String::with_capacity(bytes.len());
            let mut rest = bytes.as_slice();
            loop {
                match std::str::from_utf8(rest) {
                    Ok(valid) => {
                        out.push_str(valid);
                        break;
                    }
                    Err(e) => {
                        let (valid, after) = rest.split_at(e.valid_up_to());
                        out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                        let bad = e.error_len().unwrap_or(after.len()).max(1);
                        out.extend(std::iter::repeat_n('?', bad));
                        rest = &after[bad.min(after.len())..];
                    }
                }
            }
            out
        }
    };
    let mut sites = Sites::default();
    scan::scan(&text_view, options, &mut sites);
    bodies.push(Base64Body {
        span,
        text: text_view,
        sites,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_maps_back_to_the_raw_text() {
        let text = r#""a\"b\u00e9c\ud83d\ude00d""#;
        let decoded = Decoded::new(text, 1, text.len() - 1);
        assert_eq!(decoded.text, "a\"béc😀d");
        let at = decoded.text.find('c').unwrap();
        let span = decoded.raw_span(at, at + 1);
        assert_eq!(&text[span.start..span.end], "c");
        let at = decoded.text.find('é').unwrap();
        let span = decoded.raw_span(at, at + 'é'.len_utf8());
        assert_eq!(&text[span.start..span.end], "\\u00e9");
        let span = decoded.raw_span(0, decoded.text.len());
        assert_eq!(&text[span.start..span.end], &text[1..text.len() - 1]);
    }
}
