#![allow(clippy::expect_used)] // test set-up: a CLI that cannot start should stop the test
//! The command line as a person uses it: a file or stdin in, a report or a one-line error out.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::fixtures_dir;

fn httpdx(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    httpdx_env(args, stdin, &[])
}

/// httpdx with `env` set, and without the colour variables of the environment running the tests.
fn httpdx_env(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_httpdx"))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .envs(env.iter().copied())
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
    assert!(
        coloured.contains("\x1b[1m\x1b[31merror"),
        "bold red severity: {coloured:?}"
    );
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
        assert_eq!(report["schema"], "httpdx.report/2");
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

#[test]
fn help_keeps_the_examples_and_documents_the_exit_statuses() {
    let (code, out, _) = httpdx(&["--help"], b"");
    assert_eq!(code, 0);
    for text in [
        "curl -sv https://api.example.com/x 2>&1 | httpdx",
        "httpdx share failure.txt --base",
        "httpdx open",
        "Exit status:",
        "  1  --fail-on",
        "  2  the input could not be read",
    ] {
        assert!(out.contains(text), "help lacks {text:?}:\n{out}");
    }
    let (code, out, _) = httpdx(&["--version"], b"");
    assert_eq!((code, out.trim()), (0, "httpdx 0.1.0"));
    let (code, _, err) = httpdx(&["--bogus"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("--bogus"), "{err}");
}

#[test]
fn completions_are_printed_for_each_shell_and_bash_parses_its_script() {
    for (shell, marker) in [
        ("bash", "complete -F _httpdx"),
        ("zsh", "#compdef httpdx"),
        ("fish", "complete -c httpdx"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = httpdx(&["completions", shell], b"");
        assert_eq!(code, 0, "{err}");
        assert!(out.contains(marker), "{shell}: {out}");
        assert!(
            out.contains("fail-on") && out.contains("explain"),
            "{shell}"
        );
    }
    let (code, _, _) = httpdx(&["completions", "tcsh"], b"");
    assert_eq!(code, 2);
    let (_, script, _) = httpdx(&["completions", "bash"], b"");
    if let Ok(out) = Command::new("bash")
        .args(["-c", "source /dev/stdin && complete -p httpdx"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(script.as_bytes())?;
            child.wait_with_output()
        })
    {
        assert!(out.status.success());
        assert!(String::from_utf8_lossy(&out.stdout).contains("_httpdx"));
    }
}

#[test]
fn output_json_is_the_json_alias_and_output_markdown_is_always_redacted() {
    let file = fixture("fastapi/401-expired-jwt.txt");
    let (code, json, _) = httpdx(&[&file, "--output", "json"], b"");
    assert_eq!(code, 0);
    let (_, alias, _) = httpdx(&[&file, "--json"], b"");
    let ids = |out: &str| {
        let report: serde_json::Value = serde_json::from_str(out).unwrap();
        assert_eq!(report["schema"], "httpdx.report/2");
        report["exchanges"][0]["findings"].clone()
    };
    assert_eq!(ids(&json), ids(&alias));
    let (code, _, err) = httpdx(&[&file, "--json", "--output", "text"], b"");
    assert_eq!(code, 2, "--json and --output conflict: {err}");

    let (code, markdown, _) = httpdx(&[&file, "--output", "markdown"], b"");
    assert_eq!(code, 0);
    assert!(markdown.contains("(`auth.token-expired`)"), "{markdown}");
    assert!(markdown.contains("401 Unauthorized"));
    assert!(!markdown.contains('\x1b'));
    // A key in the URL: the text report shows it, Markdown never does.
    let input = b"GET /v1/me?api_key=abcdef1234567890 HTTP/1.1\r\nHost: api.example.com\r\n\r\nHTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\r\n{\"error\":\"invalid api key abcdef1234567890\"}\r\n";
    let (_, text, _) = httpdx(&[], input);
    assert!(text.contains("abcdef1234567890"), "{text}");
    let (code, markdown, _) = httpdx(&["--output", "markdown"], input);
    assert_eq!(code, 0);
    assert!(
        markdown.contains("GET http://api.example.com/v1/me?api_key="),
        "{markdown}"
    );
    assert!(!markdown.contains("abcdef1234567890"), "{markdown}");
    let (_, shared, _) = httpdx(&["share", "--markdown"], input);
    assert_eq!(
        markdown, shared,
        "the same redacted Markdown as share --markdown"
    );
    // Markdown never takes colour, even when asked.
    let (_, forced, _) = httpdx(&[&file, "--output", "markdown", "--color", "always"], b"");
    assert!(!forced.contains('\x1b'));
    let (code, _, _) = httpdx(&[&file, "--output", "yaml"], b"");
    assert_eq!(code, 2);
}

#[test]
fn fail_on_sets_the_exit_status_from_findings_about_the_call() {
    let error = fixture("fastapi/401-expired-jwt.txt");
    let warning = fixture("fastapi/307-slash-redirect.txt");
    for (file, fail_on, expected) in [
        (&error, None, 0),
        (&error, Some("never"), 0),
        (&error, Some("error"), 1),
        (&error, Some("warning"), 1),
        (&warning, Some("error"), 0),
        (&warning, Some("warning"), 1),
        (&warning, Some("never"), 0),
    ] {
        let mut args = vec![file.as_str()];
        if let Some(level) = fail_on {
            args.extend(["--fail-on", level]);
        }
        let (code, out, _) = httpdx(&args, b"");
        assert_eq!(code, expected, "{args:?}");
        assert!(
            out.contains('['),
            "the report is printed whatever the status"
        );
        args.push("--json");
        assert_eq!(httpdx(&args, b"").0, expected, "{args:?}");
    }
    // input.* findings are about the paste, not the call.
    let (code, out, _) = httpdx(&["--fail-on", "warning"], b"hello, my API is broken\n");
    assert!(out.contains("[input.unrecognized]"));
    assert_eq!(code, 0);
    let (code, _, _) = httpdx(&["--fail-on", "info"], b"x");
    assert_eq!(code, 2);
    // An unreadable input stays 2, not 1.
    let (code, _, _) = httpdx(&["--fail-on", "error"], b"");
    assert_eq!(code, 2);
}

#[test]
fn explain_prints_the_findings_documentation() {
    let (code, out, _) = httpdx(&["explain", "auth.token-expired"], b"");
    assert_eq!(code, 0);
    assert!(out.starts_with("## `auth.token-expired`"), "{out}");
    let doc = std::fs::read_to_string(fixtures_dir().join("../../docs/findings.md")).unwrap();
    assert!(doc.contains(&out), "the same text as docs/findings.md");
    let (code, out, err) = httpdx(&["explain", "auth.no-such-thing"], b"");
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("--findings"), "{err}");
    let (code, all, _) = httpdx(&["--findings"], b"");
    assert_eq!(code, 0);
    assert_eq!(all, doc);
}

#[test]
fn colour_follows_no_color_clicolor_force_and_the_flag() {
    let input = std::fs::read(fixture("nginx/502-dead-upstream.txt")).unwrap();
    let coloured = |env: &[(&str, &str)], args: &[&str]| {
        let (code, out, _) = httpdx_env(args, &input, env);
        assert_eq!(code, 0);
        out.contains('\x1b')
    };
    assert!(!coloured(&[], &[]), "not a terminal");
    assert!(coloured(&[("CLICOLOR_FORCE", "1")], &[]));
    assert!(!coloured(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]));
    assert!(coloured(&[("NO_COLOR", "1")], &["--color", "always"]));
    assert!(!coloured(&[("NO_COLOR", "1")], &[]));
}

#[test]
fn no_progress_on_stderr_when_it_is_not_a_terminal() {
    // 20 MB, over the size from which a terminal shows progress.
    let mut input =
        b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: text/plain\r\n\r\n".to_vec();
    input.resize(20 * 1024 * 1024, b'x');
    let (code, out, err) = httpdx(&[], &input);
    assert_eq!(code, 0);
    assert!(out.contains("500"));
    assert_eq!(err, "");
}

/// `--json` is written as it is made: read in part by a reader that then stops (`| head`),
/// it ends quietly with status 0; onto a full disk, it fails with one line and status 2.
#[test]
fn json_to_a_closed_pipe_ends_quietly_and_to_a_full_disk_fails_in_one_line() {
    let entries: Vec<String> = (0..2000)
        .map(|n| {
            format!(
                r#"{{"startedDateTime": "2026-11-24T10:00:00.000Z", "time": 1, "request": {{"method": "GET", "url": "https://api.test/{n}", "headers": []}}, "response": {{"status": 200, "headers": [], "content": {{"text": "{{\"n\": {n}}}"}}}}}}"#
            )
        })
        .collect();
    let har = format!(r#"{{"log": {{"entries": [{}]}}}}"#, entries.join(","));
    let path = std::env::temp_dir().join(format!("httpdx-cli-pipe-{}.har", std::process::id()));
    std::fs::write(&path, har).expect("write the HAR");
    let path_text = path.to_string_lossy().into_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_httpdx"))
        .args([path_text.as_str(), "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run httpdx");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut start = [0u8; 64];
    std::io::Read::read_exact(&mut stdout, &mut start).expect("the report's start");
    assert!(
        start.starts_with(b"{"),
        "{:?}",
        String::from_utf8_lossy(&start)
    );
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = Command::new(env!("CARGO_BIN_EXE_httpdx"))
            .args([path_text.as_str(), "--json"])
            .stdin(Stdio::null())
            .stdout(full)
            .output()
            .expect("run httpdx");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("httpdx: cannot write the output"), "{err}");
    }
    let _ = std::fs::remove_file(&path);
}
