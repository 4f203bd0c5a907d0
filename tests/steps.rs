//! A diagnosis in steps (what the page's worker runs, to show progress and give way to a
//! newer job) ends with the same report as one done at once, in a bounded number of steps
//! whose progress only moves forward.

mod common;

use common::{REFERENCE_TIME, all_fixtures, fixtures_dir};
use httpdx::{Diagnosis, Options, Phase, Progress};

fn options() -> Options {
    Options {
        format: None,
        reference_time: Some(REFERENCE_TIME),
    }
}

/// Steps through `text`, checking progress as it goes; the report as JSON and the steps.
fn stepped(text: &str) -> (String, Vec<Progress>) {
    let mut diagnosis = Diagnosis::new(text, &options());
    let mut steps: Vec<Progress> = Vec::new();
    while let Some(progress) = diagnosis.step() {
        assert!(progress.done <= progress.total, "{progress:?}");
        if let Some(last) = steps.last() {
            let forward = match (last.phase, progress.phase) {
                (Phase::Reading, Phase::Checking) => true,
                (a, b) if a == b => progress.done > last.done || progress.done == progress.total,
                _ => false,
            };
            assert!(forward, "{last:?} then {progress:?}");
        }
        steps.push(progress);
        assert!(steps.len() < 64, "too many steps");
    }
    let report = diagnosis.finish().map_or_else(
        |e| format!("error: {e}"),
        |r| serde_json::to_string(&r).unwrap(),
    );
    (report, steps)
}

fn at_once(text: &str) -> String {
    httpdx::diagnose(text, &options()).map_or_else(
        |e| format!("error: {e}"),
        |r| serde_json::to_string(&r).unwrap(),
    )
}

#[test]
fn every_fixture_stepped_gives_the_report_it_gives_at_once() {
    for fixture in all_fixtures() {
        let Ok(text) = std::fs::read_to_string(fixtures_dir().join(&fixture)) else {
            continue;
        };
        let (report, _) = stepped(&text);
        assert_eq!(report, at_once(&text), "{fixture}");
    }
}

/// A HAR of `n` entries: one in ten a 401.
fn har(n: usize) -> String {
    let entries: Vec<String> = (0..n)
        .map(|i| {
            let status = if i % 10 == 3 { 401 } else { 200 };
            format!(
                r#"{{"startedDateTime":"2026-11-25T10:00:00.000Z","time":12,"request":{{"method":"GET","url":"https://api.example.test/items/{i}","httpVersion":"HTTP/1.1","headers":[],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0}},"response":{{"status":{status},"statusText":"","httpVersion":"HTTP/1.1","headers":[{{"name":"Content-Type","value":"application/json"}}],"cookies":[],"content":{{"size":2,"mimeType":"application/json","text":"{{}}"}},"redirectURL":"","headersSize":-1,"bodySize":2}},"cache":{{}},"timings":{{"send":0,"wait":10,"receive":2}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"log":{{"version":"1.2","creator":{{"name":"test","version":"1"}},"entries":[{}]}}}}"#,
        entries.join(",")
    )
}

#[test]
fn a_large_har_is_read_then_checked_in_a_bounded_number_of_steps() {
    let text = har(12_000);
    let (report, steps) = stepped(&text);
    assert_eq!(report, at_once(&text));
    let reading = steps.iter().filter(|s| s.phase == Phase::Reading).count();
    let checking = steps.iter().filter(|s| s.phase == Phase::Checking).count();
    // Several steps per phase (progress to show, chances to give way), never more than 16.
    assert!((4..=16).contains(&reading), "{reading} reading steps");
    assert!((4..=17).contains(&checking), "{checking} checking steps");
    assert_eq!(
        steps.last().map(|s| (s.done, s.total)),
        Some((12_000, 12_000))
    );
}

#[test]
fn a_failed_start_takes_no_step() {
    let mut diagnosis = Diagnosis::new("  \n ", &options());
    assert_eq!(diagnosis.step(), None);
    assert!(diagnosis.finish().is_err());
}
