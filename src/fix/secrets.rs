//! Credentials out of the fixed request: each becomes a variable (`$TOKEN`) the person sets
//! first, so the command can be copied, shared and put in a Markdown report as it is.
//! Which names and values are credentials is `knowledge::secrets`'s to say, as for the
//! share's redaction.

use crate::knowledge::jwt;
use crate::knowledge::secrets::{self, Context, NameClass};

use super::Placeholder;
use super::draft::{Draft, Piece, Word, plain};

/// A credential's byte range in a value's text, and the variable that stands for it.
struct Hidden {
    start: usize,
    end: usize,
    name: String,
}

/// The variables given out so far: one per distinct credential.
#[derive(Default)]
struct Names {
    given: Vec<(String, String)>,
    placeholders: Vec<Placeholder>,
}

impl Names {
    /// The variable for `value` (found as `base`, described by `what`).
    fn name(&mut self, base: &str, value: &str, what: String) -> String {
        if let Some((name, _)) = self.given.iter().find(|(_, v)| v == value) {
            return name.clone();
        }
        let mut name = base.to_owned();
        let mut n = 1;
        while self.given.iter().any(|(given, _)| *given == name) {
            n += 1;
            name = format!("{base}_{n}");
        }
        self.given.push((name.clone(), value.to_owned()));
        self.placeholders.push(Placeholder {
            name: name.clone(),
            what,
        });
        name
    }
}

/// `accessToken`, `x-api-key`, `user[password]` → `ACCESS_TOKEN`, `X_API_KEY`,
/// `USER_PASSWORD`: a shell variable's name.
pub(super) fn variable_name(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower {
                out.push('_');
            }
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_uppercase());
        } else {
            previous_lower = false;
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    match out.chars().next() {
        None => "SECRET".to_owned(),
        Some(c) if c.is_ascii_digit() => format!("_{out}"),
        Some(_) => out,
    }
}

/// The draft with every credential a variable, and the variables to set.
pub(super) fn hide(mut draft: Draft) -> (Draft, Vec<Placeholder>) {
    let mut names = Names::default();
    for header in &mut draft.headers {
        let text = plain(&header.value);
        let mut hidden = header_credential(&header.name, &text, &mut names);
        if hidden.is_empty() {
            hidden = shaped(&text, &mut names);
        }
        header.value = replace(&header.value, hidden);
    }
    let url = plain(&draft.url);
    let mut hidden = url_credentials(&url, &mut names);
    hidden.extend(shaped(&url, &mut names));
    draft.url = replace(&draft.url, hidden);
    if let Some(body) = &draft.body {
        let text = plain(body);
        let mut hidden = if text.trim_start().starts_with(['{', '[']) {
            json_credentials(&text, &mut names)
        } else {
            pairs(&text, 0, Context::Form, &mut names)
        };
        hidden.extend(shaped(&text, &mut names));
        draft.body = Some(replace(body, hidden));
    }
    (draft, names.placeholders)
}

/// An Authorization value's credential (after its scheme), or a credential header's value.
fn header_credential(name: &str, value: &str, names: &mut Names) -> Vec<Hidden> {
    let lower = name.to_ascii_lowercase();
    if secrets::is_placeholder(value) || value.trim().is_empty() {
        return Vec::new();
    }
    if lower == "authorization" || lower == "proxy-authorization" {
        let proxy = if lower == "proxy-authorization" {
            "PROXY_"
        } else {
            ""
        };
        let (scheme, start) = match value.split_once(' ') {
            Some((scheme, _)) if scheme.len() < 16 && !scheme.contains('.') => {
                (Some(scheme), scheme.len() + 1)
            }
            _ => (None, 0),
        };
        let credential = value[start..].trim();
        if credential.is_empty() || secrets::is_placeholder(credential) {
            return Vec::new();
        }
        let start = start + (value[start..].len() - value[start..].trim_start().len());
        let (base, what) = match scheme.map(str::to_ascii_lowercase).as_deref() {
            Some("basic") => (
                format!("{proxy}BASIC_AUTH"),
                "user:password in base64 (printf %s 'user:password' | base64)".to_owned(),
            ),
            _ => (format!("{proxy}TOKEN"), "the token".to_owned()),
        };
        let name = names.name(&base, credential, what);
        return vec![Hidden {
            start,
            end: start + credential.len(),
            name,
        }];
    }
    if lower == "cookie" || secrets::is_credential_header(name) {
        let what = format!("the {name} header's value");
        let name = names.name(&variable_name(name), value, what);
        return vec![Hidden {
            start: 0,
            end: value.len(),
            name,
        }];
    }
    Vec::new()
}

/// Credentials by name in `name=value&…` text starting at `offset` of the whole.
fn pairs(text: &str, offset: usize, context: Context, names: &mut Names) -> Vec<Hidden> {
    let mut hidden = Vec::new();
    let mut at = offset;
    for pair in text.split('&') {
        if let Some((name, value)) = pair.split_once('=') {
            let class = secrets::classify_name(name, context);
            let value_at = at + name.len() + 1;
            let value = value.split('#').next().unwrap_or(value);
            if class != NameClass::NotSecret && secrets::judge_value(value, class).is_some() {
                let what = format!("the {name} parameter");
                hidden.push(Hidden {
                    start: value_at,
                    end: value_at + value.len(),
                    name: names.name(&variable_name(name), value, what),
                });
            }
        }
        at += pair.len() + 1;
    }
    hidden
}

/// A URL's credentials: the password of `user:password@`, secret query parameters.
fn url_credentials(url: &str, names: &mut Names) -> Vec<Hidden> {
    let mut hidden = Vec::new();
    if let Some(origin) = crate::knowledge::url::origin(url)
        && let Some(authority_at) = origin.find("://").map(|i| i + 3)
        && let Some((userinfo, _)) = origin[authority_at..].rsplit_once('@')
        && let Some((_, password)) = userinfo.split_once(':')
        && !password.is_empty()
    {
        let start = authority_at + userinfo.len() - password.len();
        hidden.push(Hidden {
            start,
            end: start + password.len(),
            name: names.name("PASSWORD", password, "the URL's password".to_owned()),
        });
    }
    if let Some(query_at) = url.find('?') {
        let query = &url[query_at + 1..];
        let query = query.split('#').next().unwrap_or(query);
        hidden.extend(pairs(query, query_at + 1, Context::Query, names));
    }
    hidden
}

/// The JSON string tokens of `text`: `(start, end)` of each one's content.
fn json_strings(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut strings = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut j = start;
        while j < bytes.len() && bytes[j] != b'"' {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        if j >= bytes.len() {
            break;
        }
        strings.push((start, j));
        i = j + 1;
    }
    strings
}

/// `"password": "…"` members whose name holds a credential.
fn json_credentials(text: &str, names: &mut Names) -> Vec<Hidden> {
    let strings = json_strings(text);
    let mut hidden = Vec::new();
    for pair in strings.windows(2) {
        let ((key_start, key_end), (value_start, value_end)) = (pair[0], pair[1]);
        let between = &text[key_end + 1..value_start - 1];
        if between.trim() != ":" {
            continue;
        }
        let key = &text[key_start..key_end];
        let value = &text[value_start..value_end];
        let class = secrets::classify_name(key, Context::Json);
        if class != NameClass::NotSecret && secrets::judge_value(value, class).is_some() {
            let what = format!("the body's {key}");
            hidden.push(Hidden {
                start: value_start,
                end: value_end,
                name: names.name(&variable_name(key), value, what),
            });
        }
    }
    hidden
}

/// Credentials known by their shape wherever they are: JWTs, well-known API keys.
fn shaped(text: &str, names: &mut Names) -> Vec<Hidden> {
    let mut hidden: Vec<Hidden> = jwt::find_tokens(text)
        .map(|(start, end)| Hidden {
            start,
            end,
            name: names.name("TOKEN", &text[start..end], "the token".to_owned()),
        })
        .collect();
    for key in secrets::find_keys(text) {
        let value = &text[key.start..key.end];
        hidden.push(Hidden {
            start: key.start,
            end: key.end,
            name: names.name("API_KEY", value, format!("the {}", key.what)),
        });
    }
    hidden
}

/// `word` with each hidden range replaced by its variable. Ranges are in the word's text;
/// a range overlapping an earlier one is dropped.
fn replace(word: &Word, mut hidden: Vec<Hidden>) -> Word {
    if hidden.is_empty() {
        return word.clone();
    }
    hidden.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut kept: Vec<Hidden> = Vec::new();
    for h in hidden {
        if h.start < h.end && kept.last().is_none_or(|k| h.start >= k.end) {
            kept.push(h);
        }
    }
    let mut out = Vec::new();
    let mut at = 0;
    let mut ranges = kept.iter().peekable();
    for piece in word {
        let Piece::Text { text, changed } = piece else {
            out.push(piece.clone());
            continue;
        };
        let end = at + text.len();
        let mut cursor = at;
        while cursor < end {
            match ranges.peek() {
                Some(r) if r.end <= cursor => {
                    ranges.next();
                }
                Some(r) if r.start <= cursor => {
                    if r.start >= at {
                        out.push(Piece::Var {
                            name: r.name.clone(),
                        });
                    }
                    cursor = r.end.min(end);
                    if r.end <= end {
                        ranges.next();
                    }
                }
                Some(r) if r.start < end => {
                    out.push(Piece::text(&text[cursor - at..r.start - at], *changed));
                    cursor = r.start;
                }
                _ => {
                    out.push(Piece::text(&text[cursor - at..], *changed));
                    cursor = end;
                }
            }
        }
        at = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_shell_variables() {
        assert_eq!(variable_name("accessToken"), "ACCESS_TOKEN");
        assert_eq!(variable_name("X-API-Key"), "X_API_KEY");
        assert_eq!(variable_name("user[password]"), "USER_PASSWORD");
        assert_eq!(variable_name("client_secret"), "CLIENT_SECRET");
        assert_eq!(variable_name("2fa"), "_2FA");
        assert_eq!(variable_name("—"), "SECRET");
    }

    #[test]
    fn a_range_across_pieces_becomes_one_variable() {
        let word = vec![Piece::text("Bearer ", true), Piece::text("abc.def", false)];
        let hidden = vec![Hidden {
            start: 7,
            end: 14,
            name: "TOKEN".into(),
        }];
        assert_eq!(
            replace(&word, hidden),
            vec![
                Piece::text("Bearer ", true),
                Piece::Var {
                    name: "TOKEN".into()
                }
            ]
        );
        let word = vec![
            Piece::text("a=1&pass", false),
            Piece::text("word=hunter2&b=2", true),
        ];
        let mut names = Names::default();
        let text = plain(&word);
        let hidden = pairs(&text, 0, Context::Form, &mut names);
        assert_eq!(plain(&replace(&word, hidden)), "a=1&password=$PASSWORD&b=2");
    }

    #[test]
    fn the_same_credential_is_one_variable_and_two_are_two() {
        let mut names = Names::default();
        let text = r#"{"password": "hunter22", "confirm_password": "hunter22", "old_password": "s3cret!!"}"#;
        let hidden = json_credentials(text, &mut names);
        let word = replace(&vec![Piece::text(text, false)], hidden);
        assert_eq!(
            plain(&word),
            r#"{"password": "$PASSWORD", "confirm_password": "$PASSWORD", "old_password": "$OLD_PASSWORD"}"#
        );
        assert_eq!(names.placeholders.len(), 2);
    }
}
