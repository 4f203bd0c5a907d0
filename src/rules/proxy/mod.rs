//! The `proxy.*` findings.

pub(super) mod auth_required;
