//! Pastes as people post them: the same capture inside a Markdown fence, a quote, prose, with
//! a different shell prompt, Windows line ends, a byte-order mark, an indented code block,
//! Safari's console tags, log timestamps, emphasis. Each must be read in the same format as
//! the bare capture, with the same diagnosis, and the report must say why.

mod common;

use std::collections::BTreeSet;

use common::{REFERENCE_TIME, fixtures_dir};
use httpdx::report::Report;
use httpdx::{Options, diagnose};

/// One capture per reader (and per prompt-carrying kind).
const BASES: &[&str] = &[
    "curl/json-without-content-type.txt",
    "curl8/401-http2.txt",
    "curl8/refused.txt",
    "fastapi/401-expired-jwt.txt",
    "httpie/401-expired-jwt.txt",
    "wget/401-expired-jwt.txt",
    "curl-trace/401-trace-ascii.txt",
    "console/chromium-cors.txt",
    "console/chromium-refused.txt",
    "fastapi/422-missing-field.txt",
    "python/requests-refused.txt",
    "python/httpx-401-expired-jwt.txt",
    "go/tls-self-signed.txt",
    "java/timeout.txt",
    "node-clients/fetch-dns.txt",
    "hand-clients/chromium-devtools-headers-401.txt",
    "hand-clients/heroku-router-h12.txt",
    "hand-clients/windows-curl-schannel-untrusted-root.txt",
    "hand-clients/powershell51-invoke-webrequest-refused.txt",
    "hand-clients/vercel-log-edge-timeout.txt",
    "java/401-expired-jwt.txt",
    "node-clients/axios-401-expired-jwt.txt",
    "nginx/502-dead-upstream.txt",
];

fn options() -> Options {
    Options {
        format: None,
        reference_time: Some(REFERENCE_TIME),
    }
}

/// What a diagnosis amounts to: the format and every finding ID (input.* ones aside:
/// they are about the paste, not the failure).
fn essence(report: &Report) -> (String, BTreeSet<String>) {
    let ids = report
        .findings
        .iter()
        .chain(report.exchanges.iter().flat_map(|e| e.findings.iter()))
        .map(|f| f.id.to_string())
        .filter(|id| !id.starts_with("input."))
        .collect();
    (report.format.name().to_owned(), ids)
}

/// Replaces the `$ ` of a command line with another shell's prompt.
fn with_prompt(text: &str, prompt: &str) -> Option<String> {
    text.starts_with("$ ")
        .then(|| format!("{prompt}{}", &text[2..]))
}

/// Each line of `text` rewritten by `f`, with `\n` after it.
fn map_lines(text: &str, f: impl Fn(&str) -> String) -> String {
    text.lines().fold(String::new(), |mut out, l| {
        out.push_str(&f(l));
        out.push('\n');
        out
    })
}

fn lines_with(text: &str, prefix: &str) -> String {
    map_lines(text, |l| format!("{prefix}{l}"))
}

/// Every kind of surrounding noise, by name.
fn noisy(text: &str) -> Vec<(&'static str, String)> {
    // A fence or prose after the paste starts on a line of its own.
    let text = &if text.ends_with('\n') {
        text.to_owned()
    } else {
        format!("{text}\n")
    };
    let mut out = vec![
        ("fence", format!("```\n{text}```\n")),
        (
            "fence with language and prose",
            format!(
                "Here is what I get:\n\n```console\n{text}```\n\nAny idea what I am doing wrong?\n"
            ),
        ),
        ("tilde fence", format!("~~~text\n{text}~~~\n")),
        (
            "prose around",
            format!(
                "Hi all, calling our API from the staging box fails since this morning. Output below.\n\n{text}\nThanks in advance.\n"
            ),
        ),
        ("quote", lines_with(text, "> ")),
        (
            "indented code block",
            format!("It fails like this:\n\n{}", lines_with(text, "    ")),
        ),
        ("crlf", text.replace('\n', "\r\n")),
        ("bom", format!("\u{feff}{text}")),
        ("trailing spaces", map_lines(text, |l| format!("{l}   "))),
        (
            "trailing whitespace trimmed",
            map_lines(text, |l| l.trim_end().to_owned()),
        ),
        (
            "log timestamps",
            lines_with(text, "2026-11-25T18:20:00.123Z "),
        ),
        ("compose prefix", lines_with(text, "api_1  | ")),
    ];
    // Safari's console tags, on console pastes.
    if text.contains("net::ERR_") || text.contains("CORS") || text.contains("Failed to") {
        out.push(("Safari console tags", lines_with(text, "[Error] ")));
    }
    // Emphasis someone added to the status line: `HTTP/1.1 **502 Bad Gateway**`.
    if let Some(line) = text
        .lines()
        .find(|l| l.starts_with("HTTP/") || l.starts_with("< HTTP/"))
    {
        let (version, status) = line.split_once(' ').unwrap_or((line, ""));
        out.push((
            "emphasis",
            text.replacen(line, &format!("{version} **{status}**"), 1),
        ));
    }
    for (name, prompt) in [
        ("root prompt", "[root@web01 ~]# "),
        ("PowerShell prompt", "PS C:\\Users\\dev> "),
        ("zsh prompt", "➜  api git:(main) ✗ "),
        ("user prompt", "dev@build-7:~/src/api$ "),
        ("no prompt", ""),
    ] {
        if let Some(t) = with_prompt(text, prompt) {
            out.push((name, t));
        }
    }
    out
}

#[test]
fn noise_around_a_paste_changes_neither_format_nor_diagnosis() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for base in BASES {
        let text = std::fs::read_to_string(fixtures_dir().join(base)).expect("fixture");
        let bare = diagnose(&text, &options()).expect("bare fixture diagnoses");
        assert!(!bare.detected_by.is_empty(), "{base}: no reason given");
        let expected = essence(&bare);
        for (noise, variant) in noisy(&text) {
            checked += 1;
            match diagnose(&variant, &options()) {
                Ok(report) => {
                    let got = essence(&report);
                    if got != expected {
                        failures.push(format!(
                            "{base} + {noise}: expected {expected:?}, got {got:?} ({})",
                            report.detected_by
                        ));
                    } else if report.detected_by.is_empty() {
                        failures.push(format!("{base} + {noise}: no reason given"));
                    }
                }
                Err(e) => failures.push(format!("{base} + {noise}: {e}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} noisy pastes read differently:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn the_report_says_what_was_set_aside() {
    let text = std::fs::read_to_string(fixtures_dir().join("fastapi/401-expired-jwt.txt"))
        .expect("fixture");
    let report = diagnose(&format!("```http\n{text}```\n"), &options()).expect("diagnoses");
    let why = report.detected_by.plain();
    assert!(
        why.starts_with("curl -v output: a > METHOD … request line"),
        "{why}"
    );
    assert!(
        why.ends_with("; set aside Markdown code fences"),
        "{}",
        report.detected_by
    );
}
