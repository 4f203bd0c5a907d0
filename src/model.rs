//! The normalized exchange model every reader produces and every rule reads.
//!
//! Positions are byte offsets into the text that was diagnosed, so a finding can quote its
//! evidence and the page can highlight it in place.

use std::borrow::Cow;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeTuple, Serializer};
use serde::{Deserialize, Serialize};

/// A byte range of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

/// One header field as it appeared in the input.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Most often one of [`COMMON_HEADER_NAMES`], borrowed (see [`header_name`]).
    pub name: Cow<'static, str>,
    pub value: String,
    /// Where the whole `name: value` line sits in the input, when the reader knows.
    pub span: Option<Span>,
}

/// A header's name, borrowed from [`COMMON_HEADER_NAMES`] when it is written as one of
/// them, and owned otherwise. A large HAR repeats a few dozen names hundreds of thousands
/// of times (355,000 headers in the 52 MB criterion HAR): borrowed, each costs a hash
/// lookup rather than an allocation, a copy and, once the report is dropped, a free (a
/// quarter of the instructions that dropping such a report took).
pub fn header_name<'a>(name: impl Into<Cow<'a, str>>) -> Cow<'static, str> {
    static COMMON: std::sync::LazyLock<foldhash::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| COMMON_HEADER_NAMES.iter().copied().collect());
    let name = name.into();
    match COMMON.get(name.as_ref()) {
        Some(common) => Cow::Borrowed(common),
        None => Cow::Owned(name.into_owned()),
    }
}

/// The header names browsers and servers send most, as they write them: lower case (HTTP/2
/// and HTTP/3) and capitalized (HTTP/1.1).
const COMMON_HEADER_NAMES: &[&str] = &[
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Accept-Ranges",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Headers",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Request-Headers",
    "Access-Control-Request-Method",
    "Age",
    "Allow",
    "Alt-Svc",
    "Authorization",
    "CF-RAY",
    "Cache-Control",
    "Cf-Cache-Status",
    "Cf-Ray",
    "Connection",
    "Content-Disposition",
    "Content-Encoding",
    "Content-Language",
    "Content-Length",
    "Content-Security-Policy",
    "Content-Type",
    "Cookie",
    "Cross-Origin-Embedder-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "DNT",
    "Date",
    "Dnt",
    "ETag",
    "Etag",
    "Expect-Ct",
    "Expires",
    "Host",
    "If-Modified-Since",
    "If-None-Match",
    "Keep-Alive",
    "Last-Modified",
    "Link",
    "Location",
    "NEL",
    "Nel",
    "Origin",
    "Permissions-Policy",
    "Pragma",
    "Priority",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "Range",
    "Referer",
    "Referrer-Policy",
    "Report-To",
    "Retry-After",
    "Sec-Ch-Ua",
    "Sec-Ch-Ua-Mobile",
    "Sec-Ch-Ua-Platform",
    "Sec-Fetch-Dest",
    "Sec-Fetch-Mode",
    "Sec-Fetch-Site",
    "Sec-Fetch-User",
    "Server",
    "Server-Timing",
    "Set-Cookie",
    "Strict-Transport-Security",
    "TE",
    "Te",
    "Timing-Allow-Origin",
    "Trailer",
    "Transfer-Encoding",
    "Upgrade",
    "Upgrade-Insecure-Requests",
    "User-Agent",
    "Vary",
    "Via",
    "WWW-Authenticate",
    "Www-Authenticate",
    "X-Cache",
    "X-Content-Type-Options",
    "X-Forwarded-For",
    "X-Frame-Options",
    "X-Powered-By",
    "X-Ratelimit-Limit",
    "X-Ratelimit-Remaining",
    "X-Ratelimit-Reset",
    "X-Request-Id",
    "X-Requested-With",
    "X-XSS-Protection",
    "X-Xss-Protection",
    "accept",
    "accept-encoding",
    "accept-language",
    "accept-ranges",
    "access-control-allow-credentials",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-allow-origin",
    "access-control-expose-headers",
    "access-control-max-age",
    "access-control-request-headers",
    "access-control-request-method",
    "age",
    "allow",
    "alt-svc",
    "authorization",
    "cache-control",
    "cf-cache-status",
    "cf-ray",
    "connection",
    "content-disposition",
    "content-encoding",
    "content-language",
    "content-length",
    "content-security-policy",
    "content-type",
    "cookie",
    "cross-origin-embedder-policy",
    "cross-origin-opener-policy",
    "cross-origin-resource-policy",
    "date",
    "dnt",
    "etag",
    "expect-ct",
    "expires",
    "host",
    "if-modified-since",
    "if-none-match",
    "keep-alive",
    "last-modified",
    "link",
    "location",
    "nel",
    "origin",
    "permissions-policy",
    "pragma",
    "priority",
    "proxy-authenticate",
    "proxy-authorization",
    "range",
    "referer",
    "referrer-policy",
    "report-to",
    "retry-after",
    "sec-ch-ua",
    "sec-ch-ua-mobile",
    "sec-ch-ua-platform",
    "sec-fetch-dest",
    "sec-fetch-mode",
    "sec-fetch-site",
    "sec-fetch-user",
    "server",
    "server-timing",
    "set-cookie",
    "strict-transport-security",
    "te",
    "timing-allow-origin",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "upgrade-insecure-requests",
    "user-agent",
    "vary",
    "via",
    "www-authenticate",
    "x-cache",
    "x-content-type-options",
    "x-forwarded-for",
    "x-frame-options",
    "x-powered-by",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-request-id",
    "x-requested-with",
    "x-xss-protection",
];

/// Headers read back from `[name, value]` pairs (a report passed from a Web Worker).
impl<'de> Deserialize<'de> for Header {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Pair;
        impl<'de> Visitor<'de> for Pair {
            type Value = Header;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a [name, value] pair")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Header, A::Error> {
                let name = seq
                    .next_element()?
                    .ok_or_else(|| serde::de::Error::invalid_length(0, &self))?;
                let value = seq
                    .next_element()?
                    .ok_or_else(|| serde::de::Error::invalid_length(1, &self))?;
                Ok(Header {
                    name: Cow::Owned(name),
                    value,
                    span: None,
                })
            }
        }
        deserializer.deserialize_seq(Pair)
    }
}

/// Headers serialize as `[name, value]` pairs: the public JSON shape.
impl Serialize for Header {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut pair = serializer.serialize_tuple(2)?;
        pair.serialize_element(&self.name)?;
        pair.serialize_element(&self.value)?;
        pair.end()
    }
}

/// A message body, decoded to text, with a map back to the input.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub text: String,
    /// `(offset in text, offset in input)` pairs, sorted: each starts a run of bytes that
    /// were copied verbatim from the input. Empty when the body was decoded (HAR, base64).
    #[serde(skip, default)]
    pub segments: Vec<(usize, usize)>,
    /// Bytes the producer said it sent but the input does not contain (curl's
    /// `{ [N bytes data]` without the data, a Content-Length larger than the body).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_bytes: Option<usize>,
    /// Set when the text was cut for display or `--json`: what was kept and the whole size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truncated: Option<Truncated>,
    /// Set while the body is not read yet (`text` is then empty): a HAR's successful
    /// responses, whose bodies a diagnosis that shows a first screen reads after it
    /// ([`crate::Diagnosis::first_screen_first`]).
    #[serde(skip)]
    pub unread: Option<Unread>,
}

/// Where a body left unread sits in the input: the content of a JSON string (between its
/// quotes), valid JSON already (it was checked when it was stepped over).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unread {
    pub span: Span,
    /// Whether the string holds escapes (else its text is the input's, verbatim).
    pub escaped: bool,
    /// Whether the text is base64 (HAR `content.encoding`).
    pub base64: bool,
}

/// How much of a cut body is left (bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truncated {
    pub kept: usize,
    pub total: usize,
}

impl Body {
    /// Keeps at most `limit` bytes of the text, cut on a character boundary.
    pub fn cut(&mut self, limit: usize) {
        if self.text.len() <= limit {
            return;
        }
        let total = self.text.len();
        let kept = self.text.floor_char_boundary(limit);
        self.text.truncate(kept);
        self.segments.retain(|(at, _)| *at < kept);
        self.truncated = Some(Truncated { kept, total });
    }

    /// A body copied verbatim from `input_offset` onwards.
    pub fn verbatim(text: &str, input_offset: usize) -> Self {
        Body {
            text: text.to_owned(),
            segments: vec![(0, input_offset)],
            missing_bytes: None,
            truncated: None,
            unread: None,
        }
    }

    /// A body that does not map back to the input byte for byte.
    pub fn decoded(text: String) -> Self {
        Body {
            text,
            segments: Vec::new(),
            missing_bytes: None,
            truncated: None,
            unread: None,
        }
    }

    /// A body to be read later, from where `unread` says.
    pub fn unread(unread: Unread) -> Self {
        Body {
            unread: Some(unread),
            ..Body::default()
        }
    }

    /// Where `range` of the body text sits in the input, if it was copied verbatim and does
    /// not straddle two runs.
    pub fn span_of(&self, start: usize, end: usize) -> Option<Span> {
        let run = self
            .segments
            .partition_point(|&(body_at, _)| body_at <= start);
        let (body_at, input_at) = *self.segments.get(run.checked_sub(1)?)?;
        let run_end = self
            .segments
            .get(run)
            .map_or(self.text.len(), |&(next, _)| next);
        (end <= run_end).then(|| Span::new(input_at + start - body_at, input_at + end - body_at))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// `None` when the input names no method (a console message, a bare URL).
    pub method: Option<String>,
    /// The URL or request target as written (absolute URL, or a path for raw HTTP).
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub headers: Vec<Header>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// Credentials the paste shows being handed to the client on its command line
    /// (`API_TOKEN=eyJ… go run main.go`) without showing how the client sends them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handed: Vec<Header>,
    #[serde(skip, default)]
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// The status code; 0 when the input shows a body but no status (a bare JSON body).
    pub status: u16,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub headers: Vec<Header>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// Interim responses (`100 Continue`, `103 Early Hints`) that came before this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interim: Vec<u16>,
    #[serde(skip, default)]
    pub span: Option<Span>,
}

/// A failure below HTTP: no response could be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransportError {
    /// The producer's own code: `curl 7`, `net::ERR_CONNECTION_REFUSED`, `ECONNREFUSED`,
    /// `cors` for a browser CORS block.
    pub code: String,
    /// The message as the producer printed it.
    pub message: String,
    #[serde(skip, default)]
    pub span: Option<Span>,
}

/// A line a client printed about the exchange (curl's `*` lines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    pub text: String,
    #[serde(skip, default)]
    pub span: Option<Span>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// When the request started, as the producer wrote it (HAR `startedDateTime`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<String>,
    /// Milliseconds since the Unix epoch, parsed from `started`.
    #[serde(skip, default)]
    pub started_ms: Option<i64>,
    /// Total time in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_ms: Option<f64>,
    /// How the total divides into phases (HAR `timings`), when the producer says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phases: Option<Phases>,
}

/// The phases of one exchange in milliseconds, as HAR 1.2 `timings` names them; `None` where
/// the producer wrote -1 (not applicable, such as DNS on a reused connection) or nothing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Phases {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<f64>,
    /// Includes `ssl` (HAR 1.2 says so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connect: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ssl: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receive: Option<f64>,
}

impl Phases {
    /// The phases in the order they happen, by their HAR names, with the known ones only.
    pub fn named(&self) -> impl Iterator<Item = (&'static str, f64)> {
        [
            ("blocked", self.blocked),
            ("dns", self.dns),
            ("connect", self.connect),
            ("ssl", self.ssl),
            ("send", self.send),
            ("wait", self.wait),
            ("receive", self.receive),
        ]
        .into_iter()
        .filter_map(|(name, ms)| Some((name, ms?)))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exchange {
    pub request: Option<Request>,
    pub response: Option<Response>,
    pub transport_error: Option<TransportError>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timings: Option<Timings>,
    /// The origin of the page that made the request (HAR page, console message).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_origin: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
    /// Where the whole exchange sits in the input.
    #[serde(skip, default)]
    pub span: Option<Span>,
    /// For a HAR, the entry's position in `log.entries` (counting entries that could not be
    /// read): what a share link and a permalink name.
    #[serde(skip, default)]
    pub entry: Option<usize>,
}

/// Something a reader noticed about the input as a whole.
#[derive(Debug, Clone, PartialEq)]
pub enum InputIssue {
    /// The input stops mid-message.
    Truncated { what: String, span: Option<Span> },
    /// Part of the input could not be read and was skipped.
    Skipped { what: String, span: Option<Span> },
}

/// What a reader made of the input.
#[derive(Debug, Clone, Default)]
pub struct Capture {
    pub exchanges: Vec<Exchange>,
    pub issues: Vec<InputIssue>,
}

/// Case-insensitive header look-ups shared by requests and responses.
pub trait HasHeaders {
    fn headers(&self) -> &[Header];

    fn header(&self, name: &str) -> Option<&Header> {
        self.headers()
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
    }

    fn header_value(&self, name: &str) -> Option<&str> {
        self.header(name).map(|h| h.value.as_str())
    }

    fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Header> + 'a {
        self.headers()
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
    }
}

impl HasHeaders for Request {
    fn headers(&self) -> &[Header] {
        &self.headers
    }
}

impl HasHeaders for Response {
    fn headers(&self) -> &[Header] {
        &self.headers
    }
}

impl Request {
    pub fn method_is(&self, method: &str) -> bool {
        self.method
            .as_deref()
            .is_some_and(|m| m.eq_ignore_ascii_case(method))
    }
}

impl Response {
    pub fn body_text(&self) -> &str {
        self.body.as_ref().map_or("", |b| b.text.as_str())
    }

    pub fn media_type(&self) -> Option<String> {
        self.header_value("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }
}

#[cfg(test)]
impl Exchange {
    /// For tests: a request to `url` answered with `status`, with `headers` and `body`.
    pub(crate) fn answered(
        url: &str,
        status: u16,
        headers: Vec<Header>,
        body: Option<&str>,
    ) -> Exchange {
        Exchange {
            request: Some(Request {
                url: url.to_owned(),
                ..Request::default()
            }),
            response: Some(Response {
                status,
                headers,
                body: body.map(|b| Body::decoded(b.to_owned())),
                ..Response::default()
            }),
            ..Exchange::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_header_names_are_borrowed_in_either_spelling_and_others_owned() {
        for name in [
            "content-type",
            "Content-Type",
            "www-authenticate",
            "WWW-Authenticate",
        ] {
            let read = header_name(name.to_owned());
            assert!(matches!(read, Cow::Borrowed(_)), "{name}");
            assert_eq!(read, name);
        }
        for name in ["CONTENT-TYPE", "x-my-header", "content-type ", ""] {
            let read = header_name(name);
            assert!(matches!(read, Cow::Owned(_)), "{name:?}");
            assert_eq!(read, name);
        }
    }
}
