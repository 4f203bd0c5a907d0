//! Failures grouped by cause: a capture with 2,822 identical 401s shows one line, "2,822
//! requests: JWT expired — same token", rather than 2,822 rows saying the same thing.
//!
//! Two failed exchanges share a group when their most severe finding has the same ID and
//! their cause key is the same. The key is what makes the failures "the same" for that kind
//! of cause: the credential sent (as a hash, never the credential), the endpoint asked for,
//! the origin a browser blocked, the transport error, or the status and the layer that
//! answered. One pass over the exchanges with a hash map: linear in their number.

use foldhash::{HashMap, HashMapExt};

use serde::Serialize;

use crate::knowledge::{responders, url};
use crate::model::HasHeaders;
use crate::report::ExchangeReport;

/// Failures with the same top finding and the same cause.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// Stable within one diagnosis: the finding ID, the kind of key and its value (a hash
    /// for a credential). Not meant for display.
    pub key: String,
    /// The top finding's ID shared by the group (`status.<code>` or `transport.<code>` when
    /// no rule fired).
    pub finding: String,
    /// The finding's generic title (the rule's, not one exchange's wording).
    pub title: crate::report::Text,
    /// What the failures have in common, in words: `same token`, `same endpoint GET
    /// 127.0.0.1:8080/api/users/{id}`, `same origin http://…`, `same status 503 from nginx`.
    pub cause: crate::report::Text,
    pub count: usize,
    /// The `index` of every failure in the group, in exchange order.
    pub rows: Vec<usize>,
}

crate::report::object::deserialize_object!(Group {
    key: required,
    finding: required,
    title: required,
    cause: required,
    count: required,
    rows: required,
});

/// The groups of the failed exchanges, largest first (ties in order of their first failure).
pub(super) fn groups(exchanges: &[ExchangeReport]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for exchange in exchanges.iter().filter(|e| e.failed) {
        let (finding, title) = top_finding(exchange);
        let (kind, value, cause) = cause_of(exchange, &finding);
        let key = format!("{finding}|{kind}|{value}");
        if let Some(&at) = by_key.get(&key) {
            groups[at].count += 1;
            groups[at].rows.push(exchange.index);
        } else {
            by_key.insert(key.clone(), groups.len());
            groups.push(Group {
                key,
                finding,
                title,
                cause: cause.into(),
                count: 1,
                rows: vec![exchange.index],
            });
        }
    }
    // Stable: equal counts keep the order of their first failure.
    groups.sort_by_key(|g| std::cmp::Reverse(g.count));
    groups
}

/// The most severe finding's ID and its rule's generic title; the status or transport
/// error when no rule fired.
fn top_finding(exchange: &ExchangeReport) -> (String, crate::report::Text) {
    if let Some(top) = exchange.findings.iter().min_by_key(|f| f.severity) {
        let title = crate::rules::RULES
            .iter()
            .map(|rule| rule.meta())
            .find(|meta| meta.id == top.id)
            .map_or_else(|| top.title.clone(), |meta| meta.title.into());
        return (top.id.to_owned(), title);
    }
    if let Some(response) = &exchange.response {
        let name = crate::knowledge::status::name(response.status).unwrap_or("Error");
        return (
            format!("status.{}", response.status),
            format!("{} {name}", response.status).into(),
        );
    }
    let code = exchange
        .transport_error
        .as_ref()
        .map_or("unknown", |t| t.code.as_str());
    (
        format!("transport.{code}"),
        format!("No response ({})", crate::report::input(code)).into(),
    )
}

/// The kind of key, its value, and the words for it.
fn cause_of(exchange: &ExchangeReport, finding: &str) -> (&'static str, String, String) {
    use crate::report::input;
    let request_url = exchange.request.as_ref().map_or("", |r| r.url.as_str());
    let credential_cause = ["auth.", "oauth.", "jwt.", "token."]
        .iter()
        .any(|area| finding.starts_with(area));
    if credential_cause && let Some(credential) = credential(exchange) {
        return (
            "token",
            format!("{:016x}", fingerprint(credential)),
            "same token".to_owned(),
        );
    }
    let blocked = exchange
        .transport_error
        .as_ref()
        .is_some_and(|t| t.code == "cors");
    if finding.starts_with("cors.") || blocked {
        let target = url::origin(request_url).unwrap_or(request_url);
        let page = exchange.page_origin.as_deref().unwrap_or("");
        let words = if page.is_empty() {
            format!("same origin {}", input(target))
        } else {
            format!("same origin {} from {}", input(target), input(page))
        };
        return ("origin", format!("{page} {target}"), words);
    }
    let Some(response) = &exchange.response else {
        let code = exchange
            .transport_error
            .as_ref()
            .map_or("", |t| t.code.as_str());
        let target = url::origin(request_url).unwrap_or(request_url);
        return (
            "transport",
            format!("{code} {target}"),
            format!("same error to {}", input(target)),
        );
    };
    if (400..500).contains(&response.status) {
        let method = exchange
            .request
            .as_ref()
            .and_then(|r| r.method.as_deref())
            .unwrap_or("");
        let endpoint = endpoint(exchange);
        let words = format!(
            "same endpoint {}",
            input(format!("{method} {endpoint}").trim())
        );
        return (
            "endpoint",
            format!("{} {method} {endpoint}", response.status),
            words,
        );
    }
    let responder = responders::identify(response).map(|(r, _)| r.name);
    let by = responder
        .map(str::to_owned)
        .or_else(|| url::origin(request_url).map(input))
        .unwrap_or_default();
    let words = if by.is_empty() {
        format!("same status {}", response.status)
    } else {
        format!("same status {} from {by}", response.status)
    };
    ("status", format!("{} {by}", response.status), words)
}

/// The credential the request sent: its `Authorization` header, else a credential handed to
/// the client on its command line.
fn credential(exchange: &ExchangeReport) -> Option<&str> {
    let request = exchange.request.as_ref()?;
    request
        .header_value("authorization")
        .or_else(|| request.handed.first().map(|h| h.value.as_str()))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// FNV-1a, 64 bits: the same credential gives the same value, and the value is all that
/// leaves this module (the page never sees the credential through a group).
fn fingerprint(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The host and path of the request with its identifiers replaced by `{id}`, so calls to
/// `/users/17` and `/users/42` count as one endpoint.
fn endpoint(exchange: &ExchangeReport) -> String {
    let Some(request) = &exchange.request else {
        return String::new();
    };
    let host = url::origin(&request.url)
        .map(|o| o.split_once("://").map_or(o, |(_, authority)| authority))
        .or_else(|| request.header_value("host"))
        .unwrap_or("");
    let path = url::path_of(&request.url);
    let template: Vec<&str> = path
        .split('/')
        .map(|segment| {
            if is_identifier(segment) {
                "{id}"
            } else {
                segment
            }
        })
        .collect();
    format!("{host}{}", template.join("/"))
}

/// A path segment that names one resource rather than a kind: a number, a UUID, a long hex
/// or base64-like string with digits.
fn is_identifier(segment: &str) -> bool {
    if segment.is_empty() {
        return false;
    }
    if segment.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let hex_or_dash = segment.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-');
    let digits = segment.bytes().filter(u8::is_ascii_digit).count();
    if hex_or_dash && segment.len() >= 8 && digits > 0 {
        return true;
    }
    let token_like = segment
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    token_like && segment.len() >= 16 && digits >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_in_paths_are_told_from_names() {
        for id in [
            "17",
            "550e8400-e29b-41d4-a716-446655440000",
            "5f2b9c1a",
            "aB3dE5fG7hJ9kL1mN",
        ] {
            assert!(is_identifier(id), "{id}");
        }
        for name in ["users", "v2", "api", "", "deadbeef", "orders-export"] {
            assert!(!is_identifier(name), "{name}");
        }
    }

    #[test]
    fn a_fingerprint_is_stable_and_tells_tokens_apart() {
        assert_eq!(fingerprint("Bearer a"), fingerprint("Bearer a"));
        assert_ne!(fingerprint("Bearer a"), fingerprint("Bearer b"));
    }
}
