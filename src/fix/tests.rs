//! The fixed request from hand-built requests: credentials in every place become variables,
//! noise headers go, and the texts are what the segments say.

use super::*;
use crate::model::{Header, header_name};
use crate::report::{Evidence, Severity};

fn header(name: &str, value: &str) -> Header {
    Header {
        name: header_name(name),
        value: value.to_owned(),
        span: None,
    }
}

fn finding_with(edit: RequestEdit) -> Finding {
    Finding::new(
        "body.content-type-mismatch",
        Severity::Error,
        "t".to_owned(),
        Evidence::new("here", "q", None),
        None,
    )
    .edit(edit)
}

fn request(url: &str, headers: &[(&str, &str)], body: Option<&str>) -> Request {
    Request {
        method: Some("POST".to_owned()),
        url: url.to_owned(),
        headers: headers.iter().map(|(n, v)| header(n, v)).collect(),
        body: body.map(|b| Body::decoded(b.to_owned())),
        ..Request::default()
    }
}

const JWT: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlc2lnbmF0dXJl";

#[test]
fn every_credential_is_a_variable_and_noise_is_left_out() {
    let request = request(
        "https://api.example.test/v1/login?api_key=k3yV4lue9XyZ&page=2",
        &[
            ("Host", "api.example.test"),
            ("User-Agent", "Mozilla/5.0"),
            ("sec-ch-ua", "\"Chromium\""),
            (":authority", "api.example.test"),
            ("Accept-Encoding", "gzip"),
            ("Authorization", &format!("Bearer {JWT}")),
            ("Cookie", "session=s3ss10nV4lue; theme=dark"),
            ("X-API-Key", "Xk_9f8e7d6c5b4a"),
            ("Content-Type", "text/plain"),
        ],
        Some(r#"{"user": "alice", "password": "hunter2!", "note": "it's"}"#),
    );
    let fixed = fixed_request(
        Some(&request),
        &[finding_with(RequestEdit::SetHeader {
            name: "Content-Type".to_owned(),
            value: "application/json".to_owned(),
        })],
    )
    .expect("a fixed request");
    let curl = fixed.curl_text();
    let fetch = fixed.fetch_text();
    for secret in [
        JWT,
        "k3yV4lue9XyZ",
        "s3ss10nV4lue",
        "Xk_9f8e7d6c5b4a",
        "hunter2!",
    ] {
        assert!(
            !curl.contains(secret) && !fetch.contains(secret),
            "{secret}"
        );
    }
    for noise in [
        "Host:",
        "User-Agent",
        "sec-ch-ua",
        ":authority",
        "Accept-Encoding",
    ] {
        assert!(!curl.contains(noise), "{noise} in {curl}");
    }
    assert!(curl.contains(r#""https://api.example.test/v1/login?api_key=$API_KEY&page=2""#));
    assert!(
        curl.contains(r#"-H "Authorization: Bearer $TOKEN""#),
        "{curl}"
    );
    assert!(curl.contains(r#"-H "Cookie: $COOKIE""#), "{curl}");
    assert!(curl.contains(r#"-H "X-API-Key: $X_API_KEY""#), "{curl}");
    assert!(
        curl.contains(r#"'{"user": "alice", "password": "'"$PASSWORD"'", "note": "it'\''s"}'"#),
        "{curl}"
    );
    // A page cannot set Cookie: fetch sends the browser's own.
    assert!(!fetch.contains("'Cookie'") && fetch.contains("credentials: 'include'"));
    assert!(
        fetch.contains("'Authorization': `Bearer ${TOKEN}`"),
        "{fetch}"
    );
    let names: Vec<&str> = fixed.placeholders.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        ["TOKEN", "COOKIE", "X_API_KEY", "API_KEY", "PASSWORD"]
    );
}

#[test]
fn a_request_without_an_edit_or_an_origin_gets_none() {
    let plain = finding_with(RequestEdit::Wait(5));
    let mut none = plain.clone();
    none.edits.clear();
    let absolute = request("https://h.test/x", &[], None);
    assert!(fixed_request(Some(&absolute), &[none]).is_none());
    assert!(fixed_request(None, std::slice::from_ref(&plain)).is_none());
    // A path with no Host to say where it goes cannot be written as a command.
    let path_only = request("/x", &[], None);
    assert!(fixed_request(Some(&path_only), std::slice::from_ref(&plain)).is_none());
    let with_host = request("/x", &[("Host", "127.0.0.1:8000")], None);
    let fixed = fixed_request(Some(&with_host), &[plain]).expect("a fixed request");
    assert_eq!(
        fixed.curl_text(),
        "sleep 5 && curl -X POST 'http://127.0.0.1:8000/x'"
    );
}

#[test]
fn a_later_edit_does_not_undo_an_earlier_one() {
    let first = finding_with(RequestEdit::Method("PATCH".to_owned()));
    let second = finding_with(RequestEdit::Method("GET".to_owned()));
    let request = request("https://h.test/x", &[], Some("{}"));
    let fixed = fixed_request(Some(&request), &[first, second]).expect("a fixed request");
    assert_eq!(fixed.changes.len(), 1);
    assert!(fixed.curl_text().starts_with("curl -X PATCH "));
}
