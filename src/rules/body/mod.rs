//! The `body.*` findings.

pub(super) mod content_type_mismatch;
pub(super) mod invisible_character;
pub(super) mod json_syntax;
pub(super) mod problem_details;
