//! Cross-exchange questions the rules ask ("did the same path with a slash work?"),
//! answered from indexes built once per capture, so a HAR of many thousand entries stays
//! linear. The indexes own their keys, so that a diagnosis in steps builds them once and
//! keeps them beside the capture.

use std::hash::BuildHasher;

use foldhash::HashMap;

use crate::knowledge::url;
use crate::model::{Capture, Exchange, HasHeaders};

/// Up to [`Answered::MOST`] exchanges, in order: a few tell the story, and a list without
/// bound would be quadratic.
#[derive(Default, Clone, Copy)]
struct Answered {
    exchanges: [usize; Answered::MOST],
    len: usize,
}

impl Answered {
    const MOST: usize = 4;

    fn push(&mut self, exchange: usize) {
        if self.len < Answered::MOST {
            self.exchanges[self.len] = exchange;
            self.len += 1;
        }
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.exchanges[..self.len].iter().copied()
    }
}

#[derive(Default)]
pub struct Lookup {
    /// Origin and path, by their hash → the first exchange that succeeded there (by hash,
    /// as `answered_urls`: [`Lookup::working_at`] compares them).
    working_paths: HashMap<u64, usize>,
    /// origin → each API version seen working there, with its first exchange.
    working_versions: HashMap<String, Vec<(String, usize)>>,
    /// URL, by its hash → the first exchanges to it whose response headers could be read.
    /// By hash, not by a copy of each URL: a browser's HAR has nearly one URL per
    /// exchange, and copying them (and each working path) was a third of the instructions
    /// of building these indexes (callgrind), more in the page's worker, whose allocations
    /// cost more. [`Lookup::answered`] compares the URLs themselves.
    answered_urls: HashMap<u64, Answered>,
    /// What hashes the keys of `answered_urls` and `working_paths`.
    url_hasher: foldhash::fast::RandomState,
    /// The HAR was exported without its credentials (`capture.sanitized`).
    pub credentials_stripped: bool,
    /// By exchange: where the redirect chain that ends at it starts (itself when no
    /// followed redirect led to it), so a chain of thousands of hops is walked once.
    chain_starts: Vec<usize>,
    /// Origin ([`url::normalize_origin`]) → the exchanges refused (401, 403) to a request
    /// without a Cookie header, in order.
    refused_without_cookie: HashMap<String, Vec<usize>>,
}

impl Lookup {
    pub fn new(capture: &Capture) -> Self {
        let mut lookup = Lookup {
            credentials_stripped: crate::rules::capture::sanitized::stripped(capture).is_some(),
            chain_starts: chain_starts(&capture.exchanges),
            // Nearly one URL per exchange in a browser's HAR: room for them all at once,
            // rather than the table rebuilt as it doubles.
            answered_urls: HashMap::with_capacity_and_hasher(
                capture.exchanges.len(),
                foldhash::fast::RandomState::default(),
            ),
            ..Lookup::default()
        };
        for (i, exchange) in capture.exchanges.iter().enumerate() {
            let (Some(request), Some(response)) = (&exchange.request, &exchange.response) else {
                continue;
            };
            let origin = url::origin(&request.url).unwrap_or("");
            if matches!(response.status, 401 | 403)
                && request.header("cookie").is_none()
                && !origin.is_empty()
            {
                lookup
                    .refused_without_cookie
                    .entry(url::normalize_origin(origin))
                    .or_default()
                    .push(i);
            }
            if !response.headers.is_empty() {
                let key = lookup.url_hasher.hash_one(request.url.as_str());
                lookup.answered_urls.entry(key).or_default().push(i);
            }
            if !(200..400).contains(&response.status) {
                continue;
            }
            let path = url::path_of(&request.url);
            let key = lookup.url_hasher.hash_one((origin, path));
            lookup.working_paths.entry(key).or_insert(i);
            if let Some(version) = crate::rules::url::version_mismatch::version_of(path) {
                let versions = match lookup.working_versions.get_mut(origin) {
                    Some(versions) => versions,
                    None => lookup
                        .working_versions
                        .entry(origin.to_owned())
                        .or_default(),
                };
                // A few versions tell the story; a list without bound would be quadratic.
                if versions.len() < 8
                    && !versions
                        .iter()
                        .any(|(v, _)| v.eq_ignore_ascii_case(version))
                {
                    versions.push((version.to_owned(), i));
                }
            }
        }
        lookup
    }

    /// The first exchange of `exchanges` (the capture's) that succeeded on `origin` at
    /// `path`.
    pub fn working_at(
        &self,
        exchanges: &[Exchange],
        origin: Option<&str>,
        path: &str,
    ) -> Option<usize> {
        let origin = origin.unwrap_or("");
        let found = *self
            .working_paths
            .get(&self.url_hasher.hash_one((origin, path)))?;
        let url = &exchanges.get(found)?.request.as_ref()?.url;
        (url::origin(url).unwrap_or("") == origin && url::path_of(url) == path).then_some(found)
    }

    /// A working exchange on `origin` whose API version is not `used`.
    pub fn working_other_version(&self, origin: Option<&str>, used: &str) -> Option<usize> {
        self.working_versions
            .get(origin.unwrap_or(""))?
            .iter()
            .find(|(v, _)| !v.eq_ignore_ascii_case(used))
            .map(|(_, i)| *i)
    }

    /// Where the redirect chain that ends at exchange `index` starts.
    pub fn chain_start(&self, index: usize) -> usize {
        self.chain_starts.get(index).copied().unwrap_or(index)
    }

    /// The first exchange after `index` to `origin` that was refused (401, 403) and sent
    /// no Cookie header.
    pub fn refused_without_cookie_after(&self, origin: &str, index: usize) -> Option<usize> {
        let refused = self
            .refused_without_cookie
            .get(&url::normalize_origin(origin))?;
        refused
            .get(refused.partition_point(|&i| i <= index))
            .copied()
    }

    /// Another exchange of `exchanges` (the capture's) to exactly `url` whose response
    /// headers are readable.
    pub fn answered(&self, exchanges: &[Exchange], url: &str, except: usize) -> Option<usize> {
        self.answered_urls
            .get(&self.url_hasher.hash_one(url))?
            .iter()
            .find(|&i| {
                i != except
                    && exchanges
                        .get(i)
                        .and_then(|e| e.request.as_ref())
                        .is_some_and(|r| r.url == url)
            })
    }
}

/// [`Lookup::chain_start`] of every exchange, in one pass.
fn chain_starts(exchanges: &[crate::model::Exchange]) -> Vec<usize> {
    let mut starts: Vec<usize> = Vec::with_capacity(exchanges.len());
    for index in 0..exchanges.len() {
        let start = match index.checked_sub(1) {
            Some(before) if crate::rules::redirect::followed(exchanges, before) => starts[before],
            _ => index,
        };
        starts.push(start);
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exchange(url: &str, status: u16) -> Exchange {
        let content_type = crate::model::Header {
            name: "Content-Type".into(),
            value: "application/json".to_owned(),
            span: None,
        };
        Exchange::answered(url, status, vec![content_type], None)
    }

    /// Keyed by hash, the questions still compare the URLs: the same URL elsewhere, a working
    /// path on the same origin only, and nothing for a URL or an origin never seen.
    #[test]
    fn answered_urls_and_working_paths_are_found_by_the_urls_themselves() {
        let capture = Capture {
            exchanges: vec![
                exchange("https://api.test/v1/items/é?x=1", 200),
                exchange("https://api.test/v1/items/é?x=1", 500),
                exchange("https://other.test/v1/orders/", 200),
            ],
            ..Capture::default()
        };
        let lookup = Lookup::new(&capture);
        let exchanges = &capture.exchanges;
        assert_eq!(
            lookup.answered(exchanges, "https://api.test/v1/items/é?x=1", 1),
            Some(0)
        );
        assert_eq!(
            lookup.answered(exchanges, "https://api.test/v1/items/é?x=1", 0),
            Some(1)
        );
        assert_eq!(
            lookup.answered(exchanges, "https://api.test/v1/items/é?x=2", 0),
            None
        );
        assert_eq!(
            lookup.answered(exchanges, "https://other.test/v1/orders/", 2),
            None
        );
        let path = url::path_of("https://other.test/v1/orders/");
        assert_eq!(
            lookup.working_at(exchanges, Some("https://other.test"), path),
            Some(2)
        );
        assert_eq!(
            lookup.working_at(exchanges, Some("https://api.test"), path),
            None
        );
        assert_eq!(lookup.working_at(exchanges, None, path), None);
    }
}
