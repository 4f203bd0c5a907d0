//! `curl -v` output, usually captured as `curl -sv … 2>&1`: `*` info lines, `>` request
//! lines, `<` response lines, `{ [N bytes data]` markers, the body, `curl: (N) …` errors.

use super::curl_command;
use super::http1::{parse_header_line, parse_request_line, parse_status_line};
use super::lines::{Line, lines};
use crate::model::{
    Body, Capture, Exchange, InputIssue, Note, Request, Response, Span, TransportError,
};

/// `curl: (7) Failed to connect …` → (7, message).
fn curl_error(line: &str) -> Option<(u32, &str)> {
    let rest = line.strip_prefix("curl: (")?;
    let (code, message) = rest.split_once(") ")?;
    Some((code.parse().ok()?, message))
}

/// Where a `curl: (N) …` error starts when something curl printed without a final newline
/// (a body, the progress meter) runs into it: `…  0curl: (56) Recv failure`.
pub(crate) fn glued_curl_error(line: &str) -> Option<usize> {
    line.match_indices("curl: (")
        .map(|(at, _)| at)
        .find(|&at| curl_error(&line[at..]).is_some())
}

/// Lines curl prints about a failure when `-s` hides the `curl: (N)` line.
const INFO_FAILURES: &[(&str, u32)] = &[
    ("Could not resolve host", 6),
    ("Failed to connect", 7),
    ("Operation timed out", 28),
    ("Connection timed out", 28),
    ("SSL certificate problem", 60),
    ("no alternative certificate subject name", 60),
    ("Empty reply from server", 52),
    ("Recv failure", 56),
];

fn is_progress_meter(line: &str) -> bool {
    line.contains("--:--:--") || line.contains("% Total") || line.contains("Dload  Upload")
}

/// The part of a progress-meter line after the meter, when curl printed a `<`, `>` or `*`
/// line right after it.
fn meter_tail(line: Line<'_>) -> Line<'_> {
    if !is_progress_meter(line.text) {
        return line;
    }
    let at = ["< HTTP/", "*   Trying", "* Connected", "> "]
        .iter()
        .filter_map(|m| line.text.rfind(m))
        .max();
    match at {
        Some(at) if line.text[..at].ends_with(|c: char| c.is_ascii_digit() || c == '-') => Line {
            text: &line.text[at..],
            start: line.start + at,
            next: line.next,
        },
        _ => line,
    }
}

/// Glued-on info lines: a body without a trailing newline is followed directly by curl's
/// next `* ` line (`{"a":1}* Connection #0 to host x left intact`).
fn split_glued(line: &str) -> usize {
    for marker in [
        "* Connection #",
        "* Closing connection",
        "* shutting down connection",
    ] {
        if let Some(at) = line.find(marker)
            && at > 0
        {
            return at;
        }
    }
    line.len()
}

#[derive(PartialEq)]
enum Phase {
    /// Before any request, or between exchanges.
    Idle,
    RequestHeaders,
    ResponseHeaders,
    Body,
}

struct Builder<'a> {
    text: &'a str,
    capture: Capture,
    current: Option<Exchange>,
    phase: Phase,
    command: Option<Request>,
    pending_notes: Vec<Note>,
    /// The last body line's end, to tell contiguous body text from text split by markers.
    body_end: Option<usize>,
}

impl Builder<'_> {
    fn finish_current(&mut self) {
        if let Some(mut exchange) = self.current.take() {
            let end = exchange.span.map_or(0, |s| s.end);
            if let Some(response) = exchange.response.as_mut() {
                if let Some(body) = response.body.as_mut() {
                    trim_final_newline(body);
                }
                response.span = response.span.map(|s| Span::new(s.start, s.end.max(end)));
            }
            self.capture.exchanges.push(exchange);
        }
        self.phase = Phase::Idle;
        self.body_end = None;
    }

    fn exchange(&mut self, line: &Line) -> &mut Exchange {
        let exchange = self.current.get_or_insert_with(|| Exchange {
            span: Some(line.span()),
            ..Exchange::default()
        });
        if let Some(span) = exchange.span.as_mut() {
            span.end = span.end.max(line.end());
        }
        exchange
    }

    fn start_request(&mut self, line: &Line, request_line: &str) {
        self.finish_current();
        let parsed = parse_request_line(request_line);
        let mut request = Request {
            method: parsed.as_ref().map(|r| r.method.to_owned()),
            url: parsed
                .as_ref()
                .map_or(String::new(), |r| r.target.to_owned()),
            version: parsed.and_then(|r| r.version.map(str::to_owned)),
            span: Some(line.span()),
            ..Request::default()
        };
        // -v shows the path only; the command line has the full URL and the -d body.
        if let Some(command) = self.command.take() {
            if command.url.ends_with(&request.url) || request.url.starts_with('/') {
                request.url = absolute_url(&command.url, &request.url);
            }
            request.body = command.body;
            if let Some(span) = command.span {
                request.span = Some(Span::new(span.start, line.end()));
            }
            // Keep -H values for headers curl does not echo, such as a token with a newline.
            self.command = Some(Request {
                body: None,
                ..command
            });
        }
        let notes = std::mem::take(&mut self.pending_notes);
        let exchange = self.exchange(line);
        exchange.notes = notes;
        exchange.request = Some(request);
        self.phase = Phase::RequestHeaders;
    }

    fn note(&mut self, line: &Line, text: &str) {
        let note = Note {
            text: text.trim_start_matches('*').trim().to_owned(),
            span: Some(line.span()),
        };
        if let Some(code) = INFO_FAILURES
            .iter()
            .find(|(marker, _)| text.contains(marker))
            .map(|(_, c)| *c)
        {
            self.transport_error(line, code, note.text.clone());
        }
        match self.phase {
            Phase::Idle
                if self
                    .current
                    .as_ref()
                    .is_none_or(|e| e.response.is_some() || e.transport_error.is_some()) =>
            {
                self.pending_notes.push(note);
            }
            _ => {
                // In Body phase the note stays with this exchange and body text may still
                // follow: with `2>&1`, curl's buffered stdout arrives after its own `*` lines.
                self.exchange(line).notes.push(note);
            }
        }
    }

    fn transport_error(&mut self, line: &Line, code: u32, message: String) {
        if self
            .current
            .as_ref()
            .is_some_and(|e| e.transport_error.is_some())
            && self.phase == Phase::Idle
        {
            // A second failure message about the same attempt (`*` line, then `curl: (N)`).
            if let Some(exchange) = self.current.as_mut()
                && let Some(error) = exchange.transport_error.as_mut()
            {
                error.code = format!("curl {code}");
                error.message = message;
                error.span = Some(line.span());
            }
            return;
        }
        // With -L, curl says where it goes next; a failure after that is the next request's.
        let followed_to = self
            .current
            .as_ref()
            .filter(|e| e.response.is_some() && e.transport_error.is_none() && code != 28)
            .and_then(|e| {
                e.notes
                    .iter()
                    .chain(&self.pending_notes)
                    .rev()
                    .find_map(|n| n.text.strip_prefix("Issue another request to this URL: '"))
                    .map(|url| url.trim_end_matches('\'').to_owned())
            });
        if followed_to.is_some()
            || self.current.as_ref().is_some_and(|e| {
                e.response.is_some()
                    && e.transport_error.is_none()
                    && self.phase == Phase::Idle
                    && code != 28
            })
        {
            self.finish_current();
        }
        let notes = std::mem::take(&mut self.pending_notes);
        // The connection failed before any `>` line: the command line is the only record of
        // what was requested (or, after a redirect, the URL curl said it would follow).
        let command = self.command.clone().map(|mut request| {
            if let Some(url) = followed_to {
                request.url = url;
                request.body = None;
                request.span = None;
            }
            request
        });
        let exchange = self.exchange(line);
        exchange.notes.extend(notes);
        if exchange.request.is_none() {
            exchange.request = command;
        }
        exchange.transport_error = Some(TransportError {
            code: format!("curl {code}"),
            message,
            span: Some(line.span()),
        });
        self.phase = Phase::Idle;
    }

    fn body_line(&mut self, line: &Line, text: &str) {
        let Some(response) = self.current.as_mut().and_then(|e| e.response.as_mut()) else {
            return;
        };
        let body = response.body.get_or_insert_with(Body::default);
        let contiguous = self.body_end == Some(line.start);
        if !contiguous {
            body.segments.push((body.text.len(), line.start));
        }
        body.text.push_str(text);
        let full_line = text.len() == line.text.len();
        if full_line && line.next > line.end() {
            body.text.push_str(&self.text[line.end()..line.next]);
            self.body_end = Some(line.next);
        } else {
            self.body_end = None;
        }
        if let Some(span) = response.span.as_mut() {
            span.end = span.end.max(line.start + text.len());
        }
        if let Some(span) = self.current.as_mut().and_then(|e| e.span.as_mut()) {
            span.end = span.end.max(line.start + text.len());
        }
    }
}

fn trim_final_newline(body: &mut Body) {
    while body.text.ends_with('\n') || body.text.ends_with('\r') {
        body.text.pop();
    }
}

/// `http://a:1/x` with authority `b:2` → `http://b:2/x`.
fn with_authority(url: &str, authority: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let host_end = url[scheme_end..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| scheme_end + i);
    let current = &url[scheme_end..host_end];
    let default_port = |a: &str| {
        a.strip_suffix(":80")
            .or_else(|| a.strip_suffix(":443"))
            .unwrap_or(a)
            .to_ascii_lowercase()
    };
    if authority.is_empty() || default_port(current) == default_port(authority) {
        return url.to_owned();
    }
    format!("{}{authority}{}", &url[..scheme_end], &url[host_end..])
}

fn absolute_url(command_url: &str, path: &str) -> String {
    let with_scheme = if command_url.contains("://") {
        command_url.to_owned()
    } else {
        format!("http://{command_url}")
    };
    let authority_end = with_scheme.find("://").map_or(0, |i| i + 3);
    let host_end = with_scheme[authority_end..]
        .find('/')
        .map_or(with_scheme.len(), |i| authority_end + i);
    format!("{}{}", &with_scheme[..host_end], path)
}

pub(crate) fn read(text: &str) -> Capture {
    let mut b = Builder {
        text,
        capture: Capture::default(),
        current: None,
        phase: Phase::Idle,
        command: None,
        pending_notes: Vec::new(),
        body_end: None,
    };
    let mut skip_until = 0;
    for line in lines(text) {
        if line.start < skip_until {
            continue;
        }
        // Without `-s`, the progress meter shares a line with what curl printed next
        // (`… 0:00:59 --:--:--     0< HTTP/1.1 504 Gateway Time-out`): read what follows it.
        let line = meter_tail(line);
        let t = line.text;
        if let Some(rest) = t
            .strip_prefix("> ")
            .or(if t == ">" { Some("") } else { None })
        {
            if b.phase != Phase::RequestHeaders {
                b.start_request(&line, rest);
            } else if rest.trim().is_empty() {
                b.phase = Phase::Idle;
            } else if let Some(header) = parse_header_line(rest, line.start + 2) {
                let exchange = b.exchange(&line);
                if let Some(request) = exchange.request.as_mut() {
                    if header.name.eq_ignore_ascii_case("host") && request.url.starts_with('/') {
                        request.url = format!("http://{}{}", header.value, request.url);
                    } else if header.name.eq_ignore_ascii_case("host")
                        && !request.method_is("CONNECT")
                    {
                        // A redirect followed with -L goes to the Location's host, while the
                        // URL was completed from the command line's.
                        request.url = with_authority(&request.url, header.value.trim());
                    }
                    request.headers.push(header);
                    request.span = request.span.map(|s| Span::new(s.start, line.end()));
                }
            }
        } else if let Some(rest) = t
            .strip_prefix("< ")
            .or(if t == "<" { Some("") } else { None })
        {
            if let Some(status) = parse_status_line(rest) {
                if b.current
                    .as_ref()
                    .is_some_and(|e| e.response.as_ref().is_some_and(|r| r.status >= 200))
                {
                    b.finish_current();
                }
                let exchange = b.exchange(&line);
                let mut interim = Vec::new();
                if let Some(previous) = exchange.response.take() {
                    interim = previous.interim;
                    interim.push(previous.status);
                }
                exchange.response = Some(Response {
                    status: status.status,
                    reason: status.reason.to_owned(),
                    version: Some(status.version.to_owned()),
                    interim,
                    span: Some(line.span()),
                    ..Response::default()
                });
                b.phase = Phase::ResponseHeaders;
            } else if rest.trim().is_empty() {
                let final_response = b
                    .current
                    .as_ref()
                    .and_then(|e| e.response.as_ref())
                    .is_some_and(|r| r.status >= 200 || r.status == 101);
                b.phase = if final_response {
                    Phase::Body
                } else {
                    Phase::ResponseHeaders
                };
                b.body_end = None;
            } else if let Some(header) = parse_header_line(rest, line.start + 2) {
                let exchange = b.exchange(&line);
                if let Some(response) = exchange.response.as_mut() {
                    response.headers.push(header);
                    response.span = response.span.map(|s| Span::new(s.start, line.end()));
                }
            }
        } else if t.starts_with("* ") || t == "*" {
            b.note(&line, t);
        } else if t.starts_with("{ [") || t.starts_with("} [") {
            // A data marker stands between body pieces; the pieces are no longer contiguous.
            b.body_end = None;
        } else if let Some((code, message)) = curl_error(t) {
            b.transport_error(&line, code, message.to_owned());
        } else if b.phase == Phase::RequestHeaders && parse_header_line(t, line.start).is_some() {
            // libcurl's verbose callback (PHP, Python pycurl) marks only the request line
            // with `> `; its header lines follow bare.
            if let Some(header) = parse_header_line(t, line.start) {
                let exchange = b.exchange(&line);
                if let Some(request) = exchange.request.as_mut() {
                    if header.name.eq_ignore_ascii_case("host") && request.url.starts_with('/') {
                        request.url = format!("http://{}{}", header.value, request.url);
                    }
                    request.headers.push(header);
                    request.span = request.span.map(|s| Span::new(s.start, line.end()));
                }
            }
        } else if b.phase == Phase::RequestHeaders && t.trim().is_empty() {
            b.phase = Phase::Idle;
        } else if let Some(at) = glued_curl_error(t).filter(|&at| at > 0) {
            // A body or the progress meter without a final newline, then curl's error.
            if b.phase == Phase::Body && !is_progress_meter(&t[..at]) {
                b.body_line(&line, &t[..at]);
            }
            let glued = Line {
                text: &t[at..],
                start: line.start + at,
                next: line.next,
            };
            if let Some((code, message)) = curl_error(glued.text) {
                b.transport_error(&glued, code, message.to_owned());
            }
        } else if is_progress_meter(t) {
        } else if b.phase == Phase::Body {
            let split = split_glued(t);
            b.body_line(&line, &t[..split]);
            if split < t.len() {
                let glued = Line {
                    text: &t[split..],
                    start: line.start + split,
                    next: line.next,
                };
                b.note(&glued, glued.text);
            }
        } else if let Some(at) = curl_command::command_start(t) {
            let (request, end) = curl_command::parse(text, line.start + at);
            skip_until = end;
            if let Some(request) = request {
                b.finish_current();
                b.command = Some(request);
            }
        }
    }
    b.finish_current();
    if let Some(command) = b.command.take().filter(|_| b.capture.exchanges.is_empty()) {
        // Only the command and perhaps an error: keep the request it describes.
        b.capture.exchanges.push(Exchange {
            span: command.span,
            request: Some(command),
            ..Exchange::default()
        });
    }
    let mut capture = b.capture;
    if !b.pending_notes.is_empty()
        && let Some(last) = capture.exchanges.last_mut()
    {
        last.notes.append(&mut b.pending_notes);
    }
    mark_cut_output(&mut capture);
    capture
}

/// Output that stops inside the response headers, or before a requested response arrived
/// with no error to explain it, was cut.
fn mark_cut_output(capture: &mut Capture) {
    let Some(last) = capture.exchanges.last() else {
        return;
    };
    if last.transport_error.is_some() {
        return;
    }
    let done = last.notes.iter().any(|n| {
        n.text.contains("left intact")
            || n.text.contains("Closing connection")
            || n.text.contains("shutting down")
    });
    let has_body = last.response.as_ref().is_some_and(|r| r.body.is_some());
    if last.request.is_some() && last.response.is_none() {
        capture.issues.push(InputIssue::Truncated {
            what: "the output ends after the request, before any response".into(),
            span: last.span,
        });
    } else if let Some(response) = last.response.as_ref() {
        let declared: Option<usize> = response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-length"))
            .and_then(|h| h.value.parse().ok());
        let got = response.body.as_ref().map_or(0, |b| b.text.len());
        // A HEAD response, a 204 and a 304 have no body whatever Content-Length says.
        let bodiless = last.request.as_ref().is_some_and(|r| r.method_is("HEAD"))
            || matches!(response.status, 204 | 304);
        if bodiless {
            return;
        }
        if !done && !has_body && declared.is_some_and(|d| d > 0) {
            capture.issues.push(InputIssue::Truncated {
                what: format!(
                    "the output ends after the {} response's headers; its {}-byte body is missing",
                    response.status,
                    declared.unwrap_or(0)
                ),
                span: response.span,
            });
        } else if let Some(declared) =
            declared.filter(|&d| got > 0 && d > got + got / 64 + 2 && !done)
        {
            capture.issues.push(InputIssue::Truncated {
                what: format!("Content-Length is {declared} but only {got} bytes of body follow"),
                span: response.span,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "* Host 127.0.0.1:8000 was resolved.\n*   Trying 127.0.0.1:8000...\n* Connected to 127.0.0.1 (127.0.0.1) port 8000\n> GET /me HTTP/1.1\n> Host: 127.0.0.1:8000\n> Authorization: abc\n>\n< HTTP/1.1 401 Unauthorized\n< content-length: 30\n<\n{ [30 bytes data]\n{\"detail\":\"Not authenticated\"}* Connection #0 to host 127.0.0.1 left intact\n";

    #[test]
    fn a_head_response_has_no_body_to_miss() {
        let text =
            "> HEAD /x HTTP/1.1\n> Host: a.test\n>\n< HTTP/1.1 200 OK\n< Content-Length: 5216\n<\n";
        let capture = read(text);
        assert_eq!(capture.exchanges.len(), 1);
        assert!(capture.issues.is_empty(), "{:?}", capture.issues);
        let cut = read(
            "> GET /x HTTP/1.1\n> Host: a.test\n>\n< HTTP/1.1 200 OK\n< Content-Length: 5216\n<\n",
        );
        assert!(matches!(cut.issues[..], [InputIssue::Truncated { .. }]));
    }

    #[test]
    fn reads_request_response_body_and_glued_note() {
        let capture = read(SAMPLE);
        assert_eq!(capture.exchanges.len(), 1);
        let exchange = &capture.exchanges[0];
        let request = exchange.request.as_ref().unwrap();
        assert_eq!(request.url, "http://127.0.0.1:8000/me");
        assert_eq!(request.headers.len(), 2);
        let response = exchange.response.as_ref().unwrap();
        assert_eq!(response.status, 401);
        let body = response.body.as_ref().unwrap();
        assert_eq!(body.text, "{\"detail\":\"Not authenticated\"}");
        let span = body.span_of(0, body.text.len()).unwrap();
        assert_eq!(&SAMPLE[span.start..span.end], body.text);
        assert!(
            exchange
                .notes
                .iter()
                .any(|n| n.text.contains("left intact"))
        );
        assert!(capture.issues.is_empty());
    }

    #[test]
    fn connection_failure_is_an_exchange_without_response() {
        let capture = read(
            "*   Trying 127.0.0.1:1...\n* connect to 127.0.0.1 port 1 from 127.0.0.1 port 1 failed: Connection refused\n* Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server\n* Closing connection\ncurl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server\n",
        );
        assert_eq!(capture.exchanges.len(), 1);
        let error = capture.exchanges[0].transport_error.as_ref().unwrap();
        assert_eq!(error.code, "curl 7");
    }
}
