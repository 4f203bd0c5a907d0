//! Any link text opened: the shared input and its diagnosis, or a message; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = httpdx::share::open(text);
        let _ = httpdx::share::open(&format!("#v1.{text}"));
    }
});
