//! What surrounds a paste, set aside: Markdown fences, quote markers and emphasis, console
//! prefixes (`[Error]`), per-line log prefixes (timestamps, `service_1  | `), a byte-order
//! mark. The readers read the view; every span they report is mapped back to the original
//! text, so evidence, highlights, redaction and share links keep pointing at what was pasted.

use crate::model::{Capture, InputIssue, Span};

/// Where runs of the view come from in the original: `(view offset, original offset)` at the
/// start of each run; a run continues until the next one starts.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpanMap {
    runs: Vec<(usize, usize)>,
    view_len: usize,
}

impl SpanMap {
    fn run(&self, at: usize) -> (usize, usize, usize) {
        let index = self.runs.partition_point(|r| r.0 <= at).saturating_sub(1);
        let (view, original) = self.runs.get(index).copied().unwrap_or((0, 0));
        let end = self.runs.get(index + 1).map_or(self.view_len, |r| r.0);
        (view, original, end)
    }

    /// A map from runs `(view offset, original offset)` of a view `view_len` long.
    pub(crate) fn from_runs(runs: Vec<(usize, usize)>, view_len: usize) -> SpanMap {
        SpanMap { runs, view_len }
    }

    /// The original offset of view offset `at`.
    pub(crate) fn map(&self, at: usize) -> usize {
        let (view, original, _) = self.run(at);
        original + (at - view)
    }

    /// The original span of a view span (it may cover what was set aside in between).
    pub(crate) fn span(&self, span: Span) -> Span {
        let start = self.map(span.start);
        let end = if span.end > span.start {
            self.map(span.end - 1) + 1
        } else {
            start
        };
        Span::new(start, end.max(start))
    }

    /// A body's runs (`(body offset, view offset)`), split where the view's runs split, so
    /// each maps byte for byte to the original.
    fn body_runs(&self, runs: &[(usize, usize)], body_len: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::with_capacity(runs.len());
        for (i, &(body_at, view_at)) in runs.iter().enumerate() {
            let len = runs.get(i + 1).map_or(body_len, |r| r.0) - body_at;
            let mut done = 0;
            while done < len {
                let (view, original, end) = self.run(view_at + done);
                out.push((body_at + done, original + (view_at + done - view)));
                done += (end - (view_at + done)).max(1).min(len - done);
            }
        }
        out
    }

    /// Maps every span of `capture`, read from the view, back to the original.
    pub(crate) fn capture(&self, capture: &mut Capture) {
        let span = |s: &mut Option<Span>| {
            if let Some(v) = s.as_mut() {
                *v = self.span(*v);
            }
        };
        for exchange in &mut capture.exchanges {
            span(&mut exchange.span);
            if let Some(request) = exchange.request.as_mut() {
                span(&mut request.span);
                for header in request.headers.iter_mut().chain(&mut request.handed) {
                    span(&mut header.span);
                }
                if let Some(body) = request.body.as_mut() {
                    body.segments = self.body_runs(&body.segments, body.text.len());
                }
            }
            if let Some(response) = exchange.response.as_mut() {
                span(&mut response.span);
                for header in &mut response.headers {
                    span(&mut header.span);
                }
                if let Some(body) = response.body.as_mut() {
                    body.segments = self.body_runs(&body.segments, body.text.len());
                }
            }
            if let Some(error) = exchange.transport_error.as_mut() {
                span(&mut error.span);
            }
            for note in &mut exchange.notes {
                span(&mut note.span);
            }
        }
        for issue in &mut capture.issues {
            match issue {
                InputIssue::Truncated { span: s, .. } | InputIssue::Skipped { span: s, .. } => {
                    span(s);
                }
            }
        }
    }
}

/// The text the readers read, and the way back.
pub(crate) struct View {
    pub text: String,
    pub map: SpanMap,
    /// What was set aside, in words (for the report's `detected_by`).
    pub set_aside: Vec<&'static str>,
}

/// Builds the view of `text`: copies the kept parts of each line, recording where they came
/// from.
struct Builder {
    text: String,
    runs: Vec<(usize, usize)>,
}

impl Builder {
    fn push(&mut self, original: &str, start: usize, end: usize) {
        if end <= start {
            return;
        }
        let continues = self
            .runs
            .last()
            .is_some_and(|&(view, orig)| orig + (self.text.len() - view) == start);
        if !continues {
            self.runs.push((self.text.len(), start));
        }
        self.text.push_str(&original[start..end]);
    }
}

/// A line of the original: where its content starts and ends, and where its line break ends.
struct Line {
    start: usize,
    end: usize,
    next: usize,
}

fn lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        let next = (end + 1).min(bytes.len());
        let content_end = if end > at && bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        out.push(Line {
            start: at,
            end: content_end,
            next: if end < bytes.len() { next } else { end },
        });
        at = end + 1;
    }
    out
}

fn is_fence(line: &str) -> bool {
    let t = line.trim();
    (t.starts_with("```") || t.starts_with("~~~"))
        && t[3..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | ' ' | '`' | '~'))
}

/// Whether `text` (the rest of a line after one `> `) is what curl's `-v` output or an HTTP
/// message puts at the start of a line: a sign the `> ` is a Markdown quote, not curl's.
fn quoted_paste_line(rest: &str) -> bool {
    [
        "< ", "<", "* ", "> ", "{ [", "} [", "HTTP/", "curl: (", "$ ", "{", "[",
    ]
    .iter()
    .any(|p| rest.starts_with(p))
        || crate::input::http1::parse_status_line(rest).is_some()
}

/// Whether `rest` (a line after curl's `> `) is what curl prints in a request: the request
/// line, a `Name: value` header, or the empty line that ends them.
fn curl_request_line(rest: &str) -> bool {
    let rest = rest.trim_end();
    rest.is_empty()
        || crate::input::http1::parse_request_line(rest).is_some()
        || rest.split_once(':').is_some_and(|(name, _)| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b))
        })
}

/// Markdown's indented code block: lines indented by four spaces or a tab, after a blank
/// line or at the start, two or more of them. Returns, per line, how much indentation to set
/// aside. Indented lines that continue other text (a stack trace's frames, a JSON body's
/// members) are not a code block, nor is anything after an unindented HTTP message starts
/// (an HTML error page's indented markup is body).
fn code_block_indents(text: &str, all: &[Line]) -> Vec<usize> {
    let mut out = vec![0; all.len()];
    let message_starts = all.iter().position(|l| {
        let t = &text[l.start..l.end];
        let unindented = !t.starts_with([' ', '\t']);
        let message = crate::input::http1::parse_status_line(t).is_some()
            || crate::input::http1::parse_request_line(t).is_some_and(|r| r.version.is_some())
            || t.starts_with("< ")
            || t.starts_with("* ");
        unindented && message
    });
    let all = &all[..message_starts.unwrap_or(all.len())];
    let indent = |l: &Line| {
        let t = &text[l.start..l.end];
        if t.starts_with('\t') {
            Some(1)
        } else if t.starts_with("    ") {
            Some(4)
        } else {
            None
        }
    };
    let blank = |l: &Line| text[l.start..l.end].trim().is_empty();
    let mut i = 0;
    while i < all.len() {
        let after_blank = i == 0 || blank(&all[i - 1]);
        if !(after_blank && indent(&all[i]).is_some()) {
            i += 1;
            continue;
        }
        let mut end = i;
        let mut lines = 0;
        while end < all.len() && (blank(&all[end]) || indent(&all[end]).is_some()) {
            lines += usize::from(!blank(&all[end]));
            end += 1;
        }
        if lines >= 2 {
            for (k, l) in all.iter().enumerate().take(end).skip(i) {
                out[k] = indent(l).unwrap_or(0);
            }
        }
        i = end.max(i + 1);
    }
    out
}

/// The console's severity tags (Safari), dropped at the start of a line.
const CONSOLE_TAGS: &[&str] = &[
    "[Error] ",
    "[Log] ",
    "[Warning] ",
    "[Info] ",
    "[Debug] ",
    "[error] ",
    "[warn] ",
];

/// A per-line prefix that most lines share: `service_1   | ` (docker compose) or an ISO
/// timestamp.
fn log_prefix_len(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    // `2026-11-25T10:00:00.123Z `, `2026-11-25 10:00:00,123 `, `[2026-11-25 10:00:00] `
    let bracket = usize::from(bytes.first() == Some(&b'['));
    let ts = &bytes[bracket..];
    if ts.len() >= 19
        && ts[..4].iter().all(u8::is_ascii_digit)
        && ts[4] == b'-'
        && ts[7] == b'-'
        && matches!(ts[10], b'T' | b' ')
        && ts[13] == b':'
        && ts[16] == b':'
    {
        let mut end = bracket + 19;
        while end < bytes.len()
            && (bytes[end].is_ascii_digit()
                || matches!(bytes[end], b'.' | b',' | b'Z' | b'+' | b':' | b'-'))
        {
            end += 1;
        }
        if bracket == 1 && bytes.get(end) == Some(&b']') {
            end += 1;
        }
        if bytes.get(end) == Some(&b' ') {
            return Some(end + 1);
        }
    }
    // `web_1  | `
    let name_end = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))?;
    if name_end == 0 {
        return None;
    }
    let mut at = name_end;
    while bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    (bytes.get(at) == Some(&b'|') && bytes.get(at + 1) == Some(&b' ')).then_some(at + 2)
}

/// Sets aside what surrounds the paste in `text`; `None` when there is nothing to set aside
/// (the readers then read the text itself). A JSON document (a HAR) is read as it is.
pub(crate) fn view(text: &str) -> Option<View> {
    let first = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let json_array = first.strip_prefix('[').is_some_and(|rest| {
        rest.trim_start()
            .starts_with(|c: char| matches!(c, '{' | '[' | '"' | ']' | '-') || c.is_ascii_digit())
    });
    if first.starts_with('{') || json_array {
        return None;
    }
    let all = lines(text);
    let mut set_aside = Vec::new();
    let bom = usize::from(text.starts_with('\u{feff}')) * 3;
    if bom > 0 {
        set_aside.push("a byte-order mark");
    }
    let non_empty: Vec<&Line> = all.iter().filter(|l| l.end > l.start).collect();
    let line = |l: &Line| &text[l.start.max(bom)..l.end];
    // Markdown fences: only when there is a fence line.
    let fences = all.iter().any(|l| is_fence(line(l)));
    // A quote layer: a run of lines that all start with `>`, one of which quotes curl or HTTP
    // text (`> < HTTP/1.1 401`); curl's own `> GET …` lines alone are not one.
    let mut quoted_lines = vec![false; all.len()];
    let mut run_start = 0;
    for i in 0..=all.len() {
        let in_run = all.get(i).is_some_and(|l| line(l).starts_with('>'));
        if in_run {
            continue;
        }
        let run = run_start..i;
        // A quote when a line quotes a paste, or when some line is not what curl prints
        // after its own `> ` (a quoted DevTools panel, prose).
        let quotes = run.len() >= 2
            && all[run.clone()].iter().any(|l| {
                let rest = line(l).trim_start_matches('>').trim_start_matches(' ');
                quoted_paste_line(rest)
                    || !curl_request_line(line(l).strip_prefix("> ").unwrap_or(rest))
            });
        if quotes {
            quoted_lines[run].iter_mut().for_each(|q| *q = true);
        }
        run_start = i + 1;
    }
    let quoted = quoted_lines.iter().any(|q| *q);
    let indents = code_block_indents(text, &all);
    let indented = indents.iter().any(|i| *i > 0);
    let tagged = non_empty
        .iter()
        .filter(|l| CONSOLE_TAGS.iter().any(|t| line(l).starts_with(t)))
        .count();
    let prefixed = non_empty
        .iter()
        .filter(|l| log_prefix_len(line(l)).is_some())
        .count();
    let strip_prefixes = non_empty.len() >= 2 && prefixed * 2 > non_empty.len();
    if fences {
        set_aside.push("Markdown code fences");
    }
    if quoted {
        set_aside.push("Markdown quote markers");
    }
    if indented {
        set_aside.push("the indentation of a Markdown code block");
    }
    if tagged > 0 {
        set_aside.push("console tags such as [Error]");
    }
    if strip_prefixes {
        set_aside.push("a prefix on every line (timestamps or log names)");
    }
    let mut emphasis = false;
    let mut builder = Builder {
        text: String::with_capacity(text.len()),
        runs: Vec::new(),
    };
    for (index, l) in all.iter().enumerate() {
        let mut start = l.start.max(bom);
        let end = l.end;
        if fences && is_fence(&text[start..end]) {
            continue;
        }
        if start < end {
            start += indents[index].min(end - start);
        }
        if quoted_lines[index] && text[start..end].starts_with('>') {
            start += 1;
            if text[start..end].starts_with(' ') {
                start += 1;
            }
        }
        if strip_prefixes && let Some(len) = log_prefix_len(&text[start..end]) {
            start += len;
        }
        if let Some(tag) = CONSOLE_TAGS
            .iter()
            .find(|t| text[start..end].starts_with(**t))
        {
            start += tag.len();
        }
        // `**HTTP/1.1 403 Forbidden**`, `HTTP/1.1 **403 Forbidden**`, `**curl -v …**`: emphasis
        // around what is otherwise a start line or a command.
        let content = &text[start..end];
        if content.contains("**") {
            let plain = content.replace("**", "");
            let start_line = plain.trim().trim_start_matches(['<', '>', ' ']);
            let meaningful = crate::input::http1::parse_status_line(start_line).is_some()
                || crate::input::http1::parse_request_line(start_line).is_some()
                || crate::input::http1::parse_request_line(plain.trim()).is_some()
                || plain.trim_start().starts_with("curl ")
                || (content.trim().starts_with("**") && content.trim().ends_with("**"));
            if meaningful {
                emphasis = true;
                let mut at = start;
                for (i, _) in content.match_indices("**") {
                    builder.push(text, at, start + i);
                    at = start + i + 2;
                }
                builder.push(text, at, l.next);
                continue;
            }
        }
        builder.push(text, start, l.next);
    }
    if emphasis {
        set_aside.push("Markdown emphasis");
    }
    if set_aside.is_empty() {
        return None;
    }
    let view_len = builder.text.len();
    Some(View {
        text: builder.text,
        map: SpanMap {
            runs: if builder.runs.is_empty() {
                vec![(0, bom)]
            } else {
                builder.runs
            },
            view_len,
        },
        set_aside,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_aside_fences_quotes_tags_and_emphasis() {
        let text = "Here is what I get:\n```\n> < HTTP/1.1 401 Unauthorized\n> < Server: x\n```\n";
        let v = view(text).unwrap();
        assert_eq!(
            v.text,
            "Here is what I get:\n< HTTP/1.1 401 Unauthorized\n< Server: x\n"
        );
        let at = v.text.find("Server").unwrap();
        assert_eq!(&text[v.map.map(at)..v.map.map(at) + 6], "Server");
        let v = view("HTTP/1.1 **403 Forbidden**\nServer: nginx\n").unwrap();
        assert_eq!(v.text, "HTTP/1.1 403 Forbidden\nServer: nginx\n");
        let span = v.map.span(Span::new(0, 22));
        assert_eq!(span, Span::new(0, 24));
        let v =
            view("[Error] Origin https://a.test is not allowed by Access-Control-Allow-Origin.\n")
                .unwrap();
        assert!(v.text.starts_with("Origin https://a.test"));
        // curl's own `> ` request lines are not a quote layer.
        let curl = "> GET / HTTP/1.1\n> Host: a.test\n>\n";
        assert!(view(curl).is_none());
    }

    #[test]
    fn log_prefixes_when_most_lines_have_them() {
        let text = "web_1  | HTTP/1.1 502 Bad Gateway\nweb_1  | Server: nginx\n";
        assert_eq!(
            view(text).unwrap().text,
            "HTTP/1.1 502 Bad Gateway\nServer: nginx\n"
        );
        let text = "2026-11-25T10:00:00.123Z GET https://a.test/x net::ERR_FAILED\n2026-11-25T10:00:01.000Z Failed to fetch\n";
        assert_eq!(
            view(text).unwrap().text,
            "GET https://a.test/x net::ERR_FAILED\nFailed to fetch\n"
        );
    }
}
