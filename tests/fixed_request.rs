//! The fixed request of each kind of mechanical fix, from real captures: the changes, the
//! variables to set, and the `curl` and `fetch` text with the changed parts in ⟦ ⟧.

mod common;

use common::{all_fixtures, diagnose_fixture};
use httpdx::fix::{FixedRequest, Segment};
use httpdx::report::ExchangeReport;

/// Segments with the changed ones in ⟦ ⟧, as a reviewer reads them.
fn marked(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| {
            if s.changed {
                format!("⟦{}⟧", s.text)
            } else {
                s.text.clone()
            }
        })
        .collect()
}

fn shown(fixed: &FixedRequest) -> String {
    let mut out = String::new();
    for change in &fixed.changes {
        out.push_str(&format!("change ({}): {}\n", change.finding, change.what));
    }
    for placeholder in &fixed.placeholders {
        out.push_str(&format!(
            "variable: {} = {}\n",
            placeholder.name, placeholder.what
        ));
    }
    out.push_str(&format!(
        "\n{}\n\n{}\n",
        marked(&fixed.curl),
        marked(&fixed.fetch)
    ));
    out
}

/// The exchange of `fixture` whose fixed request carries `finding`'s change.
fn fixed_by(fixture: &str, finding: &str) -> (ExchangeReport, FixedRequest) {
    let mut report = diagnose_fixture(fixture);
    std::mem::take(&mut report.exchanges)
        .into_iter()
        .find_map(|e| {
            let fixed = e.fixed_request.clone()?;
            fixed
                .changes
                .iter()
                .any(|c| c.finding == finding)
                .then_some((e, fixed))
        })
        .unwrap_or_else(|| panic!("{fixture}: no fixed request for {finding}"))
}

/// One kind of mechanical fix per line: the finding and a real capture it fires on.
const KINDS: &[(&str, &str)] = &[
    ("auth.scheme-missing", "curl/bare-token.txt"),
    ("auth.scheme-mismatch", "fastapi/401-token-scheme.txt"),
    (
        "body.content-type-mismatch",
        "curl/json-without-content-type.txt",
    ),
    (
        "request.media-type-unsupported",
        "limits/flask-415-json-as-text-json.txt",
    ),
    ("body.json-syntax", "fastapi/422-malformed-json.txt"),
    ("body.json-syntax", "express/400-bad-json.txt"),
    ("body.json-syntax", "flask/400-bad-json.txt"),
    ("method.not-allowed", "flask/405.txt"),
    ("method.changed-by-redirect", "curl/post-redirect-get.txt"),
    ("redirect.not-followed", "redirect/moved-not-followed.txt"),
    ("url.trailing-slash", "fastapi/307-slash-redirect.txt"),
    ("url.version-mismatch", "chromium/mixed-page.har"),
    ("ratelimit.retry-after", "express/429-rate-limit.txt"),
    (
        "request.not-acceptable",
        "limits/express-406-not-acceptable.txt",
    ),
    (
        "request.not-acceptable",
        "limits/drf-406-not-acceptable.txt",
    ),
];

#[test]
fn each_kind_of_mechanical_fix_has_its_fixed_request() {
    for (finding, fixture) in KINDS {
        let (_, fixed) = fixed_by(fixture, finding);
        assert!(
            fixed.curl.iter().any(|s| s.changed) && fixed.fetch.iter().any(|s| s.changed)
                // A slash removed at the end of the URL leaves nothing to mark.
                || *finding == "url.trailing-slash",
            "{fixture}: nothing marked"
        );
        let name = format!("{finding}@{}", fixture.replace('/', "_"));
        insta::assert_snapshot!(name, shown(&fixed));
    }
}

#[test]
fn no_fixed_request_without_a_mechanical_fix() {
    for fixture in [
        // Succeeded.
        "curl/head-200.txt",
        // A 405 whose Allow names only GET for a PUT with a body: not a method to switch to.
        "fastapi/405.txt",
        // An expired token: a new one is needed, no edit makes it.
        "fastapi/401-expired-jwt.txt",
        // A form body the server wants as JSON: a new body, not a new label.
        "limits/drf-415-unsupported-media-type.txt",
    ] {
        let report = diagnose_fixture(fixture);
        for e in &report.exchanges {
            assert_eq!(e.fixed_request, None, "{fixture} #{}", e.index);
        }
    }
}

/// Every fixed request of every fixture: its credentials are variables, it is written from
/// the request's own URL, and its curl text is what its segments say.
#[test]
fn fixed_requests_never_carry_a_credential_of_the_input() {
    let mut seen = 0;
    for fixture in all_fixtures() {
        let report = diagnose_fixture(&fixture);
        for e in &report.exchanges {
            let Some(fixed) = &e.fixed_request else {
                continue;
            };
            seen += 1;
            let request = e.request.as_ref().expect("a fixed request has a request");
            let credentials = request.headers.iter().filter(|h| {
                let name = h.name.to_ascii_lowercase();
                name == "authorization" || name == "cookie" || name.contains("api-key")
            });
            for header in credentials {
                let secret = header
                    .value
                    .split_once(' ')
                    .map_or(header.value.as_str(), |(_, v)| v)
                    .trim();
                if secret.len() < 8 {
                    continue;
                }
                for text in [fixed.curl_text(), fixed.fetch_text()] {
                    assert!(!text.contains(secret), "{fixture}: {secret} in {text}");
                }
            }
        }
    }
    assert!(seen >= 12, "only {seen} fixed requests in the fixtures");
}
