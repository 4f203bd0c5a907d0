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

/// The kinds of per-line prefix a log puts before what a program printed. A paste's lines
/// share one kind; only that kind is set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PrefixKind {
    /// `2026-11-25T10:00:00.123Z `, `[2026-11-25 10:00:00] `
    DateTime,
    /// `07:51:23 `, `[08:06:46 WARN]: `, `10:00:00.123 INFO `
    TimeOfDay,
    /// `[INFO] `, `[ERROR] ` (upper-case levels; the console's `[Error]` is a tag)
    Level,
    /// `[0] ` (concurrently, npm-run-all: the index of the process)
    Index,
    /// Android logcat: `D/Retrofit( 2227): `, `01-29 23:32:14.123  2227  2240 D OkHttp: `
    Logcat,
    /// `web_1  | ` (docker compose)
    Named,
}

const LEVELS: &[&str] = &[
    "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "SEVERE", "FATAL", "CRIT",
];

/// The length of `h:mm:ss` or `hh:mm:ss` with optional fractions at the start of `bytes`.
fn time_of_day_len(bytes: &[u8]) -> Option<usize> {
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let hours = if digit(0) && digit(1) {
        2
    } else if digit(0) {
        1
    } else {
        return None;
    };
    let ok = bytes.get(hours) == Some(&b':')
        && digit(hours + 1)
        && digit(hours + 2)
        && bytes.get(hours + 3) == Some(&b':')
        && digit(hours + 4)
        && digit(hours + 5);
    if !ok {
        return None;
    }
    let mut end = hours + 6;
    if matches!(bytes.get(end), Some(b'.' | b',')) && digit(end + 1) {
        end += 1;
        while digit(end) {
            end += 1;
        }
    }
    Some(end)
}

/// The length of an ISO date-time (`2026-11-25T10:00:00.123Z`, `2026-11-25 10:00:00,123`).
fn date_time_len(bytes: &[u8]) -> Option<usize> {
    let ok = bytes.len() >= 19
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && matches!(bytes[10], b'T' | b' ');
    if !ok {
        return None;
    }
    let time = time_of_day_len(&bytes[11..]).filter(|n| *n >= 8)?;
    let mut end = 11 + time;
    while end < bytes.len()
        && (bytes[end].is_ascii_digit() || matches!(bytes[end], b'Z' | b'+' | b':' | b'-'))
    {
        end += 1;
    }
    Some(end)
}

/// After a prefix's last token at `end`: an optional `:`, then a space or the end of the
/// line. Returns where the content starts.
fn prefix_end(bytes: &[u8], mut end: usize) -> Option<usize> {
    if bytes.get(end) == Some(&b':') {
        end += 1;
    }
    match bytes.get(end) {
        None => Some(end),
        Some(b' ') => Some(end + 1),
        _ => None,
    }
}

/// A per-line prefix a log puts before what was printed: its kind and length.
fn log_prefix(line: &str) -> Option<(PrefixKind, usize)> {
    let bytes = line.as_bytes();
    if let Some(end) = date_time_len(bytes) {
        return prefix_end(bytes, end).map(|n| (PrefixKind::DateTime, n));
    }
    if let Some(end) = time_of_day_len(bytes) {
        // `10:00:00 `, `10:00:00.123 INFO `, git's trace `11:12:07.265875 http.c:827    `
        let mut end = end;
        if let Some(level) = bytes.get(end + 1..).and_then(level_len) {
            end += 1 + level;
        } else if bytes.get(end) == Some(&b' ')
            && let Some(location) = source_location_len(&bytes[end + 1..])
        {
            end += 1 + location;
            while bytes.get(end) == Some(&b' ') && bytes.get(end + 1) == Some(&b' ') {
                end += 1;
            }
        }
        return prefix_end(bytes, end).map(|n| (PrefixKind::TimeOfDay, n));
    }
    if let Some(inner) = bytes.strip_prefix(b"[") {
        let close = inner.iter().take(48).position(|b| *b == b']')?;
        let content = &inner[..close];
        let after = prefix_end(bytes, close + 2)?;
        let kind = if let Some(at) = date_time_len(content).or_else(|| time_of_day_len(content)) {
            // `[08:06:46 WARN]`, `[2026-11-25 10:00:00]`, `[10:00:00 INFO main]`
            let rest = &content[at..];
            if !(rest.is_empty() || rest[0] == b' ') {
                return None;
            }
            if date_time_len(content).is_some() {
                PrefixKind::DateTime
            } else {
                PrefixKind::TimeOfDay
            }
        } else if level_len(content) == Some(content.len()) {
            PrefixKind::Level
        } else if (1..=3).contains(&content.len()) && content.iter().all(u8::is_ascii_digit) {
            // Not R's `[1] "…"` vectors nor PHP's `[0] => …` arrays.
            if matches!(bytes.get(after), Some(b'"' | b'=')) {
                return None;
            }
            PrefixKind::Index
        } else {
            return None;
        };
        return Some((kind, after));
    }
    if let Some(n) = logcat_len(bytes) {
        return Some((PrefixKind::Logcat, n));
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
    (bytes.get(at) == Some(&b'|') && bytes.get(at + 1) == Some(&b' '))
        .then_some((PrefixKind::Named, at + 2))
}

/// The length of a source location such as `http.c:827` at the start of `bytes`.
fn source_location_len(bytes: &[u8]) -> Option<usize> {
    let name = bytes
        .iter()
        .take(64)
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/'))
        .count();
    let dotted = bytes[..name].contains(&b'.');
    if name == 0 || !dotted || bytes.get(name) != Some(&b':') {
        return None;
    }
    let digits = bytes[name + 1..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    (digits > 0).then_some(name + 1 + digits)
}

/// The length of an upper-case log level at the start of `bytes`, ending at a word boundary.
fn level_len(bytes: &[u8]) -> Option<usize> {
    LEVELS
        .iter()
        .find(|l| {
            bytes.starts_with(l.as_bytes())
                && !bytes.get(l.len()).is_some_and(u8::is_ascii_alphanumeric)
        })
        .map(|l| l.len())
}

/// Android logcat's prefixes: `D/Tag( 2227): ` (brief) and
/// `01-29 23:32:14.123  2227  2240 D Tag: ` (threadtime).
fn logcat_len(bytes: &[u8]) -> Option<usize> {
    let level = |b: Option<&u8>| matches!(b, Some(b'V' | b'D' | b'I' | b'W' | b'E' | b'F' | b'A'));
    if level(bytes.first()) && bytes.get(1) == Some(&b'/') {
        let open = bytes.iter().take(80).position(|b| *b == b'(')?;
        let mut at = open + 1;
        while bytes.get(at) == Some(&b' ') {
            at += 1;
        }
        let digits = bytes[at.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 || bytes.get(at + digits) != Some(&b')') {
            return None;
        }
        return prefix_end(bytes, at + digits + 1)
            .filter(|_| bytes.get(at + digits + 1) == Some(&b':'));
    }
    // threadtime: `MM-DD hh:mm:ss.mmm  pid  tid L Tag: `
    let dated = bytes.len() > 20
        && bytes[..2].iter().all(u8::is_ascii_digit)
        && bytes[2] == b'-'
        && bytes[3..5].iter().all(u8::is_ascii_digit)
        && bytes[5] == b' ';
    if !dated {
        return None;
    }
    let mut at = 6 + time_of_day_len(&bytes[6..])?;
    for _ in 0..2 {
        let spaces = bytes[at..].iter().take_while(|b| **b == b' ').count();
        let digits = bytes[at + spaces..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if spaces == 0 || digits == 0 {
            return None;
        }
        at += spaces + digits;
    }
    if bytes.get(at) != Some(&b' ') || !level(bytes.get(at + 1)) || bytes.get(at + 2) != Some(&b' ')
    {
        return None;
    }
    let tag = &bytes[at + 3..];
    let colon = tag.windows(2).take(80).position(|w| w == b": ")?;
    Some(at + 3 + colon + 2)
}

/// Sets aside what surrounds the paste in `text`; `None` when there is nothing to set aside
/// (the readers then read the text itself). A JSON document (a HAR) is read as it is.
pub(crate) fn view(text: &str) -> Option<View> {
    let first = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let json_array = first.strip_prefix('[').is_some_and(|rest| {
        let rest = rest.trim_start();
        if rest.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
            // `[1, 2]` but not a log prefix such as `[08:06:46 WARN]: ` or `[0] `.
            let after = rest
                .trim_start_matches(|c: char| {
                    c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')
                })
                .trim_start();
            return after.starts_with(',')
                || after.strip_prefix(']').is_some_and(|r| r.trim().is_empty());
        }
        rest.starts_with(['{', '[', '"', ']'])
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
    // Where each line's content starts once fences, indentation and quote markers are set
    // aside (`None` for a fence line).
    let starts: Vec<Option<usize>> = all
        .iter()
        .enumerate()
        .map(|(index, l)| {
            let mut start = l.start.max(bom);
            let end = l.end;
            if fences && is_fence(&text[start..end]) {
                return None;
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
            Some(start)
        })
        .collect();
    let contents = || {
        all.iter()
            .zip(&starts)
            .filter_map(|(l, s)| s.map(|s| &text[s..l.end]))
            .filter(|c| !c.trim().is_empty())
    };
    let tagged = contents()
        .filter(|c| CONSOLE_TAGS.iter().any(|t| c.starts_with(t)))
        .count();
    // A log prefix: the kind most lines share, when more than half of them have it.
    let mut kinds: Vec<(PrefixKind, usize)> = Vec::new();
    let mut lines_with_content = 0;
    for content in contents() {
        lines_with_content += 1;
        if let Some((kind, _)) = log_prefix(content) {
            match kinds.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, n)) => *n += 1,
                None => kinds.push((kind, 1)),
            }
        }
    }
    let prefix_kind = kinds
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n >= 2 && n * 2 > lines_with_content)
        .map(|(kind, _)| *kind);
    let strip_prefixes = prefix_kind.is_some();
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
    for (l, start) in all.iter().zip(&starts) {
        let Some(mut start) = *start else {
            continue;
        };
        let end = l.end;
        if let Some(kind) = prefix_kind
            && let Some((k, len)) = log_prefix(&text[start..end])
            && k == kind
        {
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

    #[test]
    fn every_kind_of_log_prefix() {
        let cases = [
            "07:51:23 HTTP/1.1 502 Bad Gateway\n07:51:23 Server: nginx\n",
            "[08:06:46 WARN]: HTTP/1.1 502 Bad Gateway\n[08:06:46 WARN]: Server: nginx\n",
            "10:00:00.123 INFO HTTP/1.1 502 Bad Gateway\n10:00:00.124 INFO Server: nginx\n",
            "[INFO] HTTP/1.1 502 Bad Gateway\n[ERROR] Server: nginx\n",
            "[0] HTTP/1.1 502 Bad Gateway\n[0] Server: nginx\n",
            "D/Retrofit( 2227): HTTP/1.1 502 Bad Gateway\nD/Retrofit( 2227): Server: nginx\n",
            "01-29 23:32:14.123  2227  2240 D OkHttp: HTTP/1.1 502 Bad Gateway\n01-29 23:32:14.124  2227  2240 D OkHttp: Server: nginx\n",
            "[2026-11-25 10:00:00] HTTP/1.1 502 Bad Gateway\n[2026-11-25 10:00:00] Server: nginx\n",
            "web_1  | HTTP/1.1 502 Bad Gateway\nweb_1  | Server: nginx\n",
        ];
        for text in cases {
            assert_eq!(
                view(text).map(|v| v.text),
                Some("HTTP/1.1 502 Bad Gateway\nServer: nginx\n".to_owned()),
                "{text}"
            );
        }
        // Only the kind most lines share is set aside; R's `[1] "…"` vectors are kept.
        let text = "[1] \"a\"\n[2] \"b\"\n";
        assert!(view(text).is_none());
        // Short and odd lines never panic.
        for text in [
            "1:",
            "12:00:0",
            "[",
            "[0]",
            "D/(",
            "01-29 ",
            "D/x( 1)",
            "é:é\n[é",
        ] {
            let _ = view(text);
        }
    }
}
