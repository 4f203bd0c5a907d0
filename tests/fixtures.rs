//! Fixture in, report out: every real capture under tests/fixtures has a snapshot of its
//! diagnosis (tests/snapshots), and every rule fires on the fixtures it names.

mod common;

use common::{all_fixtures, diagnose_fixture};
use httpdx::report::{Finding, Report};
use httpdx::rules::RULES;
use serde::Serialize;

/// What a reviewer reads in a snapshot: the diagnosis, without the echoed input.
#[derive(Serialize)]
struct View<'a> {
    format: &'static str,
    detected_by: &'a httpdx::report::Text,
    findings: &'a [Finding],
    exchanges: Vec<ExchangeView<'a>>,
}

#[derive(Serialize)]
struct ExchangeView<'a> {
    index: usize,
    request: Option<String>,
    status: Option<u16>,
    transport_error: Option<&'a str>,
    failed: bool,
    summary: Option<&'a httpdx::report::Summary>,
    findings: &'a [Finding],
}

fn view(report: &Report) -> View<'_> {
    View {
        format: report.format.name(),
        detected_by: &report.detected_by,
        findings: &report.findings,
        exchanges: report
            .exchanges
            .iter()
            .map(|e| ExchangeView {
                index: e.index,
                request: e
                    .request
                    .as_ref()
                    .map(|r| format!("{} {}", r.method.as_deref().unwrap_or("?"), r.url)),
                status: e.response.as_ref().map(|r| r.status),
                transport_error: e.transport_error.as_ref().map(|t| t.code.as_str()),
                failed: e.failed,
                summary: e.summary.as_ref(),
                findings: &e.findings,
            })
            .collect(),
    }
}

#[test]
fn every_fixture_matches_its_snapshot() {
    let fixtures = all_fixtures();
    assert!(
        fixtures.len() > 60,
        "expected the captured fixtures, found {}",
        fixtures.len()
    );
    for fixture in fixtures {
        let report = diagnose_fixture(&fixture);
        let name = fixture.replace('/', "__");
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, input_file => &fixture }, {
            insta::assert_json_snapshot!(name, view(&report));
        });
    }
}

#[test]
fn every_rule_fires_on_the_fixtures_it_names() {
    let mut failures = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        assert!(!meta.fixtures.is_empty(), "{} names no fixture", meta.id);
        for fixture in meta.fixtures {
            assert!(
                common::fixtures_dir().join(fixture).is_file(),
                "{}: fixture {fixture} does not exist",
                meta.id
            );
            // `share.*` findings are made when a link is opened: share the fixture's first
            // failed exchange with JWT claims hidden, then open the link.
            let ids = if meta.id.starts_with("share.") {
                shared_and_opened(fixture).finding_ids()
            } else {
                diagnose_fixture(fixture).finding_ids()
            };
            if !ids.contains(&meta.id) {
                failures.push(format!(
                    "{} did not fire on {fixture} (fired: {})",
                    meta.id,
                    ids.join(", ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn shared_and_opened(fixture: &str) -> Report {
    let text = std::fs::read_to_string(common::fixtures_dir().join(fixture)).unwrap();
    let options = httpdx::Options {
        format: None,
        reference_time: Some(common::REFERENCE_TIME),
    };
    let redact = httpdx::share::RedactOptions {
        redact_claims: true,
        ..Default::default()
    };
    // Only the first failed exchange travels, with the JWT's claims hidden too.
    let report = httpdx::diagnose(&text, &options).unwrap_or_else(|e| panic!("{fixture}: {e}"));
    let first_failed = report.exchanges.iter().position(|e| e.failed).unwrap_or(0);
    let link = httpdx::share::share(
        &text,
        &options,
        "http://127.0.0.1:8080/",
        Some(&[first_failed]),
        &redact,
    )
    .unwrap_or_else(|e| panic!("{fixture}: {e}"));
    httpdx::share::open(&link.url)
        .unwrap_or_else(|e| panic!("{fixture}: {e}"))
        .1
}

/// The catalogue (the product's contract, `findings.md` of the spec) plus the IDs added
/// since (documented in docs/findings.md). The registry and this list hold the same IDs:
/// a rule cannot be added or dropped without this list saying so.
const CATALOGUE: &[&str] = &[
    "input.unrecognized",
    "input.truncated",
    "input.secrets-present",
    "input.skipped-part",
    "network.fetch-failed",
    "share.evidence-redacted",
    "share.entries-left-out",
    "body.json-syntax",
    "body.invisible-character",
    "body.content-type-mismatch",
    "validation.field-errors",
    "auth.header-missing",
    "auth.scheme-missing",
    "auth.malformed-header",
    "auth.scheme-mismatch",
    "auth.token-expired",
    "auth.token-not-yet-valid",
    "auth.token-rejected",
    "auth.environment-mismatch",
    "auth.insufficient-scope",
    "access.permission-denied",
    "access.waf-blocked",
    "access.ip-restricted",
    "access.csrf-failed",
    "cors.missing-allow-origin",
    "cors.origin-mismatch",
    "cors.credentials-wildcard",
    "cors.preflight-rejected",
    "cors.header-not-allowed",
    "cors.method-not-allowed",
    "cors.blocked",
    "url.route-not-found",
    "url.resource-not-found",
    "url.trailing-slash",
    "url.version-mismatch",
    "url.suspicious-path",
    "method.not-allowed",
    "method.allow-missing",
    "method.changed-by-redirect",
    "body.problem-details",
    "ratelimit.retry-after",
    "ratelimit.quota",
    "ratelimit.burst",
    "ratelimit.no-hint",
    "server.stack-trace-exposed",
    "server.unhandled-exception",
    "server.database-error",
    "gateway.responder-identified",
    "gateway.upstream-unreachable",
    "gateway.upstream-timeout",
    "gateway.upstream-bad-response",
    "service.maintenance",
    "service.overloaded",
    "service.dependency-down",
    "response.html-instead-of-json",
    "response.request-id",
    "network.dns-failure",
    "network.connection-refused",
    "network.timeout",
    "network.connection-reset",
    "tls.certificate-problem",
    "network.blocked-by-client",
    // Beyond the field guide (the second catalogue).
    "oauth.invalid-grant",
    "oauth.invalid-client",
    "oauth.redirect-uri-mismatch",
    "oauth.invalid-scope",
    "oauth.grant-not-allowed",
    "oauth.token-request-malformed",
    "auth.redirected-to-login",
    "auth.credentials-dropped-by-redirect",
    "cookie.rejected",
    "redirect.loop",
    "redirect.not-followed",
    "request.too-large",
    "request.headers-too-large",
    "request.uri-too-long",
    "request.media-type-unsupported",
    "request.not-acceptable",
    "request.precondition-failed",
    "request.conflict",
    "url.gone-or-deprecated",
    "proxy.auth-required",
    // Beyond the field guide (second catalogue).
    "graphql.errors",
    "graphql.query-invalid",
    "grpc.status",
    "gateway.timeout-limit",
    "client.closed-request",
    "gateway.cdn-origin-error",
    "network.protocol-error",
    "network.proxy-failure",
    "browser.mixed-content",
    "browser.csp-blocked",
    "browser.private-network-blocked",
    "capture.failure-cascade",
    "capture.sanitized",
];

#[test]
fn every_catalogue_id_is_implemented_and_ids_are_well_formed() {
    let ids: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
    for id in CATALOGUE {
        assert!(ids.contains(id), "catalogue ID {id} has no rule");
    }
    for id in &ids {
        assert!(
            CATALOGUE.contains(id),
            "{id} is in the registry but not in the catalogue list"
        );
    }
    for rule in RULES {
        let meta = rule.meta();
        let (area, name) = meta.id.split_once('.').expect("area.name");
        let expected = format!("src/rules/{area}/{}.rs", name.replace('-', "_"));
        assert_eq!(
            meta.source, expected,
            "{} is declared in {}, not in the file named after it",
            meta.id, meta.source
        );
        assert!(
            !meta.doc.trim().is_empty() && !meta.explanation.trim().is_empty(),
            "{} has no documentation or explanation",
            meta.id
        );
        assert!(
            meta.fix_caller.is_some() || meta.fix_owner.is_some(),
            "{} declares no fix",
            meta.id
        );
    }
    for id in &ids {
        let (area, name) = id.split_once('.').expect("area.name");
        let kebab = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        assert!(
            kebab(area) && kebab(name),
            "{id} is not of the form area.kebab-name"
        );
        assert_eq!(
            ids.iter().filter(|other| *other == id).count(),
            1,
            "{id} is declared twice"
        );
    }
}

#[test]
fn successful_har_entries_are_listed_not_diagnosed() {
    for fixture in all_fixtures().iter().filter(|f| {
        f.starts_with("chromium/")
            && std::path::Path::new(f)
                .extension()
                .is_some_and(|e| e == "har")
    }) {
        let report = diagnose_fixture(fixture);
        for exchange in &report.exchanges {
            let ok = exchange
                .response
                .as_ref()
                .is_some_and(|r| (200..400).contains(&r.status))
                && exchange.transport_error.is_none();
            if ok {
                let ids: Vec<&str> = exchange.findings.iter().map(|f| f.id).collect();
                assert!(
                    ids.is_empty(),
                    "{fixture} exchange {} ({}) got findings {ids:?}",
                    exchange.index,
                    exchange.request.as_ref().map_or("", |r| r.url.as_str())
                );
                assert!(!exchange.failed);
            }
        }
    }
}

#[test]
fn every_finding_quotes_evidence() {
    for fixture in all_fixtures() {
        let report = diagnose_fixture(&fixture);
        let all = report
            .findings
            .iter()
            .chain(report.exchanges.iter().flat_map(|e| e.findings.iter()));
        for finding in all {
            assert!(
                !finding.evidence().is_empty(),
                "{fixture}: {} has no evidence",
                finding.id
            );
            for evidence in finding.evidence() {
                assert!(
                    !evidence.quote.is_empty() || evidence.location == "request headers",
                    "{fixture}: {} quotes nothing",
                    finding.id
                );
            }
        }
    }
}

#[test]
fn findings_doc_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/findings.md");
    let generated = httpdx::findings_doc();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).expect("write docs/findings.md");
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/findings.md is out of date: run `UPDATE_DOCS=1 cargo test --test fixtures findings_doc`"
    );
}

/// The page's worker sends reports as JSON; what it reads back must be the same report.
#[test]
fn reports_read_back_from_json_unchanged() {
    for fixture in [
        "chromium/mixed-page.har",
        "fastapi/401-expired-jwt.txt",
        "console/chromium-cors.txt",
        "nginx/502-dead-upstream.txt",
    ] {
        let report = diagnose_fixture(fixture);
        let json = serde_json::to_string(&report).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), json, "{fixture}");
        assert_eq!(back.finding_ids(), report.finding_ids());
    }
}

/// The page reads the index and each exchange's details from JSON: what it reads must be what
/// was sent (compared as JSON: spans the model keeps for the engine do not travel).
#[test]
fn indexes_and_details_read_back_from_json_unchanged() {
    use httpdx::index::{Details, Index};
    fn read_back<T: Serialize + serde::de::DeserializeOwned>(value: &T) -> (String, String) {
        let json = serde_json::to_string(value).unwrap();
        let back: T = serde_json::from_str(&json).unwrap();
        (serde_json::to_string(&back).unwrap(), json)
    }
    for fixture in [
        "chromium/mixed-page.har",
        "fastapi/401-expired-jwt.txt",
        "console/chromium-cors.txt",
        "nginx/502-dead-upstream.txt",
        // A fixed request with its changed segments and a placeholder.
        "curl/bare-token.txt",
    ] {
        let bytes = std::fs::read(common::fixtures_dir().join(fixture)).unwrap();
        let input = String::from_utf8_lossy(&bytes);
        let report = diagnose_fixture(fixture);
        let (back, sent) = read_back(&Index::of(&report, 7, input.len(), None));
        assert_eq!(back, sent, "{fixture}");
        for exchange in 0..report.exchanges.len() {
            let (back, sent) = read_back(&Details::of(&report, exchange, 7, &input).unwrap());
            assert_eq!(back, sent, "{fixture} #{exchange}");
        }
    }
}
