//! The `url.*` findings.

pub(super) mod gone_or_deprecated;
pub(super) mod resource_not_found;
pub(super) mod route_not_found;
pub(super) mod suspicious_path;
pub(super) mod trailing_slash;
pub(super) mod version_mismatch;
