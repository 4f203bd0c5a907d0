#![allow(clippy::expect_used)] // test set-up: an unreadable corpus file should stop the test
//! HAR files as every producer writes them: the real files of the shared corpus (Firefox,
//! Safari, IE11, Charles, Fiddler, mitmproxy, Polly.JS, Chromium old and new), read from
//! where they live and never copied into the project, and small HARs written here for each
//! thing those files taught (they run everywhere, corpus or not).
//!
//! What a user checks of each file: it is read as a HAR, every entry is there, nothing is
//! reported unreadable, the failed entries are the ones that failed, each carries the
//! findings that explain it, and the entries that succeeded carry no error or warning.

mod common;

use std::path::PathBuf;

use httpdx::report::{ExchangeReport, Report, Severity};
use httpdx::{Options, diagnose, diagnose_bytes};

/// The corpus: `HTTPDX_WILD_HAR`, else `shared/corpus/wild-har` beside the project (the
/// project and its worktrees sit next to `shared/`).
fn corpus_dir() -> PathBuf {
    std::env::var_os("HTTPDX_WILD_HAR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wild-har"),
        PathBuf::from,
    )
}

fn options(reference_time: i64) -> Options {
    Options {
        format: None,
        reference_time: Some(reference_time),
    }
}

/// 2040-01-01: a reference time far from every capture, to show a HAR is measured against
/// its own time.
const LATER: i64 = 2_208_988_800;

fn ids(exchange: &ExchangeReport) -> Vec<&'static str> {
    let mut ids: Vec<&str> = exchange.findings.iter().map(|f| f.id).collect();
    ids.sort_unstable();
    ids
}

fn describe(exchange: &ExchangeReport) -> String {
    let request = exchange.request.as_ref().map_or_else(String::new, |r| {
        format!("{} {}", r.method.as_deref().unwrap_or("?"), r.url)
    });
    let findings: Vec<String> = exchange
        .findings
        .iter()
        .map(|f| format!("{} ({:?}): {}", f.id, f.severity, f.title))
        .collect();
    format!("#{} {request}: {findings:?}", exchange.index)
}

/// Findings that may stand on an entry that succeeded, because the success itself hides the
/// problem they name: the browser withholds a 2xx whose CORS headers do not fit, and a
/// preflight's 204 can refuse the request that follows.
const HIDDEN_BY_SUCCESS: &[&str] = &[
    "cors.origin-mismatch",
    "cors.credentials-wildcard",
    "cors.header-not-allowed",
    "cors.method-not-allowed",
    "cors.missing-allow-origin",
    "cors.preflight-rejected",
    "response.html-instead-of-json",
    "server.stack-trace-exposed",
    "validation.field-errors",
];

/// What holds for every HAR, known or not: read as a HAR, one exchange per entry, nothing
/// unreadable, failures marked, successes without errors or warnings, the same diagnosis
/// whatever today's date.
fn check_any_har(name: &str, bytes: &[u8]) -> Report {
    let report = diagnose_bytes(bytes, &options(common::REFERENCE_TIME))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(
        report.format.name(),
        "har",
        "{name}: {}",
        report.detected_by
    );
    let capture_ids: Vec<&str> = report.findings.iter().map(|f| f.id).collect();
    for unwanted in [
        "input.unrecognized",
        "input.skipped-part",
        "input.truncated",
    ] {
        assert!(
            !capture_ids.contains(&unwanted),
            "{name}: {unwanted}: {:?}",
            report.findings.iter().map(|f| &f.title).collect::<Vec<_>>()
        );
    }
    let text = String::from_utf8_lossy(bytes);
    let json: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).expect("the corpus is JSON");
    let entries = json["log"]["entries"].as_array().map_or(0, Vec::len);
    assert_eq!(
        report.exchanges.len(),
        entries,
        "{name}: one exchange per entry"
    );
    for exchange in &report.exchanges {
        let status = exchange.response.as_ref().map(|r| r.status);
        let failed = status.is_none_or(|s| s >= 400) || exchange.transport_error.is_some();
        // A success is marked failed only by an error it hides.
        let hidden_error = exchange
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error && HIDDEN_BY_SUCCESS.contains(&f.id));
        assert_eq!(
            exchange.failed,
            failed || hidden_error,
            "{name}: {}",
            describe(exchange)
        );
        if status.is_some_and(|s| (200..300).contains(&s)) {
            let alarms: Vec<&str> = exchange
                .findings
                .iter()
                .filter(|f| f.severity != Severity::Info && !HIDDEN_BY_SUCCESS.contains(&f.id))
                .map(|f| f.id)
                .collect();
            assert!(
                alarms.is_empty(),
                "{name}: a success is not a failure: {}",
                describe(exchange)
            );
        }
    }
    // A HAR carries its own time: today's date changes nothing in its diagnosis.
    let later = diagnose_bytes(bytes, &options(LATER)).expect("read once already");
    for (now, then) in report.exchanges.iter().zip(&later.exchanges) {
        assert_eq!(
            describe(now),
            describe(then),
            "{name}: the diagnosis depends on today's date"
        );
    }
    report
}

/// A share link of the whole file and the redacted file, as the CLI makes them. A secret the
/// net stops is an answer, not a failure; a panic is.
fn share_and_redact(text: &str) -> Result<(), String> {
    let redact = httpdx::share::RedactOptions::default();
    httpdx::share::redact_file(text, &redact).map_err(|e| e.to_string())?;
    let link = httpdx::share::share(
        text,
        &options(common::REFERENCE_TIME),
        "http://127.0.0.1:8080/",
        None,
        &redact,
    )
    .map_err(|e| e.to_string())?;
    httpdx::share::open(&link.url)?;
    Ok(())
}

/// One file of the corpus: what it must read as, and why.
struct Expected {
    file: &'static str,
    entries: usize,
    /// Findings about the whole input.
    capture: &'static [&'static str],
    /// The exchanges that carry findings, with exactly those findings (sorted); every other
    /// exchange carries none.
    findings: &'static [(usize, &'static [&'static str])],
    /// The exchanges that failed; every other one succeeded.
    failed: &'static [usize],
    /// Transport error codes of the exchanges that got no response.
    codes: &'static [(usize, &'static str)],
}

const CORPUS: &[Expected] = &[
    // mitmproxy: wget through the proxy to 163.com, which never answered (mitmproxy writes
    // Python's `[Errno 60] Connect call failed`: errno 60 is ETIMEDOUT on macOS, so a timed
    // out connection, not a refused one); then `curl -d` POSTing to httpbin's /get, which
    // allows only GET: gunicorn answered 405 itself and said so in Allow.
    Expected {
        file: "01-har-mitmproxy-405-and-connect-failure.har",
        entries: 2,
        capture: &[],
        findings: &[
            (0, &["network.timeout"]),
            (1, &["gateway.responder-identified", "method.not-allowed"]),
        ],
        failed: &[0, 1],
        codes: &[(0, "timeout")],
    },
    // Charles: one page load, 200. Nothing to say.
    Expected {
        file: "02-har-charles-success.har",
        entries: 1,
        capture: &[],
        findings: &[],
        failed: &[],
        codes: &[],
    },
    // Firefox: a page revisited: 304s for cached documents (with the cached body recorded)
    // and 200s for the rest, response bodies left out ("Response bodies are not included").
    // A 304 is a success.
    Expected {
        file: "03-har-firefox-304-success.har",
        entries: 14,
        capture: &[],
        findings: &[],
        failed: &[],
        codes: &[],
    },
    // Safari (WebKit Web Inspector): a page load, every statusText empty, binary bodies in
    // base64. All 200.
    Expected {
        file: "04-har-safari-success.har",
        entries: 19,
        capture: &[],
        findings: &[],
        failed: &[],
        codes: &[],
    },
    // Firefox: a HEAD for a wheel on PyPI's CDN, Content-Length 78258 and no body, as HEAD
    // answers are: not a cut body.
    Expected {
        file: "05-har-firefox-head-content-length.har",
        entries: 1,
        capture: &[],
        findings: &[],
        failed: &[],
        codes: &[],
    },
    // Chromium, saved with a UTF-8 byte-order mark: a metrics beacon POSTing JSON as
    // `text/plain` (as `navigator.sendBeacon` does, to avoid a preflight), answered 200.
    // The server read it: no Content-Type warning.
    Expected {
        file: "06-har-chrome-utf8-bom.har",
        entries: 1,
        capture: &[],
        findings: &[],
        failed: &[],
        codes: &[],
    },
    // Chromium: a 304 page load, then www.google.com with the network off
    // (`net::ERR_INTERNET_DISCONNECTED`: said as "Offline" in the summary; no finding ID
    // names it), then an image that loaded. The cookie header makes the input hold
    // credentials.
    Expected {
        file: "07-har-chrome-internet-disconnected.har",
        entries: 3,
        capture: &["input.secrets-present"],
        findings: &[],
        failed: &[1],
        codes: &[(1, "net::ERR_INTERNET_DISCONNECTED")],
    },
    // Chromium 51: a page whose stylesheets come from expired.badssl.com and
    // wrong.host.badssl.com (`net::ERR_INSECURE_RESPONSE`: certificates refused) and a
    // script an ad blocker stopped (`net::ERR_BLOCKED_BY_CLIENT`); the page itself loaded.
    Expected {
        file: "08-har-chrome-insecure-and-blocked.har",
        entries: 4,
        capture: &[],
        findings: &[
            (1, &["tls.certificate-problem"]),
            (2, &["tls.certificate-problem"]),
            (3, &["network.blocked-by-client"]),
        ],
        failed: &[1, 2, 3],
        codes: &[
            (1, "net::ERR_INSECURE_RESPONSE"),
            (2, "net::ERR_INSECURE_RESPONSE"),
            (3, "net::ERR_BLOCKED_BY_CLIENT"),
        ],
    },
    // Firefox 47, the same page: the two badssl stylesheets are `status: 0` with no
    // statusText and no error text. They failed, and the file does not say why, so no
    // finding can name a cause; the summary says the HAR gives no reason.
    Expected {
        file: "09-har-firefox-status0-no-reason.har",
        entries: 3,
        capture: &[],
        findings: &[],
        failed: &[1, 2],
        codes: &[(1, "status 0"), (2, "status 0")],
    },
    // IE11: three loads of a page on GitHub Pages; favicon.ico is a 404 both times, with
    // Content-Length written "5,216" and the body not saved. The 404 came through Fastly
    // from its cache (`X-Cache: HIT`), so it is GitHub's stored answer passed on, not
    // Fastly's own page; the response names its request ID. The Cookie header holds a
    // (harmless) preference, reported as a credential.
    Expected {
        file: "10-har-ie11-404-favicon.har",
        entries: 25,
        capture: &["input.secrets-present"],
        findings: &[
            (4, &["gateway.responder-identified", "response.request-id"]),
            (14, &["gateway.responder-identified", "response.request-id"]),
        ],
        failed: &[4, 14],
        codes: &[],
    },
    // Fiddler: a JSON POST to a WCF service, 200 with a 39 KB JSON answer. The CSRF token
    // header and the session cookie are credentials.
    Expected {
        file: "11-har-fiddler-post-json-success.har",
        entries: 1,
        capture: &["input.secrets-present"],
        findings: &[],
        failed: &[],
        codes: &[],
    },
    // Chromium: a POST whose JSON body lacks its closing brace, answered 404: the body
    // cannot be parsed, which the finding shows at the place it ends.
    Expected {
        file: "12-har-404-malformed-request-json.har",
        entries: 1,
        capture: &[],
        findings: &[(0, &["body.json-syntax"])],
        failed: &[0],
        codes: &[],
    },
    // Polly.JS: a recorded GitHub API call, 200, its gzip body kept as hex chunks
    // (`_isBinary`), which is not read as the body.
    Expected {
        file: "14-har-pollyjs-github-api-success.har",
        entries: 1,
        capture: &[],
        findings: &[],
        failed: &[],
        codes: &[],
    },
];

/// What each file shows beyond its findings' IDs: the words a user reads.
fn check_words(file: &str, report: &Report) {
    let title = |index: usize, id: &str| -> String {
        report.exchanges[index]
            .findings
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.title.plain())
            .unwrap_or_default()
    };
    let summary = |index: usize| -> String {
        report.exchanges[index]
            .summary
            .as_ref()
            .map(|s| format!("{}: {}", s.outcome, s.meaning))
            .unwrap_or_default()
    };
    match file {
        "01-har-mitmproxy-405-and-connect-failure.har" => {
            assert!(title(0, "network.timeout").contains("163.com"));
            assert!(title(1, "method.not-allowed").contains("allows GET"));
        }
        "07-har-chrome-internet-disconnected.har" => {
            assert!(summary(1).starts_with("Offline:"), "{}", summary(1));
        }
        "09-har-firefox-status0-no-reason.har" => {
            assert!(summary(1).contains("no error text"), "{}", summary(1));
        }
        "10-har-ie11-404-favicon.har" => {
            let responder = title(4, "gateway.responder-identified");
            assert!(responder.contains("passed through Fastly"), "{responder}");
        }
        "12-har-404-malformed-request-json.har" => {
            assert!(title(0, "body.json-syntax").contains("request body"));
        }
        _ => {}
    }
}

#[test]
fn every_producer_is_read_and_diagnosed_as_its_entries_show() {
    let dir = corpus_dir();
    let Ok(listing) = std::fs::read_dir(&dir) else {
        println!(
            "skipped: the wild HAR corpus was not found at {} (set HTTPDX_WILD_HAR to its folder)",
            dir.display()
        );
        return;
    };
    let mut files: Vec<PathBuf> = listing
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "har"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .har file in {}", dir.display());
    let mut seen = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a file name")
            .to_owned();
        let bytes = std::fs::read(path).expect("readable");
        let report = check_any_har(&name, &bytes);
        let shared = share_and_redact(&String::from_utf8_lossy(&bytes));
        let Some(expected) = CORPUS.iter().find(|e| e.file == name) else {
            println!("{name}: no expectations written for it; the checks every HAR passes only");
            continue;
        };
        seen.push(expected.file);
        // None of these files holds a secret the net would stop.
        if let Err(error) = shared {
            panic!("{name}: {error}");
        }
        assert_eq!(report.exchanges.len(), expected.entries, "{name}");
        let mut capture: Vec<&str> = report.findings.iter().map(|f| f.id).collect();
        capture.sort_unstable();
        assert_eq!(
            capture, expected.capture,
            "{name}: findings about the input"
        );
        for exchange in &report.exchanges {
            let want: &[&str] = expected
                .findings
                .iter()
                .find(|(i, _)| *i == exchange.index)
                .map_or(&[], |(_, ids)| ids);
            assert_eq!(ids(exchange), want, "{name}: {}", describe(exchange));
            assert_eq!(
                exchange.failed,
                expected.failed.contains(&exchange.index),
                "{name}: {}",
                describe(exchange)
            );
            let code = exchange.transport_error.as_ref().map(|t| t.code.as_str());
            let want_code = expected
                .codes
                .iter()
                .find(|(i, _)| *i == exchange.index)
                .map(|(_, c)| *c);
            assert_eq!(code, want_code, "{name}: {}", describe(exchange));
        }
        check_words(&name, &report);
    }
    // The project's own corpus must hold every file written down here; another folder
    // (HTTPDX_WILD_HAR) is checked for what it holds.
    if std::env::var_os("HTTPDX_WILD_HAR").is_none() {
        for expected in CORPUS {
            assert!(
                seen.contains(&expected.file),
                "{} is missing from {}",
                expected.file,
                dir.display()
            );
        }
    }
}

/// A HAR of `entries` (JSON objects) as Chromium writes it, with one page at `page`.
fn har(entries: &[String]) -> String {
    format!(
        r#"{{"log": {{"version": "1.2", "creator": {{"name": "WebInspector", "version": "537.36"}},
  "pages": [{{"id": "page_1", "title": "https://app.test/", "startedDateTime": "2023-07-15T13:37:26.093Z"}}],
  "entries": [{}]}}}}"#,
        entries.join(",\n")
    )
}

/// One entry: `request_headers` and `response_headers` as `[name, value]` pairs, a request
/// body when given, started at `started`.
fn entry(
    method: &str,
    url: &str,
    status: u16,
    request_headers: &[(&str, &str)],
    response_headers: &[(&str, &str)],
    post: Option<&str>,
    started: &str,
) -> String {
    let pairs = |headers: &[(&str, &str)]| {
        let mut all = vec![("User-Agent", "Mozilla/5.0")];
        all.extend_from_slice(headers);
        serde_json::to_string(
            &all.iter()
                .map(|(n, v)| serde_json::json!({"name": n, "value": v}))
                .collect::<Vec<_>>(),
        )
        .expect("headers")
    };
    let post = post.map_or_else(String::new, |text| {
        format!(
            r#","postData": {{"mimeType": "", "text": {}}}"#,
            serde_json::to_string(text).expect("text")
        )
    });
    format!(
        r#"{{"pageref": "page_1", "startedDateTime": "{started}", "time": 12.5,
  "request": {{"method": "{method}", "url": "{url}", "httpVersion": "http/2.0", "headers": {}, "queryString": [], "cookies": [], "headersSize": -1, "bodySize": -1{post}}},
  "response": {{"status": {status}, "statusText": "", "httpVersion": "http/2.0", "headers": {}, "cookies": [], "content": {{"size": 0, "mimeType": "application/json"}}, "redirectURL": "", "headersSize": -1, "bodySize": -1, "_transferSize": 0, "_error": null}},
  "cache": {{}}, "timings": {{"blocked": -1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 10, "receive": 2.5}}}}"#,
        pairs(request_headers),
        pairs(response_headers),
    )
}

fn jwt(claims: &str) -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!(
        "{}.{}.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
        b64(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64(claims)
    )
}

fn run(text: &str) -> Report {
    diagnose(text, &options(common::REFERENCE_TIME)).expect("diagnosed")
}

/// 2023-07-15 13:37:26 UTC, when the entries below start.
const STARTED: &str = "2023-07-15T13:37:26.093Z";
/// An hour before `STARTED`, an hour after it.
const HOUR_BEFORE: i64 = 1_689_428_246 - 3600;
const HOUR_AFTER: i64 = 1_689_428_246 + 3600;

#[test]
fn a_jwt_the_server_accepted_is_not_called_expired() {
    // Bug: a token in an old HAR was measured against today and reported expired (a
    // warning) on requests that succeeded. The server accepted it, so it was valid then.
    let old = jwt(&format!(
        r#"{{"sub":"1","iat":{},"exp":{HOUR_BEFORE}}}"#,
        HOUR_BEFORE - 3600
    ));
    let in_url = format!("https://api.test/items?access_token={old}");
    let bearer = format!("Bearer {old}");
    let cookie = format!("session={old}");
    let text = har(&[
        entry("GET", &in_url, 200, &[], &[], None, STARTED),
        entry(
            "GET",
            "https://api.test/me",
            200,
            &[("Authorization", &bearer)],
            &[("Date", "Sat, 15 Jul 2023 13:37:26 GMT")],
            None,
            STARTED,
        ),
        entry(
            "GET",
            "https://api.test/me",
            304,
            &[("Cookie", &cookie)],
            &[],
            None,
            STARTED,
        ),
        entry(
            "GET",
            "https://api.test/me",
            401,
            &[("Authorization", &bearer)],
            &[],
            None,
            STARTED,
        ),
    ]);
    let report = run(&text);
    for exchange in &report.exchanges[..3] {
        assert!(ids(exchange).is_empty(), "{}", describe(exchange));
        assert!(!exchange.failed);
    }
    assert_eq!(ids(&report.exchanges[3]), ["auth.token-expired"]);
}

#[test]
fn a_har_entry_is_measured_against_its_own_start_when_the_response_has_no_date() {
    // A 401 without a Date header: the token is judged at the entry's startedDateTime,
    // not at today's date (which would call every token in an old HAR expired).
    let expired_then = jwt(&format!(r#"{{"sub":"1","exp":{HOUR_BEFORE}}}"#));
    let valid_then = jwt(&format!(r#"{{"sub":"1","exp":{HOUR_AFTER}}}"#));
    let text = har(&[
        entry(
            "GET",
            "https://api.test/me",
            401,
            &[("Authorization", &format!("Bearer {expired_then}"))],
            &[],
            None,
            STARTED,
        ),
        entry(
            "GET",
            "https://api.test/me",
            401,
            &[("Authorization", &format!("Bearer {valid_then}"))],
            &[],
            None,
            STARTED,
        ),
    ]);
    let report = run(&text);
    let expired = &report.exchanges[0].findings;
    assert_eq!(expired.len(), 1, "{expired:?}");
    assert_eq!(expired[0].id, "auth.token-expired");
    assert_eq!(expired[0].severity, Severity::Error);
    assert!(
        expired[0]
            .title
            .contains("expired 1 h before the request's start"),
        "{}",
        expired[0].title
    );
    let clock = expired[0]
        .evidence()
        .iter()
        .find(|e| e.location == "HAR startedDateTime")
        .expect("the clock's evidence");
    assert_eq!(clock.quote, STARTED);
    let span = clock.span.expect("located in the input");
    assert_eq!(&text[span.start..span.end], STARTED);
    assert!(expired[0].explanation.contains("the request was made at"));
    // Valid when it was sent, though long expired today.
    assert!(
        !ids(&report.exchanges[1]).contains(&"auth.token-expired"),
        "{}",
        describe(&report.exchanges[1])
    );
    // A not-yet-valid token is judged against the same clock.
    let future = jwt(&format!(
        r#"{{"sub":"1","nbf":{HOUR_AFTER},"exp":{}}}"#,
        HOUR_AFTER + 3600
    ));
    let report = run(&har(&[entry(
        "GET",
        "https://api.test/me",
        401,
        &[("Authorization", &format!("Bearer {future}"))],
        &[],
        None,
        STARTED,
    )]));
    let early = &report.exchanges[0].findings[0];
    assert_eq!(early.id, "auth.token-not-yet-valid");
    assert!(
        early.title.contains("the client's clock"),
        "{}",
        early.title
    );
}

#[test]
fn json_posted_as_text_that_succeeded_gets_no_content_type_warning() {
    // Bug: a beacon POSTing JSON as text/plain, answered 200, got a Content-Type warning
    // (06-har-chrome-utf8-bom.har). The server read the body; the warning stays for
    // failures, where the type is a likely cause.
    let json = r#"{"event":"view","n":1}"#;
    let text = har(&[
        entry(
            "POST",
            "https://metrics.test/collect",
            200,
            &[("Content-Type", "text/plain;charset=UTF-8")],
            &[],
            Some(json),
            STARTED,
        ),
        entry(
            "POST",
            "https://api.test/items",
            201,
            &[],
            &[],
            Some(json),
            STARTED,
        ),
        entry(
            "POST",
            "https://api.test/items",
            415,
            &[("Content-Type", "text/plain;charset=UTF-8")],
            &[],
            Some(json),
            STARTED,
        ),
    ]);
    let report = run(&text);
    assert!(
        ids(&report.exchanges[0]).is_empty(),
        "{}",
        describe(&report.exchanges[0])
    );
    assert!(
        ids(&report.exchanges[1]).is_empty(),
        "{}",
        describe(&report.exchanges[1])
    );
    assert_eq!(
        ids(&report.exchanges[2]),
        ["body.content-type-mismatch"],
        "{}",
        describe(&report.exchanges[2])
    );
}

#[test]
fn a_request_the_server_accepted_has_no_body_syntax_or_invisible_character_error() {
    // A server that answered 2xx read the body as it was: a lenient parser, a form sent as
    // JSON, a zero-width space in a name broke nothing.
    let json = [("Content-Type", "application/json")];
    let text = har(&[
        entry(
            "POST",
            "https://api.test/a",
            200,
            &json,
            &[],
            Some(r#"{"a":1,}"#),
            STARTED,
        ),
        entry(
            "POST",
            "https://api.test/a",
            200,
            &json,
            &[],
            Some("a=1&b=2"),
            STARTED,
        ),
        entry(
            "POST",
            "https://api.test/a",
            200,
            &json,
            &[],
            Some("{\"name\":\"a\u{200b}b\"}"),
            STARTED,
        ),
        entry(
            "POST",
            "https://api.test/a",
            400,
            &json,
            &[],
            Some(r#"{"a":1,}"#),
            STARTED,
        ),
    ]);
    let report = run(&text);
    for exchange in &report.exchanges[..3] {
        assert!(ids(exchange).is_empty(), "{}", describe(exchange));
    }
    assert!(ids(&report.exchanges[3]).contains(&"body.json-syntax"));
}

#[test]
fn a_page_s_images_scripts_and_beacons_are_not_cors_failures() {
    // Bug: every cross-origin subresource of a page (an image, a script from a CDN) whose
    // 200 had no Access-Control-Allow-Origin was reported as a CORS error, and one sent
    // with cookies to a `*` origin as a credentials error. CORS governs only CORS-mode
    // requests, which send Origin (and say `Sec-Fetch-Mode: cors`).
    let text = har(&[
        entry(
            "GET",
            "https://cdn.test/logo.png",
            200,
            &[("Sec-Fetch-Mode", "no-cors")],
            &[("Date", "Sat, 15 Jul 2023 13:37:26 GMT")],
            None,
            STARTED,
        ),
        entry(
            "GET",
            "https://cdn.test/app.js",
            200,
            &[("Referer", "https://app.test/")],
            &[("Content-Type", "text/javascript")],
            None,
            STARTED,
        ),
        entry(
            "GET",
            "https://cdn.test/pixel.gif",
            200,
            &[("Cookie", "id=1"), ("Sec-Fetch-Mode", "no-cors")],
            &[("Access-Control-Allow-Origin", "*")],
            None,
            STARTED,
        ),
        entry(
            "POST",
            "https://metrics.test/m",
            200,
            &[
                ("Origin", "https://app.test"),
                ("Sec-Fetch-Mode", "no-cors"),
            ],
            &[("Content-Length", "0")],
            Some("{}"),
            STARTED,
        ),
        // A real CORS fetch whose answer lacks the header is still one.
        entry(
            "GET",
            "https://api.test/items",
            200,
            &[("Origin", "https://app.test"), ("Sec-Fetch-Mode", "cors")],
            &[("Content-Type", "application/json")],
            None,
            STARTED,
        ),
    ]);
    let report = run(&text);
    for exchange in &report.exchanges[..4] {
        assert!(ids(exchange).is_empty(), "{}", describe(exchange));
        assert!(!exchange.failed);
    }
    assert_eq!(ids(&report.exchanges[4]), ["cors.missing-allow-origin"]);
}

#[test]
fn head_and_304_answers_are_not_cut_bodies() {
    // A HEAD answer and a 304 carry Content-Length and no body; IE11 writes sizes as
    // "5,216". None of it is a truncated input.
    let text = har(&[
        entry(
            "HEAD",
            "https://files.test/a.whl",
            200,
            &[],
            &[
                ("Content-Length", "78258"),
                ("Content-Type", "application/json"),
            ],
            None,
            STARTED,
        ),
        entry(
            "GET",
            "https://files.test/a",
            304,
            &[],
            &[("Content-Length", "5,216")],
            None,
            STARTED,
        ),
        entry(
            "GET",
            "https://files.test/favicon.ico",
            404,
            &[],
            &[("Content-Length", "5,216")],
            None,
            STARTED,
        ),
    ]);
    let report = run(&text);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert!(ids(&report.exchanges[0]).is_empty());
    assert!(ids(&report.exchanges[1]).is_empty());
    assert!(report.exchanges[2].failed);
}

#[test]
fn a_cache_hit_is_the_origin_s_answer_not_the_cdn_s_page() {
    // Bug (10-har-ie11-404-favicon.har): a 404 Fastly served from its cache, body not
    // saved, was called "Fastly wrote this 404 page itself".
    let text = har(&[entry(
        "GET",
        "https://site.test/favicon.ico",
        404,
        &[],
        &[
            ("Server", "GitHub.com"),
            ("X-Served-By", "cache-lcy1133-LCY"),
            ("X-Cache", "HIT"),
        ],
        None,
        STARTED,
    )]);
    let report = run(&text);
    let responder = &report.exchanges[0].findings[0];
    assert_eq!(responder.id, "gateway.responder-identified");
    assert!(!responder.title.contains("itself"), "{}", responder.title);
}

#[test]
fn failures_without_a_finding_still_say_what_happened() {
    // Bugs: `net::ERR_INTERNET_DISCONNECTED` (07) and Firefox's bare `status: 0` (09) were
    // summarised as "The client recorded no response", hiding the one fact the file has.
    let offline = r#"{"startedDateTime": "2023-07-13T12:32:32.676Z", "time": 4.1, "request": {"method": "GET", "url": "https://www.google.test/", "httpVersion": "", "headers": []}, "response": {"status": 0, "statusText": "", "httpVersion": "", "headers": [], "content": {"size": 0, "mimeType": "x-unknown"}, "_error": "net::ERR_INTERNET_DISCONNECTED"}}"#;
    let silent = r#"{"startedDateTime": "2016-06-15T22:35:41.260+01:00", "time": 0, "request": {"method": "GET", "url": "https://expired.test/style.css", "httpVersion": "", "headers": [], "postData": {"mimeType": "", "params": [], "text": ""}}, "response": {"status": 0, "statusText": "", "httpVersion": "", "headers": [], "content": {"mimeType": "text/plain", "size": 0, "encoding": "base64", "text": ""}}}"#;
    let report = run(&har(&[offline.to_owned(), silent.to_owned()]));
    let summary = |i: usize| report.exchanges[i].summary.clone().expect("summary");
    assert_eq!(summary(0).outcome, "Offline");
    assert_eq!(
        report.exchanges[0]
            .transport_error
            .as_ref()
            .map(|t| t.code.as_str()),
        Some("net::ERR_INTERNET_DISCONNECTED")
    );
    assert_eq!(summary(1).outcome, "No response");
    assert!(
        summary(1).meaning.contains("no error text"),
        "{}",
        summary(1).meaning
    );
}

#[test]
fn mitmproxy_s_connect_errors_are_read_by_their_error_number() {
    // Bug (01): `[Errno 60] Connect call failed` (ETIMEDOUT on macOS) was reported as a
    // refused connection, and its code was "status 0".
    let failed = |message: &str| {
        format!(
            r#"{{"startedDateTime": "2023-07-25T11:03:15.216374+00:00", "time": 2.85, "request": {{"method": "GET", "url": "http://slow.test/", "httpVersion": "HTTP/1.1", "headers": [{{"name": "Host", "value": "slow.test"}}]}}, "response": {{"status": 0, "statusText": "", "httpVersion": "", "headers": [], "cookies": [], "content": {{}}, "_error": {}}}, "cache": {{}}, "timings": {{"connect": -1.0, "ssl": null, "send": 2.85, "receive": 0, "wait": 0}}}}"#,
            serde_json::to_string(message).expect("message")
        )
    };
    let report = run(&har(&[
        failed(
            "Multiple exceptions: [Errno 60] Connect call failed ('10.0.0.1', 80), [Errno 60] Connect call failed ('10.0.0.2', 80)",
        ),
        failed("[Errno 111] Connect call failed ('127.0.0.1', 80)"),
    ]));
    assert_eq!(ids(&report.exchanges[0]), ["network.timeout"]);
    assert_eq!(
        report.exchanges[0]
            .transport_error
            .as_ref()
            .map(|t| t.code.as_str()),
        Some("timeout")
    );
    assert_eq!(ids(&report.exchanges[1]), ["network.connection-refused"]);
}

#[test]
fn a_base64_body_without_secrets_can_be_shared_and_redacted() {
    // Bug (07-har-chrome-internet-disconnected.har): a base64 body with nothing to mask left
    // an empty redaction site behind, and redaction panicked (`httpdx redact`, share links).
    let page = r#"{"startedDateTime": "2023-03-30T00:00:54.250Z", "time": 14.6, "request": {"method": "GET", "url": "https://app.test/", "httpVersion": "http/2.0", "headers": [{"name": "accept", "value": "text/html"}]}, "response": {"status": 304, "statusText": "", "httpVersion": "http/2.0", "headers": [], "content": {"size": 15, "mimeType": "text/html", "text": "PCFET0NUWVBFIGh0bWw+", "encoding": "base64"}}}"#;
    let text = har(&[page.to_owned()]);
    share_and_redact(&text).expect("shared and redacted");
    let redacted = httpdx::share::redact_file(&text, &httpdx::share::RedactOptions::default())
        .expect("redacted");
    assert_eq!(redacted.text, text, "nothing to redact, nothing changed");
}
