//! The sentences httpdx writes are proof-read: over every fixture's report, no title,
//! explanation, fix or summary has a doubled word ("failing at at") or parentheses inside
//! parentheses ("(Werkzeug (Flask))"). What is quoted from the input goes in a code span
//! (`…`), which this check leaves alone: the input's own words are not ours to correct.

mod common;

use common::{all_fixtures, diagnose_fixture};

/// `text` without its code spans.
fn prose(text: &str) -> String {
    text.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" … ")
}

fn problems(text: &str) -> Vec<String> {
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
        let mut texts: Vec<String> = Vec::new();
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
                found.push(format!("{fixture}: {problem} in {text:?}"));
            }
        }
    }
    found.sort();
    found.dedup();
    assert!(found.is_empty(), "{}\n", found.join("\n"));
}

#[test]
fn the_check_catches_what_it_is_for() {
    assert_eq!(problems("failing at at server.js:4").len(), 1);
    assert_eq!(
        problems("The application server (Werkzeug (Flask)) answered").len(),
        1
    );
    assert!(problems("quoted `at at` and `f(g(x))` are the input's").is_empty());
    assert!(problems("Retry after 30 30 s").is_empty());
}
