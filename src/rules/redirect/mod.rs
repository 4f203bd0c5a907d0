//! The `redirect.*` findings, and what the redirect-aware rules share: where a redirect
//! points, whether the client followed it, and whether a request was an API call.

use crate::knowledge::url;
use crate::model::{Exchange, HasHeaders, Header, Request};
use crate::rules::Cx;

pub(super) mod r#loop;
pub(super) mod not_followed;

/// `Location` resolved against the request URL (RFC 9110 §10.2.2 allows relative ones).
pub(crate) fn resolve(base: &str, location: &str) -> String {
    let location = location.trim();
    if location.contains("://") {
        return location.to_owned();
    }
    if let Some(rest) = location.strip_prefix("//") {
        let scheme = base.split("://").next().unwrap_or("http");
        return format!("{scheme}://{rest}");
    }
    let Some(origin) = url::origin(base) else {
        return location.to_owned();
    };
    if location.starts_with('/') {
        return format!("{origin}{location}");
    }
    let path = url::path_of(base);
    let dir = &path[..path.rfind('/').map_or(0, |i| i + 1)];
    if location.starts_with('?') {
        return format!("{origin}{path}{location}");
    }
    format!("{origin}{dir}{location}")
}

/// A redirect (3xx other than 304) with a Location: the resolved target and the header.
pub(super) fn redirect_of(exchange: &Exchange) -> Option<(String, &Header)> {
    let response = exchange.response.as_ref()?;
    if !matches!(response.status, 300..=399) || response.status == 304 {
        return None;
    }
    let location = response.header("location")?;
    let base = exchange.request.as_ref().map_or("", |r| r.url.as_str());
    Some((resolve(base, &location.value), location))
}

/// Two URLs are the same target, ignoring fragments and default ports.
pub(super) fn same_url(a: &str, b: &str) -> bool {
    url_key(a) == url_key(b)
}

/// What [`same_url`] compares: equal keys, same target.
pub(super) fn url_key(u: &str) -> String {
    u.split('#')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .replace(":80/", "/")
        .replace(":443/", "/")
}

/// Whether exchange `index` is a redirect the client followed (the next exchange requests
/// its target).
pub(super) fn followed(exchanges: &[Exchange], index: usize) -> bool {
    let Some((target, _)) = exchanges.get(index).and_then(redirect_of) else {
        return false;
    };
    exchanges
        .get(index + 1)
        .and_then(|e| e.request.as_ref())
        .is_some_and(|r| same_url(&r.url, &target))
}

/// Whether exchange `index` was reached by following the redirect before it.
pub(super) fn reached_by_redirect(exchanges: &[Exchange], index: usize) -> bool {
    index > 0 && followed(exchanges, index - 1)
}

/// Whether a request is an API call rather than a page navigation: it asks for JSON or
/// XML, sends JSON, says it is an XHR, carries a bearer token, is not a GET, or its path
/// looks like an API's (`/api/`, `/v2/`, `/graphql`).
pub(super) fn is_api_call(request: &Request) -> bool {
    let accept = request
        .header_value("accept")
        .unwrap_or("")
        .to_ascii_lowercase();
    if accept.starts_with("text/html") {
        return url::path_of(&request.url).contains("/api/");
    }
    let path = url::path_of(&request.url).to_ascii_lowercase();
    accept.contains("json")
        || request
            .header_value("content-type")
            .is_some_and(|c| c.to_ascii_lowercase().contains("json"))
        || request.header("x-requested-with").is_some()
        || request
            .header_value("authorization")
            .is_some_and(|a| a.trim_start().to_ascii_lowercase().starts_with("bearer"))
        || !(request.method_is("GET") || request.method_is("HEAD") || request.method.is_none())
        || path.contains("/api/")
        || path.starts_with("/api")
        || path.contains("/graphql")
        || path.split('/').any(|s| {
            s.len() >= 2 && s.starts_with('v') && s[1..].bytes().all(|b| b.is_ascii_digit())
        })
}

/// Whether a URL is a login or single-sign-on page: its path (`/login`, `/signin`,
/// `/oauth2/authorize`, `/saml`, `/sso`) or an identity provider's host.
pub(super) fn is_login_url(target: &str) -> bool {
    let host = url::host(target).unwrap_or("").to_ascii_lowercase();
    let idp_host = [
        "login.microsoftonline.com",
        "accounts.google.com",
        "login.live.com",
    ]
    .iter()
    .any(|h| host == *h)
        || [
            ".okta.com",
            ".auth0.com",
            ".onelogin.com",
            ".b2clogin.com",
            ".amazoncognito.com",
        ]
        .iter()
        .any(|s| host.ends_with(s))
        || host.starts_with("login.")
        || host.starts_with("sso.")
        || host.starts_with("auth.")
        || host.starts_with("idp.");
    let path = url::path_of(target).to_ascii_lowercase();
    idp_host
        || [
            "/oauth2/start",
            "/oauth2/authorization/",
            "/openid-connect/auth",
            "/wp-login.php",
            "/cdn-cgi/access/login",
        ]
        .iter()
        .any(|p| path.contains(p))
        || path.split('/').any(|segment| {
            matches!(
                segment,
                "login"
                    | "log-in"
                    | "signin"
                    | "sign-in"
                    | "sign_in"
                    | "logon"
                    | "authorize"
                    | "sso"
                    | "saml"
                    | "saml2"
                    | "cas"
                    | "login.php"
                    | "login.aspx"
                    | "login.html"
                    | "signin.html"
            )
        })
}

/// The line of an HTML body that shows a login page: its `<title>` naming a sign-in, or a
/// password field. Its offset in the body.
pub(super) fn login_page_at(body: &str) -> Option<usize> {
    // Every sign of a page below starts with `<`: a body without one (JSON, most bodies of
    // a large capture) is no page, and is not copied to lower case.
    memchr::memchr(b'<', body.as_bytes())?;
    let lower = body.to_ascii_lowercase();
    if !(lower.contains("<html") || lower.contains("<!doctype html") || lower.contains("<form")) {
        return None;
    }
    if let Some(at) = lower.find("<title") {
        let end = lower[at..].find("</title>").map_or(lower.len(), |i| at + i);
        let title = &lower[at..end];
        if [
            "sign in",
            "sign-in",
            "log in",
            "login",
            "signin",
            "sign on",
            "log on",
            "anmelden",
            "connexion",
            "iniciar sesión",
        ]
        .iter()
        .any(|w| title.contains(w))
        {
            return Some(at);
        }
    }
    lower
        .find("type=\"password\"")
        .or_else(|| lower.find("type='password'"))
}

/// The exchanges of the redirect chain that ends at `index`, oldest first.
pub(super) fn chain_ending_at(cx: &Cx, index: usize) -> std::ops::RangeInclusive<usize> {
    cx.lookup.chain_start(index)..=index
}
