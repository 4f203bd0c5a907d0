//! Share links: every fixture survives share → open with the same findings (or a note where
//! redaction removed the evidence), and no planted secret survives in any format.

mod common;

use common::planted::{self, Vault};
use common::{REFERENCE_TIME, all_fixtures, fixtures_dir};
use httpdx::Options;
use httpdx::share::{self, RedactOptions};

fn options() -> Options {
    Options {
        format: None,
        reference_time: Some(REFERENCE_TIME),
    }
}

#[test]
fn every_fixture_round_trips_with_the_same_findings() {
    let mut exact = 0;
    let fixtures: Vec<String> = all_fixtures()
        .into_iter()
        .filter(|f| !f.starts_with("bad/"))
        .collect();
    for fixture in &fixtures {
        // Read as the CLI reads: a gRPC capture's binary body is text with U+FFFD.
        let bytes = std::fs::read(fixtures_dir().join(fixture)).unwrap();
        let text = httpdx::decode_input(&bytes).unwrap().into_owned();
        let original = httpdx::diagnose(&text, &options()).unwrap();
        let link = share_whole(&text);
        let (shared, opened) = share::open(&link.url).unwrap();
        assert_eq!(
            shared.text, link.redacted.text,
            "{fixture}: the link carries the redacted input"
        );
        assert_eq!(shared.reference_time, Some(REFERENCE_TIME));
        let before = original.finding_ids();
        let after = opened.finding_ids();
        let note = opened
            .findings
            .iter()
            .find(|f| f.id == "share.evidence-redacted")
            .map(|f| f.title.clone())
            .unwrap_or_default();
        for id in &before {
            assert!(
                after.contains(id) || note.contains(id),
                "{fixture}: {id} vanished without a note (now: {after:?})"
            );
        }
        if note.is_empty() {
            exact += 1;
        }
    }
    // Redaction keeps byte lengths and JWT claims, so nearly every diagnosis comes back whole.
    assert!(
        exact * 10 >= fixtures.len() * 9,
        "only {exact} of {} fixtures reproduced exactly",
        fixtures.len()
    );
}

/// Redaction replaces secrets character for character and nothing else: the characters that
/// give the input its shape (line breaks, the `>`/`<` of a verbose capture, quotes,
/// brackets, spaces) stay where they were. Caught a wrapped-line view that read the `>` line
/// after a 240-character header as the token's last character and masked it.
#[test]
fn redaction_never_rewrites_the_shape_of_the_input() {
    // `=` separates `name=value`; base64 padding at a token's end is the token's own.
    let structural = |c: char, next: Option<&char>| {
        c.is_whitespace()
            || "<>\"'{}[]():,;".contains(c)
            || (c == '=' && next.is_some_and(|n| *n != '=' && !n.is_whitespace() && *n != '"'))
    };
    let mut compared = 0;
    let mut rewritten = Vec::new();
    for fixture in all_fixtures() {
        let text = std::fs::read_to_string(fixtures_dir().join(&fixture)).unwrap_or_default();
        let redacted = share::redact(&text, &RedactOptions::default()).text;
        let (before, after): (Vec<char>, Vec<char>) =
            (text.chars().collect(), redacted.chars().collect());
        if before.len() != after.len() {
            continue;
        }
        compared += 1;
        // A space inside a redacted value (a password "correct horse") is the value's own:
        // both its neighbours were replaced too.
        let inside_redacted = |at: usize| {
            before[at] == ' '
                && at > 0
                && before.get(at - 1) != after.get(at - 1)
                && before.get(at + 1) != after.get(at + 1)
        };
        if let Some((at, (b, a))) = (before.iter().zip(&after).enumerate()).find(|(at, (b, a))| {
            b != a && structural(**b, before.get(at + 1)) && !inside_redacted(*at)
        }) {
            rewritten.push(format!("{fixture}: character {at} {b:?} became {a:?}"));
        }
    }
    assert!(rewritten.is_empty(), "{}", rewritten.join("\n"));
    assert!(compared > 300, "only {compared} fixtures kept their length");
}

/// A link for the whole input with default redaction.
fn share_whole(text: &str) -> share::Link {
    share::share(
        text,
        &options(),
        "http://127.0.0.1:8080/",
        None,
        &RedactOptions::default(),
    )
    .unwrap()
}

/// Everything that leaves for `text`: the link, the input it opens, its report, the
/// Markdown and the redacted file.
fn everything_shared(text: &str) -> Vec<(&'static str, String)> {
    let report = httpdx::diagnose(text, &options()).unwrap();
    let draft = share::Draft::new(text, &report, None, &RedactOptions::default()).unwrap();
    let link = draft.link("http://127.0.0.1:8080/").unwrap();
    let markdown = draft.markdown().unwrap();
    let (shared, opened) = share::open(&link).unwrap();
    let file = share::redact_file(text, &RedactOptions::default()).unwrap();
    vec![
        ("link", link),
        ("opened input", shared.text),
        ("opened report", serde_json::to_string(&opened).unwrap()),
        ("markdown", markdown),
        ("redacted file", file.text),
    ]
}

fn leaks_of(vault: &Vault) -> Vec<String> {
    let planted = vault.planted();
    let detector = planted::Detector::new(&planted);
    let mut leaks = Vec::new();
    let mut planted_somewhere = std::collections::HashSet::new();
    for (format, text) in planted::inputs(vault) {
        let held: Vec<usize> = detector.find(&text).into_iter().map(|(i, _)| i).collect();
        planted_somewhere.extend(held.iter().map(|i| planted[*i].what));
        for (place, content) in everything_shared(&text) {
            for (index, window) in detector.find(&content) {
                if held.contains(&index) {
                    leaks.push(format!(
                        "{format}: {} ({window}) is in the {place}",
                        planted[index].what
                    ));
                }
            }
        }
    }
    for kind in planted::KINDS {
        assert!(
            planted_somewhere.contains(kind),
            "{kind} is planted in no format"
        );
    }
    leaks
}

#[test]
fn no_planted_secret_survives_in_any_format_or_encoding() {
    let vault = Vault::new("Kq3Zr8Vw1Lm5Np0Tx6Ys2Hb9Dc4Fg");
    let leaks = leaks_of(&vault);
    assert!(leaks.is_empty(), "\n{}", leaks.join("\n"));
}

#[test]
fn what_the_diagnosis_needs_survives_and_json_stays_json() {
    let vault = Vault::new("Kq3Zr8Vw1Lm5Np0Tx6Ys2Hb9Dc4Fg");
    for (format, text) in planted::inputs(&vault) {
        let redacted = share::redact_file(&text, &RedactOptions::default()).unwrap();
        assert_eq!(
            redacted.text.len(),
            text.len(),
            "{format}: lengths are kept"
        );
        // A JWT keeps its claims, a key its prefix; settings and error codes stay.
        for kept in [
            "eyJzdWIiOiJhbGljZSIsImV4cCI6MTc5NTU5ODYyNX0",
            "theme=dark",
            "consent=true",
            "INVALID_ARGUMENT",
            "\"email\"",
            "X-Vault-Token: hvs.",
        ] {
            if text.contains(kept) {
                assert!(
                    redacted.text.contains(kept),
                    "{format}: {kept} was redacted"
                );
            }
        }
        if serde_json::from_str::<serde_json::Value>(&text).is_ok() {
            assert!(
                serde_json::from_str::<serde_json::Value>(&redacted.text).is_ok(),
                "{format}: the redacted JSON no longer parses"
            );
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 16, ..proptest::prelude::ProptestConfig::default() })]

    /// Generated secrets of every kind, in every format: none survives anywhere.
    #[test]
    fn generated_secrets_never_survive(material in "[A-Za-z0-9]{24,40}") {
        let vault = Vault::new(&material);
        let leaks = leaks_of(&vault);
        proptest::prop_assert!(leaks.is_empty(), "\n{}", leaks.join("\n"));
    }
}

#[test]
fn claims_can_be_redacted_too_and_the_finding_then_says_so() {
    let text = std::fs::read_to_string(fixtures_dir().join("fastapi/401-expired-jwt.txt")).unwrap();
    let redact = RedactOptions {
        redact_claims: true,
        ..RedactOptions::default()
    };
    let link = share::share(&text, &options(), "http://127.0.0.1:8080/", None, &redact).unwrap();
    let (_, opened) = share::open(&link.url).unwrap();
    let ids = opened.finding_ids();
    assert!(!ids.contains(&"auth.token-expired"));
    let note = opened
        .findings
        .iter()
        .find(|f| f.id == "share.evidence-redacted")
        .expect("a note");
    assert!(note.title.contains("auth.token-expired"));
}

#[test]
fn a_har_link_carries_only_the_chosen_exchanges() {
    let text = std::fs::read_to_string(fixtures_dir().join("chromium/mixed-page.har")).unwrap();
    let report = httpdx::diagnose(&text, &options()).unwrap();
    let failed: Vec<usize> = report
        .exchanges
        .iter()
        .filter(|e| e.failed)
        .map(|e| e.index)
        .collect();
    let link = share::share(
        &text,
        &options(),
        "http://x/",
        Some(&failed[..1]),
        &RedactOptions::default(),
    )
    .unwrap();
    let (_, opened) = share::open(&link.url).unwrap();
    assert_eq!(opened.exchanges.len(), 1);
    assert_eq!(
        opened.exchanges[0].response.as_ref().unwrap().status,
        report.exchanges[failed[0]]
            .response
            .as_ref()
            .unwrap()
            .status
    );
    assert!(
        link.url.len() < text.len() / 2,
        "a one-exchange link is {} characters",
        link.url.len()
    );
}

/// A crafted link names finding IDs the sharer "saw": only IDs httpdx has count, so no text
/// of the link's own reaches a finding's title (the audit's L2).
#[test]
fn a_crafted_link_cannot_write_its_own_words_into_a_title() {
    let crafted = share::Shared {
        text: "HTTP/1.1 200 OK\ncontent-type: text/plain\n\nfine\n".into(),
        format: None,
        reference_time: Some(REFERENCE_TIME),
        finding_ids: vec![
            "Your account is locked: call +1 555 0100".into(),
            "auth.token-expired".into(),
        ],
        entries: None,
        left_out_ids: Vec::new(),
    };
    let link = share::encode_link("http://127.0.0.1:8080/", &crafted);
    let (_, report) = share::open(&link).unwrap();
    let titles: Vec<String> = report.findings.iter().map(|f| f.title.plain()).collect();
    assert!(titles.iter().all(|t| !t.contains("call +1")), "{titles:?}");
    assert!(
        titles.iter().any(|t| t.contains("auth.token-expired")),
        "a real ID the sharer saw is still explained: {titles:?}"
    );
}

/// The page reads the worker's share preview from JSON: it must read back unchanged.
#[test]
fn a_preview_reads_back_from_json_unchanged() {
    for (fixture, has_secrets) in [
        ("fastapi/401-expired-jwt.txt", true),
        ("chromium/mixed-page.har", false),
    ] {
        let bytes = std::fs::read(fixtures_dir().join(fixture)).unwrap();
        let text = httpdx::decode_input(&bytes).unwrap().into_owned();
        let report = httpdx::diagnose(&text, &options()).unwrap();
        let options = RedactOptions {
            extra: vec!["nowhere at all".into()],
            ..RedactOptions::default()
        };
        let preview =
            share::preview(&text, &report, None, &options, "https://example.test/").unwrap();
        assert_eq!(!preview.redactions.is_empty(), has_secrets, "{fixture}");
        assert_eq!(preview.not_found, ["nowhere at all"], "{fixture}");
        let json = serde_json::to_string(&preview).unwrap();
        let back: share::Preview = serde_json::from_str(&json).unwrap();
        assert_eq!(back, preview, "{fixture}");
    }
}
