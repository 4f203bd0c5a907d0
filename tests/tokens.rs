#![allow(clippy::expect_used)] // test set-up
//! The decoded-token panel's data: every JWT of an exchange with its header, claims, times in
//! words, badges and the claims findings used — from the captured fixtures, and from inputs
//! built here for the cases no capture has (opaque, damaged and non-ASCII tokens, tokens in
//! cookies, URL parameters and nested JSON bodies).

mod common;

use base64::Engine;
use common::{REFERENCE_TIME, diagnose_fixture};
use httpdx::Options;
use httpdx::report::{BadgeKind, DecodedToken, Report};
use serde::Serialize;

#[derive(Serialize)]
struct ExchangeTokens<'a> {
    index: usize,
    tokens: &'a [DecodedToken],
}

fn tokens_view(report: &Report) -> Vec<ExchangeTokens<'_>> {
    report
        .exchanges
        .iter()
        .filter(|e| !e.tokens.is_empty())
        .map(|e| ExchangeTokens {
            index: e.index,
            tokens: &e.tokens,
        })
        .collect()
}

/// Captured from real servers and clients (see each folder's capture script).
const FIXTURES: &[&str] = &[
    "fastapi/401-expired-jwt.txt",
    "fastapi/401-not-yet-valid.txt",
    "fastapi/401-staging-token.txt",
    "fastapi/403-insufficient-scope.txt",
    "fastapi/401-invalid-signature.txt",
    "go/401-expired-jwt.txt",
    "node-clients/axios-401-expired-jwt.txt",
    "browser/token-refresh-failed.har",
];

#[test]
fn fixture_tokens_match_their_snapshots() {
    for fixture in FIXTURES {
        let report = diagnose_fixture(fixture);
        let name = format!("tokens__{}", fixture.replace('/', "__"));
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, input_file => fixture }, {
            insta::assert_json_snapshot!(name, tokens_view(&report));
        });
    }
}

#[test]
fn an_expired_token_says_so_in_words_and_utc_and_names_the_finding_that_read_exp() {
    let report = diagnose_fixture("fastapi/401-expired-jwt.txt");
    let token = &report.exchanges[0].tokens[0];
    assert_eq!(token.location, "request header Authorization");
    assert_eq!(token.header.string("alg").as_deref(), Some("HS256"));
    assert_eq!(token.claims.string("sub").as_deref(), Some("alice"));
    let exp = token.times.iter().find(|t| t.claim == "exp").expect("exp");
    assert_eq!(exp.utc, "2026-11-25 09:23:45 UTC");
    assert_eq!(
        exp.relative.as_deref(),
        Some("expired 2 h 14 min before this response")
    );
    assert!(token.badges.iter().any(|b| b.kind == BadgeKind::Expired));
    assert!(
        token
            .used_by
            .iter()
            .any(|u| u.finding == "auth.token-expired" && u.claim == "exp")
    );
    let span = token.span.expect("the token stands in the input");
    let text = std::fs::read_to_string(common::fixtures_dir().join("fastapi/401-expired-jwt.txt"))
        .expect("fixture");
    assert!(text[span.start..span.end].starts_with("eyJhbGci"));
    assert_eq!(text[span.start..span.end].matches('.').count(), 2);
}

#[test]
fn a_token_that_is_not_yet_valid_and_one_for_another_audience_get_their_badges() {
    let early = diagnose_fixture("fastapi/401-not-yet-valid.txt");
    let token = &early.exchanges[0].tokens[0];
    assert!(
        token
            .badges
            .iter()
            .any(|b| b.kind == BadgeKind::NotYetValid)
    );
    assert!(
        token
            .used_by
            .iter()
            .any(|u| u.finding == "auth.token-not-yet-valid")
    );
    let staging = diagnose_fixture("fastapi/401-staging-token.txt");
    let token = &staging.exchanges[0].tokens[0];
    assert!(
        token
            .badges
            .iter()
            .any(|b| b.kind == BadgeKind::AudienceMismatch)
    );
    assert!(!token.badges.iter().any(|b| b.kind == BadgeKind::Expired));
}

#[test]
fn a_har_shows_the_token_a_token_endpoint_issued_and_the_one_a_later_call_sent() {
    let report = diagnose_fixture("browser/token-refresh-failed.har");
    let all: Vec<&DecodedToken> = report.exchanges.iter().flat_map(|e| &e.tokens).collect();
    assert!(
        all.iter()
            .any(|t| t.location == "response body access_token"),
        "{:?}",
        all.iter().map(|t| &t.location).collect::<Vec<_>>()
    );
    assert!(
        all.iter()
            .any(|t| t.location == "request header Authorization"
                && t.used_by.iter().any(|u| u.claim == "exp"))
    );
    for token in all {
        assert!(token.span.is_some(), "{} has no span", token.location);
    }
}

fn jwt(header: &str, claims: &str) -> String {
    let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    format!("{}.{}.c2lnbmF0dXJl", b64(header), b64(claims))
}

fn diagnose(text: &str) -> Report {
    httpdx::diagnose(
        text,
        &Options {
            format: None,
            reference_time: Some(REFERENCE_TIME),
        },
    )
    .expect("diagnosed")
}

/// A `curl -v` exchange written for these tests, with the given request header lines and
/// response body; the Date is 2026-11-25 11:38:03 GMT.
fn curl_exchange(request_headers: &str, path: &str, body: &str) -> String {
    format!(
        "> GET {path} HTTP/1.1\n> Host: api.example.test\n{request_headers}> \n< HTTP/1.1 401 Unauthorized\n< Date: Wed, 25 Nov 2026 11:38:03 GMT\n< Content-Type: application/json\n< \n{body}\n"
    )
}

#[test]
fn an_opaque_token_has_no_panel() {
    let report = diagnose(&curl_exchange(
        "> Authorization: Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a\n",
        "/user",
        r#"{"message":"Bad credentials"}"#,
    ));
    assert!(report.exchanges[0].tokens.is_empty());
    let json = serde_json::to_value(&report.exchanges[0]).expect("json");
    assert!(json.get("tokens").is_none(), "no empty list is written");
}

#[test]
fn a_damaged_jwt_neither_panics_nor_shows() {
    let whole = jwt(r#"{"alg":"HS256"}"#, r#"{"sub":"x","exp":1}"#);
    let cut_in_claims = &whole[..whole.find('.').expect("dot") + 6];
    let bad_base64 = "eyJhbGciOiJIUzI1NiJ9.!!!!.c2ln";
    let not_json = format!(
        "eyJhbGciOiJIUzI1NiJ9.{}.c2ln",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("{not json")
    );
    let no_alg = jwt(r#"{"typ":"JWT"}"#, r#"{"sub":"x"}"#);
    for token in [
        cut_in_claims,
        bad_base64,
        &not_json,
        &no_alg,
        "eyJ",
        "eyJ.eyJ.",
        "...",
    ] {
        let report = diagnose(&curl_exchange(
            &format!("> Authorization: Bearer {token}\n> Cookie: s={token}\n"),
            &format!("/me?access_token={token}"),
            &format!(r#"{{"id_token":"{token}"}}"#),
        ));
        assert!(
            report.exchanges.iter().all(|e| e.tokens.is_empty()),
            "{token}"
        );
    }
}

#[test]
fn tokens_in_cookies_urls_and_nested_bodies_are_each_found_once_with_their_place() {
    let access = jwt(
        r#"{"alg":"RS256","kid":"k1"}"#,
        r#"{"sub":"a","exp":1795600000}"#,
    );
    let id = jwt(r#"{"alg":"RS256"}"#, r#"{"sub":"a","nonce":"n"}"#);
    let cookie = jwt(r#"{"alg":"HS256"}"#, r#"{"sid":"s1"}"#);
    let report = diagnose(&curl_exchange(
        &format!("> Authorization: Bearer {access}\n> Cookie: theme=dark; session={cookie}\n"),
        &format!("/cb?id_token_hint={id}&access_token={access}"),
        &format!(r#"{{"data":{{"tokens":[{{"id_token":"{id}"}}]}}}}"#),
    ));
    let locations: Vec<&str> = report.exchanges[0]
        .tokens
        .iter()
        .map(|t| t.location.as_str())
        .collect();
    assert_eq!(
        locations,
        [
            "request header Authorization",
            "request cookie session",
            "request URL parameter id_token_hint",
        ],
        "the same token is listed once, at its first place"
    );
    let access_token = &report.exchanges[0].tokens[0];
    assert_eq!(access_token.header.string("kid").as_deref(), Some("k1"));
    assert!(
        access_token
            .badges
            .iter()
            .any(|b| b.kind == BadgeKind::Expired)
    );

    let body_only = diagnose(&curl_exchange(
        "",
        "/token",
        &format!(r#"{{"data":{{"tokens":[{{"id_token":"{id}"}}]}}}}"#),
    ));
    assert_eq!(
        body_only.exchanges[0].tokens[0].location,
        "response body data.tokens[0].id_token"
    );
}

#[test]
fn a_token_whose_dots_a_json_body_escapes_is_found_and_a_body_without_dots_is_skipped() {
    // Bodies with fewer than two dots are skipped unparsed (a large capture's successes);
    // JSON may still spell a token's dots as `\u002e`.
    let id = jwt(r#"{"alg":"RS256"}"#, r#"{"sub":"a","nonce":"n"}"#);
    let escaped = id.replace('.', "\\u002e");
    let report = diagnose(&curl_exchange(
        "",
        "/token",
        &format!(r#"{{"items":[{{"id_token":"{escaped}"}}]}}"#),
    ));
    let tokens = &report.exchanges[0].tokens;
    assert_eq!(tokens.len(), 1);
    assert_eq!(tokens[0].location, "response body items[0].id_token");
    assert_eq!(tokens[0].claims.string("nonce").as_deref(), Some("n"));
    let report = diagnose(&curl_exchange(
        "",
        "/items",
        r#"{"items":[{"id":1,"name":"item 1","tags":["a","b"]}]}"#,
    ));
    assert!(report.exchanges[0].tokens.is_empty());
}

#[test]
fn non_ascii_claims_decode_and_render() {
    let token = jwt(
        r#"{"alg":"HS256","typ":"JWT"}"#,
        r#"{"sub":"Zoë","name":"山田 太郎","org":"Ærøskøbing ☕","exp":1795598625}"#,
    );
    let text = curl_exchange(
        &format!("> Authorization: Bearer {token}\n"),
        "/me",
        r#"{"detail":"Token has expired"}"#,
    );
    let report = diagnose(&text);
    let decoded = &report.exchanges[0].tokens[0];
    assert_eq!(decoded.claims.string("name").as_deref(), Some("山田 太郎"));
    assert_eq!(
        decoded.claims.string("org").as_deref(),
        Some("Ærøskøbing ☕")
    );
    let span = decoded.span.expect("span");
    assert_eq!(&text[span.start..span.end], token);
    // JSON and back.
    let json = serde_json::to_string(&report).expect("json");
    let back: Report = serde_json::from_str(&json).expect("read back");
    assert_eq!(back.exchanges[0].tokens, report.exchanges[0].tokens);
}

#[test]
fn an_unsigned_token_says_so() {
    let token = format!(
        "{}.{}.",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"sub":"a"}"#)
    );
    let report = diagnose(&curl_exchange(
        &format!("> Authorization: Bearer {token}\n"),
        "/me",
        "{}",
    ));
    let decoded = &report.exchanges[0].tokens[0];
    assert!(decoded.badges.iter().any(|b| b.kind == BadgeKind::Unsigned));
}

#[test]
fn without_a_clock_times_are_in_utc_only() {
    let token = jwt(r#"{"alg":"HS256"}"#, r#"{"exp":1795598625}"#);
    let text = format!("GET /me HTTP/1.1\nHost: a.test\nAuthorization: Bearer {token}\n\n");
    let report = httpdx::diagnose(&text, &Options::default()).expect("diagnosed");
    let decoded = &report.exchanges[0].tokens[0];
    assert_eq!(decoded.times[0].utc, "2026-11-25 09:23:45 UTC");
    assert_eq!(decoded.times[0].relative, None);
    assert!(decoded.badges.is_empty(), "no clock, no expiry verdict");
}

#[test]
fn the_markdown_names_claims_but_never_their_values() {
    let token = jwt(
        r#"{"alg":"HS256"}"#,
        r#"{"sub":"user-8d1f","email":"zoe@example.test","exp":1795598625}"#,
    );
    let text = curl_exchange(
        &format!("> Authorization: Bearer {token}\n"),
        "/me",
        r#"{"detail":"Token has expired"}"#,
    );
    let report = diagnose(&text);
    let draft = httpdx::share::Draft::new(
        &text,
        &report,
        None,
        &httpdx::share::RedactOptions::default(),
    )
    .expect("draft");
    let markdown = draft.markdown().expect("markdown");
    let line = markdown
        .lines()
        .find(|l| l.starts_with("- JWT in request header Authorization"))
        .expect("a token line");
    assert!(line.contains("claims email, exp, sub"), "{line}");
    assert!(
        line.contains("expired 2 h 14 min before this response"),
        "{line}"
    );
    assert!(line.contains("**expired**"), "{line}");
    for value in ["user-8d1f", "zoe@example.test", "c2lnbmF0dXJl"] {
        assert!(!line.contains(value), "{value} in {line}");
    }
}

#[test]
fn the_cli_prints_a_token_block_from_the_report() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_httpdx"))
        .args(["--color", "never"])
        .arg(common::fixtures_dir().join("fastapi/401-expired-jwt.txt"))
        .output()
        .expect("httpdx runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let block: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.trim_start().starts_with("Token:"))
        .take_while(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(
        block,
        [
            "  Token: (request header Authorization; signature not shown)",
            "    alg HS256 · sub alice · aud http://127.0.0.1:18001",
            "    exp 2026-11-25 09:23:45 UTC — expired 2 h 14 min before this response",
            "    iat 2026-11-25 08:23:45 UTC — issued 3 h 14 min before this response",
            "    [expired]",
            "    exp used by auth.token-expired",
            "    iat used by auth.token-expired",
        ],
        "{text}"
    );
}

#[test]
fn form_bodies_name_their_field_and_broken_json_is_searched_by_shape() {
    let assertion = jwt(
        r#"{"alg":"RS256"}"#,
        r#"{"iss":"client","aud":"https://idp.test/token"}"#,
    );
    let text = format!(
        "POST /token HTTP/1.1\nHost: idp.test\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={assertion}"
    );
    let report = diagnose(&text);
    assert_eq!(
        report.exchanges[0].tokens[0].location,
        "request body assertion"
    );

    let id = jwt(r#"{"alg":"RS256"}"#, r#"{"sub":"a"}"#);
    let broken = curl_exchange("", "/token", &format!(r#"{{"id_token":"{id}", "#));
    let report = diagnose(&broken);
    let token = &report.exchanges[0].tokens[0];
    assert_eq!(token.location, "response body");
    let span = token.span.expect("span");
    assert_eq!(&broken[span.start..span.end], id);
}

#[test]
fn a_rejection_that_names_the_audience_marks_the_token_the_request_sent() {
    let token = jwt(
        r#"{"alg":"RS256"}"#,
        r#"{"aud":"https://api.example.test/v2","exp":1795700000}"#,
    );
    let text = curl_exchange(
        &format!("> Authorization: Bearer {token}\n"),
        "/me",
        r#"{"error":"invalid_token","error_description":"The audience 'https://api.example.test/v2' is invalid"}"#,
    );
    let report = diagnose(&text);
    assert!(!report.finding_ids().contains(&"auth.environment-mismatch"));
    let decoded = &report.exchanges[0].tokens[0];
    assert!(
        decoded
            .badges
            .iter()
            .any(|b| b.kind == BadgeKind::AudienceMismatch)
    );
    assert!(!decoded.badges.iter().any(|b| b.kind == BadgeKind::Expired));
    // The same token in a rejection that says nothing about the audience: no such badge.
    let plain = curl_exchange(
        &format!("> Authorization: Bearer {token}\n"),
        "/me",
        r#"{"error":"invalid_token"}"#,
    );
    let decoded = &diagnose(&plain).exchanges[0].tokens[0];
    assert!(decoded.badges.is_empty());
}
