//! A diagnosis in steps (what the page's worker runs, to show progress and give way to a
//! newer job) ends with the same report as one done at once, in a bounded number of steps
//! whose progress only moves forward.

mod common;

use common::{REFERENCE_TIME, all_fixtures, fixtures_dir};
use httpdx::rules::RULES;
use httpdx::{Diagnosis, Options, Phase, Progress};

fn options() -> Options {
    Options {
        format: None,
        reference_time: Some(REFERENCE_TIME),
    }
}

/// A diagnosis in steps of `text`: as `diagnose` does it, or with a first screen first
/// (a HAR's successful responses' bodies read after it, as the page's worker does).
fn diagnosis(text: &str, first_screen_first: bool) -> Diagnosis<'_> {
    if first_screen_first {
        Diagnosis::first_screen_first(text, &options())
    } else {
        Diagnosis::new(text, &options())
    }
}

/// Steps through `text`, checking progress as it goes; the report as JSON and the steps.
fn stepped(text: &str, first_screen_first: bool) -> (String, Vec<Progress>) {
    let mut diagnosis = diagnosis(text, first_screen_first);
    let mut steps: Vec<Progress> = Vec::new();
    while let Some(progress) = diagnosis.step() {
        assert!(progress.done <= progress.total, "{progress:?}");
        if let Some(last) = steps.last() {
            let forward = match (last.phase, progress.phase) {
                (Phase::Reading, Phase::Checking) => true,
                // (Unmoved only while the bodies left for after a first screen are read.)
                (Phase::Checking, Phase::Checking) if first_screen_first => {
                    progress.done >= last.done
                }
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
        let expected = at_once(&text);
        for first_screen_first in [false, true] {
            let (report, _) = stepped(&text, first_screen_first);
            assert_eq!(
                report, expected,
                "{fixture}, first screen first: {first_screen_first}"
            );
        }
    }
}

/// The real captures of the shared corpus (where it sits beside the project), read with
/// their bodies left for after the first screen, give the report they give at once: every
/// producer's way of writing a body (escapes, base64, binary, none) is read the same late.
#[test]
fn every_real_capture_read_first_screen_first_gives_the_report_it_gives_at_once() {
    let corpus = std::env::var_os("HTTPDX_WILD_HAR").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/wild-har"),
        std::path::PathBuf::from,
    );
    let Ok(files) = std::fs::read_dir(&corpus) else {
        return;
    };
    let mut read = 0;
    for path in files.filter_map(|f| Some(f.ok()?.path())) {
        let Ok(text) = httpdx::decode_input(&std::fs::read(&path).unwrap_or_default())
            .map(std::borrow::Cow::into_owned)
        else {
            continue;
        };
        let (report, _) = stepped(&text, true);
        assert_eq!(report, at_once(&text), "{}", path.display());
        read += 1;
    }
    assert!(read > 10, "{read} captures in {}", corpus.display());
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
    let expected = at_once(&text);
    for first_screen_first in [false, true] {
        large_har_steps(&text, first_screen_first, &expected);
    }
}

fn large_har_steps(text: &str, first_screen_first: bool, expected: &str) {
    let (report, steps) = stepped(text, first_screen_first);
    assert_eq!(report, expected);
    let reading = steps.iter().filter(|s| s.phase == Phase::Reading).count();
    let checking = steps.iter().filter(|s| s.phase == Phase::Checking).count();
    // Several steps per phase (progress to show, chances to give way), never more than 8
    // for reading and 16 for checking (checking: two more, as the steps that finish the first screen's failures and all the
    // failures end where they do, one for the step from reading to checking, and one for the
    // capture checks that run last; with the first screen first, up to 8 more, that read the
    // bodies, the last of which checks again the first screen's failures and on).
    assert!((4..=8).contains(&reading), "{reading} reading steps");
    let most = if first_screen_first { 28 } else { 20 };
    assert!((4..=most).contains(&checking), "{checking} checking steps");
    assert_eq!(
        steps.last().map(|s| (s.done, s.total)),
        Some((12_000, 12_000))
    );
}

/// With a first screen first, the bodies left for after it are read in steps too, as the
/// entries are (a newer job never waits for all of them), before everything is checked again.
#[test]
fn bodies_left_for_after_a_first_screen_are_read_in_steps() {
    let body = r#"{\"items\":[{\"id\":1,\"name\":\"a \\\"quoted\\\" name\"}]}"#.repeat(20);
    let text = har(4_000).replace(r#""text":"{}""#, &format!(r#""text":"{body}""#));
    assert!(text.len() > 4 << 20, "{} bytes", text.len());
    let (report, steps) = stepped(&text, true);
    assert_eq!(report, at_once(&text));
    // The steps after the first screen that moved no exchange forward: reading bodies.
    let unmoved = steps
        .windows(2)
        .filter(|w| w[0].phase == Phase::Checking && w[1].phase == Phase::Checking)
        .filter(|w| w[1].done == w[0].done)
        .count();
    assert!(
        (4..=8).contains(&unmoved),
        "{unmoved} steps reading bodies: {steps:?}"
    );
}

#[test]
fn a_failed_start_takes_no_step() {
    let mut diagnosis = Diagnosis::new("  \n ", &options());
    assert_eq!(diagnosis.step(), None);
    assert!(diagnosis.finish().is_err());
}

/// What a first screen holds of exchange `e`: where it is, whether it failed, its findings,
/// its request and response without their bodies.
fn first_screen_part(e: &httpdx::report::ExchangeReport) -> serde_json::Value {
    let mut e = e.clone();
    if let Some(r) = e.request.as_mut() {
        r.body = None;
    }
    if let Some(r) = e.response.as_mut() {
        r.body = None;
    }
    serde_json::json!([
        e.index, e.failed, e.findings, e.request, e.response, e.entry
    ])
}

#[test]
fn the_failures_are_checked_first_and_make_a_first_screen_the_report_agrees_with() {
    for first_screen_first in [false, true] {
        failures_first(first_screen_first);
    }
}

fn failures_first(first_screen_first: bool) {
    let text = har(3_000);
    let failures: Vec<usize> = (0..3_000).filter(|i| i % 10 == 3).collect();
    let mut diagnosis = diagnosis(&text, first_screen_first);
    let mut first: Option<(usize, Vec<serde_json::Value>)> = None;
    // Each step's newly checked exchanges, after the first screen.
    let mut since: Vec<Vec<usize>> = Vec::new();
    while let Some(progress) = diagnosis.step() {
        if let Some((done, _)) = &first {
            let from = since.iter().map(Vec::len).sum::<usize>() + done;
            since.push(
                diagnosis
                    .checked_since(from)
                    .iter()
                    .map(|e| e.index)
                    .collect(),
            );
        } else if let Some(screen) = diagnosis.first_screen() {
            assert_eq!(screen.exchanges.len(), 3_000);
            let checked = screen.checked.iter().map(first_screen_part).collect();
            let indexes: Vec<usize> = screen.checked.iter().map(|e| e.index).collect();
            // The first of the failures (one in ten, a 401), none of the rest, in
            // exchange order.
            assert_eq!(indexes, failures[..httpdx::FIRST_SCREEN_FAILURES]);
            assert!(screen.checked.iter().all(|e| e.failed));
            assert_eq!(diagnosis.checked(), progress.done);
            first = Some((progress.done, checked));
        }
    }
    let Some((done, checked)) = first else {
        panic!("no first screen before the end");
    };
    // The step that finished the first screen's failures ended there, and so did the one
    // that finished the other failures: the rest came after.
    assert_eq!(done, httpdx::FIRST_SCREEN_FAILURES);
    assert_eq!(since[0], failures[httpdx::FIRST_SCREEN_FAILURES..]);
    assert!(since[1..].iter().flatten().all(|i| i % 10 != 3));
    assert_eq!(since.iter().map(Vec::len).sum::<usize>() + done, 3_000);
    assert!(diagnosis.first_screen().is_none(), "nothing left to check");
    let report = diagnosis.finish().unwrap();
    let failed: Vec<serde_json::Value> = report
        .exchanges
        .iter()
        .filter(|e| failures[..httpdx::FIRST_SCREEN_FAILURES].contains(&e.index))
        .map(first_screen_part)
        .collect();
    assert_eq!(checked, failed);
    // Checked out of order, reported in order, as at once.
    assert_eq!(serde_json::to_string(&report).unwrap(), at_once(&text));
}

/// The check that reads every byte of the input (for credentials) runs once the exchanges
/// are checked: a large capture's first screen does not wait for it, and the report lists
/// its finding where a diagnosis in one pass would: by severity, then in the rules' order.
#[test]
fn a_first_screen_does_not_wait_for_the_scan_of_the_whole_input() {
    // Every request carries a bearer token: the input holds credentials.
    let text = har(3_000).replace(
        r#""headers":[],"queryString""#,
        r#""headers":[{"name":"Authorization","value":"Bearer abcdefghijklmnopqrstuvwx"}],"queryString""#,
    );
    let mut diagnosis = Diagnosis::new(&text, &options());
    let mut first_screen: Option<Vec<String>> = None;
    while diagnosis.step().is_some() {
        if first_screen.is_none()
            && let Some(screen) = diagnosis.first_screen()
        {
            first_screen = Some(screen.findings.iter().map(|f| f.id.to_string()).collect());
        }
    }
    let first_screen = first_screen.expect("a first screen before every exchange is checked");
    assert!(
        !first_screen.iter().any(|id| id == "input.secrets-present"),
        "{first_screen:?}"
    );
    let report = diagnosis.finish().expect("a report");
    let place = |id: &str| RULES.iter().position(|rule| rule.meta().id == id);
    let order: Vec<_> = report
        .findings
        .iter()
        .map(|f| (f.severity, place(f.id)))
        .collect();
    assert!(
        order
            .iter()
            .any(|(_, at)| *at == place("input.secrets-present"))
    );
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}
