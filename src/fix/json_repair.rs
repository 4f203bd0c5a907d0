//! Repairs of a JSON body that are certain: the slips whose intent is plain (a trailing
//! comma, single quotes, an unquoted key, Python's `True`/`False`/`None`). Anything else —
//! a missing comma, a comment, a bare word, text cut short — has more than one reading, and
//! gets no repair.

use serde::de::IgnoredAny;

use super::RepairedBody;

const TRAILING_COMMA: &str = "removed a trailing comma";
const SINGLE_QUOTES: &str = "single quotes made double";
const UNQUOTED_KEY: &str = "quoted a bare key";
const PYTHON_LITERAL: &str = "Python's True/False/None written as true/false/null";

#[derive(Default)]
struct Out {
    pieces: Vec<(String, bool)>,
    repairs: Vec<&'static str>,
    /// The last character written that is not white space.
    last: Option<char>,
    /// A trailing comma was dropped: the bracket it stood before is marked, so the place of
    /// a removal shows.
    mark_close: bool,
}

impl Out {
    fn push(&mut self, text: &str, changed: bool) {
        if text.is_empty() {
            return;
        }
        if let Some(c) = text.trim_end().chars().next_back() {
            self.last = Some(c);
        }
        match self.pieces.last_mut() {
            Some((last, was)) if *was == changed => last.push_str(text),
            _ => self.pieces.push((text.to_owned(), changed)),
        }
    }

    fn repaired(&mut self, what: &'static str) {
        if !self.repairs.contains(&what) {
            self.repairs.push(what);
        }
    }
}

/// The end (exclusive) of the string starting with the quote at `start`; none if unclosed.
fn string_end(text: &str, start: usize, quote: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text[start + 1..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == quote => return Some(start + 1 + i + 1),
            '\n' => return None,
            _ => {}
        }
    }
    None
}

/// `'it\'s "x"'` → `"it's \"x\""`: the content re-escaped for double quotes.
fn double_quoted(content: &str) -> String {
    let mut out = String::with_capacity(content.len() + 2);
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\'') => out.push('\''),
                Some(next) => {
                    out.push('\\');
                    out.push(next);
                }
                None => out.push('\\'),
            },
            '"' => out.push_str("\\\""),
            c => out.push(c),
        }
    }
    out
}

fn is_word_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == '$'
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// The repaired body, when `text` does not parse as JSON, every slip in it is one of the
/// certain kinds, and the repaired text parses.
pub(crate) fn repair_json(text: &str) -> Option<RepairedBody> {
    if serde_json::from_str::<IgnoredAny>(text).is_ok() {
        return None;
    }
    let mut out = Out::default();
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        match c {
            '"' => {
                let end = string_end(text, at, '"')?;
                out.push(&text[at..end], false);
                at = end;
            }
            '\'' => {
                let end = string_end(text, at, '\'')?;
                out.push("\"", true);
                out.push(&double_quoted(&text[at + 1..end - 1]), false);
                out.push("\"", true);
                out.repaired(SINGLE_QUOTES);
                at = end;
            }
            ',' => {
                let rest = text[at + 1..].trim_start();
                if rest.starts_with(['}', ']']) {
                    out.repaired(TRAILING_COMMA);
                    out.mark_close = true;
                } else {
                    out.push(",", false);
                }
                at += 1;
            }
            c if is_word_start(c) => {
                let len = text[at..]
                    .find(|c: char| !is_word_char(c))
                    .unwrap_or(text.len() - at);
                let word = &text[at..at + len];
                let key_position = matches!(out.last, Some('{' | ','));
                let before_colon = text[at + len..].trim_start().starts_with(':');
                match word {
                    "true" | "false" | "null" if !before_colon => out.push(word, false),
                    "True" | "False" | "None" if !before_colon => {
                        let literal = match word {
                            "True" => "true",
                            "False" => "false",
                            _ => "null",
                        };
                        out.push(literal, true);
                        out.repaired(PYTHON_LITERAL);
                    }
                    _ if key_position && before_colon => {
                        out.push("\"", true);
                        out.push(word, false);
                        out.push("\"", true);
                        out.repaired(UNQUOTED_KEY);
                    }
                    // A bare word as a value: a string, a variable, a constant? Not certain.
                    _ => return None,
                }
                at += len;
            }
            // Numbers keep their letters (`1e5`); comments and other marks are not certain.
            c if c.is_ascii_digit() || c == '-' => {
                let len = text[at..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-')))
                    .unwrap_or(text.len() - at);
                out.push(&text[at..at + len], false);
                at += len;
            }
            '}' | ']' => {
                let marked = std::mem::take(&mut out.mark_close);
                out.push(&text[at..=at], marked);
                at += 1;
            }
            '{' | '[' | ':' => {
                out.push(&text[at..=at], false);
                at += 1;
            }
            c if c.is_whitespace() => {
                out.push(&text[at..at + c.len_utf8()], false);
                at += c.len_utf8();
            }
            _ => return None,
        }
    }
    let repaired = RepairedBody {
        pieces: out.pieces,
        repairs: out.repairs,
    };
    (!repaired.repairs.is_empty() && serde_json::from_str::<IgnoredAny>(&repaired.text()).is_ok())
        .then_some(repaired)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Option<String> {
        repair_json(text).map(|r| {
            r.pieces
                .iter()
                .map(|(t, changed)| {
                    if *changed {
                        format!("[{t}]")
                    } else {
                        t.clone()
                    }
                })
                .collect()
        })
    }

    #[test]
    fn certain_slips_are_repaired_and_marked() {
        assert_eq!(
            shown(r#"{"name": "pen", "price": 2.5,}"#).as_deref(),
            Some(r#"{"name": "pen", "price": 2.5[}]"#)
        );
        assert_eq!(
            shown(r#"{'name': 'it\'s "x"'}"#).as_deref(),
            Some(r#"{["]name["]: ["]it's \"x\"["]}"#)
        );
        assert_eq!(
            shown(r#"{name: "pen", ok: True, gone: None, n: -1.5e3}"#).as_deref(),
            Some(r#"{["]name["]: "pen", ["]ok["]: [true], ["]gone["]: [null], ["]n["]: -1.5e3}"#)
        );
        assert_eq!(shown("[1, 2, 3,\n]").as_deref(), Some("[1, 2, 3\n[]]"));
    }

    #[test]
    fn uncertain_or_valid_bodies_get_no_repair() {
        for text in [
            r#"{"a": 1}"#,
            r#"{"a": 1 "b": 2}"#,
            r#"{"a": pen}"#,
            r#"{"a": 1} // note"#,
            r#"{"a": "unterminated}"#,
            r#"{"a": 1"#,
            r#"{"a": NaN}"#,
            "{'a': 'line\nbreak'}",
            r#"{"a": “typographic”}"#,
        ] {
            assert_eq!(shown(text), None, "{text}");
        }
    }

    #[test]
    fn text_inside_strings_is_left_alone() {
        assert_eq!(
            shown(r#"{"note": "True, None, a,]", 'x': 1,}"#).as_deref(),
            Some(r#"{"note": "True, None, a,]", ["]x["]: 1[}]"#)
        );
    }
}
