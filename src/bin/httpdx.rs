//! The httpdx command line: `curl -sv URL 2>&1 | httpdx`, `httpdx failure.har --json`.
//! It reads, calls the engine, and prints the report; it holds no diagnosis logic.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use httpdx::input::Format;
use httpdx::report::{ExchangeReport, Finding, Report, Severity};
use httpdx::{Options, diagnose_bytes};

const USAGE: &str = "\
httpdx — diagnose a failed HTTP API call

Usage:
  httpdx [FILE|-] [--json] [--format FORMAT] [--color WHEN]
  curl -sv https://api.example.com/x 2>&1 | httpdx
  httpdx share [FILE|-] --base URL [--exchange N]... [--redact-claims] [--keep TEXT]... [--redact TEXT]... [--markdown]
  httpdx open LINK
  httpdx redact [FILE|-] [--redact-claims] [--keep TEXT]... [--redact TEXT]... > redacted.har

Reads a raw HTTP response (curl -i), curl -v output, a HAR file, a browser console error
or a JSON error body from FILE or standard input, and prints what went wrong, the evidence
and the fix.

Options:
  --json            print the report as JSON (docs/protocol.md); bodies over 64 KB are cut
                    and say so in their `truncated` field
  --full            with --json: print every body whole
  --format FORMAT   read the input as FORMAT: raw-http, curl-verbose, curl-trace, wget, har,
                    console, client-error, panel, log, json-body
  --color WHEN      auto (default), always or never; NO_COLOR is honoured
  --findings        print the documentation of every finding ID
  -h, --help        print this help
  -V, --version     print the version

Share:
  httpdx share prints a link to the diagnosis: the input, with secrets redacted, compressed
  in the URL fragment after BASE. --exchange picks HAR entries (by index; default: all);
  --redact-claims also hides JWT claims; --keep keeps a value redaction would remove;
  --redact removes more text; --markdown prints the diagnosis as Markdown instead.
  httpdx open prints the input a link carries.
  httpdx redact prints the whole input (every entry of a HAR) with every secret masked:
  the file to attach when a link would be too long.

Exit status: 0 when a report was produced, 2 when the input could not be read.";

#[derive(Default)]
struct Args {
    command: Command,
    path: Option<String>,
    json: bool,
    full: bool,
    format: Option<Format>,
    color: Option<bool>,
    base: Option<String>,
    exchanges: Vec<usize>,
    redact: httpdx::share::RedactOptions,
    markdown: bool,
    link: Option<String>,
}

#[derive(Default, PartialEq)]
enum Command {
    #[default]
    Diagnose,
    Share,
    Open,
    Redact,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args::default();
    let mut iter = std::env::args().skip(1).peekable();
    match iter.peek().map(String::as_str) {
        Some("share") => {
            args.command = Command::Share;
            iter.next();
        }
        Some("redact") => {
            args.command = Command::Redact;
            iter.next();
        }
        Some("open") => {
            args.command = Command::Open;
            iter.next();
            args.link = Some(
                iter.next()
                    .ok_or("open needs a link: httpdx open 'https://…#v1.…'")?,
            );
        }
        _ => {}
    }
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| iter.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(None);
            }
            "-V" | "--version" => {
                println!("httpdx {}", env!("CARGO_PKG_VERSION"));
                return Ok(None);
            }
            "--findings" => {
                print!("{}", httpdx::findings_doc());
                return Ok(None);
            }
            "--json" => args.json = true,
            "--full" => args.full = true,
            "--base" => args.base = Some(value("--base")?),
            "--exchange" => args.exchanges.push(
                value("--exchange")?
                    .parse()
                    .map_err(|_| "--exchange takes an exchange index (0, 1, …)")?,
            ),
            "--redact-claims" => args.redact.redact_claims = true,
            "--keep" => args.redact.keep.push(value("--keep")?),
            "--redact" => args.redact.extra.push(value("--redact")?),
            "--markdown" => args.markdown = true,
            "--format" => {
                let name = value("--format")?;
                args.format = Some(Format::from_name(&name).ok_or_else(|| {
                    format!(
                        "unknown format `{name}`; use one of {}",
                        Format::READABLE.map(Format::name).join(", ")
                    )
                })?);
            }
            "--color" => {
                args.color = match value("--color")?.as_str() {
                    "always" => Some(true),
                    "never" => Some(false),
                    "auto" => None,
                    other => {
                        return Err(format!(
                            "--color takes auto, always or never, not `{other}`"
                        ));
                    }
                }
            }
            "-" => args.path = None,
            other if other.starts_with('-') => {
                return Err(format!("unknown option `{other}` (see --help)"));
            }
            _ if args.path.is_some() => return Err("only one input file can be given".into()),
            _ => args.path = Some(arg),
        }
    }
    Ok(Some(args))
}

/// Reads the input, at most one byte more than httpdx reads (`httpdx /dev/zero` stops
/// with a message instead of filling memory).
fn read_input(path: Option<&str>) -> Result<Vec<u8>, String> {
    let limit = httpdx::MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    if let Some(path) = path {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        file.take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read {path}: {e}"))?;
    } else {
        if std::io::stdin().is_terminal() {
            return Err("no input: give a file, or pipe something in (curl -sv URL 2>&1 | httpdx); see --help".into());
        }
        std::io::stdin()
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
    }
    if bytes.len() > httpdx::MAX_INPUT_BYTES {
        return Err(format!(
            "the input is larger than {} MB, the most httpdx reads",
            httpdx::MAX_INPUT_BYTES / 1_000_000
        ));
    }
    Ok(bytes)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => return ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("httpdx: {message}");
            return ExitCode::from(2);
        }
    };
    if let Some(link) = &args.link {
        return match httpdx::share::open(link) {
            Ok((shared, _)) => {
                print!("{}", clean(&shared.text));
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("httpdx: {message}");
                ExitCode::from(2)
            }
        };
    }
    let bytes = match read_input(args.path.as_deref()) {
        Ok(bytes) => bytes,
        Err(message) => {
            eprintln!("httpdx: {message}");
            return ExitCode::from(2);
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .ok();
    let options = Options {
        format: args.format,
        reference_time: now,
    };
    if args.command == Command::Share {
        return share(&bytes, &options, &args);
    }
    if args.command == Command::Redact {
        return redact(&bytes, &args);
    }
    let report = match diagnose_bytes(&bytes, &options) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("httpdx: {error}");
            return ExitCode::from(2);
        }
    };
    let mut report = report;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = if args.json {
        if !args.full {
            report.cut_bodies(httpdx::report::BODY_LIMIT);
        }
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
            .and_then(|()| out.flush())
    } else {
        let color = args.color.unwrap_or_else(|| {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        });
        out.write_all(render(&report, &Style { color }).as_bytes())
            .and_then(|()| out.flush())
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`httpdx … | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("httpdx: cannot write the report: {e}");
            ExitCode::from(2)
        }
    }
}

fn share(bytes: &[u8], options: &Options, args: &Args) -> ExitCode {
    let text = match httpdx::decode_input(bytes) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("httpdx: {error}");
            return ExitCode::from(2);
        }
    };
    let exchanges = (!args.exchanges.is_empty()).then_some(args.exchanges.as_slice());
    let output = if args.markdown {
        httpdx::share::markdown_for(&text, options, exchanges, &args.redact)
    } else {
        let Some(base) = &args.base else {
            eprintln!(
                "httpdx: share needs --base URL, the address of an httpdx page (e.g. http://127.0.0.1:8080/)"
            );
            return ExitCode::from(2);
        };
        httpdx::share::share(&text, options, base, exchanges, &args.redact).map(|link| {
            eprintln!(
                "httpdx: {} redaction{}; the link is {} characters",
                link.redacted.redactions.len(),
                if link.redacted.redactions.len() == 1 {
                    ""
                } else {
                    "s"
                },
                link.url.len()
            );
            link.url + "\n"
        })
    };
    match output {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("httpdx: {error}");
            ExitCode::from(2)
        }
    }
}

/// `text` without terminal control characters (ESC, OSC and CSI introducers, C1 controls,
/// DEL): a response or a link must not move the cursor, set the title or write the clipboard.
/// A carriage return stays only before a line feed (CRLF), where it cannot overwrite a line.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let crlf = c == '\r' && chars.peek() == Some(&'\n');
        if !c.is_control() || matches!(c, '\n' | '\t') || crlf {
            out.push(c);
        }
    }
    out
}

/// `httpdx redact`: the input with every secret masked, through the same net as a link.
fn redact(bytes: &[u8], args: &Args) -> ExitCode {
    let text = match httpdx::decode_input(bytes) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("httpdx: {error}");
            return ExitCode::from(2);
        }
    };
    match httpdx::share::redact_file(&text, &args.redact) {
        Ok(redacted) => {
            let secrets = redacted.distinct().len();
            eprintln!(
                "httpdx: {} redaction{} of {secrets} distinct value{}",
                redacted.redactions.len(),
                if redacted.redactions.len() == 1 {
                    ""
                } else {
                    "s"
                },
                if secrets == 1 { "" } else { "s" }
            );
            for missing in &redacted.not_found {
                eprintln!("httpdx: --redact {missing:?} was found nowhere in the input");
            }
            let mut out = std::io::stdout().lock();
            match out.write_all(redacted.text.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("httpdx: cannot write the redacted input: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Err(leak) => {
            eprintln!("httpdx: {leak}");
            ExitCode::from(2)
        }
    }
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        let text = clean(text);
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text
        }
    }

    fn severity(&self, severity: Severity) -> String {
        let (code, label) = match severity {
            Severity::Error => ("1;31", "error  "),
            Severity::Warning => ("1;33", "warning"),
            Severity::Info => ("1;34", "info   "),
        };
        self.paint(code, label)
    }
}

fn render(report: &Report, style: &Style) -> String {
    let mut out = String::new();
    // One failure that explains the later ones leads the report.
    if let Some(root) = &report.root_failure {
        let n = root.consequences.len();
        out.push_str(&style.paint(
            "1",
            &format!(
                "1 root failure, {n} consequence{}: start with #{}\n",
                if n == 1 { "" } else { "s" },
                root.root
            ),
        ));
        let consequences: Vec<String> = root.consequences.iter().map(|i| format!("#{i}")).collect();
        out.push_str(&format!(
            "  {}\n  consequences: {}\n",
            clean(&root.summary),
            consequences.join(", ")
        ));
    }
    out.push_str(&style.paint(
        "2",
        &format!(
            "read as {}, {} exchange{}\n",
            report.format.name(),
            report.exchanges.len(),
            if report.exchanges.len() == 1 { "" } else { "s" }
        ),
    ));
    for finding in &report.findings {
        render_finding(&mut out, finding, style, "");
    }
    let failed = report.exchanges.iter().filter(|e| e.failed).count();
    for exchange in &report.exchanges {
        if !exchange.failed && exchange.findings.is_empty() && report.exchanges.len() > 1 {
            continue;
        }
        render_exchange(&mut out, exchange, style);
    }
    let quiet = report.exchanges.len()
        - report
            .exchanges
            .iter()
            .filter(|e| e.failed || !e.findings.is_empty())
            .count();
    if quiet > 0 && report.exchanges.len() > 1 {
        out.push_str(&style.paint(
            "2",
            &format!(
                "\n{quiet} successful exchange{} without findings not shown ({failed} failed)\n",
                if quiet == 1 { "" } else { "s" }
            ),
        ));
    }
    out
}

fn render_exchange(out: &mut String, exchange: &ExchangeReport, style: &Style) {
    out.push('\n');
    let request = exchange.request.as_ref().map(|r| {
        format!("{} {}", r.method.as_deref().unwrap_or(""), r.url)
            .trim()
            .to_owned()
    });
    let heading = match (&exchange.summary, request) {
        (Some(summary), Some(request)) => {
            format!("#{} {} — {}", exchange.index, summary.outcome, request)
        }
        (Some(summary), None) => format!("#{} {}", exchange.index, summary.outcome),
        (None, Some(request)) => format!("#{} {}", exchange.index, request),
        (None, None) => format!("#{}", exchange.index),
    };
    out.push_str(&style.paint("1", &heading));
    out.push('\n');
    if let Some(summary) = &exchange.summary {
        out.push_str(&format!("  {}\n", clean(&summary.meaning)));
    }
    for finding in &exchange.findings {
        render_finding(out, finding, style, "  ");
    }
    if let Some(status) = exchange.status_explanation {
        out.push_str(&format!(
            "\n  {} {} {}\n",
            style.paint("1", "About"),
            status.code,
            status.name
        ));
        out.push_str(&format!("    usual causes: {}\n", status.causes.join("; ")));
        out.push_str(&format!("    debug: {}\n", status.debug.join("; ")));
        out.push_str(&format!("    fix (caller): {}\n", status.fix_caller));
        out.push_str(&format!("    fix (owner): {}\n", status.fix_owner));
    }
}

fn render_finding(out: &mut String, finding: &Finding, style: &Style, indent: &str) {
    out.push_str(&format!(
        "\n{indent}{} {} {}\n",
        style.severity(finding.severity),
        clean(&finding.title),
        style.paint("2", &format!("[{}]", finding.id))
    ));
    for evidence in finding.evidence() {
        let quote = clean(&evidence.quote.replace('\n', " ⏎ "));
        out.push_str(&format!(
            "{indent}    {} {}  {}\n",
            style.paint("36", "▌"),
            quote,
            style.paint("2", &format!("({})", evidence.location))
        ));
    }
    for line in finding.explanation.lines() {
        out.push_str(&format!("{indent}    {}\n", clean(line)));
    }
    if let Some(caller) = &finding.fix.caller {
        out.push_str(&format!(
            "{indent}    {} {}\n",
            style.paint("32", "fix (caller):"),
            clean(caller)
        ));
    }
    if let Some(owner) = &finding.fix.owner {
        out.push_str(&format!(
            "{indent}    {} {}\n",
            style.paint("32", "fix (owner):"),
            clean(owner)
        ));
    }
    if let Some(reference) = finding.reference {
        out.push_str(&format!("{indent}    {}\n", style.paint("2", reference)));
    }
}
