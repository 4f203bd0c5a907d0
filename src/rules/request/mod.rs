//! The `request.*` findings: the request's size, shape and negotiation.

pub(super) mod conflict;
pub(super) mod headers_too_large;
pub(super) mod media_type_unsupported;
pub(super) mod not_acceptable;
pub(super) mod precondition_failed;
pub(super) mod too_large;
pub(super) mod uri_too_long;

/// `2088010` → `2.1 MB`, `177510` → `178 kB`, `900` → `900 bytes`.
pub(super) fn human_bytes(bytes: usize) -> String {
    let b = crate::knowledge::number::size(bytes);
    if b >= 1_000_000.0 {
        format!("{:.1} MB", b / 1_000_000.0)
    } else if b >= 10_000.0 {
        format!("{:.0} kB", b / 1000.0)
    } else if b >= 1000.0 {
        format!("{:.1} kB", b / 1000.0)
    } else {
        format!("{bytes} bytes")
    }
}
