//! Any text redacted: lengths kept, and the net finds none of the secrets redaction
//! collected in what it produced.
#![no_main]

use httpdx::share::{RedactOptions, redact};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let redacted = redact(&text, &RedactOptions::default());
    assert_eq!(
        redacted.text.len(),
        text.len(),
        "redaction keeps byte lengths"
    );
    if let Err(leak) = redacted.check(&redacted.text) {
        panic!("a collected secret survived redaction: {leak}");
    }
});
