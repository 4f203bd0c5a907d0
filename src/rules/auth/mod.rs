//! What the authentication rules share: the credential a request carries, the JWT in it,
//! and the server's WWW-Authenticate challenges.

use crate::knowledge::{jwt, secrets, url};
use crate::model::{HasHeaders, Header};
use crate::report::Evidence;
use crate::rules::{Cx, Side};

/// The token part of an Authorization value: after the scheme, without quotes or spaces.
pub(super) fn token_of(value: &str) -> &str {
    let value = value.trim();
    let token = match value.split_once(' ') {
        Some((scheme, rest)) if !scheme.contains('.') && scheme.len() < 20 => rest.trim(),
        _ => value,
    };
    token.trim_matches(['"', '\'']).trim()
}

/// Where in the request a JWT was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenPlace {
    Authorization,
    Cookie,
    Query,
    /// Handed to the client on its command line (an environment variable, an argument).
    Command,
}

impl TokenPlace {
    /// For titles: "the JWT in the request", "the JWT in the URL".
    pub(super) fn words(self) -> &'static str {
        match self {
            TokenPlace::Authorization | TokenPlace::Cookie => "the request",
            TokenPlace::Query => "the URL",
            TokenPlace::Command => "the command line",
        }
    }
}

/// A JWT the request carries: the token, and where it was.
pub(super) struct RequestJwt<'a> {
    pub jwt: jwt::Jwt,
    pub place: TokenPlace,
    /// What carried it, quoted ([`RequestJwt::evidence`]) only when a finding shows it:
    /// several rules read the token of every request and most find nothing to say.
    carrier: Carrier<'a>,
}

enum Carrier<'a> {
    /// The Authorization or Cookie header.
    Header(&'a Header),
    /// A query parameter: its name and value.
    Query(&'a str, &'a str),
    /// A variable or argument handed on the command line.
    Command(&'a Header),
}

impl RequestJwt<'_> {
    /// The header, URL parameter or command line that carried the token, its secret masked.
    pub(super) fn evidence(&self, cx: &Cx) -> Evidence {
        match self.carrier {
            Carrier::Header(h) => cx.header_evidence(Side::Request, h),
            Carrier::Query(name, value) => Evidence::new(
                "request URL",
                format!(
                    "{name}={}",
                    crate::knowledge::secrets::mask_credential(value)
                ),
                None,
            ),
            Carrier::Command(h) => Evidence::new(
                "command line",
                format!(
                    "{}={}",
                    h.name,
                    crate::knowledge::secrets::mask_credential(&h.value)
                ),
                h.span,
            ),
        }
    }
}

/// The first JWT the request carries: in Authorization, a cookie, or the query string.
pub(super) fn request_jwt<'a>(cx: &Cx<'a>) -> Option<RequestJwt<'a>> {
    let request = cx.request()?;
    if let Some(h) = request.header("authorization") {
        let token = token_of(&h.value);
        let token = token.rsplit(' ').next().unwrap_or(token);
        if let Some(jwt) = jwt::decode(token) {
            return Some(RequestJwt {
                jwt,
                place: TokenPlace::Authorization,
                carrier: Carrier::Header(h),
            });
        }
    }
    for h in request.headers_named("cookie") {
        for pair in h.value.split(';') {
            let value = pair.split_once('=').map_or("", |(_, v)| v.trim());
            if let Some(jwt) = jwt::decode(value) {
                return Some(RequestJwt {
                    jwt,
                    place: TokenPlace::Cookie,
                    carrier: Carrier::Header(h),
                });
            }
        }
    }
    for (name, value) in url::query_pairs(&request.url) {
        if let Some(jwt) = jwt::decode(value) {
            return Some(RequestJwt {
                jwt,
                place: TokenPlace::Query,
                carrier: Carrier::Query(name, value),
            });
        }
    }
    for h in &request.handed {
        if let Some(jwt) = jwt::decode(&h.value) {
            return Some(RequestJwt {
                jwt,
                place: TokenPlace::Command,
                carrier: Carrier::Command(h),
            });
        }
    }
    None
}

/// Whether the request carries any credential at all.
pub(super) fn has_credentials(cx: &Cx) -> bool {
    cx.request().is_some_and(|r| {
        r.headers.iter().any(|h| {
            secrets::is_credential_header(&h.name) && !h.name.eq_ignore_ascii_case("set-cookie")
        }) || url::query_pairs(&r.url).any(|(n, v)| secrets::is_secret_name(n) && !v.is_empty())
    })
}

/// The schemes the server challenges with, lower-cased, and the header naming each.
pub(super) fn challenges<'a>(cx: &Cx<'a>) -> Vec<(String, &'a Header)> {
    let Some(response) = cx.response() else {
        return Vec::new();
    };
    response
        .headers_named("www-authenticate")
        .filter_map(|h| {
            let scheme = h.value.split([' ', ',']).next()?.trim();
            (!scheme.is_empty() && !scheme.contains('=')).then(|| (scheme.to_ascii_lowercase(), h))
        })
        .collect()
}

/// An auth-param of a challenge: `error="invalid_token"` → `invalid_token`.
pub(super) fn challenge_param(value: &str, name: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name).map(|i| from + i) {
        from = at + name.len();
        let before_ok = at == 0 || matches!(lower.as_bytes()[at - 1], b' ' | b',');
        let rest = value[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        return Some(match rest.strip_prefix('"') {
            Some(quoted) => quoted.split('"').next().unwrap_or("").to_owned(),
            None => rest.split([',', ' ']).next().unwrap_or("").to_owned(),
        });
    }
    None
}

pub(super) mod credentials_dropped_by_redirect;
pub(super) mod environment_mismatch;
pub(super) mod header_missing;
pub(super) mod insufficient_scope;
pub(super) mod malformed_header;
pub(super) mod redirected_to_login;
pub(super) mod scheme_mismatch;
pub(super) mod scheme_missing;
pub(super) mod token_expired;
pub(super) mod token_not_yet_valid;
pub(super) mod token_rejected;
pub(super) mod tokens;
