//! The second catalogue's rules on the shapes of other vendors than the captured ones:
//! each case is a response as the vendor documents it (Keycloak, Auth0, Okta, Entra,
//! Google, a form-encoded body, a challenge alone, an authorization endpoint's redirect),
//! and the finding it must — or must not — give.

mod common;

use common::REFERENCE_TIME;
use httpdx::{Options, diagnose};

fn findings(text: &str) -> Vec<(String, String)> {
    let report = diagnose(
        text,
        &Options {
            format: None,
            reference_time: Some(REFERENCE_TIME),
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    report
        .findings
        .iter()
        .chain(report.exchanges.iter().flat_map(|e| e.findings.iter()))
        .map(|f| (f.id.to_owned(), f.title.plain()))
        .collect()
}

fn json_400(body: &str) -> String {
    format!(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// `id` fires and its title contains `words`.
fn expect(text: &str, id: &str, words: &str) {
    let found = findings(text);
    assert!(
        found.iter().any(|(i, t)| i == id && t.contains(words)),
        "expected {id} with “{words}”, got {found:#?}\n--- input\n{text}"
    );
}

fn quiet(text: &str, prefix: &str) {
    let found = findings(text);
    assert!(
        !found.iter().any(|(i, _)| i.starts_with(prefix)),
        "expected no {prefix}…, got {found:#?}\n--- input\n{text}"
    );
}

#[test]
fn invalid_grant_names_the_cause_for_each_vendor() {
    let cases = [
        // Keycloak
        (
            // (the description names PKCE itself: no "(PKCE)" after it)
            r#"{"error":"invalid_grant","error_description":"PKCE verification failed: Code mismatch"}"#,
            "PKCE verification failed",
        ),
        (
            r#"{"error":"invalid_grant","error_description":"Token is not active"}"#,
            "(expired or revoked)",
        ),
        (
            r#"{"error":"invalid_grant","error_description":"Incorrect redirect_uri"}"#,
            "(redirect_uri differs)",
        ),
        // Entra
        (
            r#"{"error":"invalid_grant","error_description":"AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.\r\nTrace ID: 1","error_codes":[54005]}"#,
            "(already used)",
        ),
        (
            r#"{"error":"invalid_grant","error_description":"AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.","error_codes":[50173]}"#,
            "(expired or revoked)",
        ),
        (
            r#"{"error":"invalid_grant","error_description":"AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '…'.","error_codes":[50076]}"#,
            "(MFA required)",
        ),
        // Auth0, password grant
        (
            r#"{"error":"invalid_grant","error_description":"Wrong email or password."}"#,
            "(wrong username or password)",
        ),
        // Google
        (
            r#"{"error": "invalid_grant", "error_description": "Malformed auth code."}"#,
            "Malformed auth code",
        ),
    ];
    for (body, words) in cases {
        expect(&json_400(body), "oauth.invalid-grant", words);
    }
}

#[test]
fn the_error_is_read_from_a_form_body_a_challenge_or_a_redirect() {
    // A form-encoded error body.
    expect(
        "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nerror=invalid_client&error_description=Client+authentication+failed",
        "oauth.invalid-client",
        "Client authentication failed",
    );
    // Only the challenge says it.
    expect(
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"auth\", error=\"invalid_client\"\r\nContent-Length: 0\r\n\r\n",
        "oauth.invalid-client",
        "Client authentication failed",
    );
    // An authorization endpoint sends the error back to the client.
    let redirect = "HTTP/1.1 302 Found\r\nLocation: https://app.example.test/callback?error=invalid_scope&error_description=The+requested+scope+is+invalid&state=xyz\r\nContent-Length: 0\r\n\r\n";
    expect(
        redirect,
        "oauth.invalid-scope",
        "The requested scope is invalid",
    );
    quiet(redirect, "redirect.");
}

#[test]
fn redirect_uri_and_grant_type_refusals_across_vendors() {
    expect(
        &json_400(
            r#"{"error":"invalid_request","error_description":"Invalid parameter: redirect_uri"}"#,
        ),
        "oauth.redirect-uri-mismatch",
        "not registered",
    );
    expect(
        &json_400(
            r#"{"error":"invalid_request","error_description":"AADSTS50011: The redirect URI 'http://localhost:3000/cb' specified in the request does not match the redirect URIs configured for the application 'abc'."}"#,
        ),
        "oauth.redirect-uri-mismatch",
        "not registered",
    );
    expect(
        &json_400(
            r#"{"error":"unauthorized_client","error_description":"The client is not authorized to use the provided grant type. Configured grant types: [authorization_code]."}"#,
        ),
        "oauth.grant-not-allowed",
        "not allowed for this client",
    );
}

#[test]
fn an_identity_provider_page_with_only_its_numbered_code() {
    expect(
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<html><body><div id=\"message\">AADSTS50011: The redirect URI 'http://localhost:3000/cb' specified in the request does not match the redirect URIs configured for the application 'abc'.</div></body></html>",
        "oauth.redirect-uri-mismatch",
        "AADSTS50011",
    );
    // A secret with a `+` in Basic, sent as is.
    let basic = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, "app:ab+cd/ef=");
    expect(
        &format!(
            "$ curl -si -X POST -H 'Authorization: Basic {basic}' -d grant_type=client_credentials https://idp.example.test/oauth2/token\nHTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n\r\n{{\"error\":\"invalid_client\"}}"
        ),
        "oauth.invalid-client",
        "URL-encoded",
    );
}

#[test]
fn oauth_rules_stay_quiet_on_other_apis_and_on_success() {
    // An API of its own that happens to say invalid_request.
    let api = "$ curl -si -X POST -H 'Content-Type: application/json' -d '{\"qty\": 0}' https://api.example.test/v1/orders\nHTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n\r\n{\"error\":\"invalid_request\",\"message\":\"qty must be positive\"}";
    quiet(api, "oauth.");
    // A success is never an error response.
    quiet(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"access_token\":\"x\",\"token_type\":\"Bearer\",\"error\":\"invalid_grant\"}",
        "oauth.",
    );
}

#[test]
fn an_api_call_sent_to_an_identity_provider_is_a_login_redirect() {
    expect(
        "Access to fetch at 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=abc' (redirected from 'https://app.example.test/api/orders') from origin 'https://app.example.test' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.",
        "auth.redirected-to-login",
        "login.microsoftonline.com",
    );
    // Spring Security, a fetch that asked for JSON.
    expect(
        "$ curl -si -H 'Accept: application/json' https://app.example.test/api/orders\nHTTP/1.1 302 Found\r\nLocation: https://app.example.test/oauth2/authorization/okta\r\nContent-Length: 0\r\n\r\n",
        "auth.redirected-to-login",
        "/oauth2/authorization/okta",
    );
}

#[test]
fn cookies_that_follow_the_rules_are_not_reported() {
    let ok = "$ curl -si https://api.example.test/login\nHTTP/1.1 200 OK\r\nSet-Cookie: sid=abc; Path=/; Secure; HttpOnly; SameSite=None\r\nSet-Cookie: __Host-csrf=1; Path=/; Secure\r\nSet-Cookie: pref=1; Domain=example.test; Path=/\r\nContent-Length: 0\r\n\r\n";
    quiet(ok, "cookie.");
    let secure_over_http = "$ curl -si http://api.example.test/login\nHTTP/1.1 200 OK\r\nSet-Cookie: sid=abc; Path=/; Secure\r\nContent-Length: 0\r\n\r\n";
    expect(
        secure_over_http,
        "cookie.rejected",
        "Secure, but set over http://",
    );
}

#[test]
fn a_proxy_asking_for_credentials_in_a_client_error() {
    expect(
        "$ curl -sS -x http://proxy.corp.test:3128 https://api.example.test/v1/orders\ncurl: (56) CONNECT tunnel failed, response 407",
        "proxy.auth-required",
        "refused to open the tunnel",
    );
}

#[test]
fn a_deprecation_header_alone_is_reported_and_a_plain_redirect_page_is_not() {
    expect(
        "HTTP/1.1 200 OK\r\nDeprecation: @1788220800\r\nContent-Type: application/json\r\n\r\n{}",
        "url.gone-or-deprecated",
        "deprecated since 2026-09-01",
    );
    // A browser navigation that was redirected is no API call.
    quiet(
        "$ curl -si -H 'Accept: text/html' http://www.example.test/\nHTTP/1.1 301 Moved Permanently\r\nLocation: https://www.example.test/\r\nContent-Length: 0\r\n\r\n",
        "redirect.",
    );
}
