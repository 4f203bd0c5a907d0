//! What redaction found: sites (a span of the text to mask, and why), and how they are
//! applied so that every replacement keeps the byte length of what it replaces.

use crate::knowledge::secrets::{self, Strength};
use crate::model::Span;

/// A secret value as found, decoded from the encoding it had in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Secret {
    pub value: String,
    pub strength: Strength,
    /// What it is, in words: `Authorization header`, `field password` …
    pub kind: String,
}

/// One place to mask.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub span: Span,
    pub kind: String,
    /// The decoded secret this span holds whole, when it is one (searched for everywhere
    /// when strong, and checked by the net after redaction).
    pub secret: Option<Secret>,
    /// A replacement of the span's exact byte length; `None` masks the span.
    pub replacement: Option<String>,
}

/// A part of a value to mask, relative to the value (header values, cookie pairs, …);
/// callers place it in the text.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub secret: Option<Secret>,
    pub replacement: Option<String>,
}

impl Part {
    /// The whole of `value[start..end]` is the secret `value`.
    pub(crate) fn secret(
        start: usize,
        end: usize,
        value: &str,
        strength: Strength,
        kind: &str,
    ) -> Part {
        Part {
            start,
            end,
            kind: kind.to_owned(),
            secret: Some(Secret {
                value: value.to_owned(),
                strength,
                kind: kind.to_owned(),
            }),
            replacement: None,
        }
    }

    /// The part placed at `offset` of the text, when the value was copied verbatim.
    pub(crate) fn at(self, offset: usize) -> Site {
        Site {
            span: Span::new(offset + self.start, offset + self.end),
            kind: self.kind,
            secret: self.secret,
            replacement: self.replacement,
        }
    }
}

/// The sites collected, and every secret value seen (including those a site does not hold
/// whole, such as the password inside a Basic credential).
#[derive(Default)]
pub(crate) struct Sites {
    pub list: Vec<Site>,
    pub secrets: Vec<Secret>,
}

impl Sites {
    pub(crate) fn push(&mut self, site: Site) {
        if let Some(secret) = &site.secret {
            self.secrets.push(secret.clone());
        }
        if site.span.end > site.span.start {
            self.list.push(site);
        }
    }

    pub(crate) fn parts_at(&mut self, parts: Vec<Part>, offset: usize) {
        for part in parts {
            self.push(part.at(offset));
        }
    }

    /// A site covering `span` whole, for the secret `value`.
    pub(crate) fn secret(&mut self, span: Span, value: &str, strength: Strength, kind: &str) {
        self.push(Site {
            span,
            kind: kind.to_owned(),
            secret: Some(Secret {
                value: value.to_owned(),
                strength,
                kind: kind.to_owned(),
            }),
            replacement: None,
        });
    }
}

/// One replacement made, located in the text that was redacted.
#[derive(Debug, Clone, PartialEq)]
pub struct Redaction {
    pub span: Span,
    /// What was redacted, in words: `Authorization header`, `JWT signature` …
    pub kind: String,
    /// The text that was there.
    pub original: String,
    pub replacement: String,
}

/// Grows a span so that it never splits an escape sequence (`\"`, `\n`, `\u00e9`): a mask that
/// started right after a backslash would turn JSON into invalid JSON.
fn whole_escapes(text: &[u8], mut span: Span) -> Span {
    let backslashes_before =
        |at: usize| text[..at].iter().rev().take_while(|b| **b == b'\\').count();
    if span.start > 0 && backslashes_before(span.start) % 2 == 1 {
        span.start -= 1;
    }
    // A span ending inside an escape: the escape is `\` plus one byte, or `\uXXXX`.
    let mut at = span.start;
    while at < span.end {
        if text[at] == b'\\' {
            let len = if text.get(at + 1) == Some(&b'u') {
                6
            } else {
                2
            };
            at += len;
        } else {
            at += 1;
        }
    }
    span.end = at.min(text.len());
    span
}

/// Applies `sites` to `text`: overlapping sites merge (a merged site is masked), every
/// replacement keeps the byte length, and escapes stay whole.
pub(crate) fn apply(text: &str, mut sites: Vec<Site>) -> (String, Vec<Redaction>) {
    let bytes = text.as_bytes();
    for site in &mut sites {
        let grown = whole_escapes(bytes, site.span);
        if grown != site.span {
            site.span = grown;
            site.replacement = None;
        }
    }
    sites.sort_by_key(|s| (s.span.start, std::cmp::Reverse(s.span.end)));
    let mut merged: Vec<Site> = Vec::with_capacity(sites.len());
    for site in sites {
        match merged.last_mut() {
            Some(last) if site.span.start < last.span.end => {
                if site.span.end > last.span.end {
                    last.span.end = site.span.end;
                    last.replacement = None;
                }
            }
            _ => merged.push(site),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut redactions = Vec::with_capacity(merged.len());
    let mut at = 0;
    for site in merged {
        let Span { start, end } = site.span;
        // Spans sit between ASCII delimiters; one that would cut a character is widened.
        let start = text.floor_char_boundary(start);
        let end = text.ceil_char_boundary(end);
        // An empty span masks nothing (a base64 body left as it was is one): skipped, or the
        // number rule below would ask for a mask one digit shorter than nothing.
        if start < at || start == end {
            continue;
        }
        let original = &text[start..end];
        let replacement = site
            .replacement
            .filter(|r| r.len() == end - start)
            .unwrap_or_else(|| {
                // A number stays a number, so JSON stays valid (`"pin": 10000000`).
                if original.bytes().all(|b| b.is_ascii_digit()) {
                    format!("1{}", "0".repeat(original.len() - 1))
                } else {
                    secrets::mask(end - start)
                }
            });
        out.push_str(&text[at..start]);
        out.push_str(&replacement);
        redactions.push(Redaction {
            span: Span::new(start, end),
            kind: site.kind,
            original: original.to_owned(),
            replacement,
        });
        at = end;
    }
    out.push_str(&text[at..]);
    (out, redactions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(start: usize, end: usize) -> Site {
        Site {
            span: Span::new(start, end),
            kind: "test".into(),
            secret: None,
            replacement: None,
        }
    }

    #[test]
    fn keeps_lengths_merges_overlaps_and_escapes() {
        let text = r#"{"a": "x\"yz", "b": "é1234"}"#;
        // A span starting on the escaped quote's quote grows to take the backslash.
        let at = text.find("\\\"").unwrap();
        let (out, redactions) = apply(text, vec![site(at + 1, at + 4), site(at + 2, at + 3)]);
        assert_eq!(out.len(), text.len());
        assert_eq!(redactions.len(), 1);
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "{out}"
        );
        // A span cutting a character is widened to whole characters.
        let e = text.find('é').unwrap();
        let (out, _) = apply(text, vec![site(e + 1, e + 3)]);
        assert_eq!(out.len(), text.len());
        assert!(
            serde_json::from_str::<serde_json::Value>(&out).is_ok(),
            "{out}"
        );
    }
}
