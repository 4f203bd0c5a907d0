//! The `gateway.*` findings.

pub(super) mod responder_identified;
pub(super) mod upstream_bad_response;
pub(super) mod upstream_timeout;
pub(super) mod upstream_unreachable;
