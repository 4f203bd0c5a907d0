//! The `tls.*` findings.

pub(super) mod certificate_problem;
