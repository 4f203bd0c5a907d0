//! The request being fixed: the person's request reduced to what a command needs, with the
//! edits applied and every changed piece marked.

use crate::knowledge::{time, url};
use crate::model::{HasHeaders, Request};
use crate::report::input;

use super::RequestEdit;

/// A piece of a value: text, or a variable standing for a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Piece {
    Text { text: String, changed: bool },
    Var { name: String },
}

impl Piece {
    pub(super) fn text(text: impl Into<String>, changed: bool) -> Piece {
        Piece::Text {
            text: text.into(),
            changed,
        }
    }
}

/// A value in pieces (a URL, a header value, a body).
pub(super) type Word = Vec<Piece>;

/// The text of a word, variables as `$NAME`.
pub(super) fn plain(word: &[Piece]) -> String {
    word.iter()
        .map(|p| match p {
            Piece::Text { text, .. } => text.clone(),
            Piece::Var { name } => format!("${name}"),
        })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct DraftHeader {
    pub name: String,
    pub value: Word,
    /// Added by the fix (the whole line is new).
    pub added: bool,
}

/// What a fix may change, so that a second edit of the same part does not undo the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Method,
    Url,
    Body,
    Wait,
    Header,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Draft {
    /// Seconds to wait before sending.
    pub wait: Option<u64>,
    pub method: String,
    pub method_changed: bool,
    pub url: Word,
    pub headers: Vec<DraftHeader>,
    pub body: Option<Word>,
    touched: Vec<(Part, String)>,
}

/// Headers a client sets itself, or that only say which browser sent the request: a
/// command to copy leaves them out.
fn is_noise(name: &str, value: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with(':')
        || name.starts_with("sec-")
        || matches!(
            name.as_str(),
            "host"
                | "content-length"
                | "connection"
                | "keep-alive"
                | "proxy-connection"
                | "transfer-encoding"
                | "te"
                | "upgrade"
                | "expect"
                | "accept-encoding"
                | "accept-language"
                | "user-agent"
                | "referer"
                | "origin"
                | "priority"
                | "pragma"
                | "cache-control"
                | "dnt"
                | "upgrade-insecure-requests"
                | "if-none-match"
                | "if-modified-since"
        )
        || (name == "accept" && value.trim() == "*/*")
}

/// `https://host` for a request whose target is a path: http for loopback and port 80.
fn origin_from_host(host: &str) -> String {
    let host = host.trim();
    let bare = host.rsplit_once(':').map_or(host, |(h, _)| h);
    let local = matches!(bare, "localhost" | "[::1]") || bare.starts_with("127.");
    let scheme = if local || host.ends_with(":80") {
        "http"
    } else {
        "https"
    };
    format!("{scheme}://{host}")
}

/// `old` → `new` as pieces: the common start and end unchanged, the middle changed.
fn diff_word(old: &str, new: &str) -> Word {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let prefix = new.floor_char_boundary(prefix);
    let max_suffix = (old.len() - prefix).min(new.len() - prefix);
    let suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let mut suffix_start = new.len() - suffix;
    while !new.is_char_boundary(suffix_start) {
        suffix_start += 1;
    }
    let mut word = Vec::new();
    for (text, changed) in [
        (&new[..prefix], false),
        (&new[prefix..suffix_start], true),
        (&new[suffix_start..], false),
    ] {
        if !text.is_empty() {
            word.push(Piece::text(text, changed));
        }
    }
    word
}

fn lower(text: &str) -> String {
    text.to_ascii_lowercase()
}

impl Draft {
    /// The request as a command would send it; none when its URL cannot be made absolute.
    pub(super) fn of(request: &Request) -> Option<Draft> {
        let target = request.url.trim();
        let absolute = if url::origin(target).is_some() {
            target.to_owned()
        } else if target.starts_with('/') {
            format!(
                "{}{target}",
                origin_from_host(request.header_value("host")?)
            )
        } else {
            return None;
        };
        let headers = request
            .headers
            .iter()
            .filter(|h| !is_noise(&h.name, &h.value))
            .map(|h| DraftHeader {
                name: h.name.to_string(),
                value: vec![Piece::text(h.value.clone(), false)],
                added: false,
            })
            .collect();
        Some(Draft {
            wait: None,
            method: request
                .method
                .clone()
                .unwrap_or_else(|| "GET".to_owned())
                .to_ascii_uppercase(),
            method_changed: false,
            url: vec![Piece::text(absolute, false)],
            headers,
            body: request
                .body
                .as_ref()
                .filter(|b| !b.text.is_empty())
                .map(|b| vec![Piece::text(b.text.clone(), false)]),
            touched: Vec::new(),
        })
    }

    fn url_text(&self) -> String {
        plain(&self.url)
    }

    /// Claims `part` for this edit; false when an earlier edit already changed it.
    fn claim(&mut self, part: Part, key: &str) -> bool {
        let key = lower(key);
        if self.touched.iter().any(|(p, k)| *p == part && *k == key) {
            return false;
        }
        self.touched.push((part, key));
        true
    }

    fn header_index(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.name.eq_ignore_ascii_case(name))
    }

    /// Applies `edit`; the change in words, or none when it changes nothing.
    pub(super) fn apply(&mut self, edit: &RequestEdit) -> Option<String> {
        match edit {
            RequestEdit::AuthScheme(scheme) => self.auth_scheme(scheme),
            RequestEdit::SetHeader { name, value } => self.set_header(name, value),
            RequestEdit::Method(method) => self.set_method(method),
            RequestEdit::Url(target) => self.set_url(target),
            RequestEdit::Body(repaired) => {
                if self.body.is_none() || !self.claim(Part::Body, "") {
                    return None;
                }
                self.body = Some(
                    repaired
                        .pieces
                        .iter()
                        .map(|(text, changed)| Piece::text(text.clone(), *changed))
                        .collect(),
                );
                Some(format!(
                    "the JSON body repaired: {}",
                    crate::knowledge::text::join_words(&repaired.repairs)
                ))
            }
            RequestEdit::Resend(original) => self.resend(original),
            RequestEdit::Wait(secs) => {
                if *secs == 0 || !self.claim(Part::Wait, "") {
                    return None;
                }
                self.wait = Some(*secs);
                let secs_i64 = i64::try_from(*secs).unwrap_or(i64::MAX);
                Some(format!(
                    "wait {} (the server's Retry-After) before sending it again",
                    time::format_duration(secs_i64)
                ))
            }
        }
    }

    fn auth_scheme(&mut self, scheme: &str) -> Option<String> {
        let at = self.header_index("authorization")?;
        if !self.claim(Part::Header, "authorization") {
            return None;
        }
        let value = plain(&self.headers[at].value);
        let value = value.trim().trim_matches(['"', '\'']);
        let (used, credential) = match value.split_once(' ') {
            Some((used, credential)) => (Some(used), credential.trim()),
            None => (None, value),
        };
        if used.is_some_and(|u| u.eq_ignore_ascii_case(scheme)) || credential.is_empty() {
            return None;
        }
        self.headers[at].value = vec![
            Piece::text(format!("{scheme} "), true),
            Piece::text(credential, false),
        ];
        Some(match used {
            Some(used) => {
                format!(
                    "`Authorization`: the {} scheme the server asks for, instead of {}",
                    input(scheme),
                    input(used)
                )
            }
            None => format!(
                "`Authorization`: the {} scheme before the token",
                input(scheme)
            ),
        })
    }

    fn set_header(&mut self, name: &str, value: &str) -> Option<String> {
        let at = self.header_index(name);
        if at.is_some_and(|i| plain(&self.headers[i].value).eq_ignore_ascii_case(value))
            || !self.claim(Part::Header, name)
        {
            return None;
        }
        if let Some(i) = at {
            let old = plain(&self.headers[i].value);
            self.headers[i].value = vec![Piece::text(value, true)];
            return Some(format!(
                "{} instead of {}",
                input(&format!("{name}: {value}")),
                input(&old)
            ));
        }
        self.headers.push(DraftHeader {
            name: name.to_owned(),
            value: vec![Piece::text(value, true)],
            added: true,
        });
        Some(format!("{} added", input(&format!("{name}: {value}"))))
    }

    fn set_method(&mut self, method: &str) -> Option<String> {
        let method = method.to_ascii_uppercase();
        if method == self.method || !self.claim(Part::Method, "") {
            return None;
        }
        let words = format!("{} instead of {}", input(&method), input(&self.method));
        self.method = method;
        self.method_changed = true;
        Some(words)
    }

    fn set_url(&mut self, target: &str) -> Option<String> {
        let old = self.url_text();
        let new = if url::origin(target).is_some() {
            target.to_owned()
        } else if target.starts_with('/') {
            format!("{}{target}", url::origin(&old)?)
        } else {
            return None;
        };
        if new == old || !self.claim(Part::Url, "") {
            return None;
        }
        self.url = diff_word(&old, &new);
        let shown = |u: &str| {
            if url::origin(u) == url::origin(&old) && url::origin(u) == url::origin(&new) {
                url::path_of(u).to_owned()
            } else {
                format!("{}{}", url::origin(u).unwrap_or(""), url::path_of(u))
            }
        };
        Some(format!(
            "call {} instead of {}",
            input(&shown(&new)),
            input(&shown(&old))
        ))
    }

    /// The method, headers and body of the request a redirect changed, to this URL.
    fn resend(&mut self, original: &Request) -> Option<String> {
        let method = original.method.as_deref()?.to_ascii_uppercase();
        let mut words = Vec::new();
        if method != self.method && self.claim(Part::Method, "") {
            words.push(format!(
                "{} as first sent, not {}",
                input(&method),
                input(&self.method)
            ));
            self.method = method;
            self.method_changed = true;
        }
        if self.body.is_none()
            && let Some(body) = original.body.as_ref().filter(|b| !b.text.is_empty())
            && self.claim(Part::Body, "")
        {
            self.body = Some(vec![Piece::text(body.text.clone(), true)]);
            words.push("the body the redirect dropped".to_owned());
        }
        for header in &original.headers {
            if is_noise(&header.name, &header.value) || self.header_index(&header.name).is_some() {
                continue;
            }
            self.headers.push(DraftHeader {
                name: header.name.to_string(),
                value: vec![Piece::text(header.value.clone(), false)],
                added: true,
            });
            words.push(format!(
                "the {} header the redirect dropped",
                input(&header.name)
            ));
        }
        if words.is_empty() {
            return None;
        }
        Some(format!(
            "{}, straight to the URL the redirect led to",
            crate::knowledge::text::join_words(&words)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(word: &[Piece]) -> String {
        word.iter()
            .map(|p| match p {
                Piece::Text {
                    text,
                    changed: true,
                } => format!("[{text}]"),
                Piece::Text { text, .. } => text.clone(),
                Piece::Var { name } => format!("${name}"),
            })
            .collect()
    }

    #[test]
    fn a_changed_url_marks_only_what_differs() {
        let diff = |a, b| shown(&diff_word(a, b));
        assert_eq!(
            diff("http://h/api/v1/orders", "http://h/api/v3/orders"),
            "http://h/api/v[3]/orders"
        );
        assert_eq!(diff("http://h/items/", "http://h/items"), "http://h/items");
        assert_eq!(
            diff("http://h/items", "http://h/items/"),
            "http://h/items[/]"
        );
        assert_eq!(diff("http://h/é/a", "http://h/ü/a"), "http://h/[ü]/a");
        assert_eq!(diff("http://h/x", "https://h/x"), "http[s]://h/x");
    }

    #[test]
    fn a_path_target_takes_its_origin_from_host() {
        assert_eq!(origin_from_host("127.0.0.1:8000"), "http://127.0.0.1:8000");
        assert_eq!(
            origin_from_host("api.example.com"),
            "https://api.example.com"
        );
        assert_eq!(
            origin_from_host("api.example.com:80"),
            "http://api.example.com:80"
        );
    }
}
