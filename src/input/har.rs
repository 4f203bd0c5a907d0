//! HAR 1.2 as Chromium, Firefox, Safari and Playwright write it.
//!
//! `log.entries` is cut into entries by a structure scan first, so every exchange knows its
//! place in the input and a file cut off mid-entry still yields the entries before the cut.
//! Each entry is then parsed on its own: one entry with wrong types is skipped and reported,
//! not fatal.

use std::borrow::Cow;

use serde::Deserialize;

use super::json_scan::{elements, skip_ws, walk_members};
use super::lines::offset_in;
use crate::knowledge::{time, url};
use crate::model::{
    Body, Capture, Exchange, Header, InputIssue, Request, Response, Span, Timings, TransportError,
};

pub(crate) fn looks_like_har(head: &str) -> bool {
    head.contains("\"log\"")
        && (head.contains("\"entries\"")
            || head.contains("\"creator\"")
            || head.contains("\"version\""))
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow, default)]
    pageref: Option<Cow<'a, str>>,
    #[serde(rename = "startedDateTime", borrow, default)]
    started: Option<Cow<'a, str>>,
    #[serde(default)]
    time: Option<f64>,
    #[serde(borrow)]
    request: HarRequest<'a>,
    #[serde(borrow, default)]
    response: Option<HarResponse<'a>>,
    #[serde(rename = "_error", borrow, default)]
    error: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct HarRequest<'a> {
    #[serde(borrow, default)]
    method: Option<Cow<'a, str>>,
    #[serde(borrow)]
    url: Cow<'a, str>,
    #[serde(rename = "httpVersion", borrow, default)]
    http_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    headers: Option<Vec<HarHeader<'a>>>,
    #[serde(rename = "postData", borrow, default)]
    post_data: Option<PostData<'a>>,
}

#[derive(Deserialize)]
struct PostData<'a> {
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct HarResponse<'a> {
    #[serde(default)]
    status: Option<f64>,
    #[serde(rename = "statusText", borrow, default)]
    status_text: Option<Cow<'a, str>>,
    #[serde(rename = "httpVersion", borrow, default)]
    http_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    headers: Option<Vec<HarHeader<'a>>>,
    #[serde(borrow, default)]
    content: Option<Content<'a>>,
    #[serde(rename = "_failureText", borrow, default)]
    failure_text: Option<Cow<'a, str>>,
    #[serde(rename = "_error", borrow, default)]
    error: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Content<'a> {
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    encoding: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct HarHeader<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    value: Cow<'a, str>,
}

#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    title: Option<Cow<'a, str>>,
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
    let mut capture = Capture::default();
    let Some(layout) = layout(text) else {
        capture.issues.push(InputIssue::Skipped {
            what: "a HAR file is a JSON object; this input does not start with `{`".into(),
            span: None,
        });
        return capture;
    };
    let root_closed = layout.root_closed;
    let log_closed = layout.log.is_some_and(|(_, end)| end.is_some());
    let pages = layout
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
        return capture;
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
        return capture;
    };
    let mut page_of_entry = Vec::with_capacity(slices.len());
    for (n, &(start, end)) in slices.iter().enumerate() {
        match serde_json::from_str::<Entry>(&text[start..end]) {
            Ok(entry) => {
                page_of_entry.push(entry.pageref.as_deref().map(str::to_owned));
                let mut exchange = to_exchange(text, entry, Span::new(start, end));
                exchange.entry = Some(n);
                capture.exchanges.push(exchange);
            }
            Err(error) => capture.issues.push(InputIssue::Skipped {
                what: format!(
                    "HAR entry {} could not be read ({error}) and was skipped",
                    n + 1
                ),
                span: Some(Span::new(start, end)),
            }),
        }
    }
    assign_page_origins(&mut capture.exchanges, &page_of_entry, &pages);
    if !entries_closed || !log_closed || !root_closed {
        let what = match slices.last() {
            Some(_) if !entries_closed => format!(
                "the HAR file is cut off after entry {}; the entry being written when it stopped is lost",
                slices.len()
            ),
            None if !entries_closed => {
                "the HAR file is cut off before its first complete entry".to_owned()
            }
            _ => "the HAR file is cut off after its entries".to_owned(),
        };
        let tail = slices.last().map_or(entries_start, |s| s.1);
        capture.issues.push(InputIssue::Truncated {
            what,
            span: Some(Span::new(tail, text.len())),
        });
    }
    capture
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
                page.id?.into_owned(),
                url::origin(page.title.as_deref()?)?.to_owned(),
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

fn to_exchange(text: &str, entry: Entry, span: Span) -> Exchange {
    let request = Request {
        method: entry.request.method.map(Cow::into_owned),
        url: entry.request.url.into_owned(),
        version: entry.request.http_version.map(Cow::into_owned),
        headers: headers(text, entry.request.headers),
        body: entry
            .request
            .post_data
            .and_then(|p| p.text)
            .filter(|t| !t.is_empty())
            .map(|t| body(text, t, false)),
        handed: Vec::new(),
        span: Some(span),
    };
    let mut transport_error = None;
    let mut response = None;
    if let Some(r) = entry.response {
        let status = r.status.unwrap_or(0.0);
        let failure = r.failure_text.or(r.error).or(entry.error.clone());
        if let Some(code) = crate::knowledge::number::status(status) {
            let base64 = r.content.as_ref().and_then(|c| c.encoding.as_deref()) == Some("base64");
            response = Some(Response {
                status: code,
                reason: r.status_text.map(Cow::into_owned).unwrap_or_default(),
                version: r
                    .http_version
                    .map(Cow::into_owned)
                    .filter(|v| !v.is_empty()),
                headers: headers(text, r.headers),
                body: r
                    .content
                    .and_then(|c| c.text)
                    .filter(|t| !t.is_empty())
                    .map(|t| body(text, t, base64)),
                interim: Vec::new(),
                span: Some(span),
            });
        } else {
            transport_error = Some(no_response(status, failure.as_deref()));
        }
    } else {
        transport_error = Some(no_response(0.0, entry.error.as_deref()));
    }
    let started_ms = entry.started.as_deref().and_then(time::parse_rfc3339_ms);
    Exchange {
        request: Some(request),
        response,
        transport_error,
        timings: Some(Timings {
            started: entry.started.map(Cow::into_owned),
            started_ms,
            total_ms: entry.time.filter(|t| *t >= 0.0),
        }),
        page_origin: None,
        notes: Vec::new(),
        span: Some(span),
        entry: None,
    }
}

fn no_response(status: f64, failure: Option<&str>) -> TransportError {
    let message = failure
        .filter(|f| !f.is_empty())
        .unwrap_or("no response was recorded")
        .to_owned();
    let code = message
        .split_whitespace()
        .find(|w| w.starts_with("net::"))
        .map_or_else(|| format!("status {status}"), str::to_owned);
    TransportError {
        code,
        message,
        span: None,
    }
}

fn headers(text: &str, headers: Option<Vec<HarHeader>>) -> Vec<Header> {
    headers
        .unwrap_or_default()
        .into_iter()
        .filter(|h| !h.name.starts_with(':'))
        .map(|h| {
            let span = match (&h.name, &h.value) {
                (Cow::Borrowed(n), Cow::Borrowed(v)) => offset_in(text, n)
                    .zip(offset_in(text, v))
                    .map(|(a, b)| Span::new(a, b + v.len())),
                _ => None,
            };
            Header {
                name: h.name.into_owned(),
                value: h.value.into_owned(),
                span,
            }
        })
        .collect()
}

fn body(text: &str, content: Cow<str>, base64: bool) -> Body {
    if base64 {
        use base64::Engine;
        return match base64::engine::general_purpose::STANDARD.decode(content.trim().as_bytes()) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(decoded) => Body::decoded(decoded),
                Err(e) => {
                    Body::decoded(format!("[{} bytes of binary content]", e.as_bytes().len()))
                }
            },
            Err(_) => Body::decoded(content.into_owned()),
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
}
