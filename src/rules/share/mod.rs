//! The `share.*` findings: made when a share link is opened, not by a check of the input.

pub(crate) mod entries_left_out;
pub(crate) mod evidence_redacted;
