//! The httpdx command line: `curl -sv URL 2>&1 | httpdx`, `httpdx failure.har --json`.
//! It reads, calls the engine, and prints the report; it holds no diagnosis logic.

mod args;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use anstyle::{AnsiColor, Style};
use clap::{CommandFactory, Parser};
use httpdx::Options;
use httpdx::report::{
    CardGroup, CardParts, DecodedToken, ExchangeReport, Finding, Report, SegmentKind, Severity,
    Text,
};

use args::{Cli, ColorWhen, Command, Common, DiagnoseArgs, FailOn, Output, RedactArgs, ShareArgs};

/// Inputs from this size on show their progress on stderr, when stderr is a terminal.
const PROGRESS_FROM: usize = 16 * 1024 * 1024;

/// A one-line progress indication on stderr for large inputs: only on a terminal, and
/// cleared before the report is printed.
struct Progress {
    terminal: bool,
    shown: bool,
}

impl Progress {
    fn new() -> Self {
        Progress {
            terminal: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    fn show(&mut self, bytes: usize, what: &str) {
        if self.terminal && bytes >= PROGRESS_FROM {
            eprint!("\r\x1b[2Khttpdx: {what} {} MB…", bytes / 1_000_000);
            self.shown = true;
        }
    }

    fn clear(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
            self.shown = false;
        }
    }
}

/// Reads the input, at most one byte more than httpdx reads (`httpdx /dev/zero` stops
/// with a message instead of filling memory).
fn read_input(path: Option<&str>, progress: &mut Progress) -> Result<Vec<u8>, String> {
    let limit = httpdx::MAX_INPUT_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let (reader, name): (Box<dyn Read>, String) = if let Some(path) = path.filter(|p| *p != "-") {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        (Box::new(file), path.to_owned())
    } else {
        if std::io::stdin().is_terminal() {
            return Err("no input: give a file, or pipe something in (curl -sv URL 2>&1 | httpdx); see --help".into());
        }
        (Box::new(std::io::stdin()), "standard input".to_owned())
    };
    let mut reader = reader.take(limit);
    let mut chunk = vec![0; 1 << 20];
    loop {
        match reader.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                bytes.extend_from_slice(&chunk[..n]);
                progress.show(bytes.len(), "reading");
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                progress.clear();
                return Err(format!("cannot read {name}: {e}"));
            }
        }
    }
    progress.clear();
    if bytes.len() > httpdx::MAX_INPUT_BYTES {
        return Err(format!(
            "the input is larger than {} MB, the most httpdx reads",
            httpdx::MAX_INPUT_BYTES / 1_000_000
        ));
    }
    Ok(bytes)
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("httpdx: {message}");
    ExitCode::from(2)
}

fn options(common: &Common) -> Options {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .ok();
    Options {
        format: common.format,
        reference_time: now,
    }
}

/// Writes `text` to stdout through anstream, which drops the colours when they are not
/// wanted (`--color never`; with auto: not a terminal, NO_COLOR, unless CLICOLOR_FORCE).
fn write_out(text: &[u8], color: ColorWhen) -> ExitCode {
    let choice = match color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    };
    // Text without an escape sequence has nothing to strip: JSON and Markdown (tens of MB
    // for a large HAR) skip anstream's byte-by-byte parser, which cost a fifth of `--json`.
    let written = if memchr::memchr(0x1b, text).is_none() {
        let mut out = std::io::stdout().lock();
        out.write_all(text).and_then(|()| out.flush())
    } else {
        let mut out = anstream::AutoStream::new(std::io::stdout().lock(), choice);
        out.write_all(text).and_then(|()| out.flush())
    };
    exit_after_writing(written)
}

/// The exit status once the output is written: a closed pipe (`httpdx … | head`) is not an
/// error worth a message; any other failure is one line.
fn exit_after_writing(written: std::io::Result<()>) -> ExitCode {
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(format!("cannot write the output: {e}")),
    }
}

/// Writes `report` as JSON to stdout as it is made: a large HAR's report is twice the HAR,
/// and made whole first it was the largest part of the command's memory (and of its time:
/// the kernel zeroing fresh pages).
fn write_json(report: &Report) -> ExitCode {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, report)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    exit_after_writing(written)
}

// mimalloc: a diagnosis makes and frees many small strings on every core, where glibc's
// allocator spent a quarter of the time (50 MB HAR: 0.44 s with it, 0.32 s with mimalloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.findings {
        return write_out(httpdx::findings_doc().as_bytes(), ColorWhen::Never);
    }
    match cli.command {
        None => diagnose(&cli.diagnose),
        Some(Command::Share(args)) => share(&args),
        Some(Command::Redact(args)) => redact(&args),
        Some(Command::Open { link }) => match httpdx::share::open(&link) {
            Ok((shared, _)) => write_out(clean(&shared.text).as_bytes(), ColorWhen::Never),
            Err(message) => fail(message),
        },
        Some(Command::Explain { id }) => explain(&id),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "httpdx", &mut out);
            write_out(&out, ColorWhen::Never)
        }
    }
}

/// `httpdx explain ID`: the finding's documentation, as in docs/findings.md.
fn explain(id: &str) -> ExitCode {
    match httpdx::rules::RULES
        .iter()
        .map(|rule| rule.meta())
        .find(|meta| meta.id == id)
    {
        Some(meta) => write_out(meta.markdown().as_bytes(), ColorWhen::Never),
        None => fail(format!(
            "no finding has the ID `{id}`; `httpdx --findings` lists them all"
        )),
    }
}

/// Whether `report` has a finding about the call (not `input.*`, which is about the paste)
/// of the severity `on` names or worse.
fn fails(report: &Report, on: FailOn) -> bool {
    let worst = match on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Never => return false,
    };
    report
        .findings
        .iter()
        .chain(report.exchanges.iter().flat_map(|e| &e.findings))
        .any(|f| !f.id.starts_with("input.") && f.severity <= worst)
}

/// Reads and decodes the input, with progress for a large one.
fn read_text(path: Option<&str>, progress: &mut Progress) -> Result<String, String> {
    let bytes = read_input(path, progress)?;
    // Valid UTF-8 (the usual case) becomes the text without a copy of a large input.
    let replaced = match httpdx::decode_input(&bytes).map_err(|e| e.to_string())? {
        std::borrow::Cow::Owned(text) => Some(text),
        std::borrow::Cow::Borrowed(_) => None,
    };
    match replaced {
        Some(text) => Ok(text),
        None => String::from_utf8(bytes).map_err(|e| e.to_string()),
    }
}

fn diagnose(args: &DiagnoseArgs) -> ExitCode {
    let mut progress = Progress::new();
    let text = match read_text(args.path.as_deref(), &mut progress) {
        Ok(text) => text,
        Err(message) => return fail(message),
    };
    let options = options(&args.common);
    progress.show(text.len(), "diagnosing");
    let report = httpdx::diagnose(&text, &options);
    progress.clear();
    // The process ends once the report is written, and its memory goes back whole: the
    // report's allocations (about a million for a 50 MB HAR) are not freed one by one.
    let mut report = match report {
        Ok(report) => std::mem::ManuallyDrop::new(report),
        Err(error) => return fail(error),
    };
    let output = if args.json {
        Output::Json
    } else {
        args.output.unwrap_or(Output::Text)
    };
    let failed = fails(&report, args.fail_on);
    let written = match output {
        Output::Json => {
            if !args.full {
                report.cut_bodies(httpdx::report::BODY_LIMIT);
            }
            write_json(&report)
        }
        // From the redacted input, always: Markdown is written to be pasted elsewhere.
        Output::Markdown => {
            // Freed now: Markdown diagnoses the redacted input again.
            drop(std::mem::ManuallyDrop::into_inner(report));
            match httpdx::share::markdown_for(
                &text,
                &options,
                None,
                &httpdx::share::RedactOptions::default(),
            ) {
                Ok(markdown) => write_out(markdown.as_bytes(), ColorWhen::Never),
                Err(error) => fail(error),
            }
        }
        Output::Text => write_out(render(&report).as_bytes(), args.common.color),
    };
    if written == ExitCode::SUCCESS && failed {
        ExitCode::FAILURE
    } else {
        written
    }
}

fn share(args: &ShareArgs) -> ExitCode {
    let text = match read_text(args.path.as_deref(), &mut Progress::new()) {
        Ok(text) => text,
        Err(message) => return fail(message),
    };
    let options = &options(&args.redact.common);
    let redact_options = &args.redact.options();
    let exchanges = (!args.exchanges.is_empty()).then_some(args.exchanges.as_slice());
    let output = if args.markdown {
        httpdx::share::markdown_for(&text, options, exchanges, redact_options)
    } else {
        let Some(base) = &args.base else {
            eprintln!(
                "httpdx: share needs --base URL, the address of an httpdx page (e.g. http://127.0.0.1:8080/)"
            );
            return ExitCode::from(2);
        };
        httpdx::share::share(&text, options, base, exchanges, redact_options).map(|link| {
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
        Ok(text) => write_out(text.as_bytes(), ColorWhen::Never),
        Err(error) => fail(error),
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
fn redact(args: &RedactArgs) -> ExitCode {
    let text = match read_text(args.path.as_deref(), &mut Progress::new()) {
        Ok(text) => text,
        Err(message) => return fail(message),
    };
    match httpdx::share::redact_file(&text, &args.redact.options()) {
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
            write_out(redacted.text.as_bytes(), ColorWhen::Never)
        }
        Err(leak) => fail(leak),
    }
}

const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();
const CYAN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));
const GREEN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));

/// `text`, cleaned of control characters, in `style`; [`write_out`] drops the colours when
/// they are not wanted.
fn paint(style: Style, text: &str) -> String {
    format!("{style}{}{style:#}", clean(text))
}

/// What httpdx wrote, from its segments: code in backticks (which survive when colours are
/// dropped) and cyan, emphasis in bold.
fn words(text: &Text) -> String {
    text.segments()
        .map(|segment| match segment.kind {
            SegmentKind::Text => clean(segment.text),
            SegmentKind::Code => format!("`{}`", paint(CYAN, segment.text)),
            SegmentKind::Emphasis => paint(BOLD, segment.text),
        })
        .collect()
}

fn severity(severity: Severity) -> String {
    let (color, label) = match severity {
        Severity::Error => (AnsiColor::Red, "error  "),
        Severity::Warning => (AnsiColor::Yellow, "warning"),
        Severity::Info => (AnsiColor::Blue, "info   "),
    };
    paint(BOLD.fg_color(Some(anstyle::Color::Ansi(color))), label)
}

fn render(report: &Report) -> String {
    let mut out = String::new();
    // One failure that explains the later ones leads the report.
    if let Some(root) = &report.root_failure {
        let n = root.consequences.len();
        out.push_str(&paint(
            BOLD,
            &format!(
                "1 root failure, {n} consequence{}: start with #{}\n",
                if n == 1 { "" } else { "s" },
                root.root
            ),
        ));
        let consequences: Vec<String> = root.consequences.iter().map(|i| format!("#{i}")).collect();
        out.push_str(&format!(
            "  {}\n  consequences: {}\n",
            words(&root.summary),
            consequences.join(", ")
        ));
    }
    out.push_str(&paint(
        DIM,
        &format!(
            "read as {}, {} exchange{}\n",
            report.format.name(),
            report.exchanges.len(),
            if report.exchanges.len() == 1 { "" } else { "s" }
        ),
    ));
    for finding in &report.findings {
        render_finding(&mut out, finding, "");
    }
    let failed = report.exchanges.iter().filter(|e| e.failed).count();
    for exchange in &report.exchanges {
        if !exchange.failed && exchange.findings.is_empty() && report.exchanges.len() > 1 {
            continue;
        }
        render_exchange(&mut out, exchange);
    }
    let quiet = report.exchanges.len()
        - report
            .exchanges
            .iter()
            .filter(|e| e.failed || !e.findings.is_empty())
            .count();
    if quiet > 0 && report.exchanges.len() > 1 {
        out.push_str(&paint(
            DIM,
            &format!(
                "\n{quiet} successful exchange{} without findings not shown ({failed} failed)\n",
                if quiet == 1 { "" } else { "s" }
            ),
        ));
    }
    out
}

fn render_exchange(out: &mut String, exchange: &ExchangeReport) {
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
    out.push_str(&paint(BOLD, &heading));
    out.push('\n');
    if let Some(summary) = &exchange.summary {
        out.push_str(&format!("  {}\n", words(&summary.meaning)));
    }
    for card in exchange.card_parts() {
        render_card(out, &card, "  ");
    }
    if let Some(fixed) = &exchange.fixed_request {
        render_fixed_request(out, fixed);
    }
    for token in &exchange.tokens {
        render_token(out, token);
    }
    if let Some(status) = &exchange.status_explanation {
        out.push_str(&format!(
            "\n  {} {} {}\n",
            paint(BOLD, "About"),
            status.code,
            status.name
        ));
        out.push_str(&format!("    usual causes: {}\n", status.causes.join("; ")));
        out.push_str(&format!("    debug: {}\n", status.debug.join("; ")));
        out.push_str(&format!("    fix (caller): {}\n", status.fix_caller));
        out.push_str(&format!("    fix (owner): {}\n", status.fix_owner));
    }
}

/// The fixed request's changes, then its curl command from the first column, so that it can
/// be copied from the terminal as it is (an indent would change a multi-line body).
fn render_fixed_request(out: &mut String, fixed: &httpdx::fix::FixedRequest) {
    out.push_str(&format!("\n  {}\n", paint(BOLD, "Fixed request:")));
    for change in &fixed.changes {
        out.push_str(&format!("    - {}\n", words(&change.what)));
    }
    if !fixed.placeholders.is_empty() {
        let names: Vec<String> = fixed
            .placeholders
            .iter()
            .map(|p| format!("{}=… ({})", p.name, p.what))
            .collect();
        out.push_str(&format!(
            "    {}\n",
            paint(DIM, &format!("export {} first", names.join(", ")))
        ));
    }
    out.push('\n');
    for segment in &fixed.curl {
        if segment.changed {
            out.push_str(&paint(GREEN.bold(), &segment.text));
        } else {
            out.push_str(&clean(&segment.text));
        }
    }
    out.push('\n');
}

/// A decoded JWT in a few lines: where it was, who it names, its times and badges.
fn render_token(out: &mut String, token: &DecodedToken) {
    out.push_str(&format!(
        "\n  {} {}\n",
        paint(BOLD, "Token:"),
        paint(DIM, &format!("({}; signature not shown)", token.location))
    ));
    let named: Vec<String> = [
        ("alg", &token.header),
        ("sub", &token.claims),
        ("iss", &token.claims),
        ("aud", &token.claims),
    ]
    .into_iter()
    .filter_map(|(claim, map)| Some(format!("{claim} {}", map.text(claim)?)))
    .collect();
    if !named.is_empty() {
        out.push_str(&format!("    {}\n", clean(&named.join(" · "))));
    }
    for time in &token.times {
        let words = time
            .relative
            .as_deref()
            .map_or(String::new(), |r| format!(" — {r}"));
        out.push_str(&format!(
            "    {} {}{}\n",
            time.claim,
            time.utc,
            clean(&words)
        ));
    }
    for badge in &token.badges {
        out.push_str(&format!(
            "    {}\n",
            paint(BOLD, &format!("[{}]", badge.text))
        ));
    }
    for used in &token.used_by {
        out.push_str(&format!(
            "    {}\n",
            paint(DIM, &format!("{} used by {}", used.claim, used.finding))
        ));
    }
}

fn render_finding(out: &mut String, finding: &Finding, indent: &str) {
    render_card(
        out,
        &CardParts {
            group: CardGroup::Error,
            severity: finding.severity,
            lead: finding,
            restated: Vec::new(),
            quotes: finding.evidence().iter().collect(),
        },
        indent,
    );
}

/// A card: its leading finding in full, the findings that restate it as one line each, the
/// quotations once; context (who answered, the request ID) without explanation and fixes.
fn render_card(out: &mut String, card: &CardParts, indent: &str) {
    let finding = card.lead;
    out.push_str(&format!(
        "\n{indent}{} {} {}\n",
        severity(card.severity),
        words(&finding.title),
        paint(DIM, &format!("[{}]", finding.id))
    ));
    for other in &card.restated {
        out.push_str(&format!(
            "{indent}    {} {} {}\n",
            paint(DIM, "also:"),
            words(&other.title),
            paint(DIM, &format!("[{}]", other.id))
        ));
    }
    for evidence in &card.quotes {
        let quote = clean(&evidence.quote.replace('\n', " ⏎ "));
        out.push_str(&format!(
            "{indent}    {} {}  {}\n",
            paint(CYAN, "▌"),
            quote,
            paint(DIM, &format!("({})", evidence.location))
        ));
    }
    // Context says who answered and what to quote; its title and evidence are the point.
    if card.group == CardGroup::Context {
        return;
    }
    for paragraph in finding.explanation.paragraphs() {
        out.push_str(&format!("{indent}    {}\n", words(&paragraph)));
    }
    if let Some(caller) = &finding.fix.caller {
        out.push_str(&format!(
            "{indent}    {} {}\n",
            paint(GREEN, "fix (caller):"),
            words(caller)
        ));
    }
    if let Some(owner) = &finding.fix.owner {
        out.push_str(&format!(
            "{indent}    {} {}\n",
            paint(GREEN, "fix (owner):"),
            words(owner)
        ));
    }
    if let Some(reference) = finding.reference {
        out.push_str(&format!("{indent}    {}\n", paint(DIM, reference)));
    }
}
