//! Cost grows linearly with input size, on the shapes that made earlier versions quadratic
//! (or worse): each is built at size N and 4N and run through everything a person can do
//! with it — diagnose, share, open the link, Markdown, the redacted file — under callgrind,
//! which counts the instructions of that work exactly, whatever else the machine is doing.
//! 4× the input must cost less than 6× the instructions.
//!
//! The same test binary is the probe: run with `HTTPDX_SCALING_PROBE=shape:n`, its `probe`
//! test builds that input and does the work, and only that function is counted.

// Test set-up: a probe that cannot start should stop the test; inputs are built for reading.
#![allow(clippy::expect_used, clippy::format_collect)]

use std::process::Command;

use httpdx::share::{self, RedactOptions};

/// Every shape, with the size its small run uses.
const SHAPES: &[(&str, usize)] = &[
    ("curl-continuation", 2_000),
    ("console-identical-lines", 300),
    ("console-without-url", 2_000),
    ("node-error-lines", 2_000),
    ("key-equals", 2_000),
    ("password-quote", 2_000),
    ("json-many-keys", 2_000),
    ("key-shapes", 1_000),
    ("cookie-pairs", 400),
    ("query-case-variants", 400),
    ("many-response-headers", 200),
    ("har-many-headers", 200),
    ("field-errors", 300),
    ("graphql-errors", 300),
    ("har-stripe-mode-refusals", 200),
    ("har-rejected-cookies", 400),
    ("har-unique-pagerefs", 200),
    ("har-rate-limited", 120),
    ("har-grouped-failures", 200),
    ("har-redirect-chain", 200),
    ("har-one-long-chain", 200),
    ("api-versions", 300),
    ("raw-exchanges", 300),
    ("nested-brackets", 40_000),
    ("multibyte-delimiters", 3_000),
    ("long-line", 50_000),
    ("stack-lines", 800),
    ("trace-ascii-rows", 400),
    ("trace-hex-rows", 1_500),
    ("inspect-members", 600),
    ("wrapped-command", 150),
    ("client-error-lines", 500),
    ("panel-pairs", 1_500),
    ("python-header-dict", 1_500),
    ("indented-quoted-lines", 1_500),
    ("one-long-secret", 4_000),
];

fn build(shape: &str, n: usize) -> String {
    match shape {
        "curl-continuation" => format!("* Host x\n{}", "curl -H \\\n".repeat(n)),
        "console-identical-lines" => "GET https://a.example/x net::ERR_FAILED\n".repeat(n),
        "console-without-url" => "Failed to load resource: net::ERR_FAILED\n".repeat(n),
        "node-error-lines" => "Error: connect ECONNREFUSED 127.0.0.1:3000\n".repeat(n),
        "key-equals" => "key=".repeat(n),
        // A broken document whose secret runs to its end, repeated elsewhere (found by
        // fuzzing: its every spelling made the search slow, if linear).
        "one-long-secret" => {
            let secret: String = (0..n)
                .map(|i| char::from(b"aZ3kQ9xW"[(i * 7 + i / 3) % 8]))
                .collect();
            format!("{{\"password\": \"{secret}\", \"copy\": \"{secret}\"}}")
        }
        "password-quote" => "\"password\":'".repeat(n),
        "json-many-keys" => format!(
            "{{{}}}",
            (0..n).map(|i| format!("\"k{i}\": \"v{i}\"")).collect::<Vec<_>>().join(", ")
        ),
        "key-shapes" => format!("ghp_{} ", "A".repeat(36)).repeat(n),
        "cookie-pairs" => format!(
            "GET / HTTP/1.1\nHost: a.test\nCookie: {}\n\n",
            (0..n).map(|i| format!("c{i}=v{i}Xq9abcdefgh")).collect::<Vec<_>>().join("; ")
        ),
        "query-case-variants" => format!(
            "GET /x?{} HTTP/1.1\nHost: a.test\n\n",
            (0..n)
                .map(|i| {
                    let name: String = "csrftoken"
                        .chars()
                        .enumerate()
                        .map(|(k, c)| if i >> (k % 9) & 1 == 1 { c.to_ascii_uppercase() } else { c })
                        .collect();
                    format!("{name}{i}=v{i}Zq7abcdef")
                })
                .collect::<Vec<_>>()
                .join("&")
        ),
        // One answer with thousands of headers: the rules look headers up by name.
        "many-response-headers" => format!(
            "GET /api/x HTTP/1.1\nHost: a.test\nAuthorization: Bearer abcdefghijklmnopqrstuvwx\n\nHTTP/1.1 403 Forbidden\nContent-Type: application/json\n{}\n{{\"error\":\"forbidden\"}}\n",
            (0..n)
                .map(|i| format!("Set-Cookie: s{i}=v{i}; Path=/; SameSite=None\nX-Trace-{i}: t{i}\nAccess-Control-Allow-Headers: x-h{i}\n"))
                .collect::<String>()
        ),
        "har-many-headers" => har(std::iter::once(format!(
            r#"{{"startedDateTime":"2026-11-25T10:00:00.000Z","time":1,"request":{{"method":"POST","url":"https://a.test/api/x","headers":[{}]}},"response":{{"status":401,"headers":[{}],"content":{{"mimeType":"application/json","text":"{{\"error\":\"invalid_token\"}}"}}}}}}"#,
            (0..n).map(|i| format!(r#"{{"name":"X-Req-{i}","value":"r{i}"}},{{"name":"Cookie","value":"c{i}=v{i}"}}"#)).collect::<Vec<_>>().join(","),
            (0..n).map(|i| format!(r#"{{"name":"WWW-Authenticate","value":"Bearer error="invalid_token", n="{i}""}},{{"name":"Vary","value":"h{i}"}}"#)).collect::<Vec<_>>().join(","),
        ))),
        // An error body listing thousands of field errors, and a GraphQL answer as many errors.
        "field-errors" => format!(
            "HTTP/1.1 422 Unprocessable Entity\nContent-Type: application/json\n\n{{\"detail\":[{}]}}\n",
            (0..n).map(|i| format!(r#"{{"loc":["body","f{i}"],"msg":"field required","type":"value_error.missing"}}"#)).collect::<Vec<_>>().join(",")
        ),
        "graphql-errors" => format!(
            "POST /graphql HTTP/1.1\nHost: a.test\nContent-Type: application/json\n\n{{\"query\":\"{{ a }}\"}}\nHTTP/1.1 200 OK\nContent-Type: application/json\n\n{{\"data\":null,\"errors\":[{}]}}\n",
            (0..n).map(|i| format!(r#"{{"message":"Cannot query field \"f{i}\" on type \"Query\".","locations":[{{"line":1,"column":{i}}}],"extensions":{{"code":"GRAPHQL_VALIDATION_FAILED"}}}}"#)).collect::<Vec<_>>().join(",")
        ),
        // Stripe refusing a key of the other mode, again and again: the key quoted as evidence
        // was searched for in the whole input for each refusal.
        "har-stripe-mode-refusals" => har((0..n).map(|i| {
            format!(r#"{{"startedDateTime":"2026-11-25T10:00:00.000Z","time":1,"request":{{"method":"POST","url":"https://api.stripe.com/v1/charges/ch_{i}","headers":[{{"name":"Authorization","value":"Bearer sk_test_{i:0>24}"}}]}},"response":{{"status":400,"headers":[{{"name":"Content-Type","value":"application/json"}}],"content":{{"mimeType":"application/json","text":"{{\"error\":{{\"message\":\"No such charge: 'ch_{i}'; a similar object exists in live mode, but a test mode key was used to make this request.\",\"type\":\"invalid_request_error\"}}}}"}}}}}}"#)
        })),
        // Every answer sets a cookie the browser refuses, and no later call is refused: the
        // rule looks ahead for the call that went without it.
        "har-rejected-cookies" => har((0..n).map(|i| {
            format!(r#"{{"startedDateTime":"2026-11-25T10:00:00.000Z","time":1,"request":{{"method":"GET","url":"https://app.test/api/items/{i}","headers":[]}},"response":{{"status":200,"headers":[{{"name":"Set-Cookie","value":"session{i}=abc; Path=/; SameSite=None"}}],"content":{{}}}}}}"#)
        })),
        "har-unique-pagerefs" => har((0..n).map(|i| {
            format!(r#"{{"pageref":"page_{i}","startedDateTime":"2026-11-25T10:00:00.000Z","time":1,"request":{{"method":"GET","url":"https://a.test/p/{i}","headers":[]}},"response":{{"status":200,"headers":[],"content":{{}}}}}}"#)
        })),
        "har-rate-limited" => har((0..n).map(|i| {
            format!(r#"{{"startedDateTime":"2026-11-25T10:00:00.{:03}Z","time":1,"request":{{"method":"GET","url":"https://a.test/v{i}/items","headers":[{{"name":"Authorization","value":"Bearer tok{i}Xq9abcdefgh"}}]}},"response":{{"status":429,"headers":[{{"name":"Retry-After","value":"3"}}],"content":{{"mimeType":"application/json","text":"{{\"error\":\"slow down\"}}"}}}}}}"#, i % 1000)
        })),
        // Failures that group: one token rejected again and again, 404s on one endpoint
        // template, each with its own identifier (the index groups them).
        "har-grouped-failures" => har((0..n).map(|i| {
            let (status, path) = if i % 2 == 0 { (401, "me".to_owned()) } else { (404, format!("users/{i}")) };
            format!(r#"{{"startedDateTime":"2026-11-25T10:00:{:02}.{:03}Z","time":1,"request":{{"method":"GET","url":"https://a.test/api/{path}","headers":[{{"name":"Authorization","value":"Bearer abcdefghijklmnopqrstuvwx"}}]}},"response":{{"status":{status},"headers":[],"content":{{}}}}}}"#, i / 1000 % 60, i % 1000)
        })),
        // Redirects followed, each to a page of its own (the index joins each pair, in
        // order, through one look-up per request).
        "har-redirect-chain" => har((0..n).map(|i| {
            let (path, status, location) = if i % 2 == 0 {
                (format!("r/{i}"), 302, format!(r#"[{{"name":"Location","value":"/d/{i}"}}]"#))
            } else {
                (format!("d/{}", i - 1), 200, "[]".to_owned())
            };
            format!(r#"{{"startedDateTime":"2026-11-25T10:00:00.000Z","time":1,"request":{{"method":"GET","url":"https://a.test/{path}","headers":[]}},"response":{{"status":{status},"headers":{location},"content":{{}}}}}}"#)
        })),
        // One chain through thousands of redirects, each hop's answer an HTML login page:
        // the rules walked the chain back from each of its exchanges.
        "har-one-long-chain" => har((0..n).map(|i| {
            let next = i + 1;
            format!(r#"{{"startedDateTime":"2026-11-25T10:00:00.000Z","time":1,"request":{{"method":"GET","url":"https://a.test/api/r/{i}","headers":[{{"name":"Accept","value":"application/json"}},{{"name":"Authorization","value":"Bearer abcdefghijklmnopqrstuvwx"}}]}},"response":{{"status":302,"headers":[{{"name":"Location","value":"/api/r/{next}"}}],"content":{{"mimeType":"text/html","text":"<form><input type=\"password\"></form>"}}}}}}"#)
        })),
        "api-versions" => (0..n)
            .map(|i| format!("GET /v{i}/items HTTP/1.1\nHost: a.test\n\nHTTP/1.1 200 OK\nContent-Length: 2\n\n{{}}\n"))
            .collect(),
        "raw-exchanges" => "HTTP/1.1 404 Not Found\nContent-Type: application/json\n\n{\"detail\":\"Not Found\"}\n".repeat(n),
        "nested-brackets" => "[".repeat(n),
        "multibyte-delimiters" => "Größe=5 Ошибка: \"é\"\n".repeat(n),
        "long-line" => "a".repeat(n),
        "stack-lines" => format!(
            "HTTP/1.1 500 Internal Server Error\nContent-Type: text/plain\n\n{}",
            "TypeError: Cannot read properties of undefined: x\n    at f (/app/a.js:1:2)\n".repeat(n)
        ),
        "trace-ascii-rows" => format!(
            "== Info: Connected\n=> Send header, 1 bytes (0x1)\n{}",
            (0..n).map(|i| format!("{:04x}: Authorization: Bearer {}\n", i * 64, "a".repeat(42))).collect::<String>()
        ),
        "trace-hex-rows" => format!(
            "=> Send header, 1 bytes (0x1)\n{}",
            (0..n).map(|i| format!("{:04x}: {}abcdefghijklmnop\n", i * 16, "61 ".repeat(16))).collect::<String>()
        ),
        "inspect-members" => format!(
            "AxiosError: Request failed with status code 401\n    at settle (a.js:1:1) {{\n  response: {{\n    status: 401,\n    headers: Object [AxiosHeaders] {{\n{}    }}\n  }}\n}}\n",
            (0..n).map(|i| format!("      'x-h{i}': 'v{i}',\n")).collect::<String>()
        ),
        "wrapped-command" => format!("PS C:\\> Invoke-RestMethod -Uri https://a.test/x -Headers @{{Authorization = \"Bearer {}\"}}\n", "eyJ".repeat(40 * n))
            .chars()
            .collect::<Vec<_>>()
            .chunks(120)
            .map(|c| format!("{}\n", c.iter().collect::<String>()))
            .collect(),
        "client-error-lines" => format!(
            "$ python3 x.py http://a.test/x\n{}",
            "Caused by: java.net.ConnectException\nstatus: 401\nHeaders: {a=[b], c=[d]}\n".repeat(n)
        ),
        "panel-pairs" => format!(
            "Request URL:\nhttps://a.test/x\nStatus Code:\n401 Unauthorized\n{}",
            "authorization:\nBearer abcdefghijklmnop\n".repeat(n)
        ),
        "python-header-dict" => format!("401 Unauthorized\n{{{}}}\n", "'X-Api-Key': 'abcdefghijklmnop', ".repeat(n)),
        "indented-quoted-lines" => format!("Output:\n\n{}", "    > < HTTP/1.1 401 Unauthorized\n".repeat(n)),
        other => panic!("unknown shape {other}"),
    }
}

fn har(entries: impl Iterator<Item = String>) -> String {
    format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"t","version":"1"}},"pages":[],"entries":[{}]}}}}"#,
        entries.collect::<Vec<_>>().join(",")
    )
}

/// Everything a person can do with an input: the work that is counted.
#[inline(never)]
fn measured(input: &str) {
    let options = httpdx::Options {
        format: None,
        reference_time: Some(1_795_600_800),
    };
    let Ok(report) = httpdx::diagnose(input, &options) else {
        return;
    };
    // What the page is sent: rows, groups, chains and the timeline.
    let _ = httpdx::index::Index::of(&report, 1, input.len(), None);
    let redact = RedactOptions::default();
    if let Ok(draft) = share::Draft::new(input, &report, None, &redact) {
        if let Ok(link) = draft.link("http://127.0.0.1:8080/") {
            let _ = share::open(&link);
        }
        let _ = draft.markdown();
    }
    let _ = share::redact_file(input, &redact);
}

/// Run by the scaling test under callgrind; does nothing otherwise.
#[test]
fn probe() {
    let Ok(spec) = std::env::var("HTTPDX_SCALING_PROBE") else {
        return;
    };
    let (shape, n) = spec.split_once(':').expect("shape:n");
    let input = build(shape, n.parse().expect("a size"));
    measured(&input);
}

fn instructions(shape: &str, n: usize) -> u64 {
    let exe = std::env::current_exe().expect("the test binary");
    let out = std::env::temp_dir().join(format!(
        "httpdx-callgrind-{}-{shape}-{n}",
        std::process::id()
    ));
    let output = Command::new("valgrind")
        .args(["--tool=callgrind", "--toggle-collect=*measured*"])
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(&exe)
        .args(["--exact", "probe", "--test-threads=1", "--nocapture"])
        .env("HTTPDX_SCALING_PROBE", format!("{shape}:{n}"))
        .output()
        .expect("valgrind runs (apt-get install valgrind)");
    let _ = std::fs::remove_file(&out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{shape} at {n} failed:\n{stderr}");
    stderr
        .lines()
        .find_map(|l| l.split("Collected :").nth(1))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no instruction count from callgrind:\n{stderr}"))
}

#[test]
fn adversarial_shapes_cost_grows_linearly() {
    if std::env::var_os("HTTPDX_SCALING_PROBE").is_some() {
        return;
    }
    let mut report = Vec::new();
    let mut failures = Vec::new();
    // `HTTPDX_SCALING_ONLY=shape,shape` runs only those (when working on one).
    let only = std::env::var("HTTPDX_SCALING_ONLY").unwrap_or_default();
    for &(shape, n) in SHAPES {
        if !only.is_empty() && !only.split(',').any(|s| s == shape) {
            continue;
        }
        let small = instructions(shape, n);
        let large = instructions(shape, 4 * n);
        #[allow(clippy::cast_precision_loss, reason = "a ratio of instruction counts")]
        let ratio = large as f64 / small.max(1) as f64;
        report.push(format!(
            "{shape:>26}: {small:>13} → {large:>13} instructions (×{ratio:.2})"
        ));
        if ratio >= 6.0 {
            failures.push(shape);
        }
    }
    eprintln!("{}", report.join("\n"));
    assert!(
        failures.is_empty(),
        "not linear: {failures:?}\n{}",
        report.join("\n")
    );
}
