//! Redirect chains: a 301/302/303/307/308 and the request the client then made to its
//! `Location`, joined into one chain in request order (a HAR lists each hop as its own
//! entry; read backwards, the final request seems to come first).
//!
//! One pass in exchange order: each redirect leaves its resolved target waiting, and the
//! first later request to that target continues its chain. Linear in the number of
//! exchanges (one hash look-up each).

use std::collections::VecDeque;

use foldhash::{HashMap, HashMapExt};

use serde::Serialize;

use crate::knowledge::url;
use crate::model::HasHeaders;
use crate::report::ExchangeReport;

/// One request of a chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hop {
    /// The exchange's `index`.
    pub row: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub url: String,
}

/// Requests joined by redirects, in the order they were made: every hop but the last
/// answered with a redirect to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chain {
    pub hops: Vec<Hop>,
}

crate::report::object::deserialize_object!(Hop {
    row: required,
    status: default,
    url: required
});
crate::report::object::deserialize_object!(Chain { hops: required });

/// The redirect chains of a capture that have at least one redirect followed.
pub(super) fn chains(exchanges: &[ExchangeReport]) -> Vec<Chain> {
    let mut chains: Vec<Chain> = Vec::new();
    // Targets of redirects not yet followed, each with the chains waiting for it (oldest
    // first: a request continues the earliest redirect to it).
    let mut waiting: HashMap<String, VecDeque<usize>> = HashMap::new();
    for exchange in exchanges {
        let hop = Hop {
            row: exchange.index,
            status: exchange.response.as_ref().map(|r| r.status),
            url: exchange
                .request
                .as_ref()
                .map(|r| r.url.clone())
                .unwrap_or_default(),
        };
        let key = target_key(exchange, &hop.url);
        let continued = waiting
            .get_mut(&key)
            .and_then(VecDeque::pop_front)
            .inspect(|&chain| chains[chain].hops.push(hop.clone()));
        if let Some(location) = redirect_target(exchange) {
            let chain = continued.unwrap_or_else(|| {
                chains.push(Chain { hops: vec![hop] });
                chains.len() - 1
            });
            waiting
                .entry(key_of(&location))
                .or_default()
                .push_back(chain);
        }
    }
    chains.retain(|c| c.hops.len() > 1);
    chains
}

/// Where a redirect points, resolved against its request's URL.
fn redirect_target(exchange: &ExchangeReport) -> Option<String> {
    let response = exchange.response.as_ref()?;
    if !matches!(response.status, 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let location = response.header_value("location")?;
    let base = absolute_url(exchange)?;
    Some(crate::rules::redirect::resolve(&base, location))
}

/// The request's URL made absolute with its `Host` header when it is only a path (raw
/// HTTP, curl -v).
fn absolute_url(exchange: &ExchangeReport) -> Option<String> {
    let request = exchange.request.as_ref()?;
    if url::origin(&request.url).is_some() {
        return Some(request.url.clone());
    }
    let host = request.header_value("host")?;
    Some(format!("http://{host}{}", request.url))
}

fn target_key(exchange: &ExchangeReport, request_url: &str) -> String {
    absolute_url(exchange).map_or_else(|| key_of(request_url), |u| key_of(&u))
}

/// What identifies a target for matching: host, port and path with query, without the
/// scheme (an `http://` request may be redirected to `https://` on the same host), the
/// fragment (never sent) or a default port.
fn key_of(target: &str) -> String {
    let without_fragment = target.split('#').next().unwrap_or(target);
    let rest = without_fragment
        .split_once("://")
        .map_or(without_fragment, |(_, rest)| rest);
    let (authority, path) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let authority = authority
        .strip_suffix(":80")
        .or_else(|| authority.strip_suffix(":443"))
        .unwrap_or(authority)
        .to_ascii_lowercase();
    let path = if path.is_empty() { "/" } else { path };
    format!("{authority}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_match_across_schemes_default_ports_and_fragments() {
        assert_eq!(
            key_of("http://API.test:80/a?b#c"),
            key_of("https://api.test/a?b")
        );
        assert_eq!(key_of("https://api.test"), key_of("http://api.test/"));
        assert_ne!(key_of("https://api.test/a"), key_of("https://api.test/b"));
    }
}
