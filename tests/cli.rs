#![allow(clippy::expect_used)] // test set-up: a CLI that cannot start should stop the test
//! The command line as a person uses it: a file or stdin in, a report or a one-line error out.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::fixtures_dir;

fn httpdx(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_httpdx"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run httpdx");
    // The program may exit before reading (bad arguments): a closed pipe is expected then.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(path: &str) -> String {
    fixtures_dir().join(path).to_string_lossy().into_owned()
}

#[test]
fn json_report_from_a_file_has_the_documented_shape() {
    let (code, out, _) = httpdx(&[&fixture("fastapi/401-expired-jwt.txt"), "--json"], b"");
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["format"], "curl-verbose");
    let exchange = &report["exchanges"][0];
    assert_eq!(exchange["index"], 0);
    assert_eq!(exchange["response"]["status"], 401);
    assert_eq!(exchange["response"]["headers"][0][0], "date");
    let finding = &exchange["findings"][0];
    assert_eq!(finding["id"], "auth.token-expired");
    for key in [
        "severity",
        "title",
        "evidence",
        "explanation",
        "fix",
        "reference",
    ] {
        assert!(!finding[key].is_null(), "finding lacks {key}");
    }
}

#[test]
fn piped_curl_output_gives_a_plain_readable_report() {
    let input = std::fs::read(fixture("nginx/502-dead-upstream.txt")).unwrap();
    let (code, out, _) = httpdx(&[], &input);
    assert_eq!(code, 0);
    assert!(out.contains("502 Bad Gateway"));
    assert!(out.contains("[gateway.upstream-unreachable]"));
    assert!(!out.contains('\x1b'), "no colour when piped");
    let (_, coloured, _) = httpdx(&["--color", "always"], &input);
    assert!(coloured.contains("\x1b[1;31m"));
}

#[test]
fn a_forced_format_is_used() {
    let (code, out, _) = httpdx(
        &[
            "--format",
            "har",
            "--json",
            &fixture("curl/closed-port.txt"),
        ],
        b"",
    );
    assert_eq!(code, 0);
    assert!(out.contains("\"input.unrecognized\""));
    let (code, _, err) = httpdx(&["--format", "yaml"], b"x");
    assert_eq!(code, 2);
    assert!(err.contains("unknown format"));
}

#[test]
fn unreadable_input_exits_2_with_one_line() {
    for (args, stdin) in [
        (vec![fixture("bad/binary.bin")], &b""[..]),
        (vec![], &b""[..]),
        (vec!["/nonexistent/file".to_owned()], &b""[..]),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = httpdx(&args, stdin);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.starts_with("httpdx: "));
    }
}

#[test]
fn unrecognized_text_still_produces_a_report() {
    let (code, out, _) = httpdx(&[], b"hello, my API is broken\n");
    assert_eq!(code, 0);
    assert!(out.contains("[input.unrecognized]"));
}

#[test]
fn share_prints_a_link_that_open_reverses_and_bad_links_fail_cleanly() {
    let (code, link, err) = httpdx(
        &[
            "share",
            &fixture("fastapi/401-expired-jwt.txt"),
            "--base",
            "http://127.0.0.1:8080/",
        ],
        b"",
    );
    assert_eq!(code, 0, "{err}");
    assert!(link.starts_with("http://127.0.0.1:8080/#v1."));
    assert!(err.contains("redaction"));
    let (code, opened, _) = httpdx(&["open", link.trim()], b"");
    assert_eq!(code, 0);
    assert!(opened.contains("< HTTP/1.1 401 Unauthorized"));
    assert!(
        !opened.contains("V4QlEH2") && opened.contains("Authorization: Bearer eyJ"),
        "signature redacted, claims kept"
    );
    let cut = &link.trim()[..link.trim().len() - 10];
    for bad in [cut, "http://x/#v7.AAAA", "http://x/#v1.%%%"] {
        let (code, out, err) = httpdx(&["open", bad], b"");
        assert_eq!(code, 2, "{bad}");
        assert!(out.is_empty());
        assert_eq!(err.trim().lines().count(), 1);
    }
    let (code, markdown, _) = httpdx(
        &[
            "share",
            "--markdown",
            &fixture("fastapi/401-expired-jwt.txt"),
        ],
        b"",
    );
    assert_eq!(code, 0);
    assert!(markdown.contains("(`auth.token-expired`)"));
}

#[test]
fn terminal_control_sequences_from_the_input_never_reach_the_terminal() {
    // A 500 whose body sets the terminal title, writes the clipboard (OSC 52) and moves the
    // cursor: none of it may be printed as is.
    let input = b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nTypeError: boom \x1b]0;pwned\x07 \x1b]52;c;SGVsbG8=\x07 \x1b[2J \xc2\x9b31m\r\n";
    for color in ["never", "always"] {
        let (code, out, _) = httpdx(&["--color", color], input);
        assert_eq!(code, 0);
        assert!(
            !out.contains("]0;pwned\u{7}") && !out.contains('\u{9b}') && !out.contains('\u{7}'),
            "{out:?}"
        );
        // Only httpdx's own colours remain: every ESC starts `ESC[` + digits + `m`.
        for (at, _) in out.match_indices('\u{1b}') {
            let rest = &out[at + 1..];
            assert!(
                rest.starts_with('[')
                    && rest[1..]
                        .trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                        .starts_with('m'),
                "{out:?}"
            );
        }
    }
}

#[test]
fn an_endless_input_stops_at_the_limit_with_a_message() {
    if !std::path::Path::new("/dev/zero").exists() {
        return;
    }
    let (code, _, err) = httpdx(&["/dev/zero"], b"");
    assert_eq!(code, 2);
    assert!(
        err.contains("the most httpdx reads") || err.contains("binary"),
        "{err}"
    );
}

#[test]
fn redact_prints_the_input_with_every_secret_masked() {
    let input = b"GET /x?api_key=abcdef123456&page=2 HTTP/1.1\nAuthorization: Bearer opaque-tok-9f8e7d6c5b4a\n\n";
    let (code, out, err) = httpdx(&["redact"], input);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.len(), input.len());
    assert!(
        !out.contains("abcdef123456") && !out.contains("opaque-tok") && out.contains("page=2"),
        "{out}"
    );
    assert!(err.contains("2 redactions"), "{err}");
}

#[test]
fn json_cuts_long_bodies_and_says_so_unless_full() {
    let body = format!("{{\"items\": [\"{}\"]}}", "x".repeat(100_000));
    let input =
        format!("HTTP/1.1 500 Internal Server Error\ncontent-type: application/json\n\n{body}");
    let read = |args: &[&str]| {
        let (code, out, _) = httpdx(args, input.as_bytes());
        assert_eq!(code, 0);
        let report: serde_json::Value = serde_json::from_str(&out).expect("json");
        assert_eq!(report["schema"], "httpdx.report/1");
        report["exchanges"][0]["response"]["body"].clone()
    };
    let cut = read(&["--json"]);
    assert_eq!(cut["text"].as_str().map(str::len), Some(65_536));
    assert_eq!(
        cut["truncated"],
        serde_json::json!({"kept": 65_536, "total": body.len()})
    );
    let full = read(&["--json", "--full"]);
    assert_eq!(full["text"].as_str(), Some(body.as_str()));
    assert!(full.get("truncated").is_none());
}

#[test]
fn a_failure_that_explains_the_others_leads_the_report() {
    let file = fixture("cascade/curl-refresh-failed-then-401.txt");
    let (code, out, _) = httpdx(&[&file, "--color", "never"], b"");
    assert_eq!(code, 0);
    assert!(
        out.starts_with("1 root failure, 2 consequences: start with #0\n"),
        "{out}"
    );
    assert!(out.contains("consequences: #1, #2"));
    let (_, json, _) = httpdx(&[&file, "--json"], b"");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["root_failure"]["root"], 0);
    assert_eq!(
        report["root_failure"]["consequences"],
        serde_json::json!([1, 2])
    );
    assert_eq!(report["root_failure"]["kind"], "auth");
    // No cascade, no field.
    let (_, json, _) = httpdx(&[&fixture("fastapi/401-expired-jwt.txt"), "--json"], b"");
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(report.get("root_failure").is_none());
}
