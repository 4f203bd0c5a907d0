//! A request's panel copied as text: Chrome's and Firefox's DevTools Headers tab (General,
//! Response Headers, Request Headers), old and new layouts — `Name:value` on one line, or the
//! name on one line and its value on the next — and Swagger UI's response panel (Request URL,
//! Code, Response body, Response headers).

use super::lines::{Line, lines};
use crate::model::{Body, Capture, Exchange, Header, Note, Request, Response, Span, header_name};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    General,
    Response,
    Request,
    Body,
}

/// A section title: `Response Headers`, `Request Headers (12)`, `Response headers:`.
fn section(line: &str) -> Option<Section> {
    let t = line.trim().trim_end_matches(':').to_ascii_lowercase();
    let t = t.split(" (").next().unwrap_or(&t);
    match t {
        "response headers" => Some(Section::Response),
        "request headers" => Some(Section::Request),
        "response body" => Some(Section::Body),
        "general" | "server response" | "responses" | "details" | "curl" => Some(Section::General),
        _ => None,
    }
}

fn is_name(name: &str) -> bool {
    let name = name.strip_prefix(':').unwrap_or(name);
    !name.is_empty()
        && name.len() < 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b' '))
}

/// `name` and `value` with the value's span: `Name:value`, `Name: value`, or `Name:` / `Name`
/// with the value on the next line (indented, in Firefox).
fn pair<'a>(all: &[Line<'a>], i: usize) -> Option<(&'a str, &'a str, Span, usize)> {
    let line = all[i];
    let t = line.text.trim_start();
    let lead = line.text.len() - t.len();
    // HTTP/2 pseudo-headers keep their leading colon: `:authority:`.
    let search_from = usize::from(t.starts_with(':'));
    if let Some(colon) = t[search_from..].find(':').map(|c| c + search_from) {
        let name = &t[..colon];
        let value = t[colon + 1..].trim();
        if is_name(name) && !name.contains(' ')
            || matches!(
                name,
                "Request URL"
                    | "Request Method"
                    | "Status Code"
                    | "Remote Address"
                    | "Referrer Policy"
            )
        {
            if !value.is_empty() {
                let at = line.start
                    + lead
                    + colon
                    + 1
                    + (t[colon + 1..].len() - t[colon + 1..].trim_start().len());
                return Some((name, value, Span::new(at, at + value.len()), 1));
            }
            let next = all.get(i + 1)?;
            let value = next.text.trim();
            let at = next.start + (next.text.len() - next.text.trim_start().len());
            return Some((name, value, Span::new(at, at + value.len()), 2));
        }
    }
    // Firefox: the name alone, its value on the next line, indented.
    let next = all.get(i + 1)?;
    if is_name(t) && next.text.starts_with(['\t', ' ']) && !next.text.trim().is_empty() {
        let value = next.text.trim();
        let at = next.start + (next.text.len() - next.text.trim_start().len());
        return Some((t, value, Span::new(at, at + value.len()), 2));
    }
    None
}

pub(crate) fn read(text: &str) -> Capture {
    let all: Vec<Line> = lines(text).collect();
    let mut request = Request::default();
    let mut response: Option<Response> = None;
    let mut notes = Vec::new();
    let mut current = Section::General;
    let mut spans: Vec<Span> = Vec::new();
    let mut body_lines: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < all.len() {
        let line = all[i];
        if let Some(next) = section(line.text) {
            current = next;
            i += 1;
            continue;
        }
        if current == Section::Body {
            if !line.text.trim().is_empty() {
                body_lines = Some((body_lines.map_or(line.start, |(s, _)| s), line.end()));
            }
            i += 1;
            continue;
        }
        let Some((name, value, span, used)) = pair(&all, i) else {
            i += 1;
            continue;
        };
        i += used;
        spans.push(Span::new(line.start, span.end));
        match (current, name) {
            (Section::General, "Request URL") => {
                value.clone_into(&mut request.url);
                request.span = Some(span);
            }
            (Section::General, "Request Method") => {
                request.method = Some(value.to_ascii_uppercase());
            }
            (Section::General, "Status Code" | "Code" | "Status") => {
                let digits = value.get(..3).and_then(|d| d.parse::<u16>().ok());
                if let Some(status) = digits {
                    let reason = value[3..].trim();
                    let reason = reason.split(" (from").next().unwrap_or(reason).trim();
                    response.get_or_insert_with(Response::default).status = status;
                    if let Some(r) = response.as_mut() {
                        reason.clone_into(&mut r.reason);
                        r.span = Some(span);
                    }
                }
            }
            (Section::General, _) => notes.push(Note {
                text: format!("{name}: {value}"),
                span: Some(Span::new(line.start, span.end)),
            }),
            (Section::Response, _) => {
                response
                    .get_or_insert_with(Response::default)
                    .headers
                    .push(Header {
                        name: header_name(name),
                        value: value.to_owned(),
                        span: Some(Span::new(line.start, span.end)),
                    });
            }
            (Section::Request, _) => {
                // HTTP/2 pseudo-headers say what the General section says.
                match name {
                    ":method" if request.method.is_none() => {
                        request.method = Some(value.to_owned());
                    }
                    ":path" | ":authority" | ":scheme" => {}
                    _ => request.headers.push(Header {
                        name: header_name(name),
                        value: value.to_owned(),
                        span: Some(Span::new(line.start, span.end)),
                    }),
                }
            }
            (Section::Body, _) => {}
        }
    }
    if let Some((start, end)) = body_lines {
        response.get_or_insert_with(Response::default).body =
            Some(Body::verbatim(&text[start..end], start));
        spans.push(Span::new(start, end));
    }
    if request.url.is_empty() && response.is_none() {
        return Capture::default();
    }
    let start = spans.iter().map(|s| s.start).min().unwrap_or(0);
    let end = spans.iter().map(|s| s.end).max().unwrap_or(text.len());
    Capture {
        exchanges: vec![Exchange {
            request: (!request.url.is_empty() || request.method.is_some()).then_some(request),
            response,
            notes,
            span: Some(Span::new(start, end)),
            ..Exchange::default()
        }],
        issues: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_layouts() {
        let old = "Request URL:http://a.test/x\nRequest Method:GET\nStatus Code:401 Unauthorized (from cache)\n\nResponse Headers\nWWW-Authenticate:Bearer\n";
        let capture = read(old);
        let exchange = &capture.exchanges[0];
        assert_eq!(exchange.request.as_ref().unwrap().url, "http://a.test/x");
        let response = exchange.response.as_ref().unwrap();
        assert_eq!(
            (response.status, response.reason.as_str()),
            (401, "Unauthorized")
        );
        assert_eq!(response.headers[0].value, "Bearer");
        let new = "Request URL:\nhttp://a.test/x\nStatus Code:\n404 Not Found\nResponse Headers\ncontent-type:\napplication/json\nRequest Headers\n:authority:\na.test\nauthorization:\nBearer abc\n";
        let capture = read(new);
        let exchange = &capture.exchanges[0];
        assert_eq!(
            exchange.response.as_ref().unwrap().headers[0].name,
            "content-type"
        );
        assert_eq!(
            exchange.request.as_ref().unwrap().headers[0].value,
            "Bearer abc"
        );
    }
}
