//! The `capture.*` findings: what only the whole capture shows.

pub(crate) mod failure_cascade;
pub(crate) mod sanitized;
