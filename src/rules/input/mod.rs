//! The `input.*` findings.

pub(super) mod secrets_present;
pub(super) mod skipped_part;
pub(super) mod truncated;
pub(super) mod unrecognized;
