//! Raw HTTP text: `curl -i` output, a response copied from devtools, or a request followed
//! by its response. Several messages may follow each other (redirect chains, `100 Continue`).

use super::curl_command;
use super::http1::{
    parse_header_line, parse_request_line, parse_status_line_keyed as parse_status_line,
};
use super::lines::{Line, lines};
use crate::model::{
    Body, Capture, Exchange, Header, InputIssue, Request, Response, Span, TransportError,
};

fn is_start_line(text: &str) -> bool {
    parse_status_line(text).is_some()
        || parse_request_line(text).is_some_and(|r| r.version.is_some())
}

/// A line of a proxy's or CDN's own error page, pasted as the page's text without a status
/// line, and the status the page always comes with (0 when it varies): Cloudflare's `Error
/// 1020 Ray ID: …`, Akamai's `Reference&#32;&#35;…`, Envoy's `upstream connect error or
/// disconnect/reset before headers`.
pub(crate) fn provider_page(line: &str) -> Option<u16> {
    if let Some(at) = line.find("Error ")
        && line[at..].contains(" Ray ID: ")
    {
        let code = line[at + 6..].split_whitespace().next().unwrap_or("");
        // Cloudflare's 52x pages carry their status; its 1xxx errors vary.
        return Some(
            code.parse::<u16>()
                .ok()
                .filter(|c| (500..600).contains(c))
                .unwrap_or(0),
        );
    }
    if line.contains("Reference&#32;&#35;") || line.contains("<H1>Access Denied</H1>") {
        return Some(0);
    }
    if line.contains("upstream connect error or disconnect/reset before headers")
        || line.trim() == "no healthy upstream"
    {
        return Some(503);
    }
    None
}

pub(crate) fn read(text: &str) -> Capture {
    let all: Vec<Line> = lines(text).collect();
    if !all.iter().any(|l| is_start_line(l.text)) {
        let capture = headers_without_status(text, &all);
        if !capture.exchanges.is_empty() {
            return capture;
        }
        // A provider's error page alone: its text is the body.
        let Some(status) = all.iter().find_map(|l| provider_page(l.text)) else {
            return capture;
        };
        let start = text.len() - text.trim_start().len();
        let end = text.trim_end().len();
        if end <= start {
            return capture;
        }
        let span = Span::new(start, end);
        return Capture {
            exchanges: vec![Exchange {
                response: Some(Response {
                    status,
                    body: Some(Body::verbatim(&text[start..end], start)),
                    span: Some(span),
                    ..Response::default()
                }),
                span: Some(span),
                ..Exchange::default()
            }],
            issues: Vec::new(),
        };
    }
    let mut capture = Capture::default();
    let mut pending_request: Option<Request> = None;
    let mut command: Option<Request> = None;
    let mut interim: Vec<u16> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let line = all[i];
        if let Some(status) = parse_status_line(line.text) {
            let (headers, after_headers, complete) = read_headers(&all, i + 1);
            if (100..200).contains(&status.status) && status.status != 101 {
                interim.push(status.status);
                i = after_headers;
                continue;
            }
            let request = pending_request.take().or_else(|| command.take());
            let no_body = request.as_ref().is_some_and(|r| r.method_is("HEAD"))
                || matches!(status.status, 204 | 304);
            let (body, next) = if no_body || !complete {
                (None, after_headers)
            } else {
                read_body(text, &all, after_headers)
            };
            let end = all
                .get(next.saturating_sub(1))
                .map_or(text.len(), |l| l.next);
            let mut response = Response {
                status: status.status,
                reason: status.reason.to_owned(),
                version: Some(status.version.to_owned()),
                headers,
                body,
                interim: std::mem::take(&mut interim),
                span: Some(Span::new(line.start, end)),
            };
            check_length(&mut response, &mut capture.issues);
            let start = request
                .as_ref()
                .and_then(|r| r.span)
                .map_or(line.start, |s| s.start.min(line.start));
            capture.exchanges.push(Exchange {
                request,
                response: Some(response),
                span: Some(Span::new(start, end)),
                ..Exchange::default()
            });
            i = next;
        } else if let Some(start_line) =
            parse_request_line(line.text).filter(|r| r.version.is_some())
        {
            if let Some(unanswered) = pending_request.take() {
                capture.exchanges.push(Exchange {
                    span: unanswered.span,
                    request: Some(unanswered),
                    ..Exchange::default()
                });
            }
            let (headers, after_headers, complete) = read_headers(&all, i + 1);
            let (body, next) = if complete {
                read_body(text, &all, after_headers)
            } else {
                (None, after_headers)
            };
            let end = all
                .get(next.saturating_sub(1))
                .map_or(text.len(), |l| l.next);
            let mut request = Request {
                method: Some(start_line.method.to_owned()),
                url: start_line.target.to_owned(),
                version: start_line.version.map(str::to_owned),
                headers,
                body,
                handed: Vec::new(),
                span: Some(Span::new(line.start, end)),
            };
            if let Some(host) = request
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("host"))
                && request.url.starts_with('/')
            {
                request.url = format!("{}{}", host.value, request.url);
                request.url.insert_str(
                    0,
                    if command
                        .as_ref()
                        .is_some_and(|c| c.url.starts_with("https:"))
                    {
                        "https://"
                    } else {
                        "http://"
                    },
                );
            }
            command = None;
            pending_request = Some(request);
            i = next;
        } else if let Some(at) = super::curl_verbose::glued_curl_error(line.text) {
            // `curl -i` output, then curl's own error: a transfer cut short belongs to the
            // response before it; any other failure is an attempt of its own.
            let error = Line {
                text: &line.text[at..],
                start: line.start + at,
                next: line.next,
            };
            let (code, message) = error.text["curl: (".len()..]
                .split_once(") ")
                .unwrap_or(("", error.text));
            let partial = matches!(code, "18" | "23")
                && capture
                    .exchanges
                    .last()
                    .is_some_and(|e| e.response.is_some());
            if !partial {
                capture.exchanges.push(Exchange {
                    request: command.take(),
                    transport_error: Some(TransportError {
                        code: format!("curl {code}"),
                        message: message.to_owned(),
                        span: Some(error.span()),
                    }),
                    span: Some(error.span()),
                    ..Exchange::default()
                });
            }
            i += 1;
        } else if let Some(at) = curl_command::command_start(line.text) {
            let (request, end) = curl_command::parse(text, line.start + at);
            if request.is_some() {
                command = request;
            }
            i = all.partition_point(|l| l.start < end).max(i + 1);
        } else {
            i += 1;
        }
    }
    if let Some(unanswered) = pending_request {
        capture.exchanges.push(Exchange {
            span: unanswered.span,
            request: Some(unanswered),
            ..Exchange::default()
        });
    }
    capture
}

/// A response's header block pasted without its status line (and perhaps its body after
/// a blank line): the response is read with status 0, "not shown".
fn headers_without_status(text: &str, all: &[Line]) -> Capture {
    let Some(first) = all
        .iter()
        .position(|l| parse_header_line(l.text, l.start).is_some())
    else {
        return Capture::default();
    };
    let (headers, after_headers, complete) = read_headers(all, first);
    let known = headers
        .iter()
        .filter(|h| super::http1::is_common_response_header(&h.name))
        .count();
    if headers.len() < 2 || known == 0 {
        return Capture::default();
    }
    let (body, next) = if complete {
        read_body(text, all, after_headers)
    } else {
        (None, after_headers)
    };
    let end = all
        .get(next.saturating_sub(1))
        .map_or(text.len(), |l| l.next);
    let span = Span::new(all[first].start, end);
    Capture {
        exchanges: vec![Exchange {
            response: Some(Response {
                status: 0,
                headers,
                body,
                span: Some(span),
                ..Response::default()
            }),
            span: Some(span),
            ..Exchange::default()
        }],
        issues: Vec::new(),
    }
}

/// Header lines from `from` up to the blank line. Returns the headers, the index after the
/// blank line, and whether the blank line was there.
fn read_headers(all: &[Line], from: usize) -> (Vec<Header>, usize, bool) {
    let mut headers: Vec<Header> = Vec::new();
    let mut i = from;
    while i < all.len() {
        let line = all[i];
        if line.text.is_empty() {
            return (headers, i + 1, true);
        }
        if line.text.starts_with([' ', '\t']) {
            // An obsolete folded continuation of the previous field.
            if let Some(last) = headers.last_mut() {
                last.value.push(' ');
                last.value.push_str(line.text.trim());
                if let Some(span) = last.span.as_mut() {
                    span.end = line.end();
                }
            }
        } else if let Some(header) = parse_header_line(line.text, line.start) {
            headers.push(header);
        } else if is_start_line(line.text) {
            return (headers, i, false);
        } else {
            // Not a header: the blank line is missing and the body starts here.
            return (headers, i, true);
        }
        i += 1;
    }
    (headers, i, false)
}

/// The body runs up to the next start line or the end of the input.
fn read_body(text: &str, all: &[Line], from: usize) -> (Option<Body>, usize) {
    let Some(first) = all.get(from) else {
        return (None, from);
    };
    let mut next = from;
    let mut glued = None;
    while next < all.len() && !is_start_line(all[next].text) {
        // curl's error after the body, on its own line or glued to the body's last line.
        if let Some(at) = super::curl_verbose::glued_curl_error(all[next].text) {
            glued = Some(all[next].start + at);
            break;
        }
        next += 1;
    }
    let end = glued.unwrap_or_else(|| all.get(next).map_or(text.len(), |l| l.start));
    let mut body_text = &text[first.start..end];
    if next < all.len() {
        // The line break before the next message separates messages, it is not body.
        body_text = body_text.strip_suffix('\n').unwrap_or(body_text);
        body_text = body_text.strip_suffix('\r').unwrap_or(body_text);
    }
    if body_text.is_empty() {
        return (None, next);
    }
    (Some(Body::verbatim(body_text, first.start)), next)
}

/// Compares the body with Content-Length; a body shorter than declared means the paste was
/// cut. No body at all is not a cut: people paste headers alone (`curl -I`, a HEAD answer,
/// the headers a DevTools panel shows), with or without the blank line after them.
fn check_length(response: &mut Response, issues: &mut Vec<InputIssue>) {
    if response.body.is_none() {
        return;
    }
    let declared = response
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .and_then(|h| {
            h.value
                .replace(',', "")
                .trim()
                .parse::<usize>()
                .ok()
                .map(|n| (n, h.span))
        });
    let Some((declared, span)) = declared else {
        return;
    };
    let body_len = response.body.as_ref().map_or(0, |b| b.text.len());
    // Copying from a terminal may turn CRLF into LF: allow one byte per line.
    let line_breaks = response
        .body
        .as_ref()
        .map_or(0, |b| b.text.matches('\n').count() + 1);
    if declared > body_len + line_breaks && response.status != 304 {
        let missing = declared - body_len;
        if let Some(body) = response.body.as_mut() {
            body.missing_bytes = Some(missing);
        }
        issues.push(InputIssue::Truncated {
            what: format!("Content-Length is {declared} but the body holds {body_len} bytes: {missing} are missing"),
            span,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http2_status_line_without_reason_and_lf_only() {
        let capture = read("HTTP/2 401 \nwww-authenticate: Bearer\ncontent-length: 2\n\n{}");
        let response = capture.exchanges[0].response.as_ref().unwrap();
        assert_eq!(response.status, 401);
        assert_eq!(response.reason, "");
        assert_eq!(response.body.as_ref().unwrap().text, "{}");
        assert!(capture.issues.is_empty());
    }

    #[test]
    fn redirect_chain_and_continue_make_separate_exchanges() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 301 Moved\r\nLocation: /b\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\nnope\r\n";
        let capture = read(text);
        assert_eq!(capture.exchanges.len(), 2);
        assert_eq!(
            capture.exchanges[0].response.as_ref().unwrap().interim,
            vec![100]
        );
        assert_eq!(
            capture.exchanges[1]
                .response
                .as_ref()
                .unwrap()
                .body
                .as_ref()
                .unwrap()
                .text,
            "nope\r\n"
        );
    }

    #[test]
    fn request_then_response_pair_up_and_folded_headers_join() {
        let text = "POST /x HTTP/1.1\nHost: a.test\nX-Long: one\n two\n\n{\"a\":1}\nHTTP/1.1 400 Bad Request\n\n";
        let capture = read(text);
        assert_eq!(capture.exchanges.len(), 1);
        let request = capture.exchanges[0].request.as_ref().unwrap();
        assert_eq!(request.url, "http://a.test/x");
        assert_eq!(request.headers[1].value, "one two");
        assert_eq!(request.body.as_ref().unwrap().text, "{\"a\":1}");
    }

    #[test]
    fn short_body_is_reported_as_truncated() {
        let capture =
            read("HTTP/1.1 500 Internal Server Error\nContent-Length: 900\n\n{\"error\": \"boom");
        assert!(matches!(capture.issues[0], InputIssue::Truncated { .. }));
    }
}
