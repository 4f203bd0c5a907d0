//! Readers: one module per input format, each turning text into a [`Capture`].
//!
//! `read_input` sets aside what surrounds a paste ([`view`]), chooses the reader by the
//! signals of the whole text ([`detect`]), maps what the reader found back to the original
//! text, and reads the rest of the paste too when it holds another kind of output (a command
//! and its `-v` output, then a console line).

pub(crate) mod client_error;
pub(crate) mod console;
pub(crate) mod curl_command;
pub(crate) mod curl_trace;
pub(crate) mod curl_verbose;
pub(crate) mod detect;
pub(crate) mod har;
pub(crate) mod http1;
pub(crate) mod inspect;
pub(crate) mod json_body;
pub(crate) mod json_scan;
pub(crate) mod lines;
pub(crate) mod panel;
pub(crate) mod platform_log;
pub(crate) mod prompt;
pub(crate) mod raw_http;
pub(crate) mod view;
pub(crate) mod wget;

use serde::Serialize;

use crate::model::Capture;

/// The input formats httpdx reads. The names are public (JSON reports, `--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    RawHttp,
    CurlVerbose,
    CurlTrace,
    Wget,
    Har,
    Console,
    ClientError,
    Panel,
    Log,
    JsonBody,
    /// Nothing could be read.
    Unrecognized,
}

crate::names::deserialize_by_name!(Format);

impl crate::names::Named for Format {
    const ALL: &'static [Self] = &Format::ALL;
    fn name(self) -> &'static str {
        self.name()
    }
}

impl Format {
    /// Every format: the readable ones, then `Unrecognized`.
    const ALL: [Format; 11] = [
        Format::RawHttp,
        Format::CurlVerbose,
        Format::CurlTrace,
        Format::Wget,
        Format::Har,
        Format::Console,
        Format::ClientError,
        Format::Panel,
        Format::Log,
        Format::JsonBody,
        Format::Unrecognized,
    ];

    /// The formats a reader can read (all but `Unrecognized`).
    pub const READABLE: [Format; 10] = {
        let mut readable = [Format::Unrecognized; 10];
        let mut at = 0;
        while at < readable.len() {
            readable[at] = Format::ALL[at];
            at += 1;
        }
        readable
    };

    /// The public name (`--format`, the report's `format`).
    pub fn name(self) -> &'static str {
        match self {
            Format::RawHttp => "raw-http",
            Format::CurlVerbose => "curl-verbose",
            Format::CurlTrace => "curl-trace",
            Format::Wget => "wget",
            Format::Har => "har",
            Format::Console => "console",
            Format::ClientError => "client-error",
            Format::Panel => "panel",
            Format::Log => "log",
            Format::JsonBody => "json-body",
            Format::Unrecognized => "unrecognized",
        }
    }

    /// The name a person reads.
    pub fn human_name(self) -> &'static str {
        match self {
            Format::RawHttp => "Raw HTTP",
            Format::CurlVerbose => "curl -v output",
            Format::CurlTrace => "curl --trace output",
            Format::Wget => "wget output",
            Format::Har => "HAR file",
            Format::Console => "Browser console or Node error",
            Format::ClientError => "HTTP client error",
            Format::Panel => "DevTools or Swagger panel",
            Format::Log => "Platform log",
            Format::JsonBody => "JSON body",
            Format::Unrecognized => "Not recognised",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::READABLE.into_iter().find(|f| f.name() == name)
    }

    /// What the format looks like, for messages about input that did not match.
    pub fn description(self) -> &'static str {
        match self {
            Format::RawHttp => {
                "a raw HTTP response as printed by `curl -i`, HTTPie or a REST client (a status line such as `HTTP/1.1 401 Unauthorized`, headers, a body)"
            }
            Format::CurlVerbose => {
                "`curl -v` output (`> ` request lines, `< ` response lines, `* ` info lines)"
            }
            Format::CurlTrace => {
                "`curl --trace-ascii` or `--trace` output (`== Info:`, `=> Send header`, `<= Recv header`)"
            }
            Format::Wget => {
                "`wget -S` or `wget -d` output (`HTTP request sent, awaiting response…`)"
            }
            Format::Har => {
                "a HAR file exported from the browser's network panel (JSON with `log.entries`)"
            }
            Format::Console => {
                "a browser console or Node error (`blocked by CORS policy`, `net::ERR_…`, `ECONNREFUSED`, an axios error …)"
            }
            Format::ClientError => {
                "an HTTP client's error: a Python, Go, Java or .NET exception, a PowerShell or cloud CLI error"
            }
            Format::Panel => {
                "a DevTools Headers panel or Swagger UI response copied as text (`Request URL`, `Status Code` …)"
            }
            Format::Log => {
                "a router or platform log line (Heroku `at=error code=H12`, Vercel, nginx error log)"
            }
            Format::JsonBody => "a JSON error body (`{\"detail\": …}`, problem+json …)",
            Format::Unrecognized => "",
        }
    }
}

/// What the readers made of an input, and why they read it that way.
pub(crate) struct Reading {
    pub format: Format,
    pub capture: Capture,
    /// Why this reader was chosen, in words.
    pub detected_by: String,
}

/// Guesses the format of `text`.
pub fn detect(text: &str) -> Format {
    match view::view(text) {
        Some(v) => detect::detect(&v.text).format,
        None => detect::detect(text).format,
    }
}

/// Reads `text` as `format`.
pub(crate) fn read(text: &str, format: Format) -> Capture {
    match format {
        Format::RawHttp => raw_http::read(text),
        Format::CurlVerbose => curl_verbose::read(text),
        Format::CurlTrace => curl_trace::read(text),
        Format::Wget => wget::read(text),
        Format::Har => har::read(text),
        Format::Console => console::read(text),
        Format::ClientError => client_error::read(text),
        Format::Panel => panel::read(text),
        Format::Log => platform_log::read(text),
        Format::JsonBody => json_body::read(text),
        Format::Unrecognized => Capture::default(),
    }
}

/// Reads a paste: the view, the reader, the spans mapped back, and the other kinds of output
/// the rest of the paste holds.
/// A reading begun: a HAR (read entry by entry, by a stepper) or any other input, read
/// already.
pub(crate) enum Started<'a> {
    Har {
        reader: har::Reader<'a>,
        detected_by: String,
    },
    Read(Reading),
}

/// Begins reading `text`: a HAR with nothing set aside is handed back as a reader, to be
/// read in steps (with `bodies_later`, one that leaves successful responses' bodies
/// unread, [`har::Reader::bodies_later`]); anything else is read whole (its readers are
/// fast and it is small).
pub(crate) fn start_reading(text: &str, forced: Option<Format>, bodies_later: bool) -> Started<'_> {
    let detected_by = match forced {
        Some(Format::Har) => Some("chosen by hand".to_owned()),
        Some(_) => None,
        None => {
            let head = lines::prefix(text, 64);
            let object = head
                .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
                .starts_with('{');
            object
                .then(|| detect::detect(text))
                .filter(|d| d.format == Format::Har)
                .map(|d| d.reason)
        }
    };
    if let Some(detected_by) = detected_by
        && view::view(text).is_none()
    {
        return Started::Har {
            reader: if bodies_later {
                har::Reader::bodies_later(text)
            } else {
                har::Reader::new(text)
            },
            detected_by,
        };
    }
    Started::Read(read_input(text, forced))
}

pub(crate) fn read_input(text: &str, forced: Option<Format>) -> Reading {
    let view = view::view(text);
    let seen = view.as_ref().map_or(text, |v| v.text.as_str());
    let detection = match forced {
        Some(format) => detect::Detection {
            format,
            reason: "chosen by hand".into(),
        },
        None => detect::detect(seen),
    };
    let mut capture = read(seen, detection.format);
    let mut detected_by = detection.reason;
    if detection.format != Format::Har {
        more_kinds(seen, detection.format, &mut capture);
        if cut_text_after_json_bodies(&mut capture) {
            detected_by.push_str("; text after a JSON body is not part of it");
        }
    }
    if let Some(view) = &view {
        view.map.capture(&mut capture);
        detected_by.push_str(&format!(
            "; set aside {}",
            crate::knowledge::text::join_words(&view.set_aside)
        ));
    }
    Reading {
        format: detection.format,
        capture,
        detected_by,
    }
}

/// A body that is one JSON value followed by lines that are not JSON (the paster's own words,
/// a shell prompt, log lines) ends where the value ends. Several JSON values one after the
/// other (NDJSON, a stream) stay as they are. Says whether any body was cut.
fn cut_text_after_json_bodies(capture: &mut Capture) -> bool {
    let mut cut = false;
    let bodies = capture.exchanges.iter_mut().flat_map(|e| {
        let request = e.request.as_mut().and_then(|r| r.body.as_mut());
        let response = e.response.as_mut().and_then(|r| r.body.as_mut());
        request.into_iter().chain(response)
    });
    for body in bodies {
        let start = body.text.len() - body.text.trim_start().len();
        if !body.text[start..].starts_with(['{', '[']) {
            continue;
        }
        let Some(end) = json_scan::value_end(body.text.as_bytes(), start) else {
            continue;
        };
        let rest = body.text[end..].trim_start();
        let valid = serde_json::from_str::<serde::de::IgnoredAny>(&body.text[start..end]).is_ok();
        if valid && !rest.is_empty() && !rest.starts_with(['{', '[']) {
            body.text.truncate(end);
            body.segments.retain(|(at, _)| *at < end);
            cut = true;
        }
    }
    cut
}

/// Lines of `text` that none of `capture`'s exchanges covers, read as whatever other kind
/// of output they are (a console line after `curl -v` output, a traceback after an HTTP
/// message), and appended.
fn more_kinds(text: &str, primary: Format, capture: &mut Capture) {
    let mut covered: Vec<(usize, usize)> = capture
        .exchanges
        .iter()
        .filter_map(|e| e.span)
        .map(|s| (s.start, s.end))
        .collect();
    if covered.is_empty() {
        return;
    }
    covered.sort_unstable();
    let mut rest = String::new();
    let mut runs = Vec::new();
    let mut at = 0;
    let mut keep = |from: usize, to: usize, rest: &mut String| {
        if to > from {
            runs.push((rest.len(), from));
            rest.push_str(&text[from..to]);
        }
    };
    for (start, end) in covered {
        let start = text.floor_char_boundary(start);
        if start > at {
            keep(at, start, &mut rest);
        }
        at = at.max(text.ceil_char_boundary(end));
    }
    keep(at, text.len(), &mut rest);
    if rest.trim().len() < 8 {
        return;
    }
    let other = detect::detect(&rest).format;
    let line_based = matches!(other, Format::Console | Format::ClientError | Format::Log);
    if other == primary || !line_based {
        return;
    }
    let mut more = read(&rest, other);
    view::SpanMap::from_runs(runs, rest.len()).capture(&mut more);
    capture.exchanges.append(&mut more.exchanges);
}
