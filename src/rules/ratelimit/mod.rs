//! Reading rate-limit headers: every provider spells them differently.

use crate::knowledge::number;
use crate::model::{HasHeaders, Header, Response};
use crate::report::Evidence;
use crate::rules::{Cx, Side};

#[derive(Debug, Default)]
pub(super) struct Quota<'a> {
    pub limit: Option<u64>,
    pub remaining: Option<u64>,
    /// The raw reset value and the header it came from.
    pub reset: Option<(f64, &'a Header)>,
    /// The window in seconds, from a policy header (`100;w=60`).
    pub window: Option<u64>,
    pub headers: Vec<&'a Header>,
}

fn number(text: &str) -> Option<f64> {
    text.trim().trim_end_matches('s').parse().ok()
}

/// `limit=5, remaining=0, reset=60` or `"default";r=0;t=60` (IETF drafts).
fn structured(value: &str, key: &str) -> Option<f64> {
    value
        .split([',', ';'])
        .map(str::trim)
        .find_map(|p| p.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
        .and_then(number)
}

pub(super) fn read(response: &Response) -> Quota<'_> {
    let mut q = Quota::default();
    for h in &response.headers {
        let name = h.name.to_ascii_lowercase();
        let value = h.value.as_str();
        let mut used = true;
        match name.as_str() {
            "x-ratelimit-limit" | "ratelimit-limit" | "x-rate-limit-limit" => {
                q.limit = number(value.split(',').next().unwrap_or(value)).map(number::count);
            }
            "x-ratelimit-remaining" | "ratelimit-remaining" | "x-rate-limit-remaining" => {
                q.remaining = number(value).map(number::count);
            }
            "x-ratelimit-reset"
            | "ratelimit-reset"
            | "x-rate-limit-reset"
            | "x-ratelimit-reset-after" => q.reset = number(value).map(|n| (n, h)),
            "ratelimit" => {
                q.limit = structured(value, "limit").map(number::count).or(q.limit);
                q.remaining = structured(value, "remaining")
                    .or_else(|| structured(value, "r"))
                    .map(number::count)
                    .or(q.remaining);
                q.reset = structured(value, "reset")
                    .or_else(|| structured(value, "t"))
                    .map(|n| (n, h))
                    .or(q.reset);
            }
            "ratelimit-policy" | "x-ratelimit-policy" => {
                q.window = structured(value, "w").map(number::count);
                let first = value.split(';').next().unwrap_or("").trim();
                q.limit = q
                    .limit
                    .or_else(|| number(first).map(number::count))
                    .or_else(|| structured(value, "q").map(number::count));
            }
            "x-shopify-shop-api-call-limit" => {
                if let Some((used_calls, limit)) = value.split_once('/') {
                    q.limit = number(limit).map(number::count);
                    q.remaining = number(limit)
                        .zip(number(used_calls))
                        .map(|(l, u)| number::count(l - u));
                }
            }
            "x-ratelimit-used" | "x-ratelimit-resource" => {}
            _ => used = false,
        }
        if used {
            q.headers.push(h);
        }
    }
    q
}

/// Seconds until the reset, resolving the epoch-vs-delta-vs-milliseconds ambiguity against
/// the response's time: a value near `now` is an epoch, a value near `now` in milliseconds
/// is an epoch in ms, anything small is a delta.
pub(super) fn seconds_until_reset(raw: f64, now: Option<i64>) -> (f64, &'static str) {
    let Some(now) = now.map(number::seconds) else {
        return if raw > 1e9 {
            (f64::NAN, "an epoch timestamp")
        } else {
            (raw, "seconds from now")
        };
    };
    if raw > 1e12 && (raw / 1000.0 - now).abs() < 86_400.0 * 366.0 {
        (raw / 1000.0 - now, "an epoch timestamp in milliseconds")
    } else if raw > 1e9 && (raw - now).abs() < 86_400.0 * 366.0 {
        (raw - now, "an epoch timestamp")
    } else {
        (raw, "seconds from now")
    }
}

pub(super) fn evidence(cx: &Cx, headers: &[&Header]) -> Vec<Evidence> {
    headers
        .iter()
        .map(|h| cx.header_evidence(Side::Response, h))
        .collect()
}

/// Retry-After as seconds from the response, with the header.
pub(super) fn retry_after(response: &Response, now: Option<i64>) -> Option<(i64, &Header)> {
    let h = response.header("retry-after")?;
    let value = h.value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return Some((number::whole(secs.ceil()), h));
    }
    let at = crate::knowledge::time::parse_http_date(value)?;
    Some((at.saturating_sub(now?), h))
}

pub(super) mod burst;
pub(super) mod no_hint;
pub(super) mod quota;
pub(super) mod retry_after;
