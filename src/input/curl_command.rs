//! A `curl …` command line pasted above its output: the only record of the request body
//! (`-d`), which neither `curl -i` nor `curl -v` prints.

use crate::model::{Body, Header, Request, Span, header_name};

/// One shell word and where its source text sits in the input.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    pub text: String,
    pub span: Span,
    /// Whether the word was copied without quotes or escapes, so `span` maps it byte for byte.
    pub verbatim: bool,
}

/// Splits a POSIX-shell-like command line into words. Handles quotes, backslashes and
/// backslash-newline continuations; stops at an unquoted newline.
pub(crate) fn words(text: &str, base: usize) -> (Vec<Word>, usize) {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\\' if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') => i += 3,
            b'\n' => return (out, i + 1),
            _ => {
                let start = i;
                let mut word = String::new();
                let mut verbatim = true;
                let mut content_start = start;
                while i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    match bytes[i] {
                        b'\'' => {
                            let end = memchr::memchr(b'\'', &bytes[i + 1..])
                                .map_or(bytes.len(), |e| i + 1 + e);
                            if word.is_empty() {
                                content_start = i + 1;
                            } else {
                                verbatim = false;
                            }
                            word.push_str(&text[i + 1..end]);
                            i = (end + 1).min(bytes.len());
                            verbatim = verbatim && at_word_end(bytes, i);
                        }
                        b'"' => {
                            i += 1;
                            if word.is_empty() {
                                content_start = i;
                            } else {
                                verbatim = false;
                            }
                            while i < bytes.len() && bytes[i] != b'"' {
                                if bytes[i] == b'\\'
                                    && matches!(bytes.get(i + 1), Some(b'"' | b'\\' | b'$' | b'`'))
                                {
                                    verbatim = false;
                                    i += 1;
                                }
                                let ch_len = utf8_len(bytes[i]);
                                word.push_str(&text[i..(i + ch_len).min(bytes.len())]);
                                i += ch_len;
                            }
                            i = (i + 1).min(bytes.len());
                            verbatim = verbatim && at_word_end(bytes, i);
                        }
                        b'\\' if i + 1 < bytes.len() => {
                            verbatim = false;
                            let ch_len = utf8_len(bytes[i + 1]);
                            word.push_str(&text[i + 1..(i + 1 + ch_len).min(bytes.len())]);
                            i += 1 + ch_len;
                        }
                        b => {
                            let ch_len = utf8_len(b);
                            word.push_str(&text[i..(i + ch_len).min(bytes.len())]);
                            i += ch_len;
                        }
                    }
                }
                let span = if verbatim {
                    Span::new(base + content_start, base + content_start + word.len())
                } else {
                    Span::new(base + start, base + i)
                };
                out.push(Word {
                    text: word,
                    span,
                    verbatim,
                });
            }
        }
    }
    (out, bytes.len())
}

fn at_word_end(bytes: &[u8], i: usize) -> bool {
    matches!(bytes.get(i), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Options that take a value we do not use.
const IGNORED_WITH_VALUE: &[&str] = &[
    "-o",
    "--output",
    "-m",
    "--max-time",
    "-w",
    "--write-out",
    "--connect-timeout",
    "-x",
    "--proxy",
    "-U",
    "--proxy-user",
    "--proxy-header",
    "--noproxy",
    "--preproxy",
    "--resolve",
    "--cacert",
    "-E",
    "--cert",
    "--key",
    "-T",
    "--upload-file",
    "-r",
    "--range",
    "--retry",
    "--limit-rate",
    "-K",
    "--config",
    "--interface",
    "--connect-to",
    "-c",
    "--cookie-jar",
    "--max-redirs",
    "--trace",
    "--trace-ascii",
    "--unix-socket",
    "-z",
    "--time-cond",
];

/// Whether `line` starts a curl command (after an optional shell prompt).
pub(crate) fn command_start(line: &str) -> Option<usize> {
    let at = super::prompt::command_start(line).unwrap_or(line.len() - line.trim_start().len());
    let command = &line[at..];
    let curl = command.starts_with("curl ") || command.starts_with("curl.exe ");
    (curl && !command.starts_with("curl: ")).then_some(at)
}

/// The request a curl command line starting at `start` of `input` describes (none when it
/// names no URL), and the offset where the command ends: callers continue from there
/// either way, so a long `\`-continued command is read once.
pub(crate) fn parse(input: &str, start: usize) -> (Option<Request>, usize) {
    let (words, consumed) = words(&input[start..], start);
    let end = start + consumed;
    (request(words, start, end), end.max(start + 1))
}

/// curl's short options that take a value (`-X POST`, `-XPOST`).
const SHORT_WITH_VALUE: &str = "AbcCdDeEFHKmortTuUwxXYyzQP";

/// Short options written together (`-sI`, `-sSL`, `-sXPOST`, `-sd '{…}'`) as curl reads them:
/// one word per option; an option that takes a value keeps the rest of the cluster.
fn expand_clusters(words: Vec<Word>) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        let cluster = word.text.len() > 2
            && word.text.starts_with('-')
            && !word.text.starts_with("--")
            && word.text[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() && !SHORT_WITH_VALUE.contains(c));
        if !cluster {
            out.push(word);
            continue;
        }
        let text = word.text.clone();
        for (i, c) in text[1..].char_indices() {
            let at = i + 1;
            if SHORT_WITH_VALUE.contains(c) {
                // The value option and whatever follows it in the cluster (`-XPOST`).
                let span = if word.verbatim {
                    Span::new(word.span.start + at - 1, word.span.end)
                } else {
                    word.span
                };
                out.push(Word {
                    text: format!("-{}", &text[at..]),
                    span,
                    verbatim: word.verbatim,
                });
                break;
            }
            out.push(Word {
                text: format!("-{c}"),
                span: word.span,
                verbatim: false,
            });
        }
    }
    out
}

fn request(words: Vec<Word>, start: usize, end: usize) -> Option<Request> {
    let mut iter = expand_clusters(words).into_iter();
    if !matches!(iter.next()?.text.as_str(), "curl" | "curl.exe") {
        return None;
    }
    let mut request = Request::default();
    let mut method: Option<String> = None;
    let mut data: Option<Word> = None;
    // `-d @file`: a body the paste does not show.
    let mut file_body = false;
    let mut json = false;
    let mut head = false;
    let mut get = false;
    let mut form = false;
    while let Some(word) = iter.next() {
        let arg = word.text.as_str();
        let (flag, attached) = split_option(arg);
        match flag {
            "-X" | "--request" => method = value(attached, &mut iter).map(|w| w.text),
            "-H" | "--header" => {
                if let Some(w) = value(attached, &mut iter)
                    && let Some((name, value)) = w.text.split_once(':')
                {
                    request.headers.push(Header {
                        name: header_name(name.trim()),
                        value: value.trim_start().to_owned(),
                        span: Some(w.span),
                    });
                }
            }
            // `-d @file.json` sends a file's content: the body is not in the paste (a lone
            // `@file`); curl joins repeated -d values with `&`.
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii"
            | "--data-urlencode" => {
                if let Some(w) = value(attached, &mut iter) {
                    if flag != "--data-raw" && w.text.starts_with('@') && data.is_none() {
                        file_body = true;
                        continue;
                    }
                    data = Some(match data.take() {
                        Some(first) => Word {
                            text: format!("{}&{}", first.text, w.text),
                            span: Span::new(first.span.start, w.span.end),
                            verbatim: false,
                        },
                        None => w,
                    });
                }
            }
            "--json" => {
                data = value(attached, &mut iter);
                json = true;
                if data.as_ref().is_some_and(|w| w.text.starts_with('@')) {
                    data = None;
                    file_body = true;
                }
            }
            "-F" | "--form" => {
                value(attached, &mut iter);
                form = true;
            }
            "-u" | "--user" => {
                if let Some(w) = value(attached, &mut iter) {
                    let encoded = base64::Engine::encode(
                        &base64::engine::general_purpose::STANDARD,
                        w.text.as_bytes(),
                    );
                    request.headers.push(Header {
                        name: "Authorization".into(),
                        value: format!("Basic {encoded}"),
                        span: Some(w.span),
                    });
                }
            }
            "-b" | "--cookie" => {
                if let Some(w) = value(attached, &mut iter) {
                    request.headers.push(Header {
                        name: "Cookie".into(),
                        value: w.text,
                        span: Some(w.span),
                    });
                }
            }
            "-A" | "--user-agent" => {
                if let Some(w) = value(attached, &mut iter) {
                    request.headers.push(Header {
                        name: "User-Agent".into(),
                        value: w.text,
                        span: Some(w.span),
                    });
                }
            }
            "-e" | "--referer" => {
                value(attached, &mut iter);
            }
            "-I" | "--head" => head = true,
            "-G" | "--get" => get = true,
            "--url" => {
                if let Some(w) = value(attached, &mut iter) {
                    request.url = w.text;
                }
            }
            _ if IGNORED_WITH_VALUE.contains(&flag) => {
                value(attached, &mut iter);
            }
            _ if arg.starts_with('-') => {}
            _ if request.url.is_empty() => request.url = word.text,
            _ => {}
        }
    }
    if request.url.is_empty() {
        return None;
    }
    if json {
        if !request
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("content-type"))
        {
            request.headers.push(Header {
                name: "Content-Type".into(),
                value: "application/json".into(),
                span: None,
            });
        }
    } else if (data.is_some() || file_body)
        && !request
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("content-type"))
    {
        // What curl itself sends for -d: the cause of many 400s and 422s.
        request.headers.push(Header {
            name: "Content-Type".into(),
            value: "application/x-www-form-urlencoded".into(),
            span: None,
        });
    }
    // `-G`: the data goes into the query string of a GET.
    if get && let Some(word) = data.take() {
        let separator = if request.url.contains('?') { '&' } else { '?' };
        request.url = format!("{}{separator}{}", request.url, word.text);
        request
            .headers
            .retain(|h| !(h.span.is_none() && h.name == "Content-Type"));
    }
    let default_method = if head {
        "HEAD"
    } else if get {
        "GET"
    } else if data.is_some() || form || file_body {
        "POST"
    } else {
        "GET"
    };
    request.method = Some(method.unwrap_or_else(|| default_method.to_owned()));
    // `-d @file` sends the file's content, which the command line does not show.
    if let Some(word) = data.filter(|w| !w.text.starts_with('@') || w.text.contains('&')) {
        request.body = Some(if word.verbatim {
            Body::verbatim(&word.text, word.span.start)
        } else {
            Body::decoded(word.text)
        });
    }
    request.span = Some(Span::new(start, end));
    Some(request)
}

/// `-XPOST` → (`-X`, Some("POST")); `--data=x` → (`--data`, Some("x")).
fn split_option(arg: &str) -> (&str, Option<&str>) {
    if let Some(long) = arg.strip_prefix("--") {
        return match long.split_once('=') {
            Some((name, value)) => (&arg[..2 + name.len()], Some(value)),
            None => (arg, None),
        };
    }
    if arg.len() > 2 && arg.starts_with('-') && arg.is_char_boundary(2) {
        let flag = &arg[..2];
        if matches!(
            flag,
            "-X" | "-H" | "-d" | "-u" | "-b" | "-A" | "-o" | "-m" | "-w" | "-x" | "-F" | "-e"
        ) {
            return (flag, Some(&arg[2..]));
        }
    }
    (arg, None)
}

fn value(attached: Option<&str>, rest: &mut impl Iterator<Item = Word>) -> Option<Word> {
    match attached {
        Some(text) => Some(Word {
            text: text.to_owned(),
            span: Span::new(0, 0),
            verbatim: false,
        }),
        None => rest.next(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_method_headers_and_body_with_spans() {
        let input = "$ curl -sv -X POST -H 'Authorization: abc.def' -d '{\"a\":1}' http://127.0.0.1:8000/items\n";
        let at = command_start(input).unwrap();
        let request = parse(input, at).0.unwrap();
        assert_eq!(request.method.as_deref(), Some("POST"));
        assert_eq!(request.url, "http://127.0.0.1:8000/items");
        let body = request.body.unwrap();
        assert_eq!(body.text, "{\"a\":1}");
        let span = body.span_of(0, body.text.len()).unwrap();
        assert_eq!(&input[span.start..span.end], "{\"a\":1}");
        assert_eq!(
            request.headers[1].value,
            "application/x-www-form-urlencoded"
        );
    }

    #[test]
    fn continuation_lines_and_double_quotes() {
        let input = "curl \\\n  -H \"Content-Type: application/json\" \\\n  --data \"{\\\"a\\\":1}\" https://x.test/\n";
        let (request, end) = parse(input, 0);
        let request = request.unwrap();
        assert_eq!(end, input.len());
        assert_eq!(request.body.unwrap().text, "{\"a\":1}");
        assert_eq!(request.headers.len(), 1);
    }

    #[test]
    fn short_options_written_together() {
        let method = |line: &str| parse(line, 0).0.and_then(|r| r.method);
        assert_eq!(method("curl -sI http://a.test/").as_deref(), Some("HEAD"));
        assert_eq!(
            method("curl -sSLXPUT http://a.test/").as_deref(),
            Some("PUT")
        );
        let request = parse("curl -sd 'a=1' http://a.test/", 0).0.unwrap();
        assert_eq!(request.method.as_deref(), Some("POST"));
        assert_eq!(request.body.unwrap().text, "a=1");
        let get = parse("curl -G -d q=x http://a.test/s", 0).0.unwrap();
        assert_eq!(
            (get.method.as_deref(), get.url.as_str()),
            (Some("GET"), "http://a.test/s?q=x")
        );
    }
}
