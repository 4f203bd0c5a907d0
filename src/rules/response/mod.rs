//! The `response.*` findings.

pub(super) mod html_instead_of_json;
pub(super) mod request_id;
