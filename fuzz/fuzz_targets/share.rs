//! Any input through everything a person can do with it: diagnose, share a link, open it,
//! Markdown, the redacted file. Never a panic; a produced link always opens.
#![no_main]

use httpdx::Options;
use httpdx::share::{self, Draft, RedactOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let options = Options {
        format: None,
        reference_time: Some(1_795_600_800),
    };
    let Ok(report) = httpdx::diagnose(&text, &options) else {
        return;
    };
    let redact = RedactOptions::default();
    for exchanges in [None, Some(vec![0])] {
        if let Ok(draft) = Draft::new(&text, &report, exchanges.as_deref(), &redact) {
            let _ = draft.markdown();
            if let Ok(link) = draft.link("http://127.0.0.1:8080/") {
                assert!(
                    share::open(&link).is_ok(),
                    "a link httpdx made does not open"
                );
            }
        }
    }
    let _ = share::redact_file(&text, &redact);
});
