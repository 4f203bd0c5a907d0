//! The `method.*` findings.

pub(super) mod allow_missing;
pub(super) mod changed_by_redirect;
pub(super) mod not_allowed;
