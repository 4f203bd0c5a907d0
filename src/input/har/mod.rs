//! HAR as every producer writes it: Chromium (old and new), Firefox, Safari, IE11, Charles,
//! Fiddler, mitmproxy, Polly.JS and Playwright.
//!
//! `log.entries` is cut into entries by a structure scan first, so every exchange knows its
//! place in the input and a file cut off mid-entry still yields the entries before the cut.
//! Each entry is then parsed on its own ([`entry`]): a field of an unexpected type is read as
//! absent, and only an entry that is not an object or has no request URL is skipped and
//! reported, never the file. A plainly written entry (nearly all) is read by [`plain`]
//! without serde's per-token cost; serde reads the rest, and words their errors.

use std::borrow::Cow;

use serde::Deserialize;

use super::json_scan::{elements, skip_ws, walk_members};
use super::lines::offset_in;
use crate::knowledge::transport::{Failure, classify_message};
use crate::knowledge::{time, url};
use crate::model::{
    Body, Capture, Exchange, Header, InputIssue, Phases, Request, Response, Span, Timings,
    TransportError,
};

mod entry;
mod plain;

use entry::{Content, Entry, HarResponse, HarTimings, Num, Pairs, PostData, Text};

pub(crate) fn looks_like_har(head: &str) -> bool {
    head.contains("\"log\"")
        && (head.contains("\"entries\"")
            || head.contains("\"creator\"")
            || head.contains("\"version\""))
}

#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow, default)]
    id: Text<'a>,
    #[serde(borrow, default)]
    title: Text<'a>,
}

/// Where `log.entries` starts, each complete entry's byte range, and whether the array closed.
pub(crate) type EntriesFound = (usize, Vec<(usize, usize)>, bool);

/// Where a HAR's parts are, found by one structure scan without parsing them.
pub(crate) struct Layout {
    /// Where the value of `log` starts, and ends when it is complete.
    pub log: Option<(usize, Option<usize>)>,
    /// Where `log.entries` starts, each complete entry's byte range, and whether the
    /// array closed.
    pub entries: Option<EntriesFound>,
    /// The byte range of `log.pages`, when complete.
    pub pages: Option<(usize, usize)>,
    /// Whether the document's root object closed.
    pub root_closed: bool,
}

/// The layout of the HAR `text` (a leading byte-order mark is skipped), or `None` when it is
/// not a JSON object.
pub(crate) fn layout(text: &str) -> Option<Layout> {
    let bytes = text.as_bytes();
    let root = skip_ws(bytes, if text.starts_with('\u{feff}') { 3 } else { 0 });
    if bytes.get(root) != Some(&b'{') {
        return None;
    }
    // One pass: the walk reads `log.entries` itself, so the file is scanned only once
    // before each entry is parsed.
    let mut log: Option<(usize, Option<usize>)> = None;
    let mut entries = None;
    let mut pages = None;
    let root_end = walk_members(text, root, |key, start| {
        if key != "log" || bytes.get(start) != Some(&b'{') {
            return None;
        }
        let log_end = walk_members(text, start, |key, start| match key {
            "entries" if bytes.get(start) == Some(&b'[') => {
                let (slices, end) = elements(text, start);
                entries = Some((start, slices, end.is_some()));
                Some(end)
            }
            "pages" => {
                let end = super::json_scan::value_end(bytes, start);
                pages = end.map(|end| (start, end));
                Some(end)
            }
            _ => None,
        });
        log = Some((start, log_end));
        Some(log_end)
    });
    Some(Layout {
        log,
        entries,
        pages,
        root_closed: root_end.is_some(),
    })
}

pub(crate) fn read(text: &str) -> Capture {
    let mut reader = Reader::new(text);
    while reader.step(usize::MAX) {}
    reader.finish()
}

/// A HAR read entry by entry, so that a caller (the page's worker) can report progress and
/// give way to newer work between steps. The structure scan runs once, in `new`.
pub(crate) struct Reader<'a> {
    text: &'a str,
    capture: Capture,
    pages: Vec<(String, String)>,
    /// Each complete entry's byte range (empty when the document has none to read).
    slices: Vec<(usize, usize)>,
    next: usize,
    page_of_entry: Vec<Option<String>>,
    /// What to say at the end about a document cut off: where the entries start, and
    /// whether the entries array, the log and the root closed.
    ends: Option<(usize, bool, bool, bool)>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Reader<'a> {
        let mut reader = Reader {
            text,
            capture: Capture::default(),
            pages: Vec::new(),
            slices: Vec::new(),
            next: 0,
            page_of_entry: Vec::new(),
            ends: None,
        };
        let capture = &mut reader.capture;
        let Some(layout) = layout(text) else {
            capture.issues.push(InputIssue::Skipped {
                what: "a HAR file is a JSON object; this input does not start with `{`".into(),
                span: None,
            });
            return reader;
        };
        let root_closed = layout.root_closed;
        let log_closed = layout.log.is_some_and(|(_, end)| end.is_some());
        reader.pages = layout
            .pages
            .map(|(start, _)| read_pages(text, start))
            .unwrap_or_default();
        let Some((log_start, log_end)) = layout.log else {
            let what = if root_closed {
                "there is no `log` object, so this is not a HAR file"
            } else {
                "the input ends before the HAR's `log` object"
            };
            capture.issues.push(InputIssue::Truncated {
                what: what.into(),
                span: None,
            });
            return reader;
        };
        let Some((entries_start, slices, entries_closed)) = layout.entries else {
            if log_closed {
                capture.issues.push(InputIssue::Skipped {
                    what: "`log.entries` is missing or not an array".into(),
                    span: Some(Span::new(log_start, log_end.unwrap_or(text.len()))),
                });
            } else {
                capture.issues.push(InputIssue::Truncated {
                    what: "the input ends before `log.entries`".into(),
                    span: None,
                });
            }
            return reader;
        };
        reader.page_of_entry.reserve(slices.len());
        reader.slices = slices;
        reader.ends = Some((entries_start, entries_closed, log_closed, root_closed));
        reader
    }

    /// How many entries there are, and how many are read.
    pub(crate) fn progress(&self) -> (usize, usize) {
        (self.next, self.slices.len())
    }

    /// Reads up to `max` more entries; says whether any are left.
    pub(crate) fn step(&mut self, max: usize) -> bool {
        let text = self.text;
        let end = self.slices.len().min(self.next.saturating_add(max));
        for n in self.next..end {
            let (start, end) = self.slices[n];
            let span = Span::new(start, end);
            let entry = &text[start..end];
            let parsed =
                plain::entry(entry).map_or_else(|| serde_json::from_str::<Entry>(entry), Ok);
            match parsed {
                Ok(entry) => {
                    let pageref = entry.pageref.0.as_deref().map(str::to_owned);
                    match to_exchange(text, entry, span) {
                        Some(mut exchange) => {
                            self.page_of_entry.push(pageref);
                            exchange.entry = Some(n);
                            self.capture.exchanges.push(exchange);
                        }
                        None => self.capture.issues.push(InputIssue::Skipped {
                            what: format!("HAR entry {} has no request URL and was skipped", n + 1),
                            span: Some(span),
                        }),
                    }
                }
                Err(error) => self.capture.issues.push(InputIssue::Skipped {
                    what: format!(
                        "HAR entry {} could not be read ({error}) and was skipped",
                        n + 1
                    ),
                    span: Some(span),
                }),
            }
        }
        self.next = end;
        self.next < self.slices.len()
    }

    /// The capture, once every entry is read (any left are read now).
    pub(crate) fn finish(mut self) -> Capture {
        while self.step(usize::MAX) {}
        let mut capture = self.capture;
        let Some((entries_start, entries_closed, log_closed, root_closed)) = self.ends else {
            return capture;
        };
        assign_page_origins(&mut capture.exchanges, &self.page_of_entry, &self.pages);
        if !entries_closed || !log_closed || !root_closed {
            let what = match self.slices.last() {
                Some(_) if !entries_closed => format!(
                    "the HAR file is cut off after entry {}; the entry being written when it stopped is lost",
                    self.slices.len()
                ),
                None if !entries_closed => {
                    "the HAR file is cut off before its first complete entry".to_owned()
                }
                _ => "the HAR file is cut off after its entries".to_owned(),
            };
            let tail = self.slices.last().map_or(entries_start, |s| s.1);
            capture.issues.push(InputIssue::Truncated {
                what,
                span: Some(Span::new(tail, self.text.len())),
            });
        }
        capture
    }
}

fn read_pages(text: &str, at: usize) -> Vec<(String, String)> {
    if text.as_bytes().get(at) != Some(&b'[') {
        return Vec::new();
    }
    elements(text, at)
        .0
        .into_iter()
        .filter_map(|(start, end)| serde_json::from_str::<Page>(&text[start..end]).ok())
        .filter_map(|page| {
            Some((
                page.id.0?.into_owned(),
                url::origin(page.title.0.as_deref()?)?.to_owned(),
            ))
        })
        .collect()
}

/// The page's origin: from the page title when it is a URL (Chromium), else from the
/// page's first document request, else from the request's Referer.
fn assign_page_origins(
    exchanges: &mut [Exchange],
    page_of_entry: &[Option<String>],
    pages: &[(String, String)],
) {
    use std::collections::HashMap;
    let titled: HashMap<&str, &str> = pages
        .iter()
        .map(|(id, o)| (id.as_str(), o.as_str()))
        .collect();
    // Each page's first request, found once for all entries.
    let mut first_of_page: HashMap<&str, Option<String>> = HashMap::new();
    for (exchange, page) in exchanges.iter().zip(page_of_entry) {
        if let Some(page) = page.as_deref() {
            first_of_page.entry(page).or_insert_with(|| {
                exchange
                    .request
                    .as_ref()
                    .and_then(|r| url::origin(&r.url))
                    .map(str::to_owned)
            });
        }
    }
    let origins: Vec<Option<String>> = page_of_entry
        .iter()
        .zip(exchanges.iter())
        .map(|(page, exchange)| {
            let from_page = page.as_deref().and_then(|p| {
                titled
                    .get(p)
                    .map(|o| (*o).to_owned())
                    .or_else(|| first_of_page.get(p).cloned().flatten())
            });
            from_page.or_else(|| {
                let request = exchange.request.as_ref()?;
                let referer = request
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("referer"))?;
                url::origin(&referer.value).map(str::to_owned)
            })
        })
        .collect();
    for (exchange, origin) in exchanges.iter_mut().zip(origins) {
        exchange.page_origin = origin;
    }
}

/// The exchange an entry records, or `None` when it names no request URL.
fn to_exchange(text: &str, entry: Entry, span: Span) -> Option<Exchange> {
    let har_request = entry.request.0?;
    let request = Request {
        method: har_request.method.0.map(Cow::into_owned),
        url: har_request.url?.into_owned(),
        version: version(har_request.http_version),
        headers: headers(text, har_request.headers),
        body: har_request.post_data.0.and_then(|p| request_body(text, p)),
        handed: Vec::new(),
        span: Some(span),
    };
    let (response, transport_error) = if let Some(r) = entry.response.0 {
        if let Some(code) = r.status.0.and_then(crate::knowledge::number::status) {
            // A response whose body then broke (Playwright's `_failureText` on a 200:
            // `net::ERR_INVALID_CHUNKED_ENCODING`, `net::ERR_HTTP2_PROTOCOL_ERROR`) failed
            // though its status says otherwise. An abort after the answer (a page navigating
            // away) is not a failure of the call.
            let broken = r
                .failure_text
                .filled()
                .or(r.error.filled())
                .filter(|f| matches!(classify_message(f), Failure::Protocol | Failure::Reset))
                .map(|f| no_response(None, Some(f)));
            (Some(to_response(text, r, code, span)), broken)
        } else {
            let failure = failure_text(&r, &entry.error, &entry.comment);
            (None, Some(no_response(r.status.0, failure)))
        }
    } else {
        let failure = entry.error.filled().or(entry.comment.filled());
        (None, Some(no_response(None, failure)))
    };
    let started_ms = entry.started.0.as_deref().and_then(time::parse_rfc3339_ms);
    Some(Exchange {
        request: Some(request),
        response,
        transport_error,
        timings: Some(Timings {
            started: entry.started.0.map(Cow::into_owned),
            started_ms,
            // Producers write -1 for "not known".
            total_ms: entry.time.0.filter(|t| *t >= 0.0),
            phases: entry.timings.0.as_ref().and_then(phases),
        }),
        page_origin: None,
        notes: Vec::new(),
        span: Some(span),
        entry: None,
    })
}

/// The phases an entry's `timings` give, or `None` when it gives none (-1 everywhere).
fn phases(t: &HarTimings) -> Option<Phases> {
    let known = |n: Num| n.0.filter(|ms| *ms >= 0.0 && ms.is_finite());
    let phases = Phases {
        blocked: known(t.blocked),
        dns: known(t.dns),
        connect: known(t.connect),
        ssl: known(t.ssl),
        send: known(t.send),
        wait: known(t.wait),
        receive: known(t.receive),
    };
    phases.named().next().is_some().then_some(phases)
}

fn to_response(text: &str, r: HarResponse, status: u16, span: Span) -> Response {
    Response {
        status,
        reason: r.status_text.0.map(Cow::into_owned).unwrap_or_default(),
        version: version(r.http_version),
        headers: headers(text, r.headers),
        body: r.content.0.and_then(|c| response_body(text, c)),
        interim: Vec::new(),
        span: Some(span),
    }
}

/// What the producer says went wrong with a request that got no response: Playwright's
/// `_failureText`, Chromium's and mitmproxy's `_error` (on the response, or on the entry in
/// older exports), else a comment, which some tools use for the reason.
fn failure_text<'t>(
    r: &'t HarResponse,
    entry_error: &'t Text,
    entry_comment: &'t Text,
) -> Option<&'t str> {
    r.failure_text
        .filled()
        .or(r.error.filled())
        .or(entry_error.filled())
        .or(r.comment.filled())
        .or(entry_comment.filled())
}

/// The HTTP version, unless the producer wrote a placeholder (old Chromium writes
/// `unknown` for requests that were never sent).
fn version(text: Text) -> Option<String> {
    text.0
        .filter(|v| !v.trim().is_empty() && !v.eq_ignore_ascii_case("unknown"))
        .map(Cow::into_owned)
}

/// Why a request has no response, as the producer said it; when it said nothing, that the
/// file records no answer and no reason, which is itself what a person needs to know.
fn no_response(status: Option<f64>, failure: Option<&str>) -> TransportError {
    let status_code = || match status {
        Some(s) => format!("status {s}"),
        None => "no response".to_owned(),
    };
    let Some(message) = failure else {
        return TransportError {
            code: status_code(),
            message: "status 0 and no error text in the HAR: the request was blocked, cancelled or failed before an answer arrived, and the browser did not record why".to_owned(),
            span: None,
        };
    };
    // Chromium's own code when the text carries one; else the kind of failure the words
    // name (mitmproxy writes Python's messages), which is how the other readers record it.
    let code = message
        .split_whitespace()
        .find(|w| w.starts_with("net::"))
        .map(str::to_owned)
        .or_else(|| match classify_message(message) {
            Failure::Other => None,
            failure => Some(failure.code().to_owned()),
        })
        .unwrap_or_else(status_code);
    TransportError {
        code,
        message: message.to_owned(),
        span: None,
    }
}

fn headers(text: &str, pairs: Pairs) -> Vec<Header> {
    let mut headers = Vec::with_capacity(pairs.0.len());
    let pairs = pairs
        .0
        .into_iter()
        // HTTP/2 pseudo-headers (`:authority`, `:status`) repeat the request line.
        .filter(|h| !h.name.starts_with(':'))
        .map(|h| {
            let span = match (&h.name, &h.value) {
                (Cow::Borrowed(n), Cow::Borrowed(v)) => {
                    offset_in(text, n).zip(offset_in(text, v)).map(|(a, b)| {
                        // Most producers write the name first; some write the value first.
                        Span::new(a.min(b), (a + n.len()).max(b + v.len()))
                    })
                }
                _ => None,
            };
            Header {
                name: h.name.into_owned(),
                value: h.value.into_owned(),
                span,
            }
        });
    headers.extend(pairs);
    headers
}

fn request_body(text: &str, post: PostData) -> Option<Body> {
    let base64 = is_base64(&post.encoding);
    if let Some(content) = post.text.0.filter(|t| !t.is_empty()) {
        return Some(body(text, content, base64));
    }
    // Charles and some proxies record a form as its fields only. The fields joined again
    // are the body the server read (a field with no value is written bare: Charles records
    // a JSON body sent as a form as one field named after the whole JSON text).
    let multipart = post.mime_type.0.as_deref().is_some_and(|m| {
        m.trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/")
    });
    if post.params.0.is_empty() || multipart {
        return None;
    }
    let mut joined = String::new();
    for (n, field) in post.params.0.iter().enumerate() {
        if n > 0 {
            joined.push('&');
        }
        joined.push_str(&field.name);
        if !field.value.is_empty() {
            joined.push('=');
            joined.push_str(&field.value);
        }
    }
    Some(Body::decoded(joined))
}

fn response_body(text: &str, content: Content) -> Option<Body> {
    if content.is_binary.0 {
        // Polly.JS keeps binary bodies as hex chunks of the raw, often compressed bytes:
        // reading them as the body would show hex where the response had JSON or HTML.
        let size = content
            .size
            .0
            .filter(|s| *s > 0.0)
            .map(crate::knowledge::number::count);
        return Some(Body::decoded(match size {
            Some(n) => format!("[{n} bytes of binary content]"),
            None => "[binary content]".to_owned(),
        }));
    }
    let base64 = is_base64(&content.encoding);
    content
        .text
        .0
        .filter(|t| !t.is_empty())
        .map(|t| body(text, t, base64))
}

fn is_base64(encoding: &Text) -> bool {
    encoding
        .0
        .as_deref()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"))
}

fn body(text: &str, content: Cow<str>, base64: bool) -> Body {
    if base64 {
        return match decode_base64(&content) {
            Some(bytes) => match String::from_utf8(bytes) {
                Ok(decoded) => Body::decoded(decoded),
                Err(e) => {
                    let mut text = format!("[{} bytes of binary content]", e.as_bytes().len());
                    if let Some(trailer) = grpc_web_trailer(e.as_bytes()) {
                        text.push('\n');
                        text.push_str(&trailer);
                    }
                    Body::decoded(text)
                }
            },
            None => Body::decoded(content.into_owned()),
        };
    }
    match content {
        Cow::Borrowed(verbatim) => match offset_in(text, verbatim) {
            Some(at) => Body::verbatim(verbatim, at),
            None => Body::decoded(verbatim.to_owned()),
        },
        Cow::Owned(decoded) => Body::decoded(decoded),
    }
}

/// The trailer frame of a gRPC-Web body (flag 0x80, a 4-byte length, then `grpc-status: 16`
/// lines), when the bytes are a sequence of gRPC-Web frames.
fn grpc_web_trailer(bytes: &[u8]) -> Option<String> {
    let mut at = 0;
    while at + 5 <= bytes.len() {
        let flag = bytes[at];
        let length = u32::from_be_bytes(bytes[at + 1..at + 5].try_into().ok()?) as usize;
        let frame = bytes.get(at + 5..at + 5 + length)?;
        if flag & 0x80 != 0 {
            return std::str::from_utf8(frame)
                .ok()
                .filter(|t| t.to_ascii_lowercase().contains("grpc-status"))
                .map(|t| t.trim_end().to_owned());
        }
        at += 5 + length;
    }
    None
}

/// Base64 as producers write it: padded or not, and wrapped in lines by some.
fn decode_base64(content: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    let compact: Cow<str> = if content.bytes().any(|b| b.is_ascii_whitespace()) {
        Cow::Owned(
            content
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect(),
        )
    } else {
        Cow::Borrowed(content)
    };
    STANDARD
        .decode(compact.as_bytes())
        .or_else(|_| STANDARD_NO_PAD.decode(compact.trim_end_matches('=').as_bytes()))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_status_zero_and_playwright_failures() {
        let text = r#"{"log":{"version":"1.2","entries":[
          {"request":{"method":"GET","url":"http://b.test/x","headers":[{"name":"Origin","value":"http://a.test"}]},"response":{"status":0,"headers":[],"content":{}},"_error":"net::ERR_FAILED"},
          {"request":{"method":"GET","url":"http://b.test/y"},"response":{"status":-1,"_failureText":"net::ERR_FAILED"}},
          {"request":{"method":"GET","url":"http://b.test/z"},"response":{"status":200,"content":{"text":"eyJhIjoxfQ==","encoding":"base64"}}}
        ]}}"#;
        let capture = read(text);
        assert!(capture.issues.is_empty());
        assert_eq!(
            capture.exchanges[0].transport_error.as_ref().unwrap().code,
            "net::ERR_FAILED"
        );
        assert_eq!(
            capture.exchanges[1].transport_error.as_ref().unwrap().code,
            "net::ERR_FAILED"
        );
        assert_eq!(
            capture.exchanges[2]
                .response
                .as_ref()
                .unwrap()
                .body
                .as_ref()
                .unwrap()
                .text,
            "{\"a\":1}"
        );
        let origin = &capture.exchanges[0].request.as_ref().unwrap().headers[0];
        let span = origin.span.unwrap();
        assert!(text[span.start..span.end].starts_with("Origin"));
    }

    #[test]
    fn wrong_types_skip_the_entry_and_a_cut_keeps_the_rest() {
        let text = r#"{"log":{"entries":[{"request":{"url":5}},{"request":{"method":"GET","url":"http://a.test/"},"response":{"status":404}},{"request":{"url":"#;
        let capture = read(text);
        assert_eq!(capture.exchanges.len(), 1);
        assert!(matches!(capture.issues[0], InputIssue::Skipped { .. }));
        assert!(matches!(capture.issues[1], InputIssue::Truncated { .. }));
    }

    fn one(entry: &str) -> Exchange {
        let text = format!("{{\"log\":{{\"version\":\"1.2\",\"entries\":[{entry}]}}}}");
        let capture = read(&text);
        assert!(capture.issues.is_empty(), "{:?}", capture.issues);
        assert_eq!(capture.exchanges.len(), 1);
        capture.exchanges.into_iter().next().unwrap()
    }

    #[test]
    fn odd_field_types_cost_the_field_not_the_entry() {
        // Bug: one field of an unexpected type (a null header value, a status written as a
        // string, IE11's cookies object, a numeric pageref, headers as an object) made the
        // whole entry unreadable.
        let exchange = one(
            r#"{"pageref": 0, "startedDateTime": "2016-06-28T19:01:11.59+00:00", "time": "16",
              "request": {"method": "GET", "url": "http://a.test/favicon.ico", "httpVersion": null,
                "cookies": {"name": "previewCols", "value": "url"},
                "headers": [{"name": "Accept", "value": null}, {"name": "Content-Length", "value": 5216},
                            "junk", {"value": "no name"}, {"name": "X-Ok", "value": "1", "_fromType": "array"}],
                "postData": null},
              "response": {"status": "404", "statusText": null, "httpVersion": "HTTP/1.1",
                "headers": {"Content-Type": "text/html", "Content-Length": "5,216"},
                "content": {"size": "5,216", "text": null, "comment": "not saved"},
                "redirectURL": null, "redirectionURL": ""},
              "timings": {"send": -1, "wait": 16}, "comment": ""}"#,
        );
        let request = exchange.request.as_ref().unwrap();
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .map(|h| (h.name.as_str(), h.value.as_str()))
            .collect();
        assert_eq!(
            headers,
            [("Accept", ""), ("Content-Length", "5216"), ("X-Ok", "1")]
        );
        assert_eq!(request.version, None);
        let response = exchange.response.as_ref().unwrap();
        assert_eq!(response.status, 404);
        assert_eq!(response.reason, "");
        assert_eq!(response.headers.len(), 2);
        assert!(response.body.is_none());
        let timings = exchange.timings.as_ref().unwrap();
        assert_eq!(timings.total_ms, Some(16.0));
        // IE11 writes two digits of fraction: .59 is 590 ms.
        assert_eq!(timings.started_ms, Some(1_467_140_471_590));
    }

    #[test]
    fn timing_phases_keep_what_the_producer_measured() {
        // The shape Firefox and Chrome's DevTools export (HAR 1.2 §timings): -1 where a
        // phase did not apply, fractions of milliseconds, numbers as strings from older
        // tools. Playwright, which recorded the fixtures, writes no `blocked`.
        let exchange = one(
            r#"{"startedDateTime": "2026-11-25T10:00:00.000Z", "time": 26.5,
              "request": {"method": "GET", "url": "http://a.test/", "headers": []},
              "response": {"status": 200, "headers": []},
              "timings": {"blocked": 0.654, "dns": -1, "connect": "3", "ssl": -1, "send": 0,
                          "wait": 20.1, "receive": 2.75, "_blocked_queueing": 0.4}}"#,
        );
        let phases = exchange.timings.unwrap().phases.unwrap();
        assert_eq!(
            phases.named().collect::<Vec<_>>(),
            [
                ("blocked", 0.654),
                ("connect", 3.0),
                ("send", 0.0),
                ("wait", 20.1),
                ("receive", 2.75)
            ]
        );
        let unknown = one(
            r#"{"request": {"method": "GET", "url": "http://a.test/", "headers": []},
              "timings": {"send": -1, "wait": -1, "receive": -1}}"#,
        );
        assert_eq!(unknown.timings.unwrap().phases, None);
    }

    #[test]
    fn a_form_recorded_as_its_fields_is_the_body() {
        // Bug: Charles records a form POST as `params` without `text`; the body was lost.
        let exchange = one(
            r#"{"request": {"method": "POST", "url": "http://a.test/x", "headers": [],
                "postData": {"mimeType": "application/x-www-form-urlencoded",
                  "params": [{"name": "{\"className\":\"ReqShop\",\"page\":2}", "value": ""}]}},
              "response": {"status": 200, "headers": []}}"#,
        );
        let body = exchange.request.unwrap().body.unwrap();
        assert_eq!(body.text, r#"{"className":"ReqShop","page":2}"#);
        let exchange = one(r#"{"request": {"method": "POST", "url": "http://a.test/x",
                "postData": {"params": [{"name": "a", "value": "1"}, {"name": "b", "value": "x y"}]}},
              "response": {"status": 422}}"#);
        assert_eq!(exchange.request.unwrap().body.unwrap().text, "a=1&b=x y");
        // A multipart form's fields are not its body.
        let exchange = one(r#"{"request": {"method": "POST", "url": "http://a.test/x",
                "postData": {"mimeType": "multipart/form-data; boundary=x", "params": [{"name": "f", "fileName": "a.png"}]}},
              "response": {"status": 200}}"#);
        assert!(exchange.request.unwrap().body.is_none());
    }

    #[test]
    fn polly_s_hex_chunks_are_binary_not_the_body() {
        // Bug: Polly.JS's `_isBinary` bodies (a JSON list of hex chunks of gzip bytes) were
        // read as the response body.
        let exchange = one(
            r#"{"request": {"method": "GET", "url": "https://api.test/users/x"},
              "response": {"status": 200, "content": {"_isBinary": true, "mimeType": "application/json", "size": 525,
                "text": "[\"1f8b0800000000000003\",\"0992a4e49ebbbd80\"]"}}}"#,
        );
        let body = exchange.response.unwrap().body.unwrap();
        assert_eq!(body.text, "[525 bytes of binary content]");
    }

    #[test]
    fn base64_without_padding_or_in_lines_is_decoded() {
        // Bug: base64 bodies without padding, or wrapped in lines, were shown undecoded.
        for encoded in ["eyJhIjoxfQ", "eyJh\nIjox\r\nfQ=="] {
            let entry = format!(
                r#"{{"request": {{"method": "GET", "url": "http://a.test/"}}, "response": {{"status": 401, "content": {{"text": {}, "encoding": "base64"}}}}}}"#,
                serde_json::to_string(encoded).unwrap()
            );
            assert_eq!(
                one(&entry).response.unwrap().body.unwrap().text,
                "{\"a\":1}"
            );
        }
    }

    #[test]
    fn a_request_without_response_says_why_in_the_producer_s_words() {
        let code = |entry: &str| {
            let error = one(entry).transport_error.unwrap();
            (error.code, error.message)
        };
        // mitmproxy: Python's message, recorded by the kind it names.
        let (c, _) = code(
            r#"{"request": {"method": "GET", "url": "http://a.test/"}, "response": {"status": 0, "headers": [], "content": {}, "_error": "[Errno 60] Connect call failed ('10.0.0.1', 80)"}}"#,
        );
        assert_eq!(c, "timeout");
        // Chromium's code, on the response or (older exports) on the entry.
        let (c, _) = code(
            r#"{"request": {"method": "GET", "url": "http://a.test/"}, "response": {"status": 0}, "_error": "net::ERR_NAME_NOT_RESOLVED"}"#,
        );
        assert_eq!(c, "net::ERR_NAME_NOT_RESOLVED");
        // A tool that puts the reason in a comment.
        let (c, m) = code(
            r#"{"request": {"method": "GET", "url": "http://a.test/"}, "response": {"status": 0, "comment": "Connection refused"}}"#,
        );
        assert_eq!(
            (c.as_str(), m.as_str()),
            ("connection refused", "Connection refused")
        );
        // No response at all, and status 0 with nothing said.
        let (c, _) =
            code(r#"{"request": {"method": "GET", "url": "http://a.test/"}, "response": null}"#);
        assert_eq!(c, "no response");
        let (c, m) = code(
            r#"{"request": {"method": "GET", "url": "http://a.test/", "httpVersion": "unknown"}, "response": {"status": 0, "statusText": "", "_error": null}}"#,
        );
        assert_eq!(c, "status 0");
        assert!(m.contains("no error text"), "{m}");
    }
}
