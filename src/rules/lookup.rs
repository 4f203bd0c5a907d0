//! Cross-exchange questions the rules ask ("did the same path with a slash work?"),
//! answered from indexes built once per capture, so a HAR of many thousand entries stays
//! linear. The indexes own their keys, so that a diagnosis in steps builds them once and
//! keeps them beside the capture.

use foldhash::HashMap;

use crate::knowledge::url;
use crate::model::{Capture, HasHeaders};

#[derive(Default)]
pub struct Lookup {
    /// origin → path → the first exchange that succeeded there.
    working_paths: HashMap<String, HashMap<String, usize>>,
    /// origin → each API version seen working there, with its first exchange.
    working_versions: HashMap<String, Vec<(String, usize)>>,
    /// URL → exchanges whose response headers could be read.
    answered_urls: HashMap<String, Vec<usize>>,
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
                if let Some(seen) = lookup.answered_urls.get_mut(request.url.as_str()) {
                    if seen.len() < 4 {
                        seen.push(i);
                    }
                } else {
                    lookup.answered_urls.insert(request.url.clone(), vec![i]);
                }
            }
            if !(200..400).contains(&response.status) {
                continue;
            }
            let path = url::path_of(&request.url);
            let paths = match lookup.working_paths.get_mut(origin) {
                Some(paths) => paths,
                None => lookup.working_paths.entry(origin.to_owned()).or_default(),
            };
            if !paths.contains_key(path) {
                paths.insert(path.to_owned(), i);
            }
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

    pub fn working_at(&self, origin: Option<&str>, path: &str) -> Option<usize> {
        self.working_paths
            .get(origin.unwrap_or(""))?
            .get(path)
            .copied()
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

    /// Another exchange to exactly `url` whose response headers are readable.
    pub fn answered(&self, url: &str, except: usize) -> Option<usize> {
        self.answered_urls
            .get(url)?
            .iter()
            .copied()
            .find(|&i| i != except)
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
