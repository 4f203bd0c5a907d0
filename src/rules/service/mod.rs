//! The `service.*` findings.

pub(super) mod dependency_down;
pub(super) mod maintenance;
pub(super) mod overloaded;
