//! The `access.*` findings.

pub(super) mod csrf_failed;
pub(super) mod ip_restricted;
pub(super) mod permission_denied;
pub(super) mod waf_blocked;
