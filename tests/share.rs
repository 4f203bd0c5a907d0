//! Share links: every fixture survives share → open with the same findings (or a note where
//! redaction removed the evidence), and no planted secret survives in any format.

mod common;

use common::{REFERENCE_TIME, all_fixtures, fixtures_dir};
use httpdx::Options;
use httpdx::share::{self, RedactOptions};

fn options() -> Options {
    Options {
        format: None,
        reference_time: Some(REFERENCE_TIME),
    }
}

#[test]
fn every_fixture_round_trips_with_the_same_findings() {
    let mut exact = 0;
    let fixtures: Vec<String> = all_fixtures()
        .into_iter()
        .filter(|f| !f.starts_with("bad/"))
        .collect();
    for fixture in &fixtures {
        let text = std::fs::read_to_string(fixtures_dir().join(fixture)).unwrap();
        let original = httpdx::diagnose(&text, &options()).unwrap();
        let link = share_whole(&text);
        let (shared, opened) = share::open(&link.url).unwrap();
        assert_eq!(
            shared.text, link.redacted.text,
            "{fixture}: the link carries the redacted input"
        );
        assert_eq!(shared.reference_time, Some(REFERENCE_TIME));
        let before = original.finding_ids();
        let after = opened.finding_ids();
        let note = opened
            .findings
            .iter()
            .find(|f| f.id == "share.evidence-redacted")
            .map(|f| f.title.clone())
            .unwrap_or_default();
        for id in &before {
            assert!(
                after.contains(id) || note.contains(id),
                "{fixture}: {id} vanished without a note (now: {after:?})"
            );
        }
        if note.is_empty() {
            exact += 1;
        }
    }
    // Redaction keeps byte lengths and JWT claims, so nearly every diagnosis comes back whole.
    assert!(
        exact * 10 >= fixtures.len() * 9,
        "only {exact} of {} fixtures reproduced exactly",
        fixtures.len()
    );
}

/// A link for the whole input with default redaction.
fn share_whole(text: &str) -> share::Link {
    share::share(
        text,
        &options(),
        "http://127.0.0.1:8080/",
        None,
        &RedactOptions::default(),
    )
    .unwrap()
}

const TOKEN_SIG: &str = "c2lnbmF0dXJlLW9mLWEtcmVhbC10b2tlbg";

fn jwt() -> String {
    // {"alg":"HS256"}.{"sub":"alice","exp":1795598625}
    format!("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTc5NTU5ODYyNX0.{TOKEN_SIG}")
}

/// Every kind of secret the share must remove, as `(what, secret text)`.
fn secrets() -> Vec<(&'static str, String)> {
    vec![
        ("opaque bearer token", "opaque-tok-9f8e7d6c5b4a".into()),
        ("basic password (base64)", "YWxpY2U6aHVudGVyMi1wdw==".into()),
        ("JWT signature", TOKEN_SIG.into()),
        ("cookie", "sess-0a1b2c3d4e".into()),
        ("set-cookie", "setc-9z8y7x6w".into()),
        ("x-api-key", "xk-5544332211".into()),
        ("api_key parameter", "qk-1029384756".into()),
        ("access_token parameter", "at-5647382910".into()),
        ("signature parameter", "sg-0011223344".into()),
        ("password in URL", "urlpass-778899".into()),
        ("JSON password", "jp-pass-123456".into()),
        ("JSON client_secret", "cs-998877665544".into()),
        ("JSON refresh_token", "rt-1122334455".into()),
        ("form password", "fp-pass-6655".into()),
        ("Stripe live key", "51HxQ2aBcdEfGhIjKlMnOpQr".into()),
        (
            "GitHub token",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".into(),
        ),
        (
            "GitHub fine-grained token",
            "11ABCDEFG0123456789_abcdefghijklmnop".into(),
        ),
        (
            "Slack bot token",
            "1234567890-0987654321-AbCdEfGhIjKlMnOp".into(),
        ),
        ("AWS access key", "IOSFODNN7EXAMPLE".into()),
    ]
}

fn request_lines(prefix: &str) -> String {
    let j = jwt();
    [
        format!("{prefix}POST https://user:urlpass-778899@api.example.test/v1/login?api_key=qk-1029384756&access_token=at-5647382910&signature=sg-0011223344 HTTP/1.1"),
        format!("{prefix}Host: api.example.test"),
        format!("{prefix}Authorization: Bearer {j}"),
        format!("{prefix}Proxy-Authorization: Basic YWxpY2U6aHVudGVyMi1wdw=="),
        format!("{prefix}X-Forwarded-Authorization: Bearer opaque-tok-9f8e7d6c5b4a"),
        format!("{prefix}Authorization-Backup: Bearer opaque-tok-9f8e7d6c5b4a"),
        format!("{prefix}Cookie: session=sess-0a1b2c3d4e; theme=dark"),
        format!("{prefix}x-api-key: xk-5544332211"),
        format!("{prefix}X-Stripe-Key: sk_live_51HxQ2aBcdEfGhIjKlMnOpQr"),
        format!("{prefix}X-Github: ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 github_pat_11ABCDEFG0123456789_abcdefghijklmnop"),
        format!("{prefix}X-Slack: xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp"),
        format!("{prefix}X-Aws: AKIAIOSFODNN7EXAMPLE"),
        format!("{prefix}Content-Type: application/json"),
    ]
    .join("\n")
}

const JSON_BODY: &str = r#"{"username": "alice", "password": "jp-pass-123456", "client_secret": "cs-998877665544", "refresh_token": "rt-1122334455"}"#;

fn inputs() -> Vec<(&'static str, String)> {
    let response = "HTTP/1.1 401 Unauthorized\nSet-Cookie: session=setc-9z8y7x6w; HttpOnly\nContent-Type: application/json\n\n{\"error\": \"invalid_token\"}";
    let raw = format!("{}\n\n{JSON_BODY}\n{response}\n", request_lines(""));
    let curl = format!(
        "$ curl -sv -d 'password=fp-pass-6655' 'https://user:urlpass-778899@api.example.test/v1/login?api_key=qk-1029384756'\n{}\n>\n< HTTP/1.1 401 Unauthorized\n< Set-Cookie: session=setc-9z8y7x6w\n<\n{{\"error\": \"invalid_token\", \"password\": \"jp-pass-123456\"}}\n",
        request_lines("> ")
    );
    let header = |n: &str, v: &str| serde_json::json!({"name": n, "value": v});
    let har = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": [{
        "startedDateTime": "2026-11-25T10:00:00.000Z", "time": 12.0,
        "request": {"method": "POST", "url": "https://user:urlpass-778899@api.example.test/v1/login?api_key=qk-1029384756&access_token=at-5647382910&signature=sg-0011223344", "httpVersion": "HTTP/1.1",
            "headers": [header("Authorization", &format!("Bearer {}", jwt())), header("Proxy-Authorization", "Basic YWxpY2U6aHVudGVyMi1wdw=="), header("X-Token", "Bearer opaque-tok-9f8e7d6c5b4a"), header("Cookie", "session=sess-0a1b2c3d4e"), header("x-api-key", "xk-5544332211"), header("X-Keys", "sk_live_51HxQ2aBcdEfGhIjKlMnOpQr ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 github_pat_11ABCDEFG0123456789_abcdefghijklmnop xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp AKIAIOSFODNN7EXAMPLE")],
            "postData": {"mimeType": "application/json", "text": JSON_BODY}},
        "response": {"status": 401, "statusText": "Unauthorized", "httpVersion": "HTTP/1.1", "headers": [header("Set-Cookie", "session=setc-9z8y7x6w; HttpOnly")],
            "content": {"mimeType": "application/x-www-form-urlencoded", "text": "password=fp-pass-6655&user=alice"}}
    }]}});
    let console = format!(
        "Access to fetch at 'https://user:urlpass-778899@api.example.test/v1/login?api_key=qk-1029384756&access_token=at-5647382910&signature=sg-0011223344' from origin 'http://localhost:3000' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.\nGET https://api.example.test/v1/me?access_token={} net::ERR_FAILED\nconfig: {{ headers: {{ Authorization: 'Bearer opaque-tok-9f8e7d6c5b4a', 'x-api-key': 'xk-5544332211' }}, data: '{JSON_BODY}', key: 'sk_live_51HxQ2aBcdEfGhIjKlMnOpQr', gh: 'ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 github_pat_11ABCDEFG0123456789_abcdefghijklmnop', slack: 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp', aws: 'AKIAIOSFODNN7EXAMPLE', cookie: 'session=sess-0a1b2c3d4e', setcookie: 'session=setc-9z8y7x6w', basic: 'Basic YWxpY2U6aHVudGVyMi1wdw==', form: 'password=fp-pass-6655' }}\n",
        jwt()
    );
    let json = format!(
        r#"{{"error": "invalid_token", "request": {{"url": "https://user:urlpass-778899@api.example.test/?api_key=qk-1029384756&access_token=at-5647382910&signature=sg-0011223344", "headers": {{"Authorization": "Bearer {}", "x-api-key": "xk-5544332211", "cookie": "session=sess-0a1b2c3d4e", "set-cookie": "session=setc-9z8y7x6w", "basic": "Basic YWxpY2U6aHVudGVyMi1wdw==", "token": "opaque-tok-9f8e7d6c5b4a"}}, "body": {JSON_BODY}, "form": "password=fp-pass-6655", "keys": "sk_live_51HxQ2aBcdEfGhIjKlMnOpQr ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 github_pat_11ABCDEFG0123456789_abcdefghijklmnop xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp AKIAIOSFODNN7EXAMPLE"}}}}"#,
        jwt()
    );
    vec![
        ("raw-http", raw),
        ("curl-verbose", curl),
        ("har", serde_json::to_string_pretty(&har).unwrap()),
        ("console", console),
        ("json-body", json),
    ]
}

#[test]
fn no_planted_secret_survives_in_any_format() {
    let mut leaks = Vec::new();
    for (format, text) in inputs() {
        let detected = httpdx::input::detect(&text).name();
        assert_eq!(
            detected, format,
            "the {format} sample is read as {detected}"
        );
        let link = share_whole(&text);
        let (shared, _) = share::open(&link.url).unwrap();
        let markdown = share::markdown_for(&text, &options(), &RedactOptions::default()).unwrap();
        for (what, secret) in secrets() {
            if !text.contains(&secret) {
                continue;
            }
            for (place, content) in [
                ("link", &link.url),
                ("opened input", &shared.text),
                ("markdown", &markdown),
            ] {
                if content.contains(&secret) {
                    leaks.push(format!("{format}: {what} ({secret}) is in the {place}"));
                }
            }
        }
        // What the diagnosis needs survives: the JWT's claims, the Basic user, key prefixes.
        assert!(
            shared
                .text
                .contains("eyJzdWIiOiJhbGljZSIsImV4cCI6MTc5NTU5ODYyNX0")
                || format == "curl-verbose",
            "{format}: JWT claims kept"
        );
        assert!(
            shared.text.contains("sk_live_"),
            "{format}: key prefix kept"
        );
    }
    assert!(leaks.is_empty(), "\n{}", leaks.join("\n"));
}

#[test]
fn claims_can_be_redacted_too_and_the_finding_then_says_so() {
    let text = std::fs::read_to_string(fixtures_dir().join("fastapi/401-expired-jwt.txt")).unwrap();
    let redact = RedactOptions {
        redact_claims: true,
        ..RedactOptions::default()
    };
    let link = share::share(&text, &options(), "http://127.0.0.1:8080/", None, &redact).unwrap();
    let (_, opened) = share::open(&link.url).unwrap();
    let ids = opened.finding_ids();
    assert!(!ids.contains(&"auth.token-expired"));
    let note = opened
        .findings
        .iter()
        .find(|f| f.id == "share.evidence-redacted")
        .expect("a note");
    assert!(note.title.contains("auth.token-expired"));
}

#[test]
fn a_har_link_carries_only_the_chosen_exchanges() {
    let text = std::fs::read_to_string(fixtures_dir().join("chromium/mixed-page.har")).unwrap();
    let report = httpdx::diagnose(&text, &options()).unwrap();
    let failed: Vec<usize> = report
        .exchanges
        .iter()
        .filter(|e| e.failed)
        .map(|e| e.index)
        .collect();
    let link = share::share(
        &text,
        &options(),
        "http://x/",
        Some(&failed[..1]),
        &RedactOptions::default(),
    )
    .unwrap();
    let (_, opened) = share::open(&link.url).unwrap();
    assert_eq!(opened.exchanges.len(), 1);
    assert_eq!(
        opened.exchanges[0].response.as_ref().unwrap().status,
        report.exchanges[failed[0]]
            .response
            .as_ref()
            .unwrap()
            .status
    );
    assert!(
        link.url.len() < text.len() / 2,
        "a one-exchange link is {} characters",
        link.url.len()
    );
}
