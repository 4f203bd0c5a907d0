#![allow(clippy::expect_used)] // test set-up: an unreadable fixture should stop the test
//! HAR triage as the index gives it to the page: failures grouped by cause, redirect
//! chains in request order, and the timeline (each row's start and duration, the phases of
//! an exchange), on real captures.

mod common;

use std::fmt::Write;
use std::path::PathBuf;

use common::{REFERENCE_TIME, diagnose_fixture};
use httpdx::index::Index;
use httpdx::{Options, diagnose_bytes};

/// Real HAR captures (Chromium, on loopback) with failures that repeat, redirects followed,
/// and none failed at all.
const HARS: &[&str] = &[
    "chromium/rate-limit-burst.har",
    "chromium/mixed-page.har",
    "chromium/cors-blocked.har",
    "redirect/chromium-redirects.har",
    "browser/token-refresh-failed.har",
    "browser/healthy-session.har",
    "cascade/dependency-down.har",
    "cascade/preflight-rejected.har",
];

/// What the page is given to draw the triage: groups, chains, the timeline.
fn triage(index: &Index) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} exchanges, {} failed, span {:?} ms",
        index.counts.total, index.counts.failed, index.span_ms
    );
    for group in &index.groups {
        let _ = writeln!(
            out,
            "group {} × {} — {} [{}] rows {:?}",
            group.count, group.title, group.cause, group.finding, group.rows
        );
    }
    for chain in &index.chains {
        let hops: Vec<String> = chain
            .hops
            .iter()
            .map(|h| format!("#{} {:?} {}", h.row, h.status, h.url))
            .collect();
        let _ = writeln!(out, "chain {}", hops.join(" → "));
    }
    for row in &index.rows {
        let _ = writeln!(
            out,
            "row #{} start {:?} ms {:?} failed {} chain {:?}",
            row.index, row.start_ms, row.ms, row.failed, row.chain
        );
    }
    out
}

#[test]
fn har_triage_of_real_captures() {
    for har in HARS {
        let report = diagnose_fixture(har);
        let index = Index::of(&report, 1, 0, None);
        insta::assert_snapshot!(
            format!("triage__{}", har.replace('/', "__")),
            triage(&index)
        );
    }
}

/// The phases of one exchange, as the details of a chosen exchange carry them.
#[test]
fn phases_of_a_chromium_entry_are_read() {
    let report = diagnose_fixture("chromium/rate-limit-burst.har");
    // The third request opened a TLS connection: every phase is there.
    let timings = report.exchanges[2].timings.as_ref().expect("timings");
    let phases = timings.phases.expect("phases");
    let named: Vec<(&str, f64)> = phases.named().collect();
    insta::assert_debug_snapshot!(named);
    // A phase the producer marks -1 (no DNS on a reused connection) is left out, not zero.
    let reused = report.exchanges[0].timings.as_ref().expect("timings");
    assert!(reused.phases.expect("phases").dns.is_none());
}

/// Every failure is in exactly one group, groups are largest first, chains run forwards and
/// every row sits inside the timeline: on every HAR fixture, and on the shared corpus of
/// HARs from other producers when it is beside the project (read there, never copied).
#[test]
fn triage_holds_together_on_every_har() {
    let mut files: Vec<PathBuf> = common::all_fixtures()
        .into_iter()
        .map(|f| common::fixtures_dir().join(f))
        .filter(|f| f.extension().is_some_and(|e| e.eq_ignore_ascii_case("har")))
        .collect();
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wild-har");
    if let Ok(dir) = std::fs::read_dir(&corpus) {
        files.extend(dir.filter_map(|e| e.ok().map(|e| e.path())));
    }
    for path in files {
        let bytes = std::fs::read(&path).expect("readable");
        let options = Options {
            format: None,
            reference_time: Some(REFERENCE_TIME),
        };
        let Ok(report) = diagnose_bytes(&bytes, &options) else {
            continue;
        };
        let index = Index::of(&report, 1, bytes.len(), None);
        let name = path.display();
        let mut grouped: Vec<usize> = index.groups.iter().flat_map(|g| g.rows.clone()).collect();
        grouped.sort_unstable();
        let failed: Vec<usize> = index
            .rows
            .iter()
            .filter(|r| r.failed)
            .map(|r| r.index)
            .collect();
        assert_eq!(grouped, failed, "{name}: every failure in one group");
        assert!(
            index.groups.windows(2).all(|w| w[0].count >= w[1].count),
            "{name}"
        );
        for group in &index.groups {
            assert_eq!(group.count, group.rows.len(), "{name}");
            assert!(
                !group.key.contains("Bearer"),
                "{name}: no credential in a key"
            );
        }
        for chain in &index.chains {
            assert!(chain.hops.len() > 1, "{name}");
            assert!(chain.hops.windows(2).all(|w| w[0].row < w[1].row), "{name}");
            assert!(
                chain.hops[..chain.hops.len() - 1]
                    .iter()
                    .all(|h| matches!(h.status, Some(301 | 302 | 303 | 307 | 308))),
                "{name}"
            );
        }
        for row in &index.rows {
            if let (Some(start), Some(span)) = (row.start_ms, index.span_ms) {
                assert!(
                    start >= 0.0 && start + row.ms.unwrap_or(0.0) <= span + 0.001,
                    "{name}"
                );
            }
        }
    }
}

/// Identical failures make one group whose key holds a hash, never the token itself.
#[test]
fn a_repeated_token_is_one_group_keyed_by_a_hash() {
    let report = diagnose_fixture("browser/token-refresh-failed.har");
    let index = Index::of(&report, 1, 0, None);
    let token_group = index
        .groups
        .iter()
        .find(|g| g.cause.plain() == "same token")
        .expect("a group by token");
    assert_eq!(token_group.count, 3);
    let json = serde_json::to_string(&index.groups).expect("serializes");
    assert!(!json.contains("eyJ"), "{json}");
}
