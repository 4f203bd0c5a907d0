//! The httpdx command line: `curl -sv URL 2>&1 | httpdx`, `httpdx failure.har --json`.
//! It reads, calls the engine, and prints the report; it holds no diagnosis logic.

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use httpdx::input::Format;
use httpdx::report::{ExchangeReport, Finding, Report, Severity};
use httpdx::{diagnose_bytes, Options};

const USAGE: &str = "\
httpdx — diagnose a failed HTTP API call

Usage:
  httpdx [FILE|-] [--json] [--format FORMAT] [--color WHEN]
  curl -sv https://api.example.com/x 2>&1 | httpdx

Reads a raw HTTP response (curl -i), curl -v output, a HAR file, a browser console error
or a JSON error body from FILE or standard input, and prints what went wrong, the evidence
and the fix.

Options:
  --json            print the report as JSON
  --format FORMAT   read the input as FORMAT: raw-http, curl-verbose, har, console, json-body
  --color WHEN      auto (default), always or never; NO_COLOR is honoured
  --findings        print the documentation of every finding ID
  -h, --help        print this help
  -V, --version     print the version

Exit status: 0 when a report was produced, 2 when the input could not be read.";

struct Args {
    path: Option<String>,
    json: bool,
    format: Option<Format>,
    color: Option<bool>,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        path: None,
        json: false,
        format: None,
        color: None,
    };
    let mut iter = std::env::args().skip(1);
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
            "--format" => {
                let name = value("--format")?;
                args.format = Some(Format::from_name(&name).ok_or_else(|| format!("unknown format `{name}`; use one of raw-http, curl-verbose, har, console, json-body"))?);
            }
            "--color" => {
                args.color = match value("--color")?.as_str() {
                    "always" => Some(true),
                    "never" => Some(false),
                    "auto" => None,
                    other => {
                        return Err(format!(
                            "--color takes auto, always or never, not `{other}`"
                        ))
                    }
                }
            }
            "-" => args.path = None,
            other if other.starts_with('-') => {
                return Err(format!("unknown option `{other}` (see --help)"))
            }
            _ if args.path.is_some() => return Err("only one input file can be given".into()),
            _ => args.path = Some(arg),
        }
    }
    Ok(Some(args))
}

fn read_input(path: Option<&str>) -> Result<Vec<u8>, String> {
    match path {
        Some(path) => std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}")),
        None => {
            if std::io::stdin().is_terminal() {
                return Err("no input: give a file, or pipe something in (curl -sv URL 2>&1 | httpdx); see --help".into());
            }
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            Ok(bytes)
        }
    }
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
    let bytes = match read_input(args.path.as_deref()) {
        Ok(bytes) => bytes,
        Err(message) => {
            eprintln!("httpdx: {message}");
            return ExitCode::from(2);
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .ok();
    let report = match diagnose_bytes(
        &bytes,
        &Options {
            format: args.format,
            reference_time: now,
        },
    ) {
        Ok(report) => report,
        Err(error) => {
            eprintln!("httpdx: {error}");
            return ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout().lock();
    let written = if args.json {
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        let color = args.color.unwrap_or_else(|| {
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
        });
        out.write_all(render(&report, &Style { color }).as_bytes())
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

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
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
        out.push_str(&format!("  {}\n", summary.meaning));
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
        finding.title,
        style.paint("2", &format!("[{}]", finding.id))
    ));
    for evidence in &finding.evidence {
        let quote = evidence.quote.replace('\n', " ⏎ ");
        out.push_str(&format!(
            "{indent}    {} {}  {}\n",
            style.paint("36", "▌"),
            quote,
            style.paint("2", &format!("({})", evidence.location))
        ));
    }
    for line in finding.explanation.lines() {
        out.push_str(&format!("{indent}    {line}\n"));
    }
    if let Some(caller) = &finding.fix.caller {
        out.push_str(&format!(
            "{indent}    {} {caller}\n",
            style.paint("32", "fix (caller):")
        ));
    }
    if let Some(owner) = &finding.fix.owner {
        out.push_str(&format!(
            "{indent}    {} {owner}\n",
            style.paint("32", "fix (owner):")
        ));
    }
    if let Some(reference) = finding.reference {
        out.push_str(&format!("{indent}    {}\n", style.paint("2", reference)));
    }
}
