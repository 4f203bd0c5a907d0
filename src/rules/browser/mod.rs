//! The `browser.*` findings: requests the browser itself refused to send.

pub(super) mod csp_blocked;
pub(super) mod mixed_content;
pub(super) mod private_network_blocked;

use crate::knowledge::transport::Failure;
use crate::report::{Finding, input};
use crate::rules::{Cx, RuleMeta, network};

/// A finding for a request the browser blocked for `failure`, with the page's origin when
/// the capture names it.
pub(super) fn blocked(
    cx: &Cx,
    meta: &'static RuleMeta,
    failure: Failure,
    title: impl FnOnce(&str, Option<&str>) -> String,
) -> Option<Finding> {
    let page = cx.exchange.page_origin.as_deref().map(input);
    network::finding(cx, meta, failure, |host| title(host, page.as_deref()))
}
