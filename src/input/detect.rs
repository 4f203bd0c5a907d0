//! Which reader reads a paste: every format's signals are counted over the text (not its
//! first byte), the strongest wins, and the report says why (`detected_by`).

use super::Format;
use super::http1::{parse_request_line, parse_status_line};
use super::lines::{Line, lines};

/// How much of the input detection looks at: enough for any real preamble, and keeps
/// detection cheap on huge pastes (a HAR's shape is clear from its start).
const SNIFF_BYTES: usize = 256 * 1024;

/// The reader chosen, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Detection {
    pub format: Format,
    /// In words, for the report: `3 lines of curl -v output (> GET …, < HTTP/…)`.
    pub reason: String,
}

/// Signals of one format: a score and the reasons, strongest first.
#[derive(Default)]
struct Tally {
    score: u32,
    /// Each signal seen: what, how often, its weight.
    seen: Vec<(&'static str, u32, u32)>,
}

impl Tally {
    fn add(&mut self, what: &'static str, weight: u32) {
        self.score += weight;
        match self.seen.iter_mut().find(|(w, ..)| *w == what) {
            Some((_, n, _)) => *n += 1,
            None => self.seen.push((what, 1, weight)),
        }
    }

    /// The three signals that weighed most, strongest first.
    fn reason(&self) -> String {
        let mut seen = self.seen.clone();
        seen.sort_by_key(|(_, n, weight)| std::cmp::Reverse(n * weight));
        seen.iter()
            .take(3)
            .map(|(what, n, _)| {
                if *n == 1 {
                    (*what).to_owned()
                } else {
                    format!("{n}× {what}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

const CURL_ERROR: &str = "a `curl: (N)` error";

/// Browser console wordings: CORS in every browser, failed loads, blocks.
const CONSOLE_MARKERS: &[(&str, &str)] = &[
    ("by CORS policy", "a Chromium CORS message"),
    (
        "is therefore not allowed access",
        "an older Chromium CORS message",
    ),
    ("Response for preflight", "an older Chromium CORS message"),
    (
        "XMLHttpRequest cannot load ",
        "an XMLHttpRequest CORS message",
    ),
    ("Fetch API cannot load ", "a Safari CORS message"),
    ("已阻止跨源请求", "a Firefox CORS message (zh-CN)"),
    ("SEC7120:", "an Internet Explorer CORS message"),
    ("Cross-Origin Request Blocked", "a Firefox CORS message"),
    ("due to access control checks", "a Safari CORS message"),
    (
        "is not allowed by Access-Control-Allow-Origin",
        "a Safari CORS message",
    ),
    (
        "Preflight response is not successful",
        "a Safari CORS message",
    ),
    ("net::ERR_", "a net::ERR_ error"),
    ("Failed to fetch", "`Failed to fetch`"),
    (
        "NetworkError when attempting to fetch",
        "a Firefox fetch error",
    ),
    ("Failed to load resource", "`Failed to load resource`"),
    (" failed loading: ", "a `Fetch failed loading` line"),
    ("Refused to connect to", "a Content-Security-Policy refusal"),
    ("Mixed Content:", "a mixed-content block"),
    ("TypeError: Load failed", "a Safari fetch error"),
];

/// Node's error codes and messages: printed by a Node program (then its stack and
/// `util.inspect` dump say so, and the client-error reader reads it) or relayed to a browser
/// console by a dev server's proxy.
const NODE_MARKERS: &[(&str, &str)] = &[
    ("ECONNREFUSED", "a Node error code"),
    ("ENOTFOUND", "a Node error code"),
    ("ETIMEDOUT", "a Node error code"),
    ("ECONNRESET", "a Node error code"),
    ("EAI_AGAIN", "a Node error code"),
    ("socket hang up", "a Node error"),
    ("AxiosError", "an axios error"),
    ("TypeError: fetch failed", "a Node fetch error"),
    ("CERT_HAS_EXPIRED", "a Node TLS error"),
    ("DEPTH_ZERO_SELF_SIGNED_CERT", "a Node TLS error"),
    ("SELF_SIGNED_CERT_IN_CHAIN", "a Node TLS error"),
    ("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "a Node TLS error"),
    ("ERR_TLS_CERT_ALTNAME_INVALID", "a Node TLS error"),
    ("UND_ERR_", "a Node fetch error"),
    ("aborted due to timeout", "a fetch timeout"),
];

/// What only a Node process's own output holds: its stack frames, `util.inspect` dumps and
/// the version trailer of an uncaught error.
const NODE_PROCESS_MARKERS: &[&str] = &[
    "isAxiosError: true",
    "[cause]: ",
    "Node.js v",
    "(node:internal/",
    "at node:internal/",
    "Error.captureStackTrace(",
    "processTicksAndRejections",
    "[Symbol(",
    "DOMException [",
    "node_modules/axios/",
];

/// HTTP client libraries' and command-line tools' errors, in every language.
const CLIENT_MARKERS: &[(&str, &str)] = &[
    ("Traceback (most recent call last)", "a Python traceback"),
    ("requests.exceptions.", "a Python requests error"),
    ("urllib3.exceptions.", "a Python urllib3 error"),
    ("urllib.error.", "a Python urllib error"),
    ("httpx.", "a Python httpx error"),
    ("aiohttp.client_exceptions.", "a Python aiohttp error"),
    ("HTTPConnectionPool(", "a Python urllib3 error"),
    ("HTTPSConnectionPool(", "a Python urllib3 error"),
    ("http: error:", "an HTTPie error"),
    ("dial tcp", "a Go net/http error"),
    ("context deadline exceeded", "a Go net/http error"),
    ("x509: certificate", "a Go TLS error"),
    ("java.net.", "a Java error"),
    ("javax.net.ssl.", "a Java TLS error"),
    ("java.io.IOException", "a Java error"),
    ("org.springframework.web.client", "a Spring client error"),
    ("okhttp3.", "an OkHttp error"),
    (
        "System.Net.Http.HttpRequestException",
        "a .NET HttpClient error",
    ),
    ("System.Net.WebException", "a .NET error"),
    (
        "Response status code does not indicate success",
        "a .NET or PowerShell error",
    ),
    ("Invoke-RestMethod", "a PowerShell error"),
    ("Invoke-WebRequest", "a PowerShell error"),
    ("FullyQualifiedErrorId", "a PowerShell error"),
    ("An error occurred (", "an AWS CLI error"),
    ("ERROR: (gcloud.", "a gcloud error"),
    ("GraphServiceException", "a Microsoft Graph SDK error"),
    ("ServiceException", "a service client's exception"),
    ("ClientRequestId: ", "a Microsoft Graph SDK error"),
    ("Error in curl::", "an R curl or httr error"),
    ("Error in httr::", "an R httr error"),
    ("when calling the ", "an AWS CLI error"),
];

/// Router, function-platform and proxy log lines.
const LOG_MARKERS: &[(&str, &str)] = &[
    ("heroku[router]", "a Heroku router log line"),
    (" at=error code=H", "a Heroku router error"),
    ("FUNCTION_INVOCATION_TIMEOUT", "a Vercel function error"),
    ("FUNCTION_INVOCATION_FAILED", "a Vercel function error"),
    (
        "EDGE_FUNCTION_INVOCATION_TIMEOUT",
        "a Vercel function error",
    ),
    (
        "upstream timed out (110: Connection timed out)",
        "an nginx error log line",
    ),
    (
        "connect() failed (111: Connection refused)",
        "an nginx error log line",
    ),
];

fn curl_info(t: &str) -> bool {
    let rest = t.trim_start_matches('*').trim_start();
    t.starts_with('*')
        && [
            "Trying ",
            "Connected to",
            "Host ",
            "ALPN",
            "SSL",
            "TLS",
            "Closing connection",
            "Connection #",
            "Could not resolve",
            "Failed to connect",
            "IPv6:",
            "IPv4:",
            "Server certificate",
            "schannel",
            "[HTTP/2]",
            "Using HTTP2",
            "h2h3",
            "Mark bundle",
            "Request completely sent",
            "upload completely sent",
            "Operation timed out",
            "Empty reply",
            "Recv failure",
            "Uses proxy",
            "Establish HTTP proxy",
            "CONNECT tunnel",
            "Issue another request",
            "Ignoring the response-body",
            "Re-using existing",
            "Expire in",
            "processing:",
            "using HTTP",
        ]
        .iter()
        .any(|m| rest.starts_with(m))
}

fn curl_error(t: &str) -> bool {
    t.find("curl: (").is_some_and(|at| {
        t[at + 7..]
            .split(')')
            .next()
            .is_some_and(|n| n.parse::<u32>().is_ok())
    })
}

fn wget_line(t: &str) -> Option<&'static str> {
    let dated = t.starts_with("--")
        && t.get(2..6)
            .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit()))
        && t.get(21..).is_some_and(|r| r.starts_with("--"));
    if dated {
        return Some("a wget request line (--DATE--  URL)");
    }
    // `2025-06-10 12:26:43 ERROR 403: Forbidden.`
    if t.starts_with("20")
        && t.get(10..11) == Some(" ")
        && t.get(19..)
            .is_some_and(|r| r.starts_with(" ERROR ") && r[7..].contains(": "))
    {
        return Some("a wget ERROR line");
    }
    [
        (
            "HTTP request sent, awaiting response",
            "wget's `HTTP request sent`",
        ),
        (
            "Proxy request sent, awaiting response",
            "wget's `Proxy request sent`",
        ),
        ("wget: unable to resolve host", "a wget error"),
        ("---request begin---", "wget -d request block"),
        ("---response begin---", "wget -d response block"),
        ("Saving to: ", "wget's `Saving to`"),
    ]
    .iter()
    .find(|(m, _)| t.starts_with(m) || (m.starts_with("HTTP") && t.contains(m)))
    .map(|(_, why)| *why)
}

fn trace_line(t: &str) -> bool {
    let t = t
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ':' || c == '.')
        .trim_start();
    t.starts_with("== Info: ") || t.starts_with("=> Send ") || t.starts_with("<= Recv ")
}

fn panel_label(t: &str) -> Option<&'static str> {
    [
        ("Request URL", "a `Request URL` label"),
        ("Request Method", "a `Request Method` label"),
        ("Status Code", "a `Status Code` label"),
        ("Remote Address", "a `Remote Address` label"),
        ("Referrer Policy", "a `Referrer Policy` label"),
        ("Server response", "Swagger UI's `Server response`"),
        ("Response headers", "a `Response headers` section"),
        ("Response Headers", "a `Response Headers` section"),
    ]
    .iter()
    .find(|(label, _)| {
        t.strip_prefix(label).is_some_and(|rest| {
            rest.is_empty()
                || rest.starts_with(':')
                || rest.starts_with(' ')
                || rest.starts_with('\t')
        })
    })
    .map(|(_, why)| *why)
}

/// Where a complete JSON value starting at the text's first `{` or `[` ends, when it does.
fn json_value_end(text: &str) -> Option<(usize, usize)> {
    let start = text.find(|c: char| !c.is_whitespace())?;
    if !text[start..].starts_with(['{', '[']) {
        return None;
    }
    let end = super::json_scan::value_end(text.as_bytes(), start)?;
    serde_json::from_str::<serde::de::IgnoredAny>(&text[start..end]).ok()?;
    Some((start, end))
}

/// Chooses the reader for `text` (the view, once what surrounds it was set aside).
pub(crate) fn detect(text: &str) -> Detection {
    let head = super::lines::prefix(text, SNIFF_BYTES);
    let trimmed = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with('{') && super::har::looks_like_har(trimmed) {
        return Detection {
            format: Format::Har,
            reason: "a JSON document with `log.entries`".into(),
        };
    }
    if let Some((start, end)) = json_value_end(text) {
        let rest = text[end..].trim();
        return Detection {
            format: Format::JsonBody,
            reason: if rest.is_empty() && text[..start].trim().is_empty() {
                "the whole input is one JSON value".into()
            } else {
                "a JSON value, with other lines after it".into()
            },
        };
    }
    let mut curl = Tally::default();
    let mut raw = Tally::default();
    let mut console = Tally::default();
    let mut client = Tally::default();
    let mut wget = Tally::default();
    let mut trace = Tally::default();
    let mut panel = Tally::default();
    let mut log = Tally::default();
    let mut node = Tally::default();
    let mut node_process = false;
    let mut json_starts = 0;
    let mut common_headers = 0u32;
    let mut previous_status = false;
    // Inside a response body (after a status line's header block), another program's
    // words are content: a Werkzeug debugger page quotes a Python traceback, an error page
    // may say "Failed to fetch". They do not make the paste that program's output.
    let mut in_headers = false;
    let mut in_body = false;
    for Line { text: t, .. } in lines(head).take(20_000) {
        let trimmed = t.trim_start();
        let start_line = trimmed.trim_start_matches(": ");
        let curl_start = t
            .strip_prefix("< ")
            .or_else(|| t.strip_prefix("> "))
            .unwrap_or(start_line);
        if parse_status_line(curl_start).is_some()
            || parse_request_line(curl_start).is_some_and(|r| r.version.is_some())
        {
            in_headers = true;
            in_body = false;
        } else if in_headers && matches!(t.trim(), "" | "<" | ">") {
            in_headers = false;
            in_body = t.trim().is_empty() || t.trim() == "<";
        }
        if let Some(rest) = t
            .strip_prefix("> ")
            .or_else(|| t.strip_prefix('>').filter(|r| r.is_empty()))
        {
            if parse_request_line(rest).is_some() {
                curl.add("a `> METHOD …` request line", 10);
            } else if !rest.is_empty() && rest.contains(": ") {
                curl.add("`> Header:` lines", 1);
            }
        } else if let Some(rest) = t.strip_prefix("< ") {
            if parse_status_line(rest).is_some() {
                curl.add("a `< HTTP/…` status line", 10);
            } else if rest.contains(':') {
                curl.add("`< header:` lines", 1);
            }
        } else if curl_info(t) {
            curl.add("curl's `*` lines", 3);
        } else if curl_error(t) {
            curl.add(CURL_ERROR, 10);
        } else if t.starts_with("{ [") || t.starts_with("} [") {
            curl.add("curl's data markers", 2);
        }
        if !in_body && super::raw_http::provider_page(t).is_some() {
            raw.add("a proxy's or CDN's error page without its status line", 10);
        }
        // Raw HTTP: a status line or a request line with a version, not curl's.
        if parse_status_line(start_line).is_some() {
            raw.add("an `HTTP/…` status line", 10);
            previous_status = true;
        } else if parse_request_line(start_line).is_some_and(|r| r.version.is_some()) {
            raw.add("a request line", 10);
        } else if previous_status && t.contains(": ") {
            raw.add("header lines", 1);
        } else if t.is_empty() {
            previous_status = false;
        }
        if !in_body {
            for (marker, why) in CONSOLE_MARKERS {
                if t.contains(marker) {
                    console.add(why, 8);
                }
            }
            if !t.contains("net::ERR_") {
                if super::console::net_error(t).is_some() {
                    console.add("a Chromium net error name", 8);
                } else if super::console::network_line(t).is_some() {
                    console.add("a DevTools network line with its status", 8);
                }
            }
            if super::console::interstitial(t).is_some() {
                console.add("a Chrome error page's words", 8);
            }
            if super::console::bracketed_status(t).is_some()
                || super::console::firefox_request(t).is_some_and(|(_, _, s)| s.is_some())
            {
                console.add("a Firefox network line", 8);
            }
            if t.contains("(Reason: ")
                && t.contains("CORS")
                && !t.contains("Cross-Origin Request Blocked")
            {
                console.add("a Firefox CORS reason", 8);
            }
            for (marker, why) in NODE_MARKERS {
                if t.contains(marker) {
                    node.add(why, 8);
                }
            }
            node_process |= NODE_PROCESS_MARKERS.iter().any(|m| t.contains(m));
            for (marker, why) in CLIENT_MARKERS {
                if t.contains(marker) {
                    client.add(why, 8);
                }
            }
            // Java's stack frames: `at org.x.Y.send(Y.java:67)`.
            if trimmed.starts_with("at ") && t.contains(".java:") {
                client.add("Java stack frames", 4);
            }
            if let Some((why, weight)) = super::client_error::signal(t) {
                client.add(why, weight);
            }
            for (marker, why) in LOG_MARKERS {
                if t.contains(marker) {
                    log.add(why, 10);
                }
            }
        }
        if let Some(why) = wget_line(trimmed) {
            wget.add(why, 10);
        }
        if trace_line(t) {
            trace.add("a `== Info:`, `=> Send` or `<= Recv` trace line", 10);
        }
        if let Some(why) = panel_label(trimmed) {
            panel.add(why, 6);
        }
        if trimmed.starts_with('{') {
            json_starts += 1;
        }
        if super::http1::parse_header_line(t, 0)
            .is_some_and(|h| super::http1::is_common_response_header(&h.name))
        {
            common_headers += 1;
        }
    }
    // A header block without its status line.
    if raw.score == 0 && common_headers >= 3 {
        for _ in 0..common_headers {
            raw.add("response header lines without a status line", 3);
        }
    }
    // Node's codes belong to the program that printed them.
    let node_side = if node_process {
        &mut client
    } else {
        &mut console
    };
    node_side.score += node.score;
    node_side.seen.extend(node.seen);
    // `curl -i` output followed by curl's error line is a raw message: the error alone is
    // not `-v` output.
    if raw.score >= 10 && curl.seen.iter().all(|(what, ..)| *what == CURL_ERROR) {
        curl.score = 0;
    }
    // curl -v output wins over the raw status lines it contains; a trace's dump lines are
    // not a raw message either.
    if curl.score >= 10 {
        raw.score /= 4;
    }
    if trace.score >= 20 {
        raw.score = 0;
        curl.score /= 4;
    }
    // A panel needs two labels at least; a lone `Status Code` is not one.
    if panel.seen.len() < 2 {
        panel.score = 0;
    }
    let candidates = [
        (Format::CurlTrace, &trace, "curl --trace output"),
        (Format::Wget, &wget, "wget output"),
        (Format::CurlVerbose, &curl, "curl -v output"),
        (
            Format::Panel,
            &panel,
            "a panel copied from DevTools or Swagger UI",
        ),
        (Format::RawHttp, &raw, "an HTTP message"),
        (Format::Log, &log, "a platform log"),
        (Format::ClientError, &client, "an HTTP client's error"),
        (Format::Console, &console, "a browser console or Node error"),
    ];
    let best = candidates
        .iter()
        .filter(|(_, tally, _)| tally.score >= 8)
        .max_by_key(|(_, tally, _)| tally.score);
    match best {
        Some((format, tally, what)) => Detection {
            format: *format,
            reason: format!("{what}: {}", tally.reason()),
        },
        None if json_starts > 0 => Detection {
            format: Format::JsonBody,
            reason: "a line that starts a JSON value".into(),
        },
        None => Detection {
            format: Format::Unrecognized,
            reason: "no HTTP message, client output, HAR, console error or JSON body".into(),
        },
    }
}
