//! Anything quoted from the input is a code segment: over every fixture's report, no text
//! or emphasis segment of a title, explanation, fix or summary holds a value taken from the
//! exchange it describes (a header value, the URL, its host or path, a transport error
//! message, a string in a JSON body, the reason phrase).
//!
//! Limits, so that the check is sound and never flaky: a value counts only when it is longer
//! than 8 characters (shorter ones, `gzip`, `Bearer`, `200`, are words httpdx may well write
//! itself) and holds a character other than letters and spaces (so that a JSON message which
//! is an English phrase, or a reason phrase, may match our own words without failing), and a
//! value that is one of httpdx's own words (the fixed wording of every rule, as declared) does
//! not count. A value quoted only in part (clipped, or one item of a list) is not looked for.

mod common;

use std::collections::BTreeSet;

use common::{all_fixtures, diagnose_fixture};
use httpdx::report::{ExchangeReport, Finding, Report, SegmentKind, Text};

fn json_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| json_strings(v, out)),
        _ => {}
    }
}

/// The values of one exchange that came from the input, as they were sent.
fn input_values(exchange: &ExchangeReport) -> BTreeSet<String> {
    let mut values = Vec::new();
    if let Some(request) = &exchange.request {
        values.extend(request.headers.iter().map(|h| h.value.clone()));
        values.push(request.url.clone());
        if let Some((_, rest)) = request.url.split_once("://") {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            values.push(host.to_owned());
            values.push(path.to_owned());
        }
    }
    if let Some(response) = &exchange.response {
        values.extend(response.headers.iter().map(|h| h.value.clone()));
        values.push(response.reason.clone());
        if let Some(body) = &response.body
            && let Ok(json) = serde_json::from_str::<serde_json::Value>(&body.text)
        {
            json_strings(&json, &mut values);
        }
    }
    if let Some(error) = &exchange.transport_error {
        values.push(error.message.clone());
    }
    values
        .into_iter()
        .map(|v| v.trim().to_owned())
        .filter(|v| v.chars().count() > 8)
        .filter(|v| v.chars().any(|c| !c.is_alphabetic() && c != ' '))
        .collect()
}

fn texts(finding: &Finding) -> Vec<&Text> {
    let mut out = vec![&finding.title, &finding.explanation];
    out.extend(finding.fix.caller.iter());
    out.extend(finding.fix.owner.iter());
    out
}

/// The fixed wording of every rule: titles, explanations and fixes as declared.
fn own_words() -> String {
    let mut out = String::new();
    for rule in httpdx::rules::RULES {
        let meta = rule.meta();
        for words in [meta.title, meta.explanation]
            .into_iter()
            .chain(meta.fix_caller)
            .chain(meta.fix_owner)
        {
            out.push_str(&Text::from(words).plain());
            out.push('\n');
        }
    }
    out
}

/// Where a value from the input sits in prose, in one report.
fn leaks(report: &Report) -> Vec<String> {
    let ours = own_words();
    let all: BTreeSet<String> = report.exchanges.iter().flat_map(input_values).collect();
    let mut out = Vec::new();
    let mut look = |values: &BTreeSet<String>, what: &str, text: &Text| {
        for segment in text.segments() {
            if segment.kind == SegmentKind::Code {
                continue;
            }
            for value in values {
                if segment.text.contains(value.as_str()) && !ours.contains(value.as_str()) {
                    out.push(format!("{what}: {value:?} in prose: {:?}", text.plain()));
                }
            }
        }
    };
    for finding in &report.findings {
        for text in texts(finding) {
            look(&all, finding.id, text);
        }
    }
    for exchange in &report.exchanges {
        let values = input_values(exchange);
        for finding in &exchange.findings {
            for text in texts(finding) {
                look(&values, finding.id, text);
            }
        }
        if let Some(summary) = &exchange.summary {
            look(&values, "summary", &summary.meaning);
            if let Some(cause) = &summary.likely_cause {
                look(&values, "summary", cause);
            }
        }
    }
    out
}

#[test]
fn values_from_the_input_are_code_in_every_fixture() {
    let mut found = Vec::new();
    for fixture in all_fixtures() {
        let Ok(report) = std::panic::catch_unwind(|| diagnose_fixture(&fixture)) else {
            continue;
        };
        found.extend(
            leaks(&report)
                .into_iter()
                .map(|l| format!("{fixture}: {l}")),
        );
    }
    found.sort();
    found.dedup();
    assert!(
        found.is_empty(),
        "{}\n{} leaks",
        found.join("\n"),
        found.len()
    );
}

/// The report of a fixture whose text is changed by `edit`: the capture as it was, with one
/// value replaced to carry what the test needs.
fn diagnose_edited(fixture: &str, edit: impl Fn(&str) -> String) -> Report {
    let text = std::fs::read_to_string(common::fixtures_dir().join(fixture)).unwrap_or_default();
    let edited = edit(&text);
    assert_ne!(edited, text, "{fixture}: the edit changed nothing");
    httpdx::diagnose(
        &edited,
        &httpdx::Options {
            format: None,
            reference_time: Some(common::REFERENCE_TIME),
        },
    )
    .unwrap_or_else(|e| panic!("{fixture}: {e}"))
}

fn finding<'a>(report: &'a Report, id: &str) -> &'a Finding {
    report
        .exchanges
        .iter()
        .flat_map(|e| e.findings.iter())
        .chain(report.findings.iter())
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no {id} finding"))
}

fn code_segments(text: &Text) -> Vec<&str> {
    text.segments()
        .filter(|s| s.kind == SegmentKind::Code)
        .map(|s| s.text)
        .collect()
}

#[test]
fn an_error_description_with_backticks_and_markup_is_one_code_segment_verbatim() {
    let sly = "Token `abc` is **expired** <b>now</b> _really_";
    let report = diagnose_edited("curl8/401-http1.txt", |text| {
        text.replace("The access token expired", sly)
    });
    let title = &finding(&report, "auth.token-rejected").title;
    assert_eq!(code_segments(title), [sly], "{title:?}");
    assert!(title.plain().ends_with(sly));
    // The Markdown share fences it as inline code, backticks and all, and escapes nothing in it.
    let markdown = httpdx::share::markdown_text(title);
    assert!(markdown.contains(&format!("``{sly}``")), "{markdown}");
}

#[test]
fn a_realm_a_host_and_a_path_are_code_in_the_titles_that_quote_them() {
    let report = diagnose_fixture("proxy/squid-http-407.txt");
    let title = &finding(&report, "proxy.auth-required").title;
    assert!(
        code_segments(title).contains(&"Corporate proxy"),
        "{title:?}"
    );
    assert!(leaks(&report).is_empty(), "{:?}", leaks(&report));

    let report = diagnose_fixture("java/refused.txt");
    let title = &finding(&report, "network.connection-refused").title;
    assert_eq!(
        code_segments(title),
        ["http://127.0.0.1:18199"],
        "{title:?}"
    );

    let report = diagnose_fixture("django/404-debug.txt");
    let title = &finding(&report, "url.route-not-found").title;
    assert_eq!(code_segments(title), ["/api/item/3"], "{title:?}");
}
