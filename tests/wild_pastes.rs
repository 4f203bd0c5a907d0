//! Pastes from public issue threads, copied verbatim with their noise (fences, quote markers,
//! prompts, log prefixes, wrapping): tests/fixtures/wild/README.md says where each comes from
//! and what the thread established. Each must be read in the expected format, with the status
//! it states and the findings that explain it; the report must say why it chose the format,
//! and nothing may panic.
//!
//! Cases that fail today keep their correct expectation and are listed in `KNOWN_FAILURES`:
//! the test checks that each of them still fails (so the list shrinks as the engine learns)
//! and that every other case passes.

mod common;

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use common::{REFERENCE_TIME, fixtures_dir};
use httpdx::report::Report;
use httpdx::{Options, diagnose};

/// What one paste must be read as.
struct Case {
    file: &'static str,
    /// The format's public name (`Format::name`).
    format: &'static str,
    /// A status the paste states: some exchange's response must carry it.
    status: Option<u16>,
    /// Findings that must appear, in `report.findings` or any exchange's. `input.unrecognized`
    /// must not appear unless listed here (a paste that holds an exchange must be read).
    ids: &'static [&'static str],
    /// False alarms seen on this paste: findings that must not appear.
    absent: &'static [&'static str],
}

const fn case(
    file: &'static str,
    format: &'static str,
    status: Option<u16>,
    ids: &'static [&'static str],
    absent: &'static [&'static str],
) -> Case {
    Case {
        file,
        format,
        status,
        ids,
        absent,
    }
}

/// One row per file in tests/fixtures/wild (the README's table, in the same order).
const CASES: &[Case] = &[
    case(
        "aws-cli-access-denied.txt",
        "client-error",
        None,
        &["access.permission-denied"],
        &[],
    ),
    case(
        "aws-cli-access-denied-requester-pays.txt",
        "client-error",
        None,
        &["access.permission-denied"],
        &[],
    ),
    case(
        "aws-cli-access-denied-windows-prompt.txt",
        "client-error",
        None,
        &["access.permission-denied"],
        &[],
    ),
    case(
        "azure-cli-authorization-failed.txt",
        "client-error",
        None,
        &["access.permission-denied"],
        &[],
    ),
    case(
        "azure-cli-debug-403.txt",
        "client-error",
        Some(403),
        &["response.request-id"],
        &[],
    ),
    case(
        "chrome-503-elb-capacity.txt",
        "console",
        Some(503),
        &["gateway.upstream-unreachable"],
        &[],
    ),
    case("chrome-axios-500-stack.txt", "console", Some(500), &[], &[]),
    case(
        "chrome-axioserror-expanded-object.txt",
        "console",
        Some(401),
        &[],
        &[],
    ),
    case(
        "chrome-cert-date-no-net-prefix.txt",
        "console",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "chrome-err-failed-vm-snippet.txt",
        "console",
        None,
        &[],
        &[],
    ),
    case(
        "chrome-interstitial-common-name.txt",
        "console",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "chrome-interstitial-ssl-protocol.txt",
        "console",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "chrome-network-error-ssl-protocol-bold.txt",
        "console",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "chrome-preview-404-return-symbol.txt",
        "client-error",
        Some(404),
        &[],
        &[],
    ),
    case(
        "cloudflare-1020-page-text.txt",
        "raw-http",
        None,
        &["access.waf-blocked"],
        &[],
    ),
    case(
        "cloudflare-522-lynx.txt",
        "raw-http",
        Some(522),
        &["gateway.upstream-timeout"],
        &[],
    ),
    case(
        "cors-chrome-old-502-index-prefix.txt",
        "console",
        Some(502),
        &["cors.blocked", "cors.missing-allow-origin"],
        &[],
    ),
    case(
        "cors-chrome-old-preflight-missing-acao.txt",
        "console",
        None,
        &["cors.missing-allow-origin", "cors.preflight-rejected"],
        &[],
    ),
    case(
        "cors-chrome-preflight-wrapped.txt",
        "console",
        None,
        &["cors.preflight-rejected"],
        &[],
    ),
    case(
        "cors-firefox-does-not-match-null.txt",
        "console",
        None,
        &["cors.origin-mismatch"],
        &[],
    ),
    case(
        "cors-firefox-not-http-file.txt",
        "console",
        None,
        &["cors.blocked"],
        &["url.suspicious-path"],
    ),
    case(
        "cors-safari-oldest-wording.txt",
        "console",
        None,
        &["cors.blocked"],
        &[],
    ),
    case(
        "cors-safari-origin-400.txt",
        "console",
        Some(400),
        &["cors.blocked"],
        &[],
    ),
    case(
        "cors-safari-same-origin-load-failed.txt",
        "console",
        None,
        &[],
        &[],
    ),
    case(
        "cors-safari-www-origin-not-allowed.txt",
        "console",
        None,
        &["cors.blocked"],
        &[],
    ),
    case(
        "cors-safari10-preflight-403.txt",
        "console",
        Some(403),
        &["cors.preflight-rejected"],
        &[],
    ),
    case(
        "cors-thunderbird-back-translated.txt",
        "console",
        Some(401),
        &["cors.preflight-rejected"],
        &[],
    ),
    case(
        "curl-405-head-lowercase-aiohttp.txt",
        "raw-http",
        Some(405),
        &["method.not-allowed"],
        &[],
    ),
    case(
        "curl-56-progress-meter-glued.txt",
        "curl-verbose",
        None,
        &["network.connection-reset"],
        &[],
    ),
    case(
        "curl-92-http2-ci-timestamps.txt",
        "curl-verbose",
        None,
        &[],
        &[],
    ),
    case(
        "curl-head-apigw-403-gt-prompt.txt",
        "raw-http",
        Some(403),
        &["gateway.responder-identified"],
        &[],
    ),
    case(
        "curl-head-envoy-503-annotated.txt",
        "raw-http",
        Some(503),
        &["gateway.responder-identified"],
        &[],
    ),
    case(
        "curl-i-404-glued-curl-error.txt",
        "raw-http",
        Some(404),
        &["network.dns-failure", "body.invisible-character"],
        &[],
    ),
    case(
        "curl-i-envoy-no-healthy-upstream.txt",
        "raw-http",
        Some(503),
        &["gateway.upstream-unreachable"],
        &[],
    ),
    case(
        "curl-negotiate-401-lost-marker.txt",
        "curl-verbose",
        Some(401),
        &[],
        &[],
    ),
    case(
        "curl-php-h2h3-401.txt",
        "curl-verbose",
        Some(401),
        &["auth.header-missing"],
        &[],
    ),
    case(
        "curl-schannel-de-revocation.txt",
        "curl-verbose",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "curl-schannel-untrusted-root-ps2.txt",
        "curl-verbose",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "curl-schannel-zh-cut.txt",
        "curl-verbose",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "curl-schannel-zh-wrapped.txt",
        "curl-verbose",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case("curl-trace-git-401.txt", "curl-trace", Some(401), &[], &[]),
    case(
        "curl-trace-proxy-connect-reset.txt",
        "curl-trace",
        None,
        &["network.connection-reset"],
        &[],
    ),
    case("curl-trace-request-only.txt", "curl-trace", None, &[], &[]),
    case(
        "curl-verbose-204-excess-body.txt",
        "curl-verbose",
        Some(204),
        &[],
        &[],
    ),
    case(
        "curl-verbose-akamai-403-after-page.txt",
        "curl-verbose",
        Some(403),
        &["access.waf-blocked"],
        &[],
    ),
    case(
        "curl-verbose-cloudflare-challenge.txt",
        "curl-verbose",
        Some(403),
        &["access.waf-blocked"],
        &[],
    ),
    case(
        "curl-verbose-cowboy-500-empty.txt",
        "curl-verbose",
        Some(500),
        &[],
        &["body.json-syntax"],
    ),
    case(
        "curl-verbose-double-quoted.txt",
        "curl-verbose",
        Some(200),
        &[],
        &[],
    ),
    case(
        "curl-verbose-markdown-eaten.txt",
        "curl-verbose",
        Some(200),
        &[],
        &[],
    ),
    case(
        "curl-verbose-progress-glued-500.txt",
        "curl-verbose",
        Some(500),
        &["network.dns-failure"],
        &[],
    ),
    case(
        "curl-verbose-proxy-placeholders.txt",
        "curl-verbose",
        Some(200),
        &[],
        &[],
    ),
    case(
        "curl-verbose-tmux-padded-tls.txt",
        "curl-verbose",
        None,
        &["input.unrecognized"],
        &[],
    ),
    case(
        "dotnet-ensure-success-404-empty-reason.txt",
        "client-error",
        Some(404),
        &[],
        &[],
    ),
    case(
        "dotnet-graph-service-exception.txt",
        "client-error",
        None,
        &["auth.token-rejected"],
        &[],
    ),
    case(
        "dotnet-nlog-ssl-chain-one-line.txt",
        "client-error",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "dotnet-restsharp-unauthorized-timestamps.txt",
        "client-error",
        Some(401),
        &[],
        &[],
    ),
    case(
        "envoy-dial-refused-concat.txt",
        "raw-http",
        None,
        &["gateway.upstream-unreachable"],
        &["network.connection-refused"],
    ),
    case(
        "envoy-mixpanel-escaped-reset.txt",
        "client-error",
        None,
        &["gateway.responder-identified"],
        &[],
    ),
    case("firefox-csp-connect-src.txt", "console", None, &[], &[]),
    case(
        "firefox-network-lines-glued-method.txt",
        "console",
        None,
        &["network.fetch-failed"],
        &[],
    ),
    case(
        "firefox-xhr-500-bracketed-status.txt",
        "console",
        Some(500),
        &[],
        &[],
    ),
    case(
        "gcloud-builds-permission-denied.txt",
        "client-error",
        None,
        &["access.permission-denied"],
        &[],
    ),
    case(
        "gcloud-permission-rprompt.txt",
        "client-error",
        None,
        &["access.permission-denied"],
        &[],
    ),
    case(
        "gcloud-storage-permission-409.txt",
        "client-error",
        Some(409),
        &["access.permission-denied"],
        &[],
    ),
    case(
        "gemini-cli-403-permission-tui.txt",
        "json-body",
        Some(403),
        &["access.permission-denied"],
        &[],
    ),
    case(
        "github-gh-api-retyped-401.txt",
        "client-error",
        Some(401),
        &["auth.token-rejected"],
        &[],
    ),
    case(
        "go-client-timeout-compose.txt",
        "client-error",
        None,
        &["network.timeout"],
        &[],
    ),
    case(
        "go-github-422-percent-v.txt",
        "client-error",
        Some(422),
        &["validation.field-errors"],
        &[],
    ),
    case(
        "go-ooni-fake-curl-markers.txt",
        "curl-verbose",
        Some(200),
        &[],
        &[],
    ),
    case(
        "go-requests-go-invalid-json.txt",
        "client-error",
        None,
        &["network.timeout"],
        &[],
    ),
    case(
        "go-retryablehttp-timeout.txt",
        "client-error",
        None,
        &["network.timeout"],
        &[],
    ),
    case(
        "go-x509-unknown-authority-rprompt.txt",
        "client-error",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "headers-firefox-no-status-retry-after.txt",
        "raw-http",
        None,
        &[],
        &[],
    ),
    case(
        "headers-ingress-default-backend-no-status.txt",
        "raw-http",
        None,
        &["url.route-not-found"],
        &[],
    ),
    case(
        "heroku-h12-2012-format.txt",
        "log",
        Some(503),
        &["gateway.upstream-timeout"],
        &[],
    ),
    case(
        "heroku-h12-logfmt.txt",
        "log",
        Some(503),
        &["gateway.upstream-timeout"],
        &[],
    ),
    case(
        "html-akamai-access-denied-unfenced.txt",
        "raw-http",
        None,
        &["access.waf-blocked"],
        &[],
    ),
    case("httpie-500-werkzeug.txt", "raw-http", Some(500), &[], &[]),
    case(
        "java-cxf-escaped-markdown.txt",
        "client-error",
        None,
        &[],
        &[],
    ),
    case(
        "java-graph-actions-log-link.txt",
        "client-error",
        Some(401),
        &["auth.token-rejected"],
        &[],
    ),
    case(
        "java-graph-jul-401-split-json.txt",
        "client-error",
        None,
        &["auth.token-rejected"],
        &[],
    ),
    case(
        "java-pkix-minecraft-quoted.txt",
        "client-error",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "java-retrofit-logcat-401.txt",
        "raw-http",
        Some(401),
        &["auth.token-rejected"],
        &[],
    ),
    case(
        "java-webclient-401-checkpoint.txt",
        "client-error",
        Some(401),
        &[],
        &[],
    ),
    case(
        "json-slack-invalid-auth-zsh-percent.txt",
        "json-body",
        None,
        &["auth.token-rejected"],
        &[],
    ),
    case(
        "json-spring-boot-401.txt",
        "json-body",
        Some(401),
        &["auth.header-missing"],
        &[],
    ),
    case(
        "netlify-dev-500-mojibake.txt",
        "raw-http",
        Some(500),
        &[],
        &[],
    ),
    case(
        "netlify-function-timeout-json.txt",
        "json-body",
        None,
        &["gateway.upstream-timeout"],
        &[],
    ),
    case(
        "node-axios-401-unhandled-rejection.txt",
        "client-error",
        Some(401),
        &[],
        &[],
    ),
    case(
        "node-econnrefused-scheme-less.txt",
        "console",
        None,
        &["network.connection-refused"],
        &[],
    ),
    case(
        "node-ethers-502-string-literals.txt",
        "client-error",
        Some(502),
        &["gateway.responder-identified"],
        &[],
    ),
    case(
        "node-fetch-econnrefused-no-brace.txt",
        "console",
        None,
        &["network.connection-refused"],
        &[],
    ),
    case(
        "node-fetch-timeout-concurrently.txt",
        "client-error",
        None,
        &["network.timeout"],
        &[],
    ),
    case(
        "node-nextjs-connect-timeout-bracketed.txt",
        "console",
        None,
        &["network.timeout"],
        &[],
    ),
    case(
        "node-nextjs-econnrefused-then-200.txt",
        "console",
        None,
        &["network.connection-refused"],
        &[],
    ),
    case(
        "node-octokit-422-old-inspect.txt",
        "client-error",
        Some(422),
        &["response.request-id"],
        &[],
    ),
    case(
        "node-repl-fetch-socket-timeout.txt",
        "client-error",
        None,
        &["network.timeout"],
        &[],
    ),
    case(
        "node-twilio-restexception-401.txt",
        "client-error",
        Some(401),
        &[],
        &[],
    ),
    case(
        "node-undici-connect-timeout-compose.txt",
        "client-error",
        None,
        &["network.timeout"],
        &[],
    ),
    case(
        "panel-aws-apigw-test-500.txt",
        "panel",
        Some(500),
        &["gateway.responder-identified"],
        &[],
    ),
    case(
        "panel-chrome28-401-from-cache.txt",
        "panel",
        Some(401),
        &["auth.header-missing"],
        &[],
    ),
    case(
        "panel-chrome55-522-general.txt",
        "panel",
        Some(522),
        &["gateway.upstream-timeout"],
        &[],
    ),
    case(
        "panel-chrome58-400-labelled.txt",
        "panel",
        Some(400),
        &[],
        &[],
    ),
    case(
        "panel-firefox-glued-labels-404.txt",
        "panel",
        Some(404),
        &["cors.missing-allow-origin"],
        &[],
    ),
    case(
        "panel-swagger2-response-code-0.txt",
        "panel",
        None,
        &["network.fetch-failed"],
        &[],
    ),
    case(
        "php-dd-google-403.txt",
        "client-error",
        Some(403),
        &["access.permission-denied"],
        &[],
    ),
    case(
        "powershell-401-unclosed-backtick.txt",
        "client-error",
        Some(401),
        &[],
        &[],
    ),
    case(
        "powershell-curl-alias-parameter.txt",
        "client-error",
        None,
        &[],
        &[],
    ),
    case(
        "powershell-de-home-assistant-401.txt",
        "client-error",
        Some(401),
        &[],
        &[],
    ),
    case(
        "powershell-graph-invalid-token-prose.txt",
        "client-error",
        None,
        &["auth.token-rejected"],
        &[],
    ),
    case(
        "powershell-iis-401-ps-prompt.txt",
        "client-error",
        Some(401),
        &[],
        &[],
    ),
    case(
        "powershell-ja-protocol-violation.txt",
        "client-error",
        None,
        &[],
        &[],
    ),
    case(
        "powershell-quoted-unauthorized-json.txt",
        "client-error",
        None,
        &[],
        &[],
    ),
    case(
        "powershell-trace-command-401.txt",
        "client-error",
        Some(401),
        &[],
        &[],
    ),
    case(
        "powershell-wrapped-pagerduty-400.txt",
        "client-error",
        None,
        &[],
        &[],
    ),
    case(
        "powershell7-400-and-de-51.txt",
        "client-error",
        Some(400),
        &[],
        &[],
    ),
    case(
        "powershell7-404-flattened-html.txt",
        "client-error",
        Some(404),
        &[],
        &[],
    ),
    case(
        "powershell7-concise-servicenow.txt",
        "client-error",
        None,
        &[],
        &[],
    ),
    case(
        "powershell7-get-error-401.txt",
        "client-error",
        Some(401),
        &[],
        &[],
    ),
    case(
        "python-aiohttp-403.txt",
        "client-error",
        Some(403),
        &[],
        &[],
    ),
    case(
        "python-gitgraber-401-doubled.txt",
        "client-error",
        Some(401),
        &["auth.token-rejected"],
        &[],
    ),
    case(
        "python-loguru-ssl-max-retries.txt",
        "client-error",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "python-requests-403-placeholder-apikey.txt",
        "client-error",
        Some(403),
        &["url.suspicious-path"],
        &[],
    ),
    case(
        "python-requests-max-retries.txt",
        "client-error",
        None,
        &["tls.certificate-problem"],
        &[],
    ),
    case(
        "python-s3cmd-signature-bytes.txt",
        "client-error",
        None,
        &["auth.token-rejected"],
        &[],
    ),
    case(
        "python-slack-dict-headers.txt",
        "client-error",
        None,
        &[],
        &["body.json-syntax"],
    ),
    case(
        "python-urllib-403-jupyter-links.txt",
        "client-error",
        Some(403),
        &[],
        &[],
    ),
    case(
        "r-aws-s3-xml-string.txt",
        "client-error",
        None,
        &["access.permission-denied"],
        &[],
    ),
    case(
        "r-httr-connection-reset.txt",
        "client-error",
        None,
        &["network.connection-reset"],
        &[],
    ),
    case(
        "raw-apigw-missing-auth-token.txt",
        "raw-http",
        Some(403),
        &["url.route-not-found"],
        &[],
    ),
    case(
        "raw-elb-503-at-capacity.txt",
        "raw-http",
        Some(503),
        &["gateway.upstream-unreachable"],
        &[],
    ),
    case(
        "raw-restclient-401-duration.txt",
        "raw-http",
        Some(401),
        &["auth.header-missing"],
        &[],
    ),
    case(
        "stripe-civicrm-no-such-customer.txt",
        "client-error",
        None,
        &["auth.environment-mismatch"],
        &[],
    ),
    case(
        "vercel-function-timeout-page.txt",
        "log",
        Some(504),
        &["gateway.upstream-timeout"],
        &[],
    ),
    case("wget-403-custom-reason.txt", "wget", Some(403), &[], &[]),
    case("wget-403-email-quoted.txt", "wget", Some(403), &[], &[]),
    case(
        "wget-debug-cloudflare-challenge.txt",
        "wget",
        Some(403),
        &["access.waf-blocked"],
        &[],
    ),
    case("wget-log-wrapped-403.txt", "wget", Some(403), &[], &[]),
    case(
        "wget-ustc-403-interstitial.txt",
        "wget",
        Some(403),
        &[],
        &[],
    ),
    case(
        "wget-zh-cn-403-root-prompt.txt",
        "wget",
        Some(403),
        &[],
        &[],
    ),
];

/// Cases whose expectation httpdx does not meet yet (the README's "known failure" rows).
const KNOWN_FAILURES: &[&str] = &[
    "azure-cli-debug-403.txt",
    "envoy-mixpanel-escaped-reset.txt",
    "gemini-cli-403-permission-tui.txt",
    "go-github-422-percent-v.txt",
    "go-ooni-fake-curl-markers.txt",
    "headers-ingress-default-backend-no-status.txt",
    "java-graph-jul-401-split-json.txt",
    "node-ethers-502-string-literals.txt",
    "node-octokit-422-old-inspect.txt",
    "panel-aws-apigw-test-500.txt",
    "panel-chrome28-401-from-cache.txt",
    "panel-firefox-glued-labels-404.txt",
    "panel-swagger2-response-code-0.txt",
    "php-dd-google-403.txt",
    "python-requests-403-placeholder-apikey.txt",
    "python-s3cmd-signature-bytes.txt",
    "r-aws-s3-xml-string.txt",
    "stripe-civicrm-no-such-customer.txt",
];

fn wild_dir() -> std::path::PathBuf {
    fixtures_dir().join("wild")
}

/// Every finding ID of the report, input-level and per exchange.
fn finding_ids(report: &Report) -> BTreeSet<&'static str> {
    report
        .findings
        .iter()
        .chain(report.exchanges.iter().flat_map(|e| e.findings.iter()))
        .map(|f| f.id)
        .collect()
}

/// What the report says, for failure messages.
fn describe(report: &Report) -> String {
    let statuses: Vec<String> = report
        .exchanges
        .iter()
        .map(|e| match (&e.response, &e.transport_error) {
            (Some(r), _) => r.status.to_string(),
            (None, Some(t)) => format!("({})", t.code),
            (None, None) => "-".to_owned(),
        })
        .collect();
    format!(
        "format {}, detected by “{}”, exchanges [{}], findings {:?}",
        report.format.name(),
        report.detected_by,
        statuses.join(", "),
        finding_ids(report)
    )
}

/// How `report` falls short of `case`: one line per unmet expectation.
fn mismatches(case: &Case, report: &Report) -> Vec<String> {
    let mut out = Vec::new();
    if report.format.name() != case.format {
        out.push(format!(
            "format {} instead of {}",
            report.format.name(),
            case.format
        ));
    }
    if let Some(status) = case.status {
        let stated = report
            .exchanges
            .iter()
            .any(|e| e.response.as_ref().is_some_and(|r| r.status == status));
        if !stated {
            out.push(format!("no exchange with status {status}"));
        }
    }
    let ids = finding_ids(report);
    for id in case.ids {
        if !ids.contains(id) {
            out.push(format!("{id} missing"));
        }
    }
    for id in case.absent {
        if ids.contains(id) {
            out.push(format!("{id} is a false alarm here"));
        }
    }
    if ids.contains("input.unrecognized") && !case.ids.contains(&"input.unrecognized") {
        out.push("nothing was read (input.unrecognized)".to_owned());
    }
    out
}

#[test]
fn every_paste_has_one_expectation() {
    let mut files: Vec<String> = std::fs::read_dir(wild_dir())
        .expect("tests/fixtures/wild")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|path| {
            path.file_name()
                .expect("a file")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let mut listed: Vec<String> = CASES.iter().map(|c| c.file.to_owned()).collect();
    listed.sort();
    assert_eq!(files, listed, "tests/fixtures/wild and CASES differ");
    let unique: BTreeSet<&str> = CASES.iter().map(|c| c.file).collect();
    assert_eq!(unique.len(), CASES.len(), "a file is listed twice in CASES");
    let known: BTreeSet<&str> = KNOWN_FAILURES.iter().copied().collect();
    assert_eq!(
        known.len(),
        KNOWN_FAILURES.len(),
        "a known failure is listed twice"
    );
    for file in known {
        assert!(unique.contains(file), "known failure {file} is not a case");
    }
    let implemented: BTreeSet<&str> = httpdx::rules::RULES.iter().map(|r| r.meta().id).collect();
    for case in CASES {
        for id in case.ids.iter().chain(case.absent) {
            assert!(
                implemented.contains(id),
                "{}: {id} is not implemented",
                case.file
            );
        }
        assert!(
            httpdx::input::Format::from_name(case.format).is_some(),
            "{}: no format {}",
            case.file,
            case.format
        );
    }
}

#[test]
fn wild_pastes_are_read_as_expected() {
    let options = Options {
        format: None,
        reference_time: Some(REFERENCE_TIME),
    };
    let mut problems = Vec::new();
    for case in CASES {
        let text = std::fs::read_to_string(wild_dir().join(case.file))
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", case.file));
        let report = match catch_unwind(AssertUnwindSafe(|| diagnose(&text, &options))) {
            Ok(Ok(report)) => report,
            Ok(Err(e)) => {
                problems.push(format!("{}: not diagnosed: {e}", case.file));
                continue;
            }
            Err(_) => {
                problems.push(format!("{}: diagnose panicked", case.file));
                continue;
            }
        };
        if report.detected_by.plain().trim().is_empty() {
            problems.push(format!(
                "{}: the report does not say why it chose {}",
                case.file,
                report.format.name()
            ));
        }
        let missed = mismatches(case, &report);
        let known = KNOWN_FAILURES.contains(&case.file);
        // `WILD_VERBOSE=1` lists what each known failure still gets wrong.
        if known && !missed.is_empty() && std::env::var_os("WILD_VERBOSE").is_some() {
            eprintln!(
                "{}: {}\n    got {}",
                case.file,
                missed.join("; "),
                describe(&report)
            );
        }
        if known && missed.is_empty() {
            problems.push(format!(
                "{}: passes now; remove it from KNOWN_FAILURES (and mark it passing in the README)",
                case.file
            ));
        } else if !known && !missed.is_empty() {
            problems.push(format!(
                "{}: {}\n    got {}",
                case.file,
                missed.join("; "),
                describe(&report)
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
