//! The JWTs an exchange carries, decoded for people: where each was, its header and claims,
//! its times in words against the moment of the response, what is wrong with it, and which
//! finding read which claim. The page's token panel, the CLI and the Markdown render this.
//!
//! Decoding is [`jwt::decode`], the same the auth rules use; the signature is never kept.

use serde_json::Value;

use crate::knowledge::text::Needles;
use crate::knowledge::{jwt, time, url};
use crate::model::{Body, Header, Span};
use crate::report::{BadgeKind, ClaimUse, DecodedToken, Finding, TokenBadge, TokenTime};
use crate::rules::{Clock, Cx, auth};

/// Enough for any real exchange; bounds the work on a body full of tokens.
const MAX_TOKENS: usize = 20;
/// How deep a JSON body is searched for token values (`data.session.access_token`).
const MAX_JSON_DEPTH: usize = 6;

/// A JWT-shaped value and where it was found.
struct Found {
    token: String,
    decoded: jwt::Jwt,
    location: String,
    /// Where to look for it in the input, narrowest first.
    within: Vec<Option<Span>>,
}

/// Every JWT of the exchange, decoded, in the order of the exchange: request headers,
/// cookies, URL, command line, request body, then response headers and body. Tokens that do
/// not decode (opaque or damaged) are left out; the same token is listed once.
pub(crate) fn decoded_tokens(cx: &Cx, findings: &[Finding]) -> Vec<DecodedToken> {
    let mut found = Vec::new();
    collect(cx, &mut found);
    let clock = cx.now();
    let used_by = claim_uses(findings);
    let server_names_audience = server_names_audience(cx);
    // Which token the rules read matters only when a finding read its claims or the
    // server named the audience (most exchanges of a large capture: neither).
    let rules_token = if used_by.is_empty() && !server_names_audience {
        None
    } else {
        auth::request_jwt(cx).map(|t| t.jwt.claims)
    };
    let mut seen: Vec<String> = Vec::new();
    let mut rules_token_placed = false;
    let mut out: Vec<DecodedToken> = Vec::new();
    for item in found {
        if out.len() >= MAX_TOKENS || seen.contains(&item.token) {
            continue;
        }
        let decoded = item.decoded;
        let span = item
            .within
            .iter()
            .find_map(|scope| span_in(cx.input, &item.token, *scope));
        seen.push(item.token);
        // The rules read the first JWT of the request; the claims they quote are its.
        let is_rules_token = !rules_token_placed && rules_token.as_ref() == Some(&decoded.claims);
        rules_token_placed |= is_rules_token;
        let used = if is_rules_token {
            used_by.clone()
        } else {
            Vec::new()
        };
        let times = times(&decoded, clock.as_ref());
        let mut badges = badges(&decoded, clock.as_ref());
        if decoded.claims.contains_key("aud")
            && (used.iter().any(|u| u.claim == "aud") || (is_rules_token && server_names_audience))
        {
            badges.push(TokenBadge {
                kind: BadgeKind::AudienceMismatch,
                text: "audience not accepted".to_owned(),
            });
        }
        out.push(DecodedToken {
            location: item.location,
            span,
            header: decoded.header.as_ref().into(),
            claims: decoded.claims.as_ref().into(),
            times,
            badges,
            used_by: used,
        });
    }
    out
}

/// Every JWT-shaped value of the exchange, with its place in words.
fn collect(cx: &Cx, out: &mut Vec<Found>) {
    let exchange_span = cx.exchange.span;
    if let Some(request) = cx.request() {
        let side = [request.span, exchange_span];
        for h in &request.headers {
            header_tokens(h, "request", &side, out);
        }
        for (name, value) in url::query_pairs(&request.url) {
            push_if_jwt(
                value,
                || format!("request URL parameter {name}"),
                &side,
                out,
            );
        }
        for h in &request.handed {
            let within = [h.span, request.span, exchange_span];
            push_if_jwt(
                &h.value,
                || format!("command line {}", h.name),
                &within,
                out,
            );
        }
        if let Some(body) = request.body.as_ref().filter(|b| could_hold_jwt(&b.text)) {
            let json = parse_json(&body.text);
            body_tokens(body, json.as_ref(), "request body", &side, out);
        }
    }
    if let Some(response) = cx.response() {
        let side = [response.span, exchange_span];
        for h in &response.headers {
            header_tokens(h, "response", &side, out);
        }
        if let Some(body) = response.body.as_ref().filter(|b| could_hold_jwt(&b.text)) {
            // Parsed once for the rules already (when they needed it).
            body_tokens(body, cx.response_json(), "response body", &side, out);
        }
    }
}

/// Adds `value` when it is a JWT. Its place in words is only written then: most values
/// (every string of a large JSON body) are not tokens.
fn push_if_jwt(
    value: &str,
    location: impl FnOnce() -> String,
    within: &[Option<Span>],
    out: &mut Vec<Found>,
) {
    let value = value.trim().trim_matches(['"', '\'']);
    if let Some(decoded) = jwt::decode(value) {
        out.push(Found {
            token: value.to_owned(),
            decoded,
            location: location(),
            within: within.to_vec(),
        });
    }
}

/// The tokens of a header: a cookie by its name, else the credential after its scheme (what
/// the auth rules read) and any JWT inside the value.
fn header_tokens(h: &Header, side: &str, within: &[Option<Span>], out: &mut Vec<Found>) {
    // A JWT has two dots: a value with fewer (most headers) holds none.
    if memchr::memchr_iter(b'.', h.value.as_bytes())
        .nth(1)
        .is_none()
    {
        return;
    }
    let within: Vec<Option<Span>> = std::iter::once(h.span)
        .chain(within.iter().copied())
        .collect();
    let is_cookie =
        h.name.eq_ignore_ascii_case("cookie") || h.name.eq_ignore_ascii_case("set-cookie");
    if is_cookie {
        // `Set-Cookie` has one pair then attributes; `Cookie` has pairs.
        for pair in h.value.split(';') {
            if let Some((name, value)) = pair.split_once('=') {
                push_if_jwt(
                    value,
                    || format!("{side} cookie {}", name.trim()),
                    &within,
                    out,
                );
            }
        }
        return;
    }
    let credential = auth::token_of(&h.value);
    let credential = credential.rsplit(' ').next().unwrap_or(credential);
    let location = || format!("{side} header {}", h.name);
    push_if_jwt(credential, location, &within, out);
    for (start, end) in jwt::find_tokens(&h.value) {
        push_if_jwt(&h.value[start..end], location, &within, out);
    }
}

/// Whether a body's text could hold a JWT: a JWT has two dots, written as they are unless
/// JSON's `\u` escapes spell them. Most bodies of a large capture have fewer, and are then
/// neither parsed nor searched here.
fn could_hold_jwt(text: &str) -> bool {
    static ESCAPE: Needles = Needles::new(&["\\u"]);
    ESCAPE.any_in(text) || memchr::memchr_iter(b'.', text.as_bytes()).nth(1).is_some()
}

/// The tokens of a body: JSON string values by their path (`access_token`, `data.id_token`),
/// form fields by name, else any JWT in the text.
fn body_tokens(
    body: &Body,
    json: Option<&Value>,
    place: &str,
    within: &[Option<Span>],
    out: &mut Vec<Found>,
) {
    if let Some(json) = json {
        json_tokens(json, &mut Vec::new(), place, within, out);
        return;
    }
    let text = body.text.trim();
    if text.starts_with(['{', '[']) {
        // JSON that does not parse: its tokens are found by their shape below.
        for (start, end) in jwt::find_tokens(&body.text) {
            push_if_jwt(&body.text[start..end], || place.to_owned(), within, out);
        }
        return;
    }
    let looks_like_form = !text.contains(char::is_whitespace) && text.contains('=');
    if looks_like_form {
        for (name, value) in url::query_pairs(&format!("?{text}")) {
            push_if_jwt(value, || format!("{place} {name}"), within, out);
        }
        return;
    }
    for (start, end) in jwt::find_tokens(&body.text) {
        push_if_jwt(&body.text[start..end], || place.to_owned(), within, out);
    }
}

fn parse_json(text: &str) -> Option<Value> {
    let text = text.trim();
    if !text.starts_with(['{', '[']) {
        return None;
    }
    serde_json::from_str(text).ok()
}

/// One step of the path to a JSON value: a member's key or an item's position.
enum PathStep<'v> {
    Key(&'v str),
    Item(usize),
}

/// The JWTs among the string values of `value`, each placed by its path
/// (`data.session.access_token`, `tokens[0]`), which is written only for a token found.
fn json_tokens<'v>(
    value: &'v Value,
    path: &mut Vec<PathStep<'v>>,
    place: &str,
    within: &[Option<Span>],
    out: &mut Vec<Found>,
) {
    if path.len() > MAX_JSON_DEPTH || out.len() > MAX_TOKENS * 2 {
        return;
    }
    match value {
        Value::String(s) => {
            push_if_jwt(s, || located(place, path), within, out);
        }
        Value::Object(map) => {
            for (key, item) in map {
                path.push(PathStep::Key(key));
                json_tokens(item, path, place, within, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(PathStep::Item(i));
                json_tokens(item, path, place, within, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `response body data.tokens[0]`: the place, then the path, if any.
fn located(place: &str, path: &[PathStep]) -> String {
    use std::fmt::Write as _;
    let mut joined = String::new();
    for step in path {
        let _ = match step {
            PathStep::Key(key) if joined.is_empty() => write!(joined, "{key}"),
            PathStep::Key(key) => write!(joined, ".{key}"),
            PathStep::Item(i) => write!(joined, "[{i}]"),
        };
    }
    if joined.is_empty() {
        place.to_owned()
    } else {
        format!("{place} {joined}")
    }
}

/// The first place `token` stands verbatim in `input` within `scope`.
fn span_in(input: &str, token: &str, scope: Option<Span>) -> Option<Span> {
    let scope = scope?;
    let haystack = input.as_bytes().get(scope.start..scope.end)?;
    let at = crate::knowledge::text::find(haystack, token.as_bytes())?;
    Some(Span::new(scope.start + at, scope.start + at + token.len()))
}

/// `exp`, `nbf` and `iat` in UTC, and against the moment of the response in words.
fn times(decoded: &jwt::Jwt, clock: Option<&Clock>) -> Vec<TokenTime> {
    [
        ("exp", decoded.exp()),
        ("nbf", decoded.nbf()),
        ("iat", decoded.iat()),
    ]
    .into_iter()
    .filter_map(|(claim, at)| {
        let at = at?;
        Some(TokenTime {
            claim: claim.to_owned(),
            at,
            utc: time::format_utc(at),
            relative: clock.map(|c| relative(claim, at, c)),
        })
    })
    .collect()
}

/// `expired 2 h 14 min before this response`, `issued 3 years before the reference time` …
pub(crate) fn relative(claim: &str, at: i64, clock: &Clock) -> String {
    let moment = clock.source.moment();
    let gap = time::format_duration_for_people(at.saturating_sub(clock.secs));
    let after = at > clock.secs;
    if at == clock.secs {
        return match claim {
            "exp" => format!("expires at the second of {moment}"),
            "nbf" => format!("valid from the second of {moment}"),
            _ => format!("issued at the second of {moment}"),
        };
    }
    match (claim, after) {
        ("exp", false) => format!("expired {gap} before {moment}"),
        ("exp", true) => format!("expires {gap} after {moment}"),
        ("nbf", false) => format!("valid since {gap} before {moment}"),
        ("nbf", true) => format!("valid only from {gap} after {moment}"),
        (_, false) => format!("issued {gap} before {moment}"),
        (_, true) => format!("issued {gap} after {moment}"),
    }
}

/// Expired, not yet valid, unsigned: what the token's own claims say against the clock.
fn badges(decoded: &jwt::Jwt, clock: Option<&Clock>) -> Vec<TokenBadge> {
    let mut out = Vec::new();
    if let Some(now) = clock.map(|c| c.secs) {
        if decoded.exp().is_some_and(|exp| exp < now) {
            out.push(TokenBadge {
                kind: BadgeKind::Expired,
                text: "expired".to_owned(),
            });
        }
        let early_nbf = decoded.nbf().is_some_and(|nbf| nbf > now);
        let early_iat = decoded.iat().is_some_and(|iat| {
            iat > now.saturating_add(super::token_not_yet_valid::IAT_SKEW_TOLERANCE)
        });
        if early_nbf || early_iat {
            out.push(TokenBadge {
                kind: BadgeKind::NotYetValid,
                text: "not valid yet".to_owned(),
            });
        }
    }
    let alg = decoded.header.get("alg").and_then(Value::as_str);
    if alg.is_some_and(|a| a.eq_ignore_ascii_case("none")) {
        out.push(TokenBadge {
            kind: BadgeKind::Unsigned,
            text: "not signed (alg none)".to_owned(),
        });
    }
    out
}

/// Which finding quoted which claim (see [`jwt::CLAIM_EVIDENCE`]), errors first.
fn claim_uses(findings: &[Finding]) -> Vec<ClaimUse> {
    let mut ordered: Vec<&Finding> = findings.iter().collect();
    ordered.sort_by_key(|f| f.severity);
    let mut out: Vec<ClaimUse> = Vec::new();
    for finding in ordered {
        for claim in finding.evidence().iter().filter_map(jwt::claim_quoted) {
            let use_ = ClaimUse {
                finding: finding.id.to_owned(),
                claim: claim.to_owned(),
            };
            if !out.contains(&use_) {
                out.push(use_);
            }
        }
    }
    out
}

/// The server's rejection names the audience (`invalid audience`, `aud claim`, Azure's
/// `AADSTS700016`-style "audience … is invalid"): a 401/403 whose challenge or body says so.
fn server_names_audience(cx: &Cx) -> bool {
    if !cx.status().is_some_and(|s| s == 401 || s == 403) {
        return false;
    }
    let Some(response) = cx.response() else {
        return false;
    };
    let says = |text: &str| {
        let lower = text.to_ascii_lowercase();
        lower.contains("audience") || lower.contains("invalid aud") || lower.contains("\"aud\"")
    };
    response
        .headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case("www-authenticate"))
        .any(|h| says(&h.value))
        || response.body.as_ref().is_some_and(|b| says(&b.text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ClockSource;

    fn clock(secs: i64, source: ClockSource) -> Clock<'static> {
        Clock::bare(secs, source)
    }

    #[test]
    fn times_read_as_people_say_them() {
        let now = 1_795_631_400;
        let response = clock(now, ClockSource::ResponseDate);
        let cases = [
            ("exp", now - 8054, "expired 2 h 14 min before this response"),
            ("exp", now + 40, "expires 40 s after this response"),
            ("exp", now, "expires at the second of this response"),
            (
                "nbf",
                now + 90,
                "valid only from 1 min 30 s after this response",
            ),
            ("nbf", now - 3600, "valid since 1 h before this response"),
            (
                "iat",
                now - (1105 * 86_400 + 11 * 3600),
                "issued 3 years before this response",
            ),
            (
                "iat",
                now - 200 * 86_400,
                "issued 7 months before this response",
            ),
            ("iat", now + 5, "issued 5 s after this response"),
        ];
        for (claim, at, words) in cases {
            assert_eq!(relative(claim, at, &response), words, "{claim} {at}");
        }
        let har = clock(now, ClockSource::HarStarted);
        assert_eq!(
            relative("exp", now - 60, &har),
            "expired 1 min before the request's start"
        );
        let reference = clock(now, ClockSource::Reference);
        assert_eq!(
            relative("exp", now + 400 * 86_400, &reference),
            "expires 1 year 1 month after the reference time"
        );
    }
}
