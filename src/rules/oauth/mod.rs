//! The `oauth.*` findings, and what they share: the OAuth 2.0 error an authorization server
//! answered with (RFC 6749 §4.1.2.1 and §5.2), wherever it put it — a JSON body, a
//! form-encoded or HTML error page, a `WWW-Authenticate` challenge, or the `Location` of a
//! redirect back to the client — and the parameters of the token request.

use crate::knowledge::{text, url};
use crate::model::{Body, HasHeaders};
use crate::report::Evidence;
use crate::rules::{Cx, Side};

pub(super) mod grant_not_allowed;
pub(super) mod invalid_client;
pub(super) mod invalid_grant;
pub(super) mod invalid_scope;
pub(super) mod redirect_uri_mismatch;
pub(super) mod token_request_malformed;

/// The error codes of RFC 6749 (§4.1.2.1, §5.2) and the vendors' redirect-URI codes.
const CODES: &[&str] = &[
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
    "redirect_uri_mismatch",
    "invalid_redirect_uri",
    "unsupported_response_type",
    "access_denied",
];

/// Reason phrases some servers put in `error_description` (Google: "Bad Request").
const GENERIC_REASONS: &[&str] = &[
    "Bad Request",
    "Unauthorized",
    "Forbidden",
    "Error",
    "Invalid request",
];

/// An OAuth error response.
#[derive(Clone)]
pub(crate) struct OAuthError {
    /// The RFC 6749 code, lower-case: `invalid_grant`.
    pub(super) code: String,
    pub(super) description: Option<String>,
    /// A vendor's numbered code: Entra's `AADSTS70008`.
    pub(super) vendor: Option<String>,
    /// The code, then the description, as quoted from the input.
    pub(super) evidence: Vec<Evidence>,
}

impl OAuthError {
    /// The description and vendor code, lower-case, for matching causes.
    pub(super) fn lower_text(&self) -> String {
        format!(
            "{} {}",
            self.description.as_deref().unwrap_or(""),
            self.vendor.as_deref().unwrap_or("")
        )
        .to_ascii_lowercase()
    }

    /// The description's first sentence or line, short enough for a title.
    pub(super) fn short_description(&self) -> Option<String> {
        let description = self.description.as_deref()?.trim();
        let first = description
            .split(['\r', '\n'])
            .next()
            .unwrap_or(description)
            .trim();
        // Entra repeats its trace IDs in the description, and writes several sentences:
        // keep the first.
        let first = match first.find(". ") {
            Some(end) if first.len() > 100 => &first[..end],
            _ => first,
        };
        // A bare reason phrase ("Bad Request") says nothing the status does not.
        let generic = GENERIC_REASONS
            .iter()
            .any(|r| r.eq_ignore_ascii_case(first.trim_end_matches('.')));
        (!first.is_empty() && !generic).then(|| text::clip(first.trim_end_matches('.'), 160))
    }

    pub(super) fn mentions(&self, needles: &[&str]) -> bool {
        let lower = self.lower_text();
        needles.iter().any(|n| lower.contains(n))
    }
}

/// The OAuth error of this exchange's response, if it is one. Never on a success: a 2xx is
/// not an error response, and only a redirect's `Location` can carry one among 3xx.
pub(super) fn oauth_error(cx: &Cx) -> Option<OAuthError> {
    // Six rules ask; the body is searched once per exchange.
    cx.oauth.get_or_init(|| find_oauth_error(cx)).clone()
}

fn find_oauth_error(cx: &Cx) -> Option<OAuthError> {
    let response = cx.response()?;
    let status = response.status;
    if (200..300).contains(&status) || status == 304 {
        return None;
    }
    if (300..400).contains(&status) {
        return from_location(cx);
    }
    if let Some(found) = from_json(cx) {
        return Some(found);
    }
    if let Some(found) = from_challenge(cx) {
        return Some(found);
    }
    from_text(cx).or_else(|| from_vendor_page(cx))
}

/// Entra's numbered codes and the RFC 6749 code each stands for.
const AADSTS: &[(&str, &str)] = &[
    ("AADSTS50011", "redirect_uri_mismatch"),
    ("AADSTS500113", "redirect_uri_mismatch"),
    ("AADSTS70011", "invalid_scope"),
    ("AADSTS650053", "invalid_scope"),
    ("AADSTS7000215", "invalid_client"),
    ("AADSTS7000222", "invalid_client"),
    ("AADSTS700016", "invalid_client"),
    ("AADSTS70008", "invalid_grant"),
    ("AADSTS700082", "invalid_grant"),
    ("AADSTS50173", "invalid_grant"),
    ("AADSTS54005", "invalid_grant"),
    ("AADSTS501481", "invalid_grant"),
    ("AADSTS70000", "invalid_grant"),
    ("AADSTS700025", "invalid_client"),
    ("AADSTS900144", "invalid_request"),
    ("AADSTS70003", "unsupported_grant_type"),
];

/// An identity provider's own error page that names no RFC 6749 code, only its numbered
/// one: Entra's sign-in page `AADSTS50011: The redirect URI … does not match …`.
fn from_vendor_page(cx: &Cx) -> Option<OAuthError> {
    let body = cx.response()?.body.as_ref()?;
    let at = body.text.find("AADSTS")?;
    let vendor = vendor_code(&body.text[at..])?;
    let code = AADSTS.iter().find(|(v, _)| *v == vendor)?.1;
    let rest = &body.text[at..];
    let end = rest.find(['<', '"', '\n', '\r']).unwrap_or(rest.len());
    let description = html_unescape(rest[..end].trim());
    Some(OAuthError {
        code: code.to_owned(),
        description: Some(description),
        vendor: Some(vendor),
        evidence: vec![cx.body_line_evidence(Side::Response, body, at)],
    })
}

fn known(code: &str) -> Option<&'static str> {
    CODES
        .iter()
        .find(|c| c.eq_ignore_ascii_case(code.trim()))
        .copied()
}

fn from_json(cx: &Cx) -> Option<OAuthError> {
    let json = cx.response_json()?.as_object()?;
    let code = known(json.get("error")?.as_str()?)?;
    let description = json
        .get("error_description")
        .and_then(|d| d.as_str())
        .map(str::to_owned);
    let body = cx.response()?.body.as_ref()?;
    let mut evidence = vec![quote_value(cx, body, code, "error")];
    if let Some(d) = &description {
        evidence.push(quote_description(cx, body, d));
    }
    let vendor = vendor_code(description.as_deref().unwrap_or("")).or_else(|| {
        json.get("error_codes")
            .and_then(|c| c.as_array())
            .and_then(|c| c.first())
            .and_then(serde_json::Value::as_u64)
            .map(|n| format!("AADSTS{n}"))
    });
    Some(OAuthError {
        code: code.to_owned(),
        description,
        vendor,
        evidence,
    })
}

fn from_challenge(cx: &Cx) -> Option<OAuthError> {
    let response = cx.response()?;
    for header in response.headers_named("www-authenticate") {
        let Some(code) = crate::rules::auth::challenge_param(&header.value, "error") else {
            continue;
        };
        // A resource server's Bearer `invalid_request` (RFC 6750) is not a token endpoint's.
        let Some(code) = known(&code).filter(|c| *c != "invalid_request") else {
            continue;
        };
        let description = crate::rules::auth::challenge_param(&header.value, "error_description");
        return Some(OAuthError {
            code: code.to_owned(),
            vendor: vendor_code(description.as_deref().unwrap_or("")),
            description,
            evidence: vec![cx.header_evidence(Side::Response, header)],
        });
    }
    None
}

/// An authorization endpoint's error sent back to the client: `Location: …?error=…`.
fn from_location(cx: &Cx) -> Option<OAuthError> {
    let response = cx.response()?;
    let location = response.header("location")?;
    let target = location.value.replace('#', "&");
    let mut code = None;
    let mut description = None;
    for (name, value) in url::query_pairs(&target) {
        match name {
            "error" => code = known(&form_decode(value)),
            "error_description" => description = Some(form_decode(value)),
            _ => {}
        }
    }
    let code = code?;
    Some(OAuthError {
        code: code.to_owned(),
        vendor: vendor_code(description.as_deref().unwrap_or("")),
        description,
        evidence: vec![cx.header_evidence(Side::Response, location)],
    })
}

/// The word an OAuth error code follows (`error=`, `"error": `, `<strong>error</strong>`).
static ERROR_WORD: text::Needles = text::Needles::new(&["error"]);

/// Every code, searched in one pass.
static ANY_CODE: text::Signatures = text::Signatures::new(CODES);

/// A form-encoded body (`error=invalid_grant&…`) or an HTML error page
/// (`<strong>error</strong>: invalid_redirect_uri`).
fn from_text(cx: &Cx) -> Option<OAuthError> {
    let body = cx.response()?.body.as_ref()?;
    let lower = body.text.to_ascii_lowercase();
    // A code counts only with "error" in the 40 bytes before it: a body without the word
    // (most bodies of a large capture) has none, and is not searched for each code.
    if !ERROR_WORD.any_in(&lower) {
        return None;
    }
    // Nor is one without any code at all (most error bodies): one pass over it for every
    // code tells, where the search below sets up a search of its own for each.
    if !ANY_CODE.contains_any(&lower) {
        return None;
    }
    let (at, code) = CODES
        .iter()
        .filter_map(|code| {
            let mut from = 0;
            while let Some(i) =
                text::find(&lower.as_bytes()[from..], code.as_bytes()).map(|i| from + i)
            {
                from = i + code.len();
                let before = &lower[lower.floor_char_boundary(i.saturating_sub(40))..i];
                let bounded = !lower[from..].starts_with(|c: char| c.is_ascii_alphanumeric());
                if bounded && before.contains("error") && !before.contains("error_description") {
                    return Some((i, *code));
                }
            }
            None
        })
        .min_by_key(|(at, _)| *at)?;
    let mut evidence = vec![cx.body_line_evidence(Side::Response, body, at)];
    let description = text_param(&body.text, "error_description");
    if let Some((d_at, _)) = &description {
        let (line_start, _) = text::line_around(&body.text, at);
        let (d_line, _) = text::line_around(&body.text, *d_at);
        if d_line != line_start {
            evidence.push(cx.body_line_evidence(Side::Response, body, *d_at));
        }
    }
    let description = description.map(|(_, d)| d);
    Some(OAuthError {
        code: code.to_owned(),
        vendor: vendor_code(description.as_deref().unwrap_or("")),
        description,
        evidence,
    })
}

/// The value after `name` in a form or HTML text: skips `=`, `:`, quotes and tags.
fn text_param(text: &str, name: &str) -> Option<(usize, String)> {
    let at = text::find_ci(text, name)?;
    let rest = &text[at + name.len()..];
    let mut i = 0;
    let bytes = rest.as_bytes();
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b':' | b'=' | b'"' | b'\'' => i += 1,
            b'<' => match rest[i..].find('>') {
                Some(end) => i += end + 1,
                None => return None,
            },
            _ => break,
        }
    }
    let value_start = at + name.len() + i;
    let form = text[..at].trim_end().ends_with('&') || text.trim_start().starts_with("error=");
    let stops: &[char] = if form {
        &['&', '\n', '\r']
    } else {
        &['"', '<', '\n', '\r']
    };
    let value = &rest[i..];
    let value = &value[..value.find(stops).unwrap_or(value.len())];
    let value = if form {
        form_decode(value)
    } else {
        html_unescape(value)
    };
    (!value.trim().is_empty()).then(|| (value_start, value.trim().to_owned()))
}

fn html_unescape(value: &str) -> String {
    value
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `a+b%2Fc` → `a b/c`.
pub(super) fn form_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(value.get(i + 1..i + 3).unwrap_or(""), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `AADSTS70008` in a description.
fn vendor_code(description: &str) -> Option<String> {
    let at = description.find("AADSTS")?;
    let digits: String = description[at + 6..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then(|| format!("AADSTS{digits}"))
}

/// `"error": "invalid_grant"` as quoted from the body: from the key to the value.
fn quote_value(cx: &Cx, body: &Body, value: &str, key: &str) -> Evidence {
    let Some(at) = text::find_ci(&body.text, &format!("\"{value}\"")) else {
        return Evidence::new("response body", format!("\"{key}\": \"{value}\""), None);
    };
    let window = body.text.floor_char_boundary(at.saturating_sub(40));
    let start = body.text[window..at]
        .rfind(&format!("\"{key}\""))
        .map_or(at, |i| window + i);
    cx.body_evidence(Side::Response, body, start, at + value.len() + 2)
}

/// The description as quoted from the body (its first line, as JSON writes it).
fn quote_description(cx: &Cx, body: &Body, description: &str) -> Evidence {
    let first = description
        .split(['\r', '\n'])
        .next()
        .unwrap_or(description);
    let escaped = serde_json::to_string(first).unwrap_or_default();
    let escaped = escaped.trim_matches('"');
    let found = body
        .text
        .find(escaped)
        .map(|at| (at, escaped.len()))
        .or_else(|| body.text.find(first).map(|at| (at, first.len())));
    match found {
        Some((at, len)) if len > 0 => {
            let window = body.text.floor_char_boundary(at.saturating_sub(30));
            let start = body.text[window..at]
                .rfind("\"error_description\"")
                .map_or(at, |i| window + i);
            let end = if body.text[at + len..].starts_with('"') {
                at + len + 1
            } else {
                at + len
            };
            cx.body_evidence(Side::Response, body, start, end)
        }
        _ => Evidence::new(
            "response body",
            format!("\"error_description\": \"{}\"", text::clip(first, 240)),
            None,
        ),
    }
}

/// A parameter of the request: its form or JSON body, else its query string. The value,
/// decoded, and the evidence of it.
pub(super) fn request_param(cx: &Cx, name: &str) -> Option<(String, Evidence)> {
    let request = cx.request()?;
    if let Some(body) = request.body.as_ref() {
        let trimmed = body.text.trim_start();
        if trimmed.starts_with('{') {
            if let Ok(serde_json::Value::Object(json)) = serde_json::from_str(trimmed)
                && let Some(value) = json.get(name)
            {
                let value = value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_owned);
                let at = body.text.find(&format!("\"{name}\"")).unwrap_or(0);
                let end = body.text[at..]
                    .find([',', '}'])
                    .map_or(body.text.len(), |i| at + i);
                return Some((value, cx.body_evidence(Side::Request, body, at, end)));
            }
        } else {
            let mut offset = 0;
            for pair in body.text.split('&') {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                if key.trim() == name {
                    let evidence = cx.body_evidence(
                        Side::Request,
                        body,
                        offset,
                        offset + pair.trim_end().len(),
                    );
                    return Some((form_decode(value.trim_end()), evidence));
                }
                offset += pair.len() + 1;
            }
        }
    }
    let (_, value) = url::query_pairs(&request.url).find(|(k, _)| *k == name)?;
    let value = form_decode(value);
    Some((
        value.clone(),
        Evidence::new("request URL", format!("{name}={value}"), None),
    ))
}

/// The request's body is JSON where a token endpoint reads only
/// `application/x-www-form-urlencoded` (RFC 6749 §4.1.3).
pub(super) fn json_token_request(cx: &Cx) -> Option<Evidence> {
    let request = cx.request()?;
    let content_type = request.header("content-type")?;
    if !content_type.value.to_ascii_lowercase().contains("json") {
        return None;
    }
    let body = request.body.as_ref()?;
    let lower = body.text.to_ascii_lowercase();
    (lower.contains("grant_type") || lower.contains("client_id"))
        .then(|| cx.header_evidence(Side::Request, content_type))
}

/// Whether the request went to a token endpoint: its path, or a `grant_type` parameter.
pub(super) fn at_token_endpoint(cx: &Cx) -> bool {
    let Some(request) = cx.request() else {
        return false;
    };
    let path = url::path_of(&request.url).to_ascii_lowercase();
    path.ends_with("/token")
        || path.ends_with("/token/")
        || path.contains("/oauth")
        || path.contains("/openid-connect/")
        || request
            .body
            .as_ref()
            .is_some_and(|b| b.text.contains("grant_type"))
}

/// What the grant type exchanges, in words.
pub(super) fn grant_words(grant_type: Option<&str>) -> &'static str {
    match grant_type {
        Some("authorization_code") => "authorization code",
        Some("refresh_token") => "refresh token",
        Some("password") => "username and password",
        Some("client_credentials") => "client credentials",
        Some("urn:ietf:params:oauth:grant-type:device_code") => "device code",
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer") => "JWT assertion",
        Some("urn:ietf:params:oauth:grant-type:token-exchange") => "token to exchange",
        _ => "grant",
    }
}

/// The grant types RFC 6749 and its extensions define.
pub(super) const GRANT_TYPES: &[&str] = &[
    "authorization_code",
    "refresh_token",
    "password",
    "client_credentials",
    "implicit",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:saml2-bearer",
    "urn:ietf:params:oauth:grant-type:token-exchange",
    "urn:openid:params:grant-type:ciba",
];

/// "the token endpoint" or "the authorization endpoint", by the request.
pub(super) fn endpoint_words(cx: &Cx) -> &'static str {
    let Some(request) = cx.request() else {
        return "the authorization server";
    };
    let path = url::path_of(&request.url).to_ascii_lowercase();
    if path.contains("authorize") || path.ends_with("/auth") {
        "the authorization endpoint"
    } else if at_token_endpoint(cx) {
        "the token endpoint"
    } else {
        "the authorization server"
    }
}
