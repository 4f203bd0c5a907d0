//! HTTP client libraries' and command-line tools' errors, in every language: Python
//! (requests, httpx, aiohttp, urllib, urllib3), Go's net/http, Java (HttpClient, Spring,
//! OkHttp), .NET's HttpClient, PowerShell's `Invoke-RestMethod`/`Invoke-WebRequest`, HTTPie,
//! the AWS, Azure and Google Cloud CLIs, and the status/headers/body a script printed.
//!
//! Each line is matched against what these tools print; what they say (a status and URL, a
//! failure below HTTP, a body, headers) becomes one exchange. Which failure a message names
//! is decided by [`crate::knowledge::transport`], the same table every reader uses.

use super::inspect::{Node, Value};
use super::lines::{Line, lines};
use crate::knowledge::transport::{Failure, classify_message};
use crate::model::{
    Body, Capture, Exchange, Header, Note, Request, Response, Span, TransportError, header_name,
};

/// A status the text states, with the line it is on.
struct StatusFact {
    status: u16,
    reason: String,
    span: Span,
}

/// What the lines of a client error say.
#[derive(Default)]
struct Facts {
    status: Option<StatusFact>,
    url: Option<(String, Option<Span>)>,
    method: Option<String>,
    /// Candidate messages of a failure below HTTP: `(message, span, failure)`.
    failures: Vec<(String, Span, Failure)>,
    /// The last exception or error line seen, should no failure be recognised.
    last_error: Option<(String, Span)>,
    body: Option<Body>,
    response_headers: Vec<Header>,
    request_headers: Vec<Header>,
    notes: Vec<Note>,
    command: Option<Span>,
    /// JWTs on the command line: `NAME=<jwt>` assignments and bare arguments.
    handed: Vec<Header>,
    request_body: Option<Body>,
    /// A Python dict a script printed (`{'ok': False, 'headers': {…}}`): what the client made
    /// of the response, not its raw body.
    python_dict: Option<Span>,
}

/// `text` between `open` and `close` after `marker` in `line`: `(value, offset in line)`.
fn between<'a>(line: &'a str, marker: &str, close: &[char]) -> Option<(&'a str, usize)> {
    let at = line.find(marker)? + marker.len();
    let end = line[at..].find(close).map_or(line.len(), |e| at + e);
    (end > at).then(|| (&line[at..end], at))
}

fn status_code(text: &str) -> Option<u16> {
    let digits = text.get(..3)?;
    (digits.bytes().all(|b| b.is_ascii_digit())
        && !text[3..].starts_with(|c: char| c.is_ascii_digit()))
    .then(|| digits.parse().ok())
    .flatten()
    .filter(|s| (100..600).contains(s))
}

/// A status the line states, in any of the forms clients print it.
fn status_statement(line: &str) -> Option<(u16, String)> {
    let t = line.trim();
    // requests: `401 Client Error: Unauthorized for url: …`
    for kind in [" Client Error: ", " Server Error: "] {
        if let Some(at) = t.find(kind) {
            let code = status_code(t[..at].rsplit(' ').next()?)?;
            let reason = t[at + kind.len()..]
                .split(" for url")
                .next()
                .unwrap_or("")
                .trim();
            return Some((code, reason.to_owned()));
        }
    }
    // httpx: `Client error '401 Unauthorized' for url '…'`
    for kind in [
        "Client error '",
        "Server error '",
        "Redirect response '",
        "Informational response '",
    ] {
        if let Some((inner, _)) = between(t, kind, &['\'']) {
            let code = status_code(inner)?;
            return Some((code, inner[3..].trim().to_owned()));
        }
    }
    // aiohttp: `ClientResponseError: 404, message='Not Found', url=…`
    if let Some(at) = t.find("ResponseError: ") {
        let rest = &t[at + 15..];
        let code = status_code(rest)?;
        let reason = between(rest, "message='", &['\'']).map_or("", |(m, _)| m);
        return Some((code, reason.to_owned()));
    }
    // urllib: `HTTP Error 401: Unauthorized`
    if let Some((rest, _)) = between(t, "HTTP Error ", &['\n']) {
        let code = status_code(rest)?;
        return Some((code, rest[3..].trim_start_matches(':').trim().to_owned()));
    }
    // .NET and PowerShell 7: `Response status code does not indicate success: 404 (Not Found).`
    if let Some((rest, _)) = between(t, "does not indicate success: ", &['\n']) {
        let code = status_code(rest)?;
        let reason = rest[3..]
            .trim()
            .trim_start_matches('(')
            .split(')')
            .next()
            .unwrap_or("");
        return Some((code, reason.to_owned()));
    }
    // PowerShell: `Invoke-RestMethod : 401: Unauthorized` (the status first), and IIS's
    // error page as the message: `401 - Unauthorized: Access is denied …`.
    let message = ["Invoke-RestMethod : ", "Invoke-WebRequest : "]
        .iter()
        .find_map(|m| t.split_once(m).map(|(_, r)| r.trim_start()));
    for rest in message.into_iter().chain(std::iter::once(t)) {
        if let Some(code) = status_code(rest)
            && (rest[3..].starts_with(": ") || rest[3..].starts_with(" - "))
        {
            let reason = rest[3..]
                .trim_start_matches([':', ' ', '-'])
                .split([':', '.'])
                .next()
                .unwrap_or("")
                .trim();
            let standard = crate::knowledge::status::name(code)
                .is_some_and(|name| name.eq_ignore_ascii_case(reason));
            if standard {
                return Some((code, reason.to_owned()));
            }
        }
    }
    // PowerShell 5.1: `The remote server returned an error: (401) Unauthorized.`
    if let Some((rest, _)) = between(t, "returned an error: (", &['\n']) {
        let code = status_code(rest)?;
        let reason = rest.get(4..).unwrap_or("").trim().trim_end_matches('.');
        return Some((code, reason.to_owned()));
    }
    // Spring: `HttpClientErrorException$Unauthorized: 401 Unauthorized: "…"`,
    // WebClient: `… 404 Not Found from GET https://…`
    for marker in [
        "HttpClientErrorException",
        "HttpServerErrorException",
        "WebClientResponseException",
        "RestClientResponseException",
    ] {
        if let Some(at) = t.find(marker) {
            // After the class name (`…Exception$Unauthorized: `), not a `Caused by: ` before it.
            let rest = t[at..].split_once(": ")?.1;
            let code = status_code(rest)?;
            let reason = rest[3..]
                .split([':', '\n'])
                .next()
                .unwrap_or("")
                .split(" from ")
                .next()
                .unwrap_or("");
            return Some((code, reason.trim().to_owned()));
        }
    }
    // OkHttp: `Response{protocol=h2, code=401, message=, url=…}`
    if let Some((code, _)) = between(t, "code=", &[',', '}'])
        && t.contains("Response{")
    {
        return Some((
            code.parse().ok()?,
            between(t, "message=", &[','])
                .map_or("", |(m, _)| m)
                .to_owned(),
        ));
    }
    // Printed by a script: `Status: 401`, `status code: 404`, `StatusCode: 500`,
    // `HTTP 401 Unauthorized`, or Go's `resp.Status` alone on a line (`401 Unauthorized`).
    let lower = t.to_ascii_lowercase();
    for label in [
        "status: ",
        "status code: ",
        "status code : ",
        "statuscode : ",
        "statuscode: ",
        "status code ",
        "http status ",
        "http ",
    ] {
        if let Some(rest) = lower
            .strip_prefix(label)
            .or_else(|| lower.split_once(&format!(" {label}")).map(|(_, r)| r))
            && let Some(code) = status_code(rest.trim_start())
        {
            let reason_at = t.len() - rest.trim_start().len() + 3;
            let reason = t
                .get(reason_at..)
                .unwrap_or("")
                .trim()
                .trim_start_matches(['(', ':'])
                .split([':', ')', '{'])
                .next()
                .unwrap_or("");
            return Some((code, reason.trim().to_owned()));
        }
    }
    // axios `Request failed with status code 401`; RestSharp names .NET's HttpStatusCode:
    // `Request failed with status code Unauthorized`.
    if let Some((rest, _)) = between(t, "failed with status code ", &['\n']) {
        let word = rest.split([' ', '.', ',']).next().unwrap_or("");
        if let Some(code) = status_code(word) {
            return Some((code, String::new()));
        }
        let squeeze = |s: &str| {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        };
        let wanted = squeeze(word);
        if let Some(code) = (100..600u16)
            .find(|c| crate::knowledge::status::name(*c).is_some_and(|n| squeeze(n) == wanted))
        {
            return Some((code, word.to_owned()));
        }
    }
    // Microsoft Graph's Java SDK: `401 : Unauthorized`.
    if let Some(code) = status_code(t)
        && let Some(reason) = t[3..].strip_prefix(" : ")
        && crate::knowledge::status::name(code)
            .is_some_and(|n| n.eq_ignore_ascii_case(reason.trim()))
    {
        return Some((code, reason.trim().to_owned()));
    }
    // GitHub's gh: `gh: Bad credentials (HTTP 401)`.
    if let Some(open) = lower.rfind("(http ")
        && let Some(code) = status_code(&t[open + 6..])
        && t[open + 9..].starts_with(')')
    {
        let reason = t[..open]
            .rsplit_once(": ")
            .map_or(&t[..open], |(_, r)| r)
            .trim();
        return Some((code, reason.to_owned()));
    }
    // urllib3 printed by a script: `401 HTTPHeaderDict({…})`.
    if let Some(code) = status_code(t).filter(|_| t[3..].starts_with(" HTTPHeaderDict(")) {
        return Some((code, String::new()));
    }
    if let Some(code) = status_code(t) {
        let reason = t[3..].trim();
        let words_only = !reason.is_empty()
            && reason.len() < 40
            && reason
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-' || c == '\'');
        if words_only && t.as_bytes().get(3) == Some(&b' ') {
            return Some((code, reason.to_owned()));
        }
    }
    None
}

/// What a line says that only a client's or a script's output says, for detection: a status
/// statement (a bare `401 Unauthorized` only with its standard reason), a header map, a
/// labelled body, Go's `Get "URL": …`.
pub(crate) fn signal(line: &str) -> Option<(&'static str, u32)> {
    let t = line.trim();
    if let Some((cli, ..)) = cloud_cli_error(t) {
        return Some((
            match cli {
                "gcloud" => "a gcloud error",
                "The AWS CLI" => "an AWS CLI error",
                _ => "an Azure CLI error",
            },
            8,
        ));
    }
    if t.starts_with("Headers: {") || t.contains("HTTPHeaderDict({") {
        return Some(("a printed header map", 8));
    }
    // A Python dict printed (`{'ok': False, 'headers': {…}}`): not JSON.
    if t.starts_with("{'") && t[2..].contains("': ") {
        return Some(("a printed Python dict", 8));
    }
    if let Some((code, reason)) = status_statement(t) {
        let bare = t.starts_with(|c: char| c.is_ascii_digit());
        let standard = crate::knowledge::status::name(code)
            .is_some_and(|name| name.eq_ignore_ascii_case(&reason));
        return match (bare, standard) {
            (false, _) => Some(("a status a client printed", 8)),
            (true, true) => Some(("a bare `NNN Reason` status line", 8)),
            (true, false) => None,
        };
    }
    if ["Body: ", "Response body: "]
        .iter()
        .any(|l| t.starts_with(l))
    {
        return Some(("a labelled body", 3));
    }
    let go = [
        "Get \"http",
        "Post \"http",
        "Put \"http",
        "Patch \"http",
        "Delete \"http",
        "Head \"http",
    ];
    if go.iter().any(|m| t.contains(m)) && t.contains("\": ") {
        return Some(("a Go net/http error", 8));
    }
    None
}

/// Go before 1.14 printed the URL without quotes: `Head https://x/: x509: …`. Returns
/// where the URL starts and ends.
fn go_unquoted(line: &str) -> Option<(usize, usize)> {
    let t = line.trim_start();
    let lead = line.len() - t.len();
    let (method, rest) = t.split_once(' ')?;
    if !matches!(
        method,
        "Get" | "Post" | "Put" | "Patch" | "Delete" | "Head" | "Options"
    ) || !(rest.starts_with("http://") || rest.starts_with("https://"))
    {
        return None;
    }
    let end = rest.find(": ")?;
    let start = lead + method.len() + 1;
    Some((start, start + end))
}

/// A URL the line names, as clients put it in their messages.
fn url_statement(line: &str) -> Option<(String, usize, usize)> {
    if let Some((start, end)) = go_unquoted(line) {
        return Some((line[start..end].to_owned(), start, end));
    }
    // `for url: URL`, `for url 'URL'`, `url='URL'`, `url=URL('URL')`, `request to URL: URL`,
    // `-Uri URL`, `from GET URL`, Go's `Get "URL":`.
    for (marker, close) in [
        ("for url: ", &[' ', '\n'][..]),
        ("for url '", &['\''][..]),
        ("url='", &['\''][..]),
        ("url=URL('", &['\''][..]),
        ("request to URL: ", &[' ', '\n'][..]),
        ("-Uri \"", &['"'][..]),
        ("-Uri '", &['\''][..]),
        ("-Uri ", &[' '][..]),
        (" from GET ", &[' '][..]),
        (" from POST ", &[' '][..]),
        (" from PUT ", &[' '][..]),
        (" from DELETE ", &[' '][..]),
        (" from PATCH ", &[' '][..]),
        (", url=", &['}', ','][..]),
    ] {
        if let Some((url, at)) = between(line, marker, close)
            && url.contains("://")
        {
            return Some((url.to_owned(), at, at + url.len()));
        }
    }
    for method in [
        "Get \"",
        "Post \"",
        "Put \"",
        "Patch \"",
        "Delete \"",
        "Head \"",
        "Options \"",
    ] {
        if let Some((url, at)) = between(line, method, &['"']) {
            return Some((url.to_owned(), at, at + url.len()));
        }
    }
    // urllib3: `HTTPConnectionPool(host='h', port=8080): Max retries exceeded with url: /p`.
    for (pool, scheme) in [
        ("HTTPSConnectionPool(host='", "https"),
        ("HTTPConnectionPool(host='", "http"),
    ] {
        if let Some((host, at)) = between(line, pool, &['\'']) {
            let port = between(&line[at..], "port=", &[')', ','][..]).map_or("", |(p, _)| p);
            let path = between(line, "with url: ", &[' ', '\n']).map_or("/", |(p, _)| p);
            let slash = if path.starts_with('/') { "" } else { "/" };
            let default = if scheme == "https" { "443" } else { "80" };
            let authority = if port.is_empty() || port == default {
                host.to_owned()
            } else {
                format!("{host}:{port}")
            };
            return Some((
                format!("{scheme}://{authority}{slash}{path}"),
                at,
                at + host.len(),
            ));
        }
    }
    // aiohttp: `Cannot connect to host h:8080 ssl:default` (`ssl:True` or an SSL context
    // when the URL was https; `ssl:default` means "as the scheme says", so port 443 tells).
    if let Some((host, at)) = between(line, "Cannot connect to host ", &[' ']) {
        let ssl = between(line, " ssl:", &[' ', ']']).map_or("", |(s, _)| s);
        let https =
            host.ends_with(":443") || (ssl != "default" && ssl != "False" && !ssl.is_empty());
        let scheme = if https { "https" } else { "http" };
        let authority = host
            .strip_suffix(if https { ":443" } else { ":80" })
            .unwrap_or(host);
        return Some((format!("{scheme}://{authority}/"), at, at + host.len()));
    }
    None
}

/// The failure a message names, with the part of the line that says it.
fn failure_statement(line: &str) -> Option<Failure> {
    let failure = classify_message(line);
    if failure != Failure::Other {
        return Some(failure);
    }
    // Java's HttpClient throws a ConnectException with no message when the port is closed;
    // the class's own documentation: "Typically, the connection was refused remotely".
    line.trim_end()
        .ends_with("java.net.ConnectException")
        .then_some(Failure::Refused)
}

/// Exception and error lines: `module.Error: message`, `Caused by: …`, `http: error: …`.
fn error_line(line: &str) -> bool {
    let mut t = line.trim_start();
    if t.starts_with("<ref *") {
        t = t.split_once("> ").map_or(t, |(_, rest)| rest);
    }
    // Node's causes: `[cause]: X`, or `cause: X` from older `util.inspect`; an error
    // without its stack prints as `[TypeError: fetch failed]`.
    t = t
        .strip_prefix("[cause]: ")
        .or_else(|| t.strip_prefix("cause: "))
        .unwrap_or(t)
        .trim_start();
    t = t.strip_prefix('[').unwrap_or(t);
    t = t
        .strip_prefix("Uncaught (in promise) ")
        .or_else(|| t.strip_prefix("Uncaught "))
        .unwrap_or(t);
    // `DOMException [TimeoutError]: …`
    if t.starts_with("DOMException [") {
        return true;
    }
    // PowerShell 5.1: `Invoke-WebRequest : Unable to connect to the remote server`.
    if t.starts_with("Invoke-")
        && t.split(' ').next().is_some_and(|w| w.contains('-'))
        && t.contains(": ")
    {
        return true;
    }
    if t.starts_with("Caused by: ")
        || t.starts_with("http: error:")
        || t.starts_with("Unhandled exception.")
        || t.starts_with("Exception in thread")
        || t.starts_with("ERROR: ")
        || t.starts_with("An error occurred (")
        || t.starts_with("Error in ")
    {
        return true;
    }
    let Some((name, _)) = t.split_once(": ") else {
        return t.ends_with("Error") || t.ends_with("Exception") || t.ends_with("Timeout");
    };
    // Node's `Error [ERR_SOCKET_CONNECTION_TIMEOUT]: …`
    let name = match name.split_once(" [") {
        Some((class, code)) if code.ends_with(']') && !class.contains(' ') => class,
        _ => name,
    };
    // Class names: `ConnectionError`, `requests.exceptions.HTTPError`; not a dump's
    // `clarifyTimeoutError: false` property.
    let last = name.rsplit(['.', ' ']).next().unwrap_or(name);
    !name.contains(' ')
        && last.starts_with(|c: char| c.is_ascii_uppercase())
        && (last.ends_with("Error")
            || last.ends_with("Exception")
            || last.ends_with("Fault")
            || last.ends_with("Timeout")
            || last.ends_with("Disconnected"))
}

/// `{'k': 'v', …}` (Python), `{k=[v], …}` (Java): header pairs, with their spans.
fn header_map(text: &str, start: usize) -> Vec<Header> {
    let (Some(open), Some(close)) = (text.find('{'), text.rfind('}')) else {
        return Vec::new();
    };
    let body = &text[open + 1..close];
    let mut out = Vec::new();
    let mut at = open + 1;
    let bytes = text.as_bytes();
    // Python: `'name': 'value'` (values may hold `"`); Java: `name=[value]`.
    while at < open + 1 + body.len() {
        let rest = &text[at..close];
        if rest.trim_start_matches([' ', ',']).starts_with('\'') {
            let key_start = at + rest.find('\'').unwrap_or(0) + 1;
            let Some(key_len) = text[key_start..close].find('\'') else {
                break;
            };
            let key = &text[key_start..key_start + key_len];
            let after = key_start + key_len + 1;
            let Some(quote) = text[after..close].find(['\'', '"']).map(|q| after + q) else {
                break;
            };
            let q = bytes[quote];
            let value_start = quote + 1;
            let Some(value_len) = text[value_start..close].find(char::from(q)) else {
                break;
            };
            out.push(Header {
                name: header_name(key),
                value: text[value_start..value_start + value_len].to_owned(),
                span: Some(Span::new(
                    start + key_start,
                    start + value_start + value_len,
                )),
            });
            at = value_start + value_len + 1;
        } else if let Some(eq) = rest.find("=[") {
            let key_start = at + rest[..eq].rfind([' ', ',', '{']).map_or(0, |i| i + 1);
            let key = text[key_start..at + eq].trim();
            let value_start = at + eq + 2;
            let Some(value_len) = text[value_start..close].find(']') else {
                break;
            };
            out.push(Header {
                name: header_name(key),
                value: text[value_start..value_start + value_len].to_owned(),
                span: Some(Span::new(
                    start + key_start,
                    start + value_start + value_len,
                )),
            });
            at = value_start + value_len + 1;
        } else {
            break;
        }
        if out.len() > 200 {
            break;
        }
    }
    out
}

/// A JSON value starting at `at` of `text`: its end, when it is complete and valid.
fn json_at(text: &str, at: usize) -> Option<usize> {
    let end = super::json_scan::value_end(text.as_bytes(), at)?;
    serde_json::from_str::<serde::de::IgnoredAny>(&text[at..end]).ok()?;
    Some(end)
}

/// PowerShell's error record: the message (often the response body) from `Invoke-X : ` up to
/// `At line:`/`At C:\…`, its console wrapping undone.
fn powershell_message(text: &str, all: &[Line], i: usize) -> Option<Body> {
    let line = all[i];
    let at = line
        .text
        .find("Invoke-RestMethod : ")
        .or_else(|| line.text.find("Invoke-WebRequest : "))?;
    let message_start = line.start + at + "Invoke-RestMethod : ".len();
    let mut end = line.end();
    for next in &all[i + 1..] {
        let t = next.text.trim_start();
        if t.starts_with("At ") || t.starts_with("+ ") || t.is_empty() {
            break;
        }
        end = next.end();
    }
    let message = text[message_start..end]
        .replace("\r\n", " ")
        .replace('\n', " ");
    let trimmed = message.trim();
    (trimmed.starts_with('{') && serde_json::from_str::<serde::de::IgnoredAny>(trimmed).is_ok())
        .then(|| {
            if end == line.end() {
                Body::verbatim(&text[message_start..end], message_start)
            } else {
                Body::decoded(trimmed.to_owned())
            }
        })
}

/// A command line as typed, when the console hard-wrapped it: a line exactly as wide as a
/// usual console (80, 100, 120 … columns) continues on the next. Returns the joined text,
/// `(joined offset, input offset)` runs, and the index of its last line.
fn logical_line(all: &[Line], first: usize) -> (String, Vec<(usize, usize)>, usize) {
    let head = all[first];
    let width = head.text.chars().count();
    let mut joined = head.text.to_owned();
    let mut runs = vec![(0, head.start)];
    let mut last = first;
    let console_width = [80, 100, 120, 132, 140, 150, 160, 180, 200, 240].contains(&width);
    while console_width && all[last].text.chars().count() == width {
        let Some(next) = all.get(last + 1) else { break };
        if next.text.is_empty() || next.text.starts_with("PS ") {
            break;
        }
        runs.push((joined.len(), next.start));
        joined.push_str(next.text);
        last += 1;
    }
    (joined, runs, last)
}

/// JWTs a command line hands the program: `API_TOKEN=eyJ… go run main.go URL`,
/// `python get.py --token eyJ…`.
fn handed_tokens(line: &str, start: usize) -> Vec<Header> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut previous = "";
    for word in line.split(' ') {
        let (name, value, value_at) = match word.split_once('=') {
            Some((name, value)) => (name, value, at + name.len() + 1),
            None => (previous.trim_start_matches('-'), word, at),
        };
        let value = value.trim_matches(['"', '\'']);
        if crate::knowledge::jwt::decode(value).is_some() {
            let name = if name.is_empty() { "token" } else { name };
            out.push(Header {
                name: header_name(name),
                value: value.to_owned(),
                span: Some(Span::new(start + value_at, start + value_at + value.len())),
            });
        }
        previous = word;
        at += word.len() + 1;
    }
    out
}

/// The command line's URL when nothing else names one: `go run main.go URL`, `http :8080/p`.
fn command_url(line: &str) -> Option<(String, usize, usize)> {
    for (i, word) in line.split(' ').enumerate() {
        let at = line.split(' ').take(i).map(|w| w.len() + 1).sum::<usize>();
        let w = word.trim_matches(['"', '\'']);
        if w.starts_with("http://") || w.starts_with("https://") {
            return Some((w.to_owned(), at, at + word.len()));
        }
        // HTTPie's shorthand `:8080/path` is localhost.
        if i > 0
            && w.starts_with(':')
            && w[1..].starts_with(|c: char| c.is_ascii_digit() || c == '/')
            && line.contains("http ")
        {
            return Some((format!("http://localhost{w}"), at, at + word.len()));
        }
    }
    None
}

/// What a cloud CLI's note says of its requests: they are signed with the configured
/// credentials, though the paste shows none (rules read it as credentials sent).
pub(crate) const CLI_SIGNED: &str =
    "signs every request with the credentials it is configured with";

/// The status a cloud API's error code stands for (AWS, Azure Resource Manager, Google's
/// canonical codes).
fn cloud_code_status(code: &str) -> Option<u16> {
    if let Ok(status) = code.parse::<u16>() {
        return (100..600).contains(&status).then_some(status);
    }
    let code = code.trim();
    Some(match code {
        "PERMISSION_DENIED"
        | "AuthorizationFailed"
        | "Forbidden"
        | "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "AuthorizationError"
        | "AuthorizationPermissionMismatch"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "InvalidAccessKeyId"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "UnrecognizedClientException"
        | "AuthFailure"
        | "AllAccessDisabled"
        | "LinkedAuthorizationFailed"
        | "RequestDisallowedByPolicy" => 403,
        "UNAUTHENTICATED"
        | "AuthenticationFailed"
        | "InvalidAuthenticationToken"
        | "ExpiredAuthenticationToken"
        | "InvalidAuthenticationTokenTenant" => 401,
        "NOT_FOUND"
        | "NoSuchBucket"
        | "NoSuchKey"
        | "ResourceNotFoundException"
        | "ResourceNotFound"
        | "ResourceGroupNotFound"
        | "NotFound"
        | "SubscriptionNotFound" => 404,
        "ALREADY_EXISTS"
        | "ABORTED"
        | "Conflict"
        | "BucketAlreadyExists"
        | "BucketAlreadyOwnedByYou"
        | "ResourceInUseException" => 409,
        "RESOURCE_EXHAUSTED"
        | "ThrottlingException"
        | "Throttling"
        | "TooManyRequestsException"
        | "TooManyRequests"
        | "RequestLimitExceeded" => 429,
        "INVALID_ARGUMENT"
        | "FAILED_PRECONDITION"
        | "OUT_OF_RANGE"
        | "ValidationException"
        | "InvalidParameterValue"
        | "InvalidRequest"
        | "BadRequest"
        | "InvalidArgument" => 400,
        "UNAVAILABLE" | "ServiceUnavailable" | "SlowDown" => 503,
        "DEADLINE_EXCEEDED" => 504,
        "INTERNAL" | "InternalError" | "InternalFailure" => 500,
        _ => return None,
    })
}

/// A cloud CLI's error line: the CLI's name, the status its code stands for, the code, and
/// where the message starts. AWS `An error occurred (AccessDenied) when calling the X
/// operation: …`, gcloud `ERROR: (gcloud.x) PERMISSION_DENIED: …` / `HTTPError 409: …` /
/// `User [u] does not have permission …`, Azure `(AuthorizationFailed) …` / `Code: X`.
fn cloud_cli_error(line: &str) -> Option<(&'static str, u16, String, usize)> {
    let t = line.trim_end();
    if let Some(at) = t.find("An error occurred (") {
        let code_at = at + "An error occurred (".len();
        let close = t[code_at..].find(')')? + code_at;
        let code = &t[code_at..close];
        if !t[close..].starts_with(") when calling the ") {
            return None;
        }
        let status = cloud_code_status(code)?;
        return Some(("The AWS CLI", status, code.to_owned(), at));
    }
    if let Some(rest) = t.strip_prefix("ERROR: (gcloud.") {
        let after = rest.find(") ")? + "ERROR: (gcloud.".len() + 2;
        let message = &t[after..];
        let code = message
            .split([':', ' '])
            .next()
            .filter(|c| c.len() > 2 && c.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'));
        let status = if let Some(code) = code.and_then(cloud_code_status) {
            code
        } else if let Some(rest) = message.strip_prefix("HTTPError ") {
            status_code(rest)?
        } else if message.contains("does not have permission")
            || message.contains("does not have storage.")
        {
            403
        } else {
            return None;
        };
        return Some(("gcloud", status, code.unwrap_or("").to_owned(), after));
    }
    // Azure CLI: `(AuthorizationFailed) The client '…' does not have authorization …`
    if let Some(rest) = t.strip_prefix('(') {
        let close = rest.find(") ")?;
        let code = &rest[..close];
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let status = cloud_code_status(code)?;
        return Some(("The Azure CLI", status, code.to_owned(), 0));
    }
    None
}

/// Cloud CLI errors, each its own exchange: the status the error code stands for, the
/// message as the body.
fn cloud_cli(text: &str, all: &[Line]) -> Capture {
    let mut capture = Capture::default();
    for line in all {
        let Some((cli, status, code, at)) = cloud_cli_error(line.text) else {
            continue;
        };
        let span = Span::new(line.start + at, line.end());
        capture.exchanges.push(Exchange {
            request: Some(Request {
                span: Some(span),
                ..Request::default()
            }),
            response: Some(Response {
                status,
                reason: code,
                body: Some(Body::verbatim(&text[span.start..span.end], span.start)),
                span: Some(span),
                ..Response::default()
            }),
            notes: vec![Note {
                text: format!("{cli} {CLI_SIGNED}."),
                span: None,
            }],
            span: Some(span),
            ..Exchange::default()
        });
    }
    capture
}

pub(crate) fn read(text: &str) -> Capture {
    let all: Vec<Line> = lines(text).collect();
    let cloud = cloud_cli(text, &all);
    if !cloud.exchanges.is_empty() {
        return cloud;
    }
    let mut facts = Facts::default();
    let mut i = 0;
    while let Some(line) = all.get(i).copied() {
        i += 1;
        let t = line.text;
        let prompt = super::prompt::command_line(t).is_some();
        if facts.command.is_none() && prompt {
            let (command, runs, last) = logical_line(&all, i - 1);
            i = last + 1;
            let to_input = |at: usize| {
                let (joined, input) = runs
                    .iter()
                    .rev()
                    .find(|(j, _)| *j <= at)
                    .copied()
                    .unwrap_or((0, line.start));
                input + (at - joined)
            };
            let span =
                |s: usize, e: usize| Span::new(to_input(s), to_input(e.saturating_sub(1)) + 1);
            facts.command = Some(Span::new(line.start, all[last].end()));
            facts.handed = handed_tokens(&command, 0)
                .into_iter()
                .map(|h| Header {
                    span: h.span.map(|s| span(s.start, s.end)),
                    ..h
                })
                .collect();
            if facts.url.is_none()
                && let Some((url, s, e)) = url_statement(&command).or_else(|| command_url(&command))
            {
                facts.url = Some((url, Some(span(s, e))));
            }
            // PowerShell sends GET unless told `-Method X`.
            if command.contains("Invoke-RestMethod") || command.contains("Invoke-WebRequest") {
                let method = between(&command, "-Method ", &[' ']).map_or("GET", |(m, _)| m);
                facts.method = Some(method.to_ascii_uppercase());
            }
            // PowerShell's `-Headers @{Authorization = "Bearer …"}`.
            if let Some((value, at)) = between(&command, "Authorization = \"", &['"']) {
                facts.request_headers.push(Header {
                    name: "Authorization".into(),
                    value: value.to_owned(),
                    span: Some(span(at, at + value.len())),
                });
            }
            continue;
        }
        if let Some((status, reason)) = status_statement(t)
            && (facts.status.is_none() || !error_line(t))
        {
            facts.status = Some(StatusFact {
                status,
                reason,
                span: line.span(),
            });
        }
        // A URL that is the start of the one already known (a pool's host after the
        // command's full URL) adds nothing.
        if let Some((url, s, e)) = url_statement(t)
            && !facts
                .url
                .as_ref()
                .is_some_and(|(known, _)| known.starts_with(url.trim_end_matches('/')))
        {
            facts.url = Some((url, Some(Span::new(line.start + s, line.start + e))));
        }
        if facts.method.is_none() {
            for method in ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] {
                let go = format!("{}{} \"", &method[..1], method[1..].to_ascii_lowercase());
                if t.contains(&format!("doing a {method} request"))
                    || t.contains(&format!("from {method} "))
                    || t.contains(&go)
                    || t.contains(&format!("-Method {method}"))
                {
                    facts.method = Some(method.to_owned());
                }
            }
        }
        // Only what the client says counts: not the source lines a traceback quotes.
        // R puts the message of `Error in f(x) : ` on the next line.
        let r_message = i >= 2
            && all[i - 2].text.starts_with("Error in ")
            && all[i - 2].text.trim_end().ends_with(':');
        let says = error_line(t)
            || r_message
            || t.contains(" \"http")
            || go_unquoted(t).is_some()
            || t.contains("Max retries exceeded")
            || t.contains("dial tcp")
            || t.contains("---> ")
            || t.trim_start().starts_with("http: error");
        if let Some(failure) = failure_statement(t).filter(|_| says) {
            facts
                .failures
                .push((t.trim().to_owned(), line.span(), failure));
        }
        if error_line(t) {
            facts.last_error = Some((t.trim().to_owned(), line.span()));
        }
        // A body: JSON after a status statement or in a PowerShell message; headers as a map.
        if let Some(body) = powershell_message(text, &all, i - 1) {
            facts.body = Some(body);
        }
        // Microsoft Graph SDKs' ServiceException: `Code: X` / `Error code: X`, then
        // `Message: …` / `Error message: …`: the service's error, its body in other words.
        if facts.body.is_none()
            && let Some(next) = all.get(i)
            && let Some(at) = t
                .find("Error code: ")
                .or_else(|| t.starts_with("Code: ").then_some(0))
            && (next.text.starts_with("Message: ") || next.text.starts_with("Error message: "))
        {
            let start = line.start + at;
            facts.body = Some(Body::verbatim(&text[start..next.end()], start));
            if facts.last_error.is_none() {
                facts.last_error = Some((t[at..].trim().to_owned(), Span::new(start, line.end())));
            }
        }
        let trimmed = t.trim_start();
        let lead = t.len() - trimmed.len();
        let labelled = ["Body: ", "Response body: ", "body: "]
            .iter()
            .find_map(|l| trimmed.strip_prefix(l).map(|r| (l.len(), r)));
        let box_body = trimmed
            .strip_prefix("| ")
            .filter(|r| r.trim_start().starts_with('{'));
        let json_start = if let Some((skip, _)) = labelled {
            Some(line.start + lead + skip)
        } else if let Some(rest) = box_body {
            Some(line.end() - rest.trim_start().len())
        } else if trimmed.starts_with(['{', '['])
            && facts.status.is_some()
            && !trimmed.starts_with("{'")
        {
            Some(line.start + lead)
        } else {
            // `Error: HTTP 401 Unauthorized: {"detail":…}`, Spring's `401 Unauthorized: "{…}"`.
            t.find(": {")
                .filter(|_| status_statement(t).is_some())
                .map(|p| line.start + p + 2)
        };
        if let Some(start) = json_start.filter(|_| facts.body.is_none()) {
            match json_at(text, start) {
                Some(end) => {
                    facts.body = Some(Body::verbatim(&text[start..end], start));
                    while all.get(i).is_some_and(|l| l.start < end) {
                        i += 1;
                    }
                }
                None if labelled.is_some() => {
                    let body = &text[start..line.end()];
                    if !body.trim().is_empty() {
                        facts.body = Some(Body::verbatim(body, start));
                    }
                }
                None => {}
            }
        }
        if trimmed.starts_with("{'") && trimmed[2..].contains("': ") && facts.python_dict.is_none()
        {
            facts.python_dict = Some(line.span());
        }
        if (trimmed.starts_with("{'")
            || trimmed.contains("HTTPHeaderDict({")
            || trimmed.starts_with("Headers: {"))
            && !trimmed.starts_with("{'detail")
        {
            let headers = header_map(t, line.start);
            let request_side = headers.iter().any(|h| {
                h.name.eq_ignore_ascii_case("user-agent")
                    || h.name.eq_ignore_ascii_case("authorization")
            });
            if request_side {
                facts.request_headers = headers;
            } else if !headers.is_empty() {
                facts.response_headers = headers;
            }
        }
        if t.starts_with("For more information check:") || t.starts_with("Username/Password") {
            facts.notes.push(Note {
                text: t.trim().to_owned(),
                span: Some(line.span()),
            });
        }
        // PowerShell's `-Headers @{Authorization = "Bearer …"}`: a request header.
        if let Some((value, at)) = between(t, "Authorization = \"", &['"']) {
            facts.request_headers.push(Header {
                name: "Authorization".into(),
                value: value.to_owned(),
                span: Some(Span::new(line.start + at, line.start + at + value.len())),
            });
        }
    }
    for dump in super::inspect::dumps(text) {
        from_dump(&dump, &mut facts);
    }
    build(facts, text)
}

/// Header pairs of a dumped object (`headers: Object [AxiosHeaders] { … }`, `Headers { … }`);
/// `undefined` values were never sent.
fn dumped_headers(node: &Node) -> Vec<Header> {
    node.members()
        .iter()
        .filter_map(|(name, value)| {
            Some(Header {
                name: header_name(name.as_str()),
                value: value.as_text().filter(|v| *v != "undefined")?.to_owned(),
                span: Some(value.span),
            })
        })
        .collect()
}

/// A body as a dump shows it: a string as is, a parsed object back as JSON.
fn dumped_body(node: &Node) -> Option<Body> {
    match &node.value {
        Value::Str(s) if !s.is_empty() => Some(Body::decoded(s.clone())),
        Value::Object(_) | Value::Array(_) => Some(Body::decoded(node.to_json().to_string())),
        _ => None,
    }
}

/// What a `util.inspect` dump says: an axios error (`config`, `response`, `code`, `[cause]`),
/// a fetch `Response`, or a parsed body printed after it.
fn from_dump(dump: &Node, facts: &mut Facts) {
    let response = dump.get("response").filter(|r| r.get("status").is_some());
    let fetch_response = dump.get("status").is_some() && dump.get("statusText").is_some();
    let config = dump
        .get("config")
        .or_else(|| response.and_then(|r| r.get("config")));
    if let Some(config) = config {
        if let Some(url) = config.get("url").and_then(Node::as_str) {
            let base = config.get("baseURL").and_then(Node::as_str).unwrap_or("");
            let full = if url.contains("://") {
                url.to_owned()
            } else {
                format!("{}{url}", base.trim_end_matches('/'))
            };
            facts.url = Some((
                full,
                Some(config.get("url").map_or(config.span, |u| u.span)),
            ));
        }
        if let Some(method) = config.get("method").and_then(Node::as_str) {
            facts.method = Some(method.to_ascii_uppercase());
        }
        if let Some(headers) = config.get("headers").filter(|h| !h.members().is_empty()) {
            facts.request_headers = dumped_headers(headers);
        }
        if let Some(body) = config.get("data").and_then(dumped_body) {
            facts.request_body = Some(body);
        }
    }
    let answer = response.or(fetch_response.then_some(dump));
    if let Some(answer) = answer {
        let status = answer
            .get("status")
            .and_then(Node::as_text)
            .and_then(|s| s.parse().ok());
        if let Some(status) = status.filter(|s| (100..600).contains(s)) {
            facts.status = Some(StatusFact {
                status,
                reason: answer
                    .get("statusText")
                    .and_then(Node::as_str)
                    .unwrap_or("")
                    .to_owned(),
                span: answer.get("status").map_or(answer.span, |s| s.span),
            });
        }
        if let Some(headers) = answer.get("headers") {
            facts.response_headers = dumped_headers(headers);
        }
        if let Some(body) = answer.get("data").and_then(dumped_body) {
            facts.body = Some(body);
        }
        if fetch_response
            && let Some(url) = answer
                .get("url")
                .and_then(Node::as_str)
                .filter(|u| u.contains("://"))
        {
            facts.url = Some((url.to_owned(), answer.get("url").map(|u| u.span)));
        }
    } else if facts.status.is_some() && facts.body.is_none() && dump.get("code").is_none() {
        // `console.log(await res.json())` after the status: the parsed body.
        facts.body = dumped_body(dump);
    }
    // The error's own code, and its cause's (`code: 'ECONNABORTED'`, `[cause]: … code`).
    for node in [Some(dump), dump.get("[cause]")].into_iter().flatten() {
        if let Some(code) = node.get("code").and_then(Node::as_str) {
            let failure = classify_message(code);
            let said = facts.failures.iter().any(|(_, _, f)| *f == failure);
            if failure != Failure::Other && answer.is_none() && !said {
                let message = match &node.value {
                    Value::Error { message, .. } => format!("{message} ({code})"),
                    _ => code.to_owned(),
                };
                facts.failures.push((message, node.span, failure));
            }
        }
    }
}

fn build(facts: Facts, text: &str) -> Capture {
    let Facts {
        status,
        url,
        method,
        failures,
        last_error,
        body,
        response_headers,
        request_headers,
        notes,
        command,
        handed,
        request_body,
        python_dict,
    } = facts;
    let mut exchange = Exchange {
        notes,
        ..Exchange::default()
    };
    let mut spans: Vec<Span> = Vec::new();
    if url.is_some() || !request_headers.is_empty() {
        let (url, span) = url.unwrap_or_default();
        spans.extend(span);
        exchange.request = Some(Request {
            method,
            url,
            headers: request_headers,
            handed,
            body: request_body,
            span: span.or(command),
            ..Request::default()
        });
    }
    if let Some(StatusFact {
        status,
        reason,
        span,
    }) = status
    {
        spans.push(span);
        exchange.response = Some(Response {
            status,
            reason,
            headers: response_headers,
            body,
            span: Some(span),
            ..Response::default()
        });
    } else {
        // The first failure a message names is the cause (tracebacks print the cause's
        // chain, the innermost last; the outermost line says what the caller saw).
        let chosen = failures
            .iter()
            .min_by_key(|(_, _, f)| failure_rank(*f))
            .map(|(m, s, f)| (m.clone(), *s, *f));
        if let Some((message, span, failure)) = chosen {
            spans.push(span);
            exchange.transport_error = Some(TransportError {
                code: failure.code().to_owned(),
                message,
                span: Some(span),
            });
        } else if body.is_none() && !response_headers.is_empty() {
            // Only the response's headers, printed as a map (Python's `resp.headers`).
            exchange.response = Some(Response {
                status: 0,
                headers: response_headers,
                ..Response::default()
            });
        } else if let Some(body) = body {
            // A body with no status (PowerShell 5.1 prints only the body).
            spans.extend(body.span_of(0, body.text.len()));
            exchange.response = Some(Response {
                status: 0,
                headers: response_headers,
                body: Some(body),
                ..Response::default()
            });
        } else if let Some((message, span)) = last_error {
            spans.push(span);
            exchange.transport_error = Some(TransportError {
                code: "client error".into(),
                message,
                span: Some(span),
            });
        } else if let Some(span) = python_dict {
            // The response as a script printed it, its status not shown.
            spans.push(span);
            exchange.response = Some(Response {
                status: 0,
                span: Some(span),
                ..Response::default()
            });
        }
    }
    if exchange.request.is_none()
        && exchange.response.is_none()
        && exchange.transport_error.is_none()
    {
        return Capture::default();
    }
    let start = spans.iter().map(|s| s.start).min().unwrap_or(0);
    let end = spans.iter().map(|s| s.end).max().unwrap_or(text.len());
    exchange.span = Some(Span::new(start, end));
    Capture {
        exchanges: vec![exchange],
        issues: Vec::new(),
    }
}

/// Which named failure explains the others: DNS before connect before TLS before timeouts
/// before resets.
fn failure_rank(failure: Failure) -> u8 {
    match failure {
        Failure::Dns => 0,
        Failure::Refused => 1,
        Failure::Tls => 2,
        Failure::Timeout => 3,
        Failure::Reset => 4,
        _ => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_urls_as_clients_print_them() {
        for (line, code) in [
            (
                "requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: http://a.test/me",
                401,
            ),
            (
                "httpx.HTTPStatusError: Client error '404 Not Found' for url 'http://a.test/x'",
                404,
            ),
            (
                "aiohttp.client_exceptions.ClientResponseError: 404, message='Not Found', url='http://a.test/x'",
                404,
            ),
            ("urllib.error.HTTPError: HTTP Error 401: Unauthorized", 401),
            (
                "Invoke-WebRequest: Response status code does not indicate success: 404 (Not Found).",
                404,
            ),
            (
                "Invoke-RestMethod : The remote server returned an error: (401) Unauthorized.",
                401,
            ),
            ("Status: 401", 401),
            ("401 Unauthorized", 401),
            ("Error: HTTP 401 Unauthorized: {\"detail\":\"x\"}", 401),
        ] {
            assert_eq!(status_statement(line).map(|s| s.0), Some(code), "{line}");
        }
        assert_eq!(
            status_statement("2026/11/25 18:21:19 Get \"http://a\": EOF"),
            None
        );
        let (url, _, _) = url_statement("urllib3.exceptions.MaxRetryError: HTTPSConnectionPool(host='api.test', port=8443): Max retries exceeded with url: /v1/me (Caused by …)").unwrap();
        assert_eq!(url, "https://api.test:8443/v1/me");
    }

    #[test]
    fn a_go_error_is_one_failed_exchange() {
        let capture = read(
            "$ go run main.go http://127.0.0.1:1/me\n2026/11/25 18:21:19 Get \"http://127.0.0.1:1/me\": dial tcp 127.0.0.1:1: connect: connection refused\nexit status 1\n",
        );
        let exchange = &capture.exchanges[0];
        assert_eq!(
            exchange.request.as_ref().unwrap().url,
            "http://127.0.0.1:1/me"
        );
        assert_eq!(
            exchange.transport_error.as_ref().unwrap().code,
            "connection refused"
        );
    }
}
