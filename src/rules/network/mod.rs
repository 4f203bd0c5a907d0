//! Shared shape of the network and transport findings: one per kind of failure.

use crate::knowledge::transport::{Failure, classify};
use crate::knowledge::url;
use crate::report::{Finding, input};
use crate::rules::{Cx, RuleMeta};

/// The host the failed request was for, from the request or the client's message, quoted;
/// "the server" when neither names it.
pub(super) fn target(cx: &Cx) -> String {
    named_target(cx).map_or_else(|| "the server".to_owned(), |host| input(&host))
}

fn named_target(cx: &Cx) -> Option<String> {
    if let Some(host) = cx.request().and_then(|r| url::origin(&r.url)) {
        return Some(host.to_owned());
    }
    let message = cx.transport_error().map_or("", |e| e.message.as_str());
    for marker in [
        "resolve host: ",
        "connect to ",
        "ENOTFOUND ",
        "ECONNREFUSED ",
        "ETIMEDOUT ",
    ] {
        if let Some(rest) = message.split(marker).nth(1) {
            let host: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ',' && *c != '\'')
                .collect();
            let host = host.trim_end_matches([':', '.']);
            let port = rest
                .split(" port ")
                .nth(1)
                .and_then(|p| p.split_whitespace().next())
                .filter(|_| !host.contains(':'));
            return Some(match port {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            });
        }
    }
    None
}

/// A finding for `failure` when the exchange's transport error is of that kind.
pub(super) fn finding(
    cx: &Cx,
    meta: &'static RuleMeta,
    failure: Failure,
    title: impl FnOnce(&str) -> String,
) -> Option<Finding> {
    let error = cx.transport_error()?;
    if classify(error) != failure {
        return None;
    }
    let mut finding = meta.finding(title(&target(cx)), cx.transport_evidence()?);
    if let Some(request) = cx.request_line_evidence().filter(|e| e.span.is_some()) {
        finding = finding.with_evidence(request);
    }
    Some(finding)
}

pub(super) mod blocked_by_client;
pub(super) mod connection_refused;
pub(super) mod connection_reset;
pub(super) mod dns_failure;
pub(super) mod fetch_failed;
pub(super) mod protocol_error;
pub(super) mod proxy_failure;
pub(super) mod timeout;
