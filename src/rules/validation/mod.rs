//! The `validation.*` findings.

pub(super) mod field_errors;
