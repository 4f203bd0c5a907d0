//! Any bytes, every reader: a report or a clear error, never a panic or a hang.
#![no_main]

use httpdx::input::Format;
use httpdx::{Options, diagnose_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = diagnose_bytes(
        data,
        &Options {
            format: None,
            reference_time: Some(1_795_600_800),
        },
    );
    for format in Format::READABLE {
        let _ = diagnose_bytes(
            data,
            &Options {
                format: Some(format),
                reference_time: None,
            },
        );
    }
});
