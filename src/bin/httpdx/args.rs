//! The command line's arguments (clap derive). xtask includes this file too, to write the
//! man page from the same definition (`cargo xtask man`).

use clap::{Args, Parser, Subcommand, ValueEnum};
use httpdx::input::Format;

const EXAMPLES: &str = "\
Examples:
  curl -sv https://api.example.com/x 2>&1 | httpdx
  httpdx failure.har --output json
  httpdx response.txt --output markdown > issue.md      (always redacted)
  httpdx --fail-on error response.txt                    (exit 1 when the call failed)
  httpdx explain auth.token-expired
  httpdx share failure.txt --base http://127.0.0.1:8080/
  httpdx share failure.har --base URL --exchange 3
  httpdx open 'http://127.0.0.1:8080/#v1.…'
  httpdx redact failure.har > redacted.har
  httpdx completions bash > /etc/bash_completion.d/httpdx

Exit status:
  0  a report was produced (also for input that was not recognised), and --fail-on did
     not apply
  1  --fail-on error|warning: a finding about the call of that severity or worse was
     found (input.* findings about the paste itself do not count)
  2  the input could not be read (empty, binary, too large, unreadable file), a link could
     not be opened, or the arguments were wrong";

/// Diagnose a failed HTTP API call
///
/// Reads a raw HTTP response (curl -i), curl -v output, a HAR file, a browser console error
/// or a JSON error body from FILE or standard input, and prints what went wrong, the evidence
/// and the fix.
#[derive(Parser, Debug)]
#[command(
    name = "httpdx",
    version,
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    #[command(flatten)]
    pub(crate) diagnose: DiagnoseArgs,
    /// Print the documentation of every finding ID
    #[arg(long)]
    pub(crate) findings: bool,
}

#[derive(Args, Debug, Default)]
pub(crate) struct DiagnoseArgs {
    /// The input file; `-` or none reads standard input
    #[arg(value_name = "FILE")]
    pub(crate) path: Option<String>,
    /// How to print the report: text (coloured on a terminal), json (docs/protocol.md;
    /// bodies over 64 KB are cut and say so in their `truncated` field) or markdown
    /// (for an issue tracker; always from the redacted input)
    #[arg(long, value_enum, value_name = "OUTPUT")]
    pub(crate) output: Option<Output>,
    /// The same as --output json
    #[arg(long, conflicts_with = "output")]
    pub(crate) json: bool,
    /// With JSON output: print every body whole
    #[arg(long)]
    pub(crate) full: bool,
    /// Exit with status 1 when a finding about the call of this severity or worse is found
    #[arg(long, value_enum, value_name = "SEVERITY", default_value = "never")]
    pub(crate) fail_on: FailOn,
    #[command(flatten)]
    pub(crate) common: Common,
}

/// Options every command that reads an input takes.
#[derive(Args, Debug, Default)]
pub(crate) struct Common {
    /// Read the input as FORMAT: raw-http, curl-verbose, curl-trace, wget, har, console,
    /// client-error, panel, log, json-body
    #[arg(long, value_name = "FORMAT", value_parser = parse_format)]
    pub(crate) format: Option<Format>,
    /// Colour: auto (on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it),
    /// always or never
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    pub(crate) color: ColorWhen,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Print a link to the diagnosis: the input, with secrets redacted, compressed in the
    /// URL fragment after BASE
    Share(ShareArgs),
    /// Print the input a share link carries
    Open {
        /// The link (http://…/#v1.…)
        #[arg(value_name = "LINK")]
        link: String,
    },
    /// Print the whole input (every entry of a HAR) with every secret masked: the file to
    /// attach when a link would be too long
    Redact(RedactArgs),
    /// Print the documentation of a finding ID
    Explain {
        /// A finding ID, e.g. auth.token-expired (see --findings)
        #[arg(value_name = "ID")]
        id: String,
    },
    /// Print a shell completion script
    Completions {
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
}

#[derive(Args, Debug)]
pub(crate) struct ShareArgs {
    /// The input file; `-` or none reads standard input
    #[arg(value_name = "FILE")]
    pub(crate) path: Option<String>,
    /// The address of an httpdx page, e.g. http://127.0.0.1:8080/
    #[arg(long, value_name = "URL")]
    pub(crate) base: Option<String>,
    /// HAR entries to share, by index (repeatable; default: all)
    #[arg(long = "exchange", value_name = "N")]
    pub(crate) exchanges: Vec<usize>,
    /// Print the diagnosis as Markdown instead of a link
    #[arg(long)]
    pub(crate) markdown: bool,
    #[command(flatten)]
    pub(crate) redact: Redaction,
}

#[derive(Args, Debug)]
pub(crate) struct RedactArgs {
    /// The input file; `-` or none reads standard input
    #[arg(value_name = "FILE")]
    pub(crate) path: Option<String>,
    #[command(flatten)]
    pub(crate) redact: Redaction,
}

/// What to redact, and how to read the input.
#[derive(Args, Debug, Default)]
pub(crate) struct Redaction {
    /// Also hide JWT claims (headers and claims, not only signatures)
    #[arg(long)]
    pub(crate) redact_claims: bool,
    /// Keep a value redaction would remove (repeatable)
    #[arg(long, value_name = "TEXT")]
    pub(crate) keep: Vec<String>,
    /// Redact more text wherever it appears (repeatable)
    #[arg(long = "redact", value_name = "TEXT")]
    pub(crate) extra: Vec<String>,
    #[command(flatten)]
    pub(crate) common: Common,
}

impl Redaction {
    pub(crate) fn options(&self) -> httpdx::share::RedactOptions {
        httpdx::share::RedactOptions {
            redact_claims: self.redact_claims,
            keep: self.keep.clone(),
            extra: self.extra.clone(),
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Output {
    Text,
    Json,
    Markdown,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum FailOn {
    Error,
    Warning,
    #[default]
    Never,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum ColorWhen {
    #[default]
    Auto,
    Always,
    Never,
}

fn parse_format(name: &str) -> Result<Format, String> {
    Format::from_name(name).ok_or_else(|| {
        format!(
            "unknown format `{name}`; use one of {}",
            Format::READABLE.map(Format::name).join(", ")
        )
    })
}
