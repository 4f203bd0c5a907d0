#![allow(dead_code)] // each test crate uses part of these helpers
#![allow(clippy::expect_used)] // test set-up: a missing fixture should stop the test
//! Shared by the integration tests: reading fixtures the way the CLI does.

pub(crate) mod planted;

use std::path::{Path, PathBuf};

use httpdx::report::Report;
use httpdx::{Options, diagnose_bytes};

/// The reference time fixtures are diagnosed against when a response has no Date:
/// 2026-11-25 18:30:00 UTC, the day the captures were made.
pub(crate) const REFERENCE_TIME: i64 = 1_795_631_400;

pub(crate) fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub(crate) fn diagnose_fixture(relative: &str) -> Report {
    let path = fixtures_dir().join(relative);
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read fixture {relative}: {e}"));
    diagnose_bytes(
        &bytes,
        &Options {
            format: None,
            reference_time: Some(REFERENCE_TIME),
        },
    )
    .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Every fixture file, as a path relative to the fixtures folder.
pub(crate) fn all_fixtures() -> Vec<String> {
    let mut out = Vec::new();
    for dir in std::fs::read_dir(fixtures_dir()).expect("fixtures folder") {
        let dir = dir.expect("entry").path();
        if !dir.is_dir() || dir.ends_with("capture") || dir.ends_with("snapshots") {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("fixture folder") {
            let file = file.expect("entry").path();
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "txt" | "har" | "json") {
                out.push(
                    file.strip_prefix(fixtures_dir())
                        .expect("inside")
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    out.sort();
    out
}
