//! Readers: one module per input format, each turning text into a [`Capture`].

pub(crate) mod console;
pub(crate) mod curl_command;
pub(crate) mod curl_verbose;
pub(crate) mod har;
pub(crate) mod http1;
pub(crate) mod json_body;
pub(crate) mod json_scan;
pub(crate) mod lines;
pub(crate) mod raw_http;

use serde::{Deserialize, Serialize};

use crate::model::Capture;

/// The input formats httpdx reads. The names are public (JSON reports, `--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    #[serde(rename = "raw-http")]
    RawHttp,
    #[serde(rename = "curl-verbose")]
    CurlVerbose,
    #[serde(rename = "har")]
    Har,
    #[serde(rename = "console")]
    Console,
    #[serde(rename = "json-body")]
    JsonBody,
    /// Nothing could be read.
    #[serde(rename = "unrecognized")]
    Unrecognized,
}

impl Format {
    pub const READABLE: [Format; 5] = [
        Format::RawHttp,
        Format::CurlVerbose,
        Format::Har,
        Format::Console,
        Format::JsonBody,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::RawHttp => "raw-http",
            Format::CurlVerbose => "curl-verbose",
            Format::Har => "har",
            Format::Console => "console",
            Format::JsonBody => "json-body",
            Format::Unrecognized => "unrecognized",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::READABLE.into_iter().find(|f| f.name() == name)
    }

    /// What the format looks like, for messages about input that did not match.
    pub fn description(self) -> &'static str {
        match self {
            Format::RawHttp => {
                "a raw HTTP response as printed by `curl -i` (a status line such as `HTTP/1.1 401 Unauthorized`, headers, a body)"
            }
            Format::CurlVerbose => {
                "`curl -v` output (`> ` request lines, `< ` response lines, `* ` info lines)"
            }
            Format::Har => {
                "a HAR file exported from the browser's network panel (JSON with `log.entries`)"
            }
            Format::Console => {
                "a browser console or Node error (`blocked by CORS policy`, `net::ERR_…`, `ECONNREFUSED` …)"
            }
            Format::JsonBody => "a JSON error body (`{\"detail\": …}`, problem+json …)",
            Format::Unrecognized => "",
        }
    }
}

/// How much of the input detection looks at: enough for any real preamble, and keeps
/// detection constant-time on huge pastes.
const SNIFF_BYTES: usize = 64 * 1024;

/// Guesses the format of `text`.
pub fn detect(text: &str) -> Format {
    let head = lines::prefix(text, SNIFF_BYTES);
    let trimmed = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return if har::looks_like_har(trimmed) {
            Format::Har
        } else {
            Format::JsonBody
        };
    }
    if curl_verbose::looks_like_curl_verbose(head) {
        return Format::CurlVerbose;
    }
    if raw_http::looks_like_raw_http(head) {
        return Format::RawHttp;
    }
    if console::looks_like_console(text) {
        return Format::Console;
    }
    Format::Unrecognized
}

/// Reads `text` as `format`.
pub fn read(text: &str, format: Format) -> Capture {
    match format {
        Format::RawHttp => raw_http::read(text),
        Format::CurlVerbose => curl_verbose::read(text),
        Format::Har => har::read(text),
        Format::Console => console::read(text),
        Format::JsonBody => json_body::read(text),
        Format::Unrecognized => Capture::default(),
    }
}
