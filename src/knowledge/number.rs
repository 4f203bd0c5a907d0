//! Number conversions for values read from text (header values, JSON numbers, times), in one
//! reviewed place. Rust's float-to-integer `as` saturates (NaN gives 0), which is what a
//! diagnosis wants from a header that says `1e300`; these name that intent.

/// A count or size read as a float: negative and NaN become 0, huge values `u64::MAX`.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "saturating by design"
)]
pub(crate) fn count(value: f64) -> u64 {
    value.max(0.0) as u64
}

/// A position or length read as a float (a message from JavaScript), saturating.
#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(dead_code, reason = "the page and worker read them")
)]
pub(crate) fn index(value: f64) -> usize {
    usize::try_from(count(value)).unwrap_or(usize::MAX)
}

/// Seconds (or milliseconds) read as a float, saturating at the ends of `i64`.
#[allow(clippy::cast_possible_truncation, reason = "saturating by design")]
pub(crate) fn whole(value: f64) -> i64 {
    value as i64
}

/// Seconds as a float for arithmetic on durations; exact below 2^53 s (285 million years).
#[allow(clippy::cast_precision_loss, reason = "exact for any real time")]
pub(crate) fn seconds(value: i64) -> f64 {
    value as f64
}

/// A byte count as a float, for sizes shown in KB and MB.
#[allow(clippy::cast_precision_loss, reason = "exact below 9 PB")]
#[cfg_attr(
    not(target_arch = "wasm32"),
    allow(dead_code, reason = "the page shows sizes")
)]
pub(crate) fn size(bytes: usize) -> f64 {
    bytes as f64
}

/// An HTTP status code read as a number, when it is one.
pub(crate) fn status(value: f64) -> Option<u16> {
    (value.fract() == 0.0 && (100.0..1000.0).contains(&value)).then(|| {
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "checked range"
        )]
        let code = value as u16;
        code
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturates_and_checks() {
        assert_eq!(count(-5.0), 0);
        assert_eq!(count(f64::NAN), 0);
        assert_eq!(count(1e300), u64::MAX);
        assert_eq!(whole(-1e300), i64::MIN);
        assert_eq!(status(404.0), Some(404));
        assert_eq!(status(0.0), None);
        assert_eq!(status(-1.0), None);
        assert_eq!(status(200.5), None);
    }
}
