//! The `server.*` findings.

pub(super) mod database_error;
pub(super) mod stack_trace_exposed;
pub(super) mod unhandled_exception;
