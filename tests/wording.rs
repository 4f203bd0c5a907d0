//! The sentences httpdx writes are proof-read: over every fixture's report, no title,
//! explanation, fix or summary has a doubled word ("failing at at") or parentheses inside
//! parentheses ("(Werkzeug (Flask))"). What is quoted from the input is a code segment, which
//! this check leaves alone: the input's own words are not ours to correct.

mod common;

use common::{all_fixtures, diagnose_fixture};
use httpdx::report::{SegmentKind, Text};

/// `text` without its code segments.
fn prose(text: &Text) -> String {
    text.segments()
        .map(|s| match s.kind {
            SegmentKind::Code => " … ",
            _ => s.text,
        })
        .collect()
}

fn problems(text: &Text) -> Vec<String> {
    let prose = prose(text);
    let mut out = Vec::new();
    let words: Vec<&str> = prose
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        let bare = |w: &str| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        };
        let (a, b) = (bare(pair[0]), bare(pair[1]));
        // A word and its copy, with nothing between them but a space ("at at").
        let touching = !pair[0].ends_with(|c: char| !c.is_alphanumeric());
        if !a.is_empty() && a == b && touching && !a.chars().all(|c| c.is_ascii_digit()) {
            out.push(format!("doubled word {:?}", pair.join(" ")));
        }
    }
    let mut depth = 0_i32;
    for c in prose.chars() {
        match c {
            '(' => {
                depth += 1;
                if depth > 1 {
                    out.push("parentheses inside parentheses".to_owned());
                    break;
                }
            }
            ')' => depth = (depth - 1).max(0),
            _ => {}
        }
    }
    out
}

#[test]
fn no_doubled_words_or_nested_parentheses_in_what_httpdx_writes() {
    let mut found = Vec::new();
    for fixture in all_fixtures()
        .into_iter()
        .filter(|f| !f.starts_with("bad/"))
    {
        let Ok(report) = std::panic::catch_unwind(|| diagnose_fixture(&fixture)) else {
            continue;
        };
        let findings = report
            .findings
            .iter()
            .chain(report.exchanges.iter().flat_map(|e| e.findings.iter()));
        let mut texts: Vec<Text> = Vec::new();
        for finding in findings {
            texts.push(finding.title.clone());
            texts.push(finding.explanation.clone());
            texts.extend(finding.fix.caller.clone());
            texts.extend(finding.fix.owner.clone());
        }
        for summary in report.exchanges.iter().filter_map(|e| e.summary.as_ref()) {
            texts.push(summary.meaning.clone());
        }
        for text in texts {
            for problem in problems(&text) {
                found.push(format!("{fixture}: {problem} in {:?}", text.plain()));
            }
        }
    }
    found.sort();
    found.dedup();
    assert!(found.is_empty(), "{}\n", found.join("\n"));
}

#[test]
fn the_check_catches_what_it_is_for() {
    let check = |text: &str| problems(&Text::from(text));
    assert_eq!(check("failing at at server.js:4").len(), 1);
    assert_eq!(
        check("The application server (Werkzeug (Flask)) answered").len(),
        1
    );
    assert!(check("quoted `at at` and `f(g(x))` are the input's").is_empty());
    let quoted = format!("the input says {}", httpdx::report::input("at at (a (b))"));
    assert!(check(&quoted).is_empty());
    assert!(check("Retry after 30 30 s").is_empty());
}

/// The private marks rules use to fence quoted input are read when a finding is made: none
/// reaches a report, in any field.
#[test]
fn no_private_marker_reaches_a_report() {
    for fixture in all_fixtures() {
        let Ok(report) = std::panic::catch_unwind(|| diagnose_fixture(&fixture)) else {
            continue;
        };
        let json = serde_json::to_string(&report).unwrap_or_default();
        assert!(
            !json.contains(['\u{E000}', '\u{E001}', '\u{E002}', '\u{E003}']),
            "{fixture}: a private marker in the report"
        );
    }
}
