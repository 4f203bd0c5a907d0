use crate::knowledge::text;
use crate::model::Span;
use crate::report::{Evidence, Finding};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A header, the URL or the request body holds a character that looks like nothing or
    /// like something else: zero-width spaces, a byte-order mark, a no-break space,
    /// typographic quotes or dashes. They come from copying out of documents, chat and web
    /// pages, and break tokens, header values, URLs and JSON in ways that are invisible.
    BodyInvisibleCharacter {
        id: "body.invisible-character",
        severity: Error,
        title: "An invisible or look-alike character",
        reference: Some("https://www.unicode.org/charts/PDF/U2000.pdf"),
        fixtures: ["curl/invisible-char-in-token.txt"],
        restates: ["auth.token-rejected"],
        explanation: "This character renders as nothing or as an ordinary space, quote or dash, so the text looks right and is not. In a token or API key it makes the credential wrong; in a URL it changes the path; in JSON a typographic quote is not a quote. It usually arrives by copying from a document, a chat message or a web page.",
        fix: {
            caller: "Retype the value, or paste it through a plain-text editor; `cat -A` or a hex view shows the stray bytes.",
            owner: "Trim whitespace (including U+00A0 and U+FEFF) from credentials before comparing, and say which character was rejected.",
        },
    }
}

fn describe(ch: char) -> Option<&'static str> {
    Some(match ch {
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{FEFF}' => "byte-order mark / zero-width no-break space",
        '\u{00A0}' => "no-break space",
        '\u{202F}' => "narrow no-break space",
        '\u{00AD}' => "soft hyphen",
        '\u{2018}' | '\u{2019}' => "typographic single quote",
        '\u{201C}' | '\u{201D}' => "typographic double quote",
        '\u{2013}' => "en dash",
        '\u{2014}' => "em dash",
        _ => return None,
    })
}

/// Typographic quotes and dashes are normal in prose; they count only in places where prose
/// does not belong (headers, URLs) or where they break JSON structure.
fn is_prose_punctuation(ch: char) -> bool {
    matches!(ch, '\u{2018}'..='\u{201D}' | '\u{2013}' | '\u{2014}')
}

/// The first character of `text` that `describe` names and `counts` accepts. Plain ASCII,
/// nearly every header and URL, is skipped without decoding.
fn suspicious(text: &str, counts: impl Fn(char) -> bool) -> Option<(usize, char)> {
    if text.is_ascii() {
        return None;
    }
    text.char_indices()
        .find(|&(_, c)| describe(c).is_some() && counts(c))
}

impl Rule for BodyInvisibleCharacter {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // The server took the request as it was: whatever the character, it broke nothing.
        if cx.status().is_some_and(|s| s < 400) {
            return;
        }
        let Some(request) = cx.request() else { return };
        let mut hits: Vec<(Evidence, char)> = Vec::new();
        for header in &request.headers {
            // A typographic quote opening `-H “Name: value”` becomes part of the name.
            if let Some((_, ch)) = suspicious(&header.name, |_| true) {
                hits.push((
                    Evidence::new(
                        format!("request header {}", header.name),
                        format!("{}: {}", header.name, text::clip(&header.value, 60)),
                        header.span,
                    ),
                    ch,
                ));
                continue;
            }
            if let Some((at, ch)) = suspicious(&header.value, |_| true) {
                let span = header.span.and_then(|s| {
                    let line = &cx.input[s.start..s.end];
                    line.find(&header.value[at..at + ch.len_utf8()])
                        .map(|i| Span::new(s.start + i, s.start + i + ch.len_utf8()))
                });
                hits.push((
                    Evidence::new(
                        format!("request header {}", header.name),
                        format!("{}: {}", header.name, text::clip(&header.value, 60)),
                        span.or(header.span),
                    ),
                    ch,
                ));
            }
        }
        if let Some((_, ch)) = suspicious(&request.url, |_| true) {
            hits.push((
                Evidence::new("request URL", text::clip(&request.url, 120), None),
                ch,
            ));
        }
        if let Some(body) = &request.body {
            let json_broken = || serde_json::from_str::<serde::de::IgnoredAny>(&body.text).is_err();
            if let Some((at, ch)) =
                suspicious(&body.text, |c| !is_prose_punctuation(c) || json_broken())
            {
                hits.push((cx.body_line_evidence(Side::Request, body, at), ch));
            }
        }
        let Some((name, first)) = hits.first().and_then(|(_, c)| Some((describe(*c)?, c))) else {
            return;
        };
        out.extend(self.meta().finding_from(
            format!(
                "The request holds a {name} (U+{:04X}) where it cannot be seen",
                *first as u32
            ),
            hits.into_iter().map(|(e, _)| e),
        ));
    }
}
