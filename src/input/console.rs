//! Browser console messages (Chromium's and Firefox's CORS errors, `net::ERR_*` lines,
//! failed fetches) and Node / axios error dumps.

use std::collections::{HashMap, HashSet};

use super::lines::{Line, lines};
use crate::knowledge::transport::Failure;
use crate::knowledge::url;
use crate::model::{Capture, Exchange, Header, Request, Response, Span, TransportError};

/// Node's error codes, as they appear in `Error: connect ECONNREFUSED …` and `code: '…'`.
const NODE_CODES: &[&str] = &[
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ETIMEDOUT",
    "ECONNRESET",
    "EPIPE",
    "EHOSTUNREACH",
    "CERT_HAS_EXPIRED",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_HEADERS_TIMEOUT",
    "UND_ERR_BODY_TIMEOUT",
    "UND_ERR_SOCKET",
    "ERR_SOCKET_CONNECTION_TIMEOUT",
];

pub(crate) fn read(text: &str) -> Capture {
    let mut capture = Capture::default();
    // Indexes that keep the reader linear however many lines repeat: the last exchange per
    // URL, the Node codes already reported, whether any line explained a failure yet.
    let mut by_url: HashMap<String, usize> = HashMap::new();
    let mut codes_seen: HashSet<&'static str> = HashSet::new();
    let mut failure_seen = false;
    // Safari's reason line, waiting for the line that names its URL.
    let mut pending_reason: Option<(String, Span)> = None;
    // `Failed to load resource: the server responded with a status of N (…)` before the
    // lines that name its request (Safari), or with no request named at all.
    let mut pending_status: Option<(u16, String, Span)> = None;
    let all: Vec<Line> = lines(text).collect();
    let mut index = 0;
    while index < all.len() {
        let line = wrapped_message(text, &all, &mut index);
        let t = line.text;
        failure_seen |= capture
            .exchanges
            .last()
            .is_some_and(|e| e.transport_error.is_some());
        if let Some((resource, page, failure)) = browser_block(t) {
            // The browser's own refusals: mixed content, the page's CSP. Several lines may
            // name one request; the first says why.
            let code = failure.code();
            let exchange = exchange_for(&mut capture, &mut by_url, resource, &line, |e| {
                e.transport_error.as_ref().is_none_or(|t| t.code == code)
            });
            if let Some(origin) = page.and_then(url::origin) {
                exchange.page_origin = Some(origin.to_owned());
            }
            if exchange.transport_error.is_none() {
                exchange.transport_error = Some(TransportError {
                    code: code.into(),
                    message: t.trim().to_owned(),
                    span: Some(line.span()),
                });
            }
        } else if let Some(found) = chromium_cors(t) {
            let exchange = exchange_for(&mut capture, &mut by_url, found.url, &line, |e| {
                e.transport_error.as_ref().is_none_or(|t| t.code != "cors")
            });
            let request = exchange.request.get_or_insert_with(Request::default);
            request.headers.push(Header {
                name: "Origin".into(),
                value: found.origin.to_owned(),
                span: Some(sub_span(&line, found.origin)),
            });
            exchange.page_origin = Some(found.origin.to_owned());
            exchange.transport_error = Some(TransportError {
                code: "cors".into(),
                message: one_line(t),
                span: Some(line.span()),
            });
        } else if let Some((resource, rest)) = firefox_cors(t) {
            let exchange = exchange_for(&mut capture, &mut by_url, resource, &line, |e| {
                e.transport_error.as_ref().is_none_or(|t| t.code != "cors")
            });
            if let Some(status) = status_code_after(rest) {
                exchange.response.get_or_insert_with(|| Response {
                    status,
                    ..Response::default()
                });
            }
            // "CORS request did not succeed" alone means no response arrived at all (the
            // server is down, the certificate was refused …): a network failure, not a CORS
            // rule the server broke.
            let reasons = rest.matches("Reason:").count() + rest.matches("原因").count();
            let network_only = rest.contains("CORS request did not succeed") && reasons <= 1;
            exchange.transport_error = Some(TransportError {
                code: if network_only { "fetch" } else { "cors" }.into(),
                message: one_line(t),
                span: Some(line.span()),
            });
        } else if let Some(found) = older_cors(t) {
            // Old Chromium and Safari name the URL on one line; Safari puts the reason on
            // the line before it.
            let reason = pending_reason.take();
            let exchange = exchange_for(&mut capture, &mut by_url, found.url, &line, |e| {
                e.transport_error.as_ref().is_none_or(|t| t.code != "cors")
            });
            if let Some(origin) = found.origin {
                let request = exchange.request.get_or_insert_with(Request::default);
                request.headers.push(Header {
                    name: "Origin".into(),
                    value: origin.to_owned(),
                    span: Some(sub_span(&line, origin)),
                });
                exchange.page_origin = Some(origin.to_owned());
            }
            let status = status_code_after(t)
                .or_else(|| reason.as_ref().and_then(|(r, _)| status_code_after(r)));
            if let Some(status) = status {
                exchange.response.get_or_insert_with(|| Response {
                    status,
                    ..Response::default()
                });
            }
            // Safari names the status first, then the reason, then the URL.
            if let Some((status, reason_text, span)) = pending_status.take()
                && reason.is_some()
            {
                exchange.response.get_or_insert_with(|| Response {
                    status,
                    reason: reason_text,
                    span: Some(span),
                    ..Response::default()
                });
            }
            let (message, span) = match reason {
                Some((reason, span)) => (
                    format!("{reason} {}", t.trim()),
                    Span::new(span.start, line.end()),
                ),
                None => (t.trim().to_owned(), line.span()),
            };
            exchange.transport_error = Some(TransportError {
                code: "cors".into(),
                message,
                span: Some(span),
            });
        } else if let Some(exchange) = capture.exchanges.last_mut().filter(|e| {
            e.transport_error
                .as_ref()
                .is_some_and(|t| t.code == "cors" && !is_cors_reason(&t.message))
        }) && is_cors_reason(t)
        {
            // Chromium's message broken across lines (a source link glued in): the reason
            // on the next line belongs to it.
            if let Some(error) = exchange.transport_error.as_mut() {
                error.message = format!("{} {}", error.message, t.trim());
                if let Some(span) = error.span.as_mut() {
                    span.end = line.end();
                }
            }
        } else if let Some((status, reason)) = responded_with_status(t) {
            // Chromium's and Safari's `Failed to load resource: the server responded with a
            // status of 404 (Not Found)`: the request it is about is the one waiting for an
            // answer, or the one Safari names next.
            let waiting = waiting_for_answer(&mut capture);
            if let Some(exchange) = waiting {
                exchange.response = Some(status_response(status, reason, &line));
            } else {
                pending_status = Some((status, reason.to_owned(), line.span()));
            }
        } else if let Some(reason) = safari_reason(t) {
            // `Origin X is not allowed by Access-Control-Allow-Origin.`, `Preflight response is
            // not successful`: the URL comes on the next line. A repeat after `Failed to load
            // resource:` adds nothing once the exchange exists.
            let repeat = t.contains("Failed to load resource:")
                && capture
                    .exchanges
                    .last()
                    .is_some_and(|e| e.transport_error.as_ref().is_some_and(|t| t.code == "cors"));
            if !repeat && pending_reason.is_none() {
                pending_reason = Some((reason.to_owned(), line.span()));
            }
        } else if let Some(failed) = network_line(t) {
            let exchange = exchange_for(&mut capture, &mut by_url, failed.url, &line, |e| {
                e.request.as_ref().is_some_and(|r| r.method.is_none())
            });
            if let Some(request) = exchange.request.as_mut() {
                request.method = Some(failed.method.to_owned());
            }
            if let Some(status) = failed.status {
                exchange
                    .response
                    .get_or_insert_with(|| status_response(status, failed.reason, &line));
            }
            if let Some(code) = failed.net_error {
                // Keep a CORS message's wording: ERR_FAILED says less.
                if exchange
                    .transport_error
                    .as_ref()
                    .is_none_or(|e| e.code != "cors")
                {
                    exchange.transport_error = Some(TransportError {
                        code: code.to_owned(),
                        message: t.trim().to_owned(),
                        span: Some(line.span()),
                    });
                }
            }
        } else if let Some((method, url)) = failed_loading(t) {
            // `Fetch failed loading: GET "URL".`: the request the next error line is about.
            let exchange = exchange_for(&mut capture, &mut by_url, url, &line, |_| true);
            if let Some(request) = exchange.request.as_mut() {
                request.method.get_or_insert_with(|| method.to_owned());
            }
        } else if let Some((method, url, status)) = firefox_request(t) {
            // Firefox's network line: `XHR POST URL [HTTP/1.1 401 Unauthorized 12ms]`, the
            // bracketed status sometimes on the next line.
            let exchange = exchange_for(&mut capture, &mut by_url, url, &line, |_| false);
            if let Some(request) = exchange.request.as_mut() {
                request.method = Some(method.to_owned());
            }
            if let Some((status, reason)) = status {
                exchange.response = Some(status_response(status, reason, &line));
            }
        } else if let Some((status, reason)) = bracketed_status(t) {
            let waiting = waiting_for_answer(&mut capture);
            if let Some(exchange) = waiting {
                exchange.response = Some(status_response(status, reason, &line));
                if let Some(span) = exchange.span.as_mut() {
                    span.end = span.end.max(line.end());
                }
            }
        } else if let Some(code) = net_error(t) {
            // `Failed to load resource: net::ERR_…` names no URL; it only adds to what the
            // lines with a URL said, unless it is all there is.
            failure_seen = failure_seen || !no_failure_yet(&capture);
            let waiting = waiting_for_answer(&mut capture);
            if let Some(exchange) = waiting {
                exchange.transport_error = Some(TransportError {
                    code,
                    message: t.trim().to_owned(),
                    span: Some(line.span()),
                });
                if let Some(span) = exchange.span.as_mut() {
                    *span = Span::new(span.start.min(line.start), span.end.max(line.end()));
                }
            } else if !failure_seen {
                push_failure(&mut capture, &line, code);
            }
        } else if let Some(code) = interstitial(t) {
            // Chrome's error page copied as text names the failure in words.
            failure_seen = failure_seen || !no_failure_yet(&capture);
            if !failure_seen {
                push_failure(&mut capture, &line, code);
            }
        } else if let Some(code) = NODE_CODES
            .iter()
            .find(|c| contains_word(t, c))
            // A body the page logged (`{"errors":[{"message":"… connect ECONNREFUSED …`) is
            // the server's account of its own dependency, not this client's failure.
            .filter(|c| t.find(**c).is_none_or(|at| !t[..at].contains("{\"")))
        {
            if codes_seen.insert(code) {
                push_failure(&mut capture, &line, (*code).to_owned());
            }
        } else if t.contains("socket hang up") {
            codes_seen.insert("ECONNRESET");
            push_failure(&mut capture, &line, "ECONNRESET");
        } else if let Some(status) = t
            .split("Request failed with status code ")
            .nth(1)
            .and_then(|s| s.trim().get(..3))
            .and_then(|s| s.parse::<u16>().ok())
        {
            let exchange = new_exchange(&mut capture, &line);
            exchange.response = Some(Response {
                status,
                span: Some(line.span()),
                ..Response::default()
            });
        } else if t.contains("Failed to fetch")
            || t.contains("NetworkError when attempting to fetch")
            || t.trim_end() == "TypeError: Load failed"
        {
            // The browser's own summary of a failure it explains elsewhere; alone, it is all we have.
            failure_seen = failure_seen || !no_failure_yet(&capture);
            if !failure_seen {
                push_failure(&mut capture, &line, "fetch");
            }
        } else if let Some(value) = quoted_field(t, "url:") {
            // axios dumps its config: `url: 'http://…'`, `method: 'get'`.
            if let Some(exchange) = capture.exchanges.last_mut() {
                let request = exchange.request.get_or_insert_with(Request::default);
                if request.url.is_empty() {
                    value.clone_into(&mut request.url);
                }
            }
        } else if let Some(value) = quoted_field(t, "method:")
            && let Some(exchange) = capture.exchanges.last_mut()
        {
            let request = exchange.request.get_or_insert_with(Request::default);
            request
                .method
                .get_or_insert_with(|| value.to_ascii_uppercase());
        }
    }
    // A status no request claimed is the only thing the paste says, when it is.
    if let Some((status, reason, span)) = pending_status
        && capture.exchanges.is_empty()
        && pending_reason.is_none()
    {
        capture.exchanges.push(Exchange {
            span: Some(span),
            response: Some(Response {
                status,
                reason,
                span: Some(span),
                ..Response::default()
            }),
            ..Exchange::default()
        });
    }
    // A reason that never met its URL (the paste stops there) is still the finding.
    if let Some((reason, span)) = pending_reason {
        capture.exchanges.push(Exchange {
            span: Some(span),
            transport_error: Some(TransportError {
                code: "cors".into(),
                message: reason,
                span: Some(span),
            }),
            ..Exchange::default()
        });
    }
    capture
}

/// Chromium's `Fetch failed loading: GET "https://…".` and `XHR failed loading: POST "…".`
fn failed_loading(line: &str) -> Option<(&str, &str)> {
    let at = line.find(" failed loading: ")? + " failed loading: ".len();
    let rest = &line[at..];
    let (method, quoted) = rest.split_once(' ')?;
    let url = quoted.strip_prefix('"')?.split('"').next()?;
    (url::origin(url).is_some() && method.bytes().all(|b| b.is_ascii_uppercase()))
        .then_some((method, url))
}

/// `Status code: 405` anywhere after `text`'s start, as Firefox and Safari append it.
/// Also Chromium's older `The response had HTTP status code 404.` and `Response for
/// preflight has invalid HTTP status code 405`.
fn status_code_after(text: &str) -> Option<u16> {
    ["Status code: ", "HTTP status code "]
        .iter()
        .find_map(|marker| {
            let rest = text.split(marker).nth(1)?;
            rest.get(..3)?
                .parse()
                .ok()
                .filter(|s| (100..600).contains(s))
        })
}

/// A line that states why CORS failed without naming the request (Chromium's reason pushed
/// onto its own line).
fn is_cors_reason(line: &str) -> bool {
    [
        "is not allowed by Access-Control-Allow-Headers",
        "is not allowed by Access-Control-Allow-Methods",
        "No 'Access-Control-Allow-Origin' header is present",
        "Response to preflight request doesn't pass access control check",
        "header contains multiple values",
        "that is not equal to the supplied origin",
        "It does not have HTTP ok status",
        "Redirect is not allowed for a preflight request",
        "must not be the wildcard",
        "'Access-Control-Allow-Credentials' header in the response is",
    ]
    .iter()
    .any(|m| line.contains(m))
}

/// Safari's reason lines: what broke, without the URL.
fn safari_reason(line: &str) -> Option<&str> {
    let t = line
        .trim()
        .trim_start_matches("> ")
        .trim_start_matches("[Error] ");
    let reason = t.strip_prefix("Failed to load resource: ").unwrap_or(t);
    let safari = (reason.starts_with("Origin ")
        && reason.contains("is not allowed by Access-Control-Allow-Origin"))
        || reason.starts_with("Preflight response is not successful")
        || reason.starts_with("Request header field ")
            && reason.contains("is not allowed by Access-Control-Allow-Headers")
        || reason.starts_with("Method ")
            && reason.contains("is not allowed by Access-Control-Allow-Methods")
        || reason.starts_with("Credentials flag is true")
        || reason.starts_with("Cannot use wildcard in Access-Control-Allow-Origin")
        || reason.starts_with("Access-Control-Allow-Origin cannot contain more than one origin")
        || reason.starts_with("Redirection is not allowed for preflight");
    safari.then_some(reason)
}

struct OlderCors<'a> {
    url: &'a str,
    origin: Option<&'a str>,
}

/// `XMLHttpRequest cannot load URL. <reason>. Origin 'X' is therefore not allowed access.`
/// (Chromium before 2019), `Fetch API cannot load URL due to access control checks.`
/// (Safari), `SEC7120: Origin X not found in Access-Control-Allow-Origin header.` (IE).
fn older_cors(line: &str) -> Option<OlderCors<'_>> {
    let at = line
        .find("XMLHttpRequest cannot load ")
        .map(|a| a + 27)
        .or_else(|| line.find("Fetch API cannot load ").map(|a| a + 22))?;
    let rest = &line[at..];
    let url_len = rest
        .find(" due to access control checks")
        .or_else(|| rest.find(". "))
        .unwrap_or(rest.len());
    let url = rest[..url_len]
        .trim()
        .trim_end_matches('.')
        .trim_matches(['\'', '‘', '’']);
    let cors = rest.contains("access control checks")
        || rest.contains("is therefore not allowed access")
        || rest.contains("is not allowed by Access-Control-Allow-")
        || rest.contains("Response for preflight")
        || rest.contains("Preflight response is not successful")
        || rest.contains("Access-Control-Allow-");
    if !cors || url.is_empty() {
        return None;
    }
    let origin = rest
        .find("Origin '")
        .map(|o| o + 8)
        .and_then(|o| rest[o..].find('\'').map(|e| &rest[o..o + e]));
    Some(OlderCors { url, origin })
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

fn quoted_field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.trim().strip_prefix(key)?.trim();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    rest[1..].split(quote).next()
}

fn sub_span(line: &Line, part: &str) -> Span {
    let at = super::lines::offset_in(line.text, part).unwrap_or(0);
    Span::new(line.start + at, line.start + at + part.len())
}

/// A new exchange that failed below HTTP, quoting the whole line.
/// The last exchange when it still waits for what happened to it (no response, no error):
/// the request a line without a URL is about.
fn waiting_for_answer(capture: &mut Capture) -> Option<&mut Exchange> {
    capture
        .exchanges
        .last_mut()
        .filter(|e| e.transport_error.is_none() && e.response.is_none())
}

/// A status the console reported for a request, quoted from `line`.
fn status_response(status: u16, reason: &str, line: &Line) -> Response {
    Response {
        status,
        reason: reason.to_owned(),
        span: Some(line.span()),
        ..Response::default()
    }
}

fn push_failure(capture: &mut Capture, line: &Line, code: impl Into<String>) {
    let exchange = new_exchange(capture, line);
    exchange.transport_error = Some(TransportError {
        code: code.into(),
        message: line.text.trim().to_owned(),
        span: Some(line.span()),
    });
}

/// Whether no line so far explained a failure: summary lines count only then.
fn no_failure_yet(capture: &Capture) -> bool {
    capture
        .exchanges
        .iter()
        .all(|e| e.transport_error.is_none())
}

fn new_exchange<'c>(capture: &'c mut Capture, line: &Line) -> &'c mut Exchange {
    capture.exchanges.push(Exchange {
        span: Some(line.span()),
        ..Exchange::default()
    });
    let last = capture.exchanges.len() - 1;
    &mut capture.exchanges[last]
}

/// The exchange about `resource_url`, so the CORS message and the `net::ERR_FAILED` line
/// Chromium prints for one request become one exchange.
fn exchange_for<'c>(
    capture: &'c mut Capture,
    by_url: &mut HashMap<String, usize>,
    resource_url: &str,
    line: &Line,
    joins: impl Fn(&Exchange) -> bool,
) -> &'c mut Exchange {
    // The latest exchange about this URL, if the line belongs to it.
    let found = by_url
        .get(resource_url)
        .copied()
        .filter(|&i| joins(&capture.exchanges[i]));
    let index = if let Some(i) = found {
        i
    } else {
        capture.exchanges.push(Exchange {
            request: Some(Request {
                url: resource_url.to_owned(),
                span: Some(line.span()),
                ..Request::default()
            }),
            span: Some(line.span()),
            ..Exchange::default()
        });
        by_url.insert(resource_url.to_owned(), capture.exchanges.len() - 1);
        capture.exchanges.len() - 1
    };
    let exchange = &mut capture.exchanges[index];
    if let Some(span) = exchange.span.as_mut() {
        *span = Span::new(span.start.min(line.start), span.end.max(line.end()));
    }
    exchange
}

/// A request the browser refused to send, the page that made it, and why: `Mixed Content:
/// The page at 'PAGE' was loaded over HTTPS, but requested an insecure resource 'URL'. This
/// request has been blocked`, `Refused to connect to 'URL' because it violates the following
/// Content Security Policy directive`, `Connecting to 'URL' violates the following Content
/// Security Policy directive`, `Fetch API cannot load URL. Refused to connect because it
/// violates the document's Content Security Policy.`
fn browser_block(line: &str) -> Option<(&str, Option<&str>, Failure)> {
    let between = |s: &'_ str, start: &str, end: &str| -> Option<(usize, usize)> {
        let a = s.find(start)? + start.len();
        let b = a + s[a..].find(end)?;
        Some((a, b))
    };
    if let Some(at) = line.find("Mixed Content: The page at '")
        && line.contains("has been blocked")
    {
        let rest = &line[at..];
        let (ps, pe) = between(rest, "The page at '", "'")?;
        let (us, ue) = between(rest, "insecure resource '", "'")
            .or_else(|| between(rest, "insecure XMLHttpRequest endpoint '", "'"))?;
        return Some((&rest[us..ue], Some(&rest[ps..pe]), Failure::MixedContent));
    }
    if line.contains("Content Security Policy") {
        for (start, end) in [
            ("Refused to connect to '", "'"),
            ("Connecting to '", "' violates"),
            ("Fetch API cannot load ", ". Refused to connect"),
        ] {
            if let Some((a, b)) = between(line, start, end)
                && url::origin(&line[a..b]).is_some()
            {
                return Some((&line[a..b], None, Failure::Csp));
            }
        }
    }
    None
}

struct ChromiumCors<'a> {
    url: &'a str,
    origin: &'a str,
}

/// `Access to fetch at 'URL' [(redirected from 'URL')] from origin 'ORIGIN' has been blocked by CORS policy: …`
fn chromium_cors(line: &str) -> Option<ChromiumCors<'_>> {
    let at = line.find("Access to ")?;
    line[at..]
        .find("blocked by CORS policy")
        .or_else(|| line[at..].find("blocked >by CORS policy"))?;
    let rest = &line[at..];
    // Quotes may come back typographic (`‘…’`) from a forum or a word processor.
    // A hard wrap may have put a line break where the message has a space.
    let opening = |s: &str, marker: &str| {
        let wrapped = marker.trim_end().to_owned() + "\n";
        [
            format!("{marker}'"),
            format!("{marker}‘"),
            format!("{wrapped}'"),
            format!("{wrapped}‘"),
        ]
        .iter()
        .find_map(|m| s.find(m.as_str()).map(|i| i + m.len()))
    };
    let closing = |s: &str| s.find(['\'', '’']);
    let url_start = opening(rest, " at ")?;
    let url_end = url_start + closing(&rest[url_start..])?;
    let origin_start = opening(rest, "from origin ")?;
    let origin_end = origin_start + closing(&rest[origin_start..])?;
    Some(ChromiumCors {
        url: &rest[url_start..url_end],
        origin: &rest[origin_start..origin_end],
    })
}

/// `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at URL. (Reason: …)`
fn firefox_cors(line: &str) -> Option<(&str, &str)> {
    // zh-CN: `已阻止跨源请求：同源策略禁止读取位于 URL 的远程资源。（原因：…）`
    if let Some(at) = line.find("同源策略禁止读取位于 ") {
        let url_start = at + "同源策略禁止读取位于 ".len();
        let url_end = url_start + line[url_start..].find(" 的远程资源")?;
        return Some((&line[url_start..url_end], &line[url_end..]));
    }
    let Some(at) = line.find("Cross-Origin Request Blocked") else {
        // The reason alone, the message's first part left out (`(Reason: CORS header
        // ‘Access-Control-Allow-Origin’ missing).`), or the first part in other words (a
        // translation, a localized Firefox or Thunderbird): the reason names CORS.
        let reason_at = line.find("(Reason: ")?;
        let reason = &line[reason_at..];
        if !reason.contains("CORS") {
            return None;
        }
        let url = line[..reason_at]
            .split_whitespace()
            .rev()
            .map(|w| {
                w.trim_end_matches(['.', ','])
                    .trim_matches(['\'', '‘', '’'])
            })
            .find(|w| url::origin(w).is_some())
            .unwrap_or("");
        return Some((url, reason));
    };
    let rest = &line[at..];
    let Some(url_start) = rest.find("remote resource at ").map(|u| u + 19) else {
        // The URL cut out by the paster: `… disallows reading the remote resource (Reason: …)`.
        let reason = rest.find("(Reason").unwrap_or(rest.len());
        return Some(("", &rest[reason..]));
    };
    // `URL. (Reason: …)`, `‘URL’ . (Reason: …)`, or before 2015 `URL. This can be fixed …`.
    let url_end = url_start
        + [". (Reason", " . (Reason", ". This can be fixed", " (Reason"]
            .iter()
            .filter_map(|m| rest[url_start..].find(m))
            .min()?;
    let url = rest[url_start..url_end].trim_matches(['\'', '‘', '’']);
    Some((url, &rest[url_end..]))
}

/// The messages that a hard wrap may break: the first line holds the start, a later one
/// the part that makes it a message of its kind.
const WRAPPED: &[(&str, &str)] = &[
    ("Access to ", "CORS policy"),
    ("Cross-Origin Request Blocked", "(Reason"),
    ("XMLHttpRequest cannot load ", "Origin"),
];

/// The line at `*index`, joined with the lines a hard wrap broke it into (a CORS message
/// wrapped at 80 or 100 columns); `*index` moves past what was used. The joined line is a
/// slice of `text` with its line breaks in it.
fn wrapped_message<'a>(text: &'a str, all: &[Line<'a>], index: &mut usize) -> Line<'a> {
    let first = all[*index];
    *index += 1;
    let Some((_, completes)) = WRAPPED
        .iter()
        .find(|(start, completes)| first.text.contains(start) && !first.text.contains(completes))
    else {
        return first;
    };
    let mut last;
    let mut used = *index;
    // At most three more lines, none blank; then the message must be complete.
    while used < all.len() && used < *index + 3 && !all[used].text.trim().is_empty() {
        last = all[used];
        used += 1;
        let joined = &text[first.start..last.end()];
        if joined.contains(completes) {
            // The rest of the sentence, when the wrap broke it too.
            while used < all.len()
                && used < *index + 4
                && !last.text.trim_end().ends_with(['.', ')'])
                && !all[used].text.trim().is_empty()
                && all[used]
                    .text
                    .starts_with(|c: char| c.is_ascii_lowercase() || matches!(c, '\'' | '‘' | '"'))
            {
                last = all[used];
                used += 1;
            }
            *index = used;
            return Line {
                text: &text[first.start..last.end()],
                start: first.start,
                next: last.next,
            };
        }
    }
    first
}

/// A message with its line breaks and runs of spaces made single spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `Failed to load resource: the server responded with a status of 503 (Service
/// Unavailable: Back-end server is at capacity)`: the status and its reason.
fn responded_with_status(line: &str) -> Option<(u16, &str)> {
    const MARKER: &str = "the server responded with a status of ";
    let at = line.find(MARKER)? + MARKER.len();
    let rest = &line[at..];
    let status: u16 = rest.get(..3)?.parse().ok()?;
    if !(100..1000).contains(&status) {
        return None;
    }
    let rest = rest[3..].trim_start();
    let reason = rest
        .strip_prefix('(')
        .and_then(|r| r.find(')').map(|e| &r[..e]))
        .unwrap_or("");
    Some((status, reason))
}

/// Chromium's net error names, as they follow `net::` or stand alone (an error page, a
/// console line copied without its prefix): `ERR_CERT_DATE_INVALID`.
const CHROMIUM_ERRORS: &[&str] = &[
    "ERR_CERT_",
    "ERR_SSL_",
    "ERR_BAD_SSL_",
    "ERR_CONNECTION_",
    "ERR_NAME_NOT_RESOLVED",
    "ERR_NAME_RESOLUTION_FAILED",
    "ERR_INTERNET_DISCONNECTED",
    "ERR_TIMED_OUT",
    "ERR_EMPTY_RESPONSE",
    "ERR_ADDRESS_UNREACHABLE",
    "ERR_BLOCKED_BY_",
    "ERR_TOO_MANY_REDIRECTS",
    "ERR_HTTP2_",
    "ERR_QUIC_",
    "ERR_INSECURE_RESPONSE",
    "ERR_PROXY_",
    "ERR_TUNNEL_CONNECTION_FAILED",
    "ERR_NETWORK_CHANGED",
    "ERR_NETWORK_ACCESS_DENIED",
    "ERR_CONTENT_",
    "ERR_INCOMPLETE_CHUNKED_ENCODING",
    "ERR_INVALID_CHUNKED_ENCODING",
    "ERR_INVALID_RESPONSE",
    "ERR_INVALID_HTTP_RESPONSE",
    "ERR_RESPONSE_HEADERS_",
    "ERR_UNSAFE_PORT",
    "ERR_CLEARTEXT_NOT_PERMITTED",
    "ERR_SOCKS_CONNECTION_FAILED",
    "ERR_FAILED",
    "ERR_ABORTED",
];

/// The Chromium net error a line names, as `net::ERR_…`: with its `net::` prefix (any
/// case: the error page prints `NET::ERR_CERT_…`), or a known name standing alone.
pub(crate) fn net_error(line: &str) -> Option<String> {
    line.split(|c: char| c.is_whitespace() || matches!(c, '`' | '\'' | '"' | '(' | ')' | ','))
        .find_map(|word| {
            let word = word.trim_end_matches(['.', ',', ':', ';']);
            let name = word
                .strip_prefix("net::")
                .or_else(|| word.strip_prefix("NET::"))
                .or_else(|| {
                    CHROMIUM_ERRORS
                        .iter()
                        .any(|e| word.starts_with(e) && (e.ends_with('_') || word.len() == e.len()))
                        .then_some(word)
                })?;
            (name.starts_with("ERR_")
                && name.len() > 4
                && name[4..]
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'))
            .then(|| format!("net::{name}"))
        })
}

/// Chrome's error pages, copied as text: the sentence names the net error the page hides
/// under "Advanced" (the apostrophe of `can’t` may be typographic).
const INTERSTITIALS: &[(&str, &str)] = &[
    (
        "could not prove that it is",
        "net::ERR_CERT_COMMON_NAME_INVALID",
    ),
    ("Your connection is not private", "net::ERR_CERT_INVALID"),
    (
        "security certificate has expired",
        "net::ERR_CERT_DATE_INVALID",
    ),
    (
        "security certificate is not trusted",
        "net::ERR_CERT_AUTHORITY_INVALID",
    ),
    (
        "t provide a secure connection",
        "net::ERR_SSL_PROTOCOL_ERROR",
    ),
    (
        "uses an unsupported protocol",
        "net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH",
    ),
    (
        "server IP address could not be found",
        "net::ERR_NAME_NOT_RESOLVED",
    ),
    ("took too long to respond", "net::ERR_CONNECTION_TIMED_OUT"),
    (
        "unexpectedly closed the connection",
        "net::ERR_CONNECTION_CLOSED",
    ),
    ("didn’t send any data", "net::ERR_EMPTY_RESPONSE"),
    ("didn't send any data", "net::ERR_EMPTY_RESPONSE"),
    (
        "redirected you too many times",
        "net::ERR_TOO_MANY_REDIRECTS",
    ),
];

/// The net error a Chrome error page's sentence stands for.
pub(crate) fn interstitial(line: &str) -> Option<&'static str> {
    INTERSTITIALS
        .iter()
        .find(|(words, _)| line.contains(words))
        .map(|(_, code)| *code)
        .or_else(|| {
            // `localhost refused to connect.` (not CSP's `Refused to connect to '…'`)
            line.trim_end()
                .ends_with(" refused to connect.")
                .then_some("net::ERR_CONNECTION_REFUSED")
        })
}

/// Firefox's bracketed status after a network line: `[HTTP/1.1 401 Unauthorized 12ms]`.
pub(crate) fn bracketed_status(line: &str) -> Option<(u16, &str)> {
    let inner = line.trim().trim_matches('`').trim();
    let inner = inner.strip_prefix("[HTTP/")?;
    let close = inner.find(']')?;
    let inner = &inner[..close];
    let (_, rest) = inner.split_once(' ')?;
    let status: u16 = rest.get(..3)?.parse().ok()?;
    let reason = rest[3..].trim();
    // The timing Firefox appends: `12ms`.
    let reason = match reason.rsplit_once(' ') {
        Some((r, ms)) if ms.ends_with("ms") => r,
        _ if reason.ends_with("ms")
            && reason
                .trim_end_matches("ms")
                .bytes()
                .all(|b| b.is_ascii_digit()) =>
        {
            ""
        }
        _ => reason,
    };
    (100..1000).contains(&status).then_some((status, reason))
}

/// A method, a URL, and the status with its reason when the line has it.
pub(crate) type FirefoxRequest<'a> = (&'a str, &'a str, Option<(u16, &'a str)>);

/// Firefox's console network line: `XHR POST https://x/y [HTTP/2 500 Internal Server Error
/// 5713ms]` (`XHR` or `fetch` first; the bracketed status may come on the next line).
pub(crate) fn firefox_request(line: &str) -> Option<FirefoxRequest<'_>> {
    let t = line.trim().trim_matches('`').trim();
    let mut words = t.split_whitespace();
    let kind = words.next()?;
    if !matches!(
        kind,
        "XHR" | "fetch" | "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
    ) {
        return None;
    }
    let method = if matches!(kind, "XHR" | "fetch") {
        words.next()?
    } else {
        kind
    };
    if !matches!(
        method,
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
    ) {
        return None;
    }
    let url = words.next()?;
    url::origin(url)?;
    let at = t.find(url)? + url.len();
    let rest = t[at..].trim();
    if rest.is_empty() {
        // Only the `XHR`/`fetch` form announces a status on the next line.
        return matches!(kind, "XHR" | "fetch").then_some((method, url, None));
    }
    let status = bracketed_status(rest)?;
    Some((method, url, Some(status)))
}

pub(crate) struct NetworkLine<'a> {
    method: &'a str,
    url: &'a str,
    net_error: Option<&'a str>,
    status: Option<u16>,
    reason: &'a str,
}

/// Chromium's line for a failed request: `GET https://x/y net::ERR_FAILED 500 (Internal Server Error)`,
/// `POST https://x/y 401 (Unauthorized)`.
pub(crate) fn network_line(line: &str) -> Option<NetworkLine<'_>> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let at = words.windows(2).position(|w| {
        matches!(
            w[0],
            "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS"
        ) && url::origin(w[1]).is_some()
    })?;
    let method = words[at];
    let url = words[at + 1];
    let rest = &words[at + 2..];
    let net_error = rest.iter().find(|w| w.starts_with("net::ERR_")).copied();
    let status_at = rest
        .iter()
        .position(|w| w.len() == 3 && w.parse::<u16>().is_ok_and(|s| (100..600).contains(&s)));
    let status = status_at.and_then(|i| rest[i].parse().ok());
    let reason = status_at
        .and_then(|i| {
            let after = line.find(rest[i])? + 3;
            let reason = line[after..].trim();
            reason.strip_prefix('(').and_then(|r| r.strip_suffix(')'))
        })
        .unwrap_or("");
    (net_error.is_some() || status.is_some_and(|s| s >= 400)).then_some(NetworkLine {
        method,
        url,
        net_error,
        status,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chromium_cors_message_and_its_network_line_are_one_exchange() {
        let text = "Access to fetch at 'http://127.0.0.1:3001/api' from origin 'http://127.0.0.1:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\nGET http://127.0.0.1:3001/api net::ERR_FAILED 500 (Internal Server Error)\n";
        let capture = read(text);
        assert_eq!(capture.exchanges.len(), 1);
        let exchange = &capture.exchanges[0];
        assert_eq!(exchange.transport_error.as_ref().unwrap().code, "cors");
        assert_eq!(exchange.response.as_ref().unwrap().status, 500);
        assert_eq!(
            exchange.request.as_ref().unwrap().method.as_deref(),
            Some("GET")
        );
        let origin = exchange.request.as_ref().unwrap().headers[0].span.unwrap();
        assert_eq!(&text[origin.start..origin.end], "http://127.0.0.1:3000");
    }

    #[test]
    fn a_url_less_network_error_belongs_to_the_request_named_before_it() {
        let text = "main.js:23 Fetch failed loading: GET \"https://api.test/v1/items\".\nFailed to load resource: net::ERR_NAME_NOT_RESOLVED\nTypeError: Failed to fetch\n";
        let capture = read(text);
        assert_eq!(capture.exchanges.len(), 1);
        let exchange = &capture.exchanges[0];
        assert_eq!(
            exchange.request.as_ref().unwrap().url,
            "https://api.test/v1/items"
        );
        assert_eq!(
            exchange.transport_error.as_ref().unwrap().code,
            "net::ERR_NAME_NOT_RESOLVED"
        );
    }

    #[test]
    fn console_variants_read_as_their_family() {
        assert_eq!(
            net_error("Failed to load resource: ERR_CERT_DATE_INVALID").as_deref(),
            Some("net::ERR_CERT_DATE_INVALID")
        );
        assert_eq!(
            net_error("NET::ERR_CERT_AUTHORITY_INVALID").as_deref(),
            Some("net::ERR_CERT_AUTHORITY_INVALID")
        );
        assert_eq!(net_error("code: 'ERR_BAD_REQUEST'"), None);
        assert_eq!(
            responded_with_status(
                "Failed to load resource: the server responded with a status of 401 (Unauthorized)"
            ),
            Some((401, "Unauthorized"))
        );
        assert_eq!(
            bracketed_status("[HTTP/1.1 401 Unauthorized 12ms]"),
            Some((401, "Unauthorized"))
        );
        let capture = read("XHR POST https://a.test/x\n[HTTP/2 503 Service Unavailable 40ms]\n");
        assert_eq!(capture.exchanges.len(), 1);
        assert_eq!(capture.exchanges[0].response.as_ref().unwrap().status, 503);
        let wrapped = "Access to fetch at 'https://a.test/x' from origin\n'https://b.test' has been blocked by CORS policy: No\n'Access-Control-Allow-Origin' header is present on the requested resource.\n";
        let capture = read(wrapped);
        let error = capture.exchanges[0].transport_error.as_ref().unwrap();
        assert_eq!(error.code, "cors");
        assert!(
            error
                .message
                .contains("No 'Access-Control-Allow-Origin' header is present")
        );
        let capture = read(
            "Failed to load resource: the server responded with a status of 502 (Bad Gateway)\n",
        );
        assert_eq!(capture.exchanges[0].response.as_ref().unwrap().status, 502);
    }

    #[test]
    fn node_error_once_per_code() {
        let capture = read(
            "Error: connect ECONNREFUSED 127.0.0.1:3000\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {\n  errno: -111,\n  code: 'ECONNREFUSED',\n",
        );
        assert_eq!(capture.exchanges.len(), 1);
        assert_eq!(
            capture.exchanges[0].transport_error.as_ref().unwrap().code,
            "ECONNREFUSED"
        );
    }
}
