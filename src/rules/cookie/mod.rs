//! The `cookie.*` findings.

pub(super) mod rejected;
