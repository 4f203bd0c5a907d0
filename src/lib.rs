//! httpdx: diagnose failed HTTP API calls from what a person pastes.
//!
//! `text → input::detect/read → model::Capture → rules → report::Report`. Pure Rust, no
//! browser types: the page (`web`, wasm only) renders reports, the CLI prints them.

pub mod fix;
pub mod index;
pub mod input;
pub mod json_object;
pub(crate) mod knowledge;
#[cfg(target_arch = "wasm32")]
mod memory;
pub mod model;
mod names;
mod parallel;
pub mod report;
pub mod rules;
pub mod share;

// The JavaScript API (`diagnose(text, options)`) for the npm package: an exported function
// is kept in every wasm binary that links the library, so the page and its worker build
// without it.
#[cfg(all(target_arch = "wasm32", feature = "js-api"))]
mod wasm;
#[cfg(target_arch = "wasm32")]
pub mod web;

use input::Format;
use model::Capture;
use report::{ExchangeReport, Finding, Report, Severity, Summary};
use rules::{CaptureCx, Cx, RULES};

/// How to diagnose.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read the input as this format instead of detecting it.
    pub format: Option<Format>,
    /// Seconds since the Unix epoch to measure time-dependent findings against when a
    /// response has no Date header (the CLI passes now).
    pub reference_time: Option<i64>,
}

/// Input that cannot be diagnosed at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Empty,
    /// Binary data: a NUL byte or mostly non-text bytes at this offset.
    Binary {
        offset: usize,
    },
    TooLarge {
        bytes: usize,
        limit: usize,
    },
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Empty => write!(
                f,
                "the input is empty: paste a response, curl -v output, a HAR file, a console error or a JSON body"
            ),
            InputError::Binary { offset } => write!(
                f,
                "the input is binary, not text (byte {offset} is not text): export the HAR or copy the output as text"
            ),
            InputError::TooLarge { bytes, limit } => write!(
                f,
                "the input is {} MB; httpdx reads up to {} MB",
                bytes / 1_000_000,
                limit / 1_000_000
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// The largest input read, so a mistaken paste cannot exhaust memory.
pub const MAX_INPUT_BYTES: usize = 512 * 1024 * 1024;

/// Diagnoses raw bytes: rejects binary input, replaces invalid UTF-8 with U+FFFD.
pub fn diagnose_bytes(bytes: &[u8], options: &Options) -> Result<Report, InputError> {
    diagnose(&decode_input(bytes)?, options)
}

/// Bytes as text: rejects binary data (a NUL byte, or mostly invalid UTF-8), replaces the odd
/// invalid byte with U+FFFD.
pub fn decode_input(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, InputError> {
    let text_end = text_end(bytes)?;
    // Valid UTF-8 (nearly every input) is checked by the standard library's fast path; the
    // lossy decoder walks the bytes in chunks, several times slower on a large HAR.
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(std::borrow::Cow::Borrowed(text));
    }
    let text = String::from_utf8_lossy(bytes);
    if let std::borrow::Cow::Owned(_) = &text {
        let judged = String::from_utf8_lossy(&bytes[..text_end]);
        let replaced = judged.matches('\u{FFFD}').count();
        if replaced * 20 > judged.chars().count().max(1) {
            let offset = std::str::from_utf8(bytes)
                .err()
                .map_or(0, |e| e.valid_up_to());
            return Err(InputError::Binary { offset });
        }
    }
    Ok(text)
}

/// [`decode_input`] of bytes the caller no longer needs: text that is valid UTF-8 keeps its
/// buffer (a file of hundreds of megabytes is not copied once more).
pub fn decode_input_owned(bytes: Vec<u8>) -> Result<String, InputError> {
    text_end(&bytes)?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => decode_input(e.as_bytes()).map(std::borrow::Cow::into_owned),
    }
}

/// Where the text to judge ends: at a NUL byte in the head when a readable HTTP message head
/// precedes it (output with a binary body: gRPC frames in `curl -v > file`), else at the
/// end; binary input (a NUL byte anywhere else in the head) is refused.
fn text_end(bytes: &[u8]) -> Result<usize, InputError> {
    let head = &bytes[..bytes.len().min(8192)];
    match memchr::memchr(0, head) {
        Some(offset) if !readable_message_head(&bytes[..offset]) => {
            Err(InputError::Binary { offset })
        }
        Some(offset) => Ok(offset),
        None => Ok(bytes.len()),
    }
}

/// Whether `bytes` (what precedes a NUL byte) hold a readable HTTP status line and the
/// end of a header block: the body that follows is the message's, however binary.
fn readable_message_head(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let mut status = false;
    let mut blank_after_status = false;
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        let bare = line.strip_prefix("< ").unwrap_or(line);
        if bare.starts_with("HTTP/") && bare.len() > 9 {
            status = true;
        } else if status && (bare.trim().is_empty() || line == "<") {
            blank_after_status = true;
        }
    }
    status && blank_after_status
}

/// Diagnoses `text`.
pub fn diagnose(text: &str, options: &Options) -> Result<Report, InputError> {
    Diagnosis::new(text, options).finish()
}

/// What a stepped diagnosis is doing, and how far it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Progress {
    pub phase: Phase,
    /// Reading: the bytes of the input read so far, of `total` (the input's length).
    /// Checking: the exchanges checked so far, of `total`.
    pub done: usize,
    pub total: usize,
    /// Reading: the HAR entries read so far. Checking: the exchanges (every entry that was
    /// read into one).
    pub entries: usize,
}

impl Progress {
    /// `done` of a capture's `total` exchanges checked (every entry was read into one).
    fn checking(done: usize, total: usize) -> Progress {
        Progress {
            phase: Phase::Checking,
            done,
            total,
            entries: total,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Reading a HAR's entries.
    Reading,
    /// Running the rules on each exchange.
    Checking,
}

/// A diagnosis done in steps, so that the page's worker can show progress on a large HAR
/// and give way to a newer job between steps (a worker cannot see new messages while it
/// computes). Each step does a bounded share of the work: the whole costs what
/// [`diagnose`] costs.
pub struct Diagnosis<'a> {
    text: &'a str,
    reference_time: Option<i64>,
    state: State<'a>,
}

enum State<'a> {
    Failed(Option<InputError>),
    Reading {
        reader: Box<input::har::Reader<'a>>,
        detected_by: String,
    },
    Checking(Box<Checking>),
    Taken,
}

/// One exchange's findings and the tokens they decoded.
type Checked = (Vec<Finding>, Vec<report::DecodedToken>);

/// The rules' work in progress: the capture's own findings, then each exchange's. Step by
/// step, first those that failed by the entry alone (an error status, no response), in
/// input order, so that a report's first screen can be shown once the first of them are
/// checked ([`Diagnosis::first_screen`]) and the list's failures are checked before the
/// rest; a whole step checks all that is left at once, in input order. Exchanges do not see
/// each other's findings, nor do the capture checks, so the order of checking changes
/// nothing in the report.
struct Checking {
    format: Format,
    detected_by: String,
    capture: Capture,
    /// The cross-exchange indexes the rules ask, built once for every step.
    lookup: rules::Lookup,
    /// The capture's root failure, found once (a pass over every exchange).
    root_failure: Option<report::RootFailure>,
    findings: Vec<Finding>,
    /// The capture checks left for last ([`rules::Rule::checks_capture_last`]): each rule's
    /// place in `RULES`, and where its findings go among `findings`. Empty once they ran.
    last_checks: Vec<(usize, usize)>,
    /// By exchange index, once checked.
    per_exchange: Vec<Option<Checked>>,
    /// Exchange indices in the order steps check them: the failures, then the rest.
    order: Vec<usize>,
    /// Whether the bodies of successful responses are still unread: what is checked is
    /// then only for a first screen, and all is checked again once they are read.
    bodies_unread: bool,
    /// The exchanges before this one have their bodies read (they are read in steps, as
    /// the entries are: read at once, the 58 MB benchmark HAR's took a step of over 100 ms
    /// in the page's worker, a 500 MB HAR's would take about ten times that (by proportion,
    /// not measured), and a newer job waits for a step to end).
    bodies_read: usize,
    /// How many of `order` are checked, and how many of it are the failures.
    checked: usize,
    failures: usize,
}

/// The failures checked before a first screen is shown: ten times what the list shows at
/// once (the list shows the failures first, in input order), and a few milliseconds of
/// work. The other failures are checked right after, before the rest.
pub const FIRST_SCREEN_FAILURES: usize = 100;

/// Whether an exchange's response body was left unread ([`model::Body::unread`]).
fn has_unread_body(exchange: &model::Exchange) -> bool {
    exchange
        .response
        .as_ref()
        .and_then(|r| r.body.as_ref())
        .is_some_and(|b| b.unread.is_some())
}

/// Whether an exchange failed by what its entry says alone, before any rule ran: an error
/// status, status 0, or no response at all (the rules may find more failures later).
fn failed_by_entry(exchange: &model::Exchange) -> bool {
    exchange.transport_error.is_some()
        || exchange
            .response
            .as_ref()
            .is_none_or(|r| r.status == 0 || r.status >= 400)
}

/// What a diagnosis knows once the first [`FIRST_SCREEN_FAILURES`] exchanges that failed by
/// their entry alone are checked: enough for a report's first screen (counts by status, the
/// failures the list shows first with their findings), while the rest are still checked.
pub struct FirstScreen<'d> {
    pub format: Format,
    pub detected_by: report::Text,
    pub reference_time: Option<i64>,
    /// The input's own findings, most severe first.
    pub findings: Vec<Finding>,
    pub root_failure: Option<report::RootFailure>,
    /// Every exchange, as read.
    pub exchanges: &'d [model::Exchange],
    /// The exchanges checked so far, in exchange order, with their findings and whether they
    /// failed as the report will have them; without what a first screen does not show
    /// (bodies, summary, cards, fixed request, tokens).
    pub checked: Vec<ExchangeReport>,
}

/// The smallest step (exchanges checked, bytes of entries read), and the most steps a
/// diagnosis takes per phase. Between two steps the page's worker posts its progress and
/// gives way, 1 to 5 ms each time: a 58 MB HAR read in 16 steps of 10 ms lost 20 ms
/// there, so its entries are read in at most 8 (each a few dozen milliseconds of work).
const MIN_STEP: usize = 500;
const MIN_READING_STEP: usize = 1 << 20;
const MAX_STEPS: usize = 16;
const MAX_READING_STEPS: usize = 8;

/// A step of `total` (exchanges, or bytes of entries): at most `most` of them, none
/// smaller than `smallest`.
fn step_size(total: usize, smallest: usize, most: usize) -> usize {
    smallest.max(total.div_ceil(most))
}

impl<'a> Diagnosis<'a> {
    pub fn new(text: &'a str, options: &Options) -> Diagnosis<'a> {
        Diagnosis::start(text, options, false)
    }

    /// A diagnosis whose [first screen](Diagnosis::first_screen) comes as soon as it can: a
    /// HAR's successful responses are read without their bodies (each is checked and
    /// stepped over, not decoded: the 58 MB benchmark HAR's entries were read in 104 ms
    /// instead of 133 in Node's WebAssembly), the failures are checked for the first screen,
    /// and then the bodies are read and everything is checked again from the start, so that
    /// the report is [`diagnose`]'s. The first screen's findings are the report's, as no
    /// check of a failure reads another exchange's successful body (should one, the page's
    /// rows are completed from the report).
    pub fn first_screen_first(text: &'a str, options: &Options) -> Diagnosis<'a> {
        Diagnosis::start(text, options, true)
    }

    fn start(text: &'a str, options: &Options, bodies_later: bool) -> Diagnosis<'a> {
        let failed = |e| Diagnosis {
            text,
            reference_time: options.reference_time,
            state: State::Failed(Some(e)),
        };
        if text.len() > MAX_INPUT_BYTES {
            return failed(InputError::TooLarge {
                bytes: text.len(),
                limit: MAX_INPUT_BYTES,
            });
        }
        if text.trim().is_empty() {
            return failed(InputError::Empty);
        }
        let state = match input::start_reading(text, options.format, bodies_later) {
            input::Started::Har {
                reader,
                detected_by,
            } => State::Reading {
                reader: Box::new(reader),
                detected_by,
            },
            input::Started::Read(reading) => State::Checking(Box::new(Checking::start(
                text,
                reading.format,
                reading.detected_by,
                reading.capture,
                options.reference_time,
            ))),
        };
        Diagnosis {
            text,
            reference_time: options.reference_time,
            state,
        }
    }

    /// Does the next share of the work and says how far it got; `None` once there is
    /// nothing left but [`Diagnosis::finish`].
    pub fn step(&mut self) -> Option<Progress> {
        self.advance(false)
    }

    /// [`Diagnosis::step`]; a `whole` step reads, or checks, all that is left at once (when
    /// nobody waits for progress: every step spreads its work over the cores anew).
    fn advance(&mut self, whole: bool) -> Option<Progress> {
        let size = |total, smallest, most| {
            if whole {
                usize::MAX
            } else {
                step_size(total, smallest, most)
            }
        };
        match &mut self.state {
            State::Failed(_) | State::Taken => None,
            State::Reading { reader, .. } => {
                let total = self.text.len();
                if reader.step(size(total, MIN_READING_STEP, MAX_READING_STEPS)) {
                    let (entries, done) = reader.progress();
                    return Some(Progress {
                        phase: Phase::Reading,
                        done,
                        total,
                        entries,
                    });
                }
                let State::Reading {
                    reader,
                    detected_by,
                } = std::mem::replace(&mut self.state, State::Taken)
                else {
                    return None;
                };
                let capture = reader.finish();
                let total = capture.exchanges.len();
                let mut checking = Checking::start(
                    self.text,
                    Format::Har,
                    detected_by,
                    capture,
                    self.reference_time,
                );
                // (None unread when the reader read them all, or found no body to leave:
                // then nothing is checked twice.)
                checking.bodies_unread = checking.capture.exchanges.iter().any(has_unread_body);
                self.state = State::Checking(Box::new(checking));
                Some(Progress::checking(0, total))
            }
            State::Checking(checking)
                if checking.bodies_unread
                    && (whole || checking.checked >= checking.first_batch()) =>
            {
                let total = checking.capture.exchanges.len();
                let budget = size(self.text.len(), MIN_READING_STEP, MAX_READING_STEPS);
                let exchanges = &mut checking.capture.exchanges[checking.bodies_read..];
                checking.bodies_read +=
                    input::har::read_unread_bodies(exchanges, self.text, budget);
                if checking.bodies_read < total {
                    // Progress stays where the first screen left it.
                    return Some(Progress::checking(checking.checked, total));
                }
                let before = checking.checked;
                self.check_again();
                if whole {
                    return self.advance(true);
                }
                // The first screen's failures again, and on: progress moves forward.
                let State::Checking(checking) = &mut self.state else {
                    return None;
                };
                let total = checking.capture.exchanges.len();
                while checking.checked <= before && checking.checked < total {
                    checking.check(
                        self.text,
                        self.reference_time,
                        size(total, MIN_STEP, MAX_STEPS),
                    );
                }
                Some(Progress::checking(checking.checked, total))
            }
            State::Checking(checking) => {
                let total = checking.capture.exchanges.len();
                if whole && checking.checked < total {
                    checking.check_rest_and_capture_last(self.text, self.reference_time);
                    return Some(Progress::checking(total, total));
                }
                if checking.checked == total {
                    if checking.last_checks.is_empty() {
                        return None;
                    }
                    checking.check_capture_last(self.text, self.reference_time);
                    return Some(Progress::checking(total, total));
                }
                checking.check(
                    self.text,
                    self.reference_time,
                    size(total, MIN_STEP, MAX_STEPS),
                );
                Some(Progress::checking(checking.checked, total))
            }
        }
    }

    /// Starts the checking again from the start, once every body is read: the rules, the
    /// capture's checks and its indexes see every body.
    fn check_again(&mut self) {
        let State::Checking(checking) = std::mem::replace(&mut self.state, State::Taken) else {
            return;
        };
        let Checking {
            format,
            detected_by,
            capture,
            ..
        } = *checking;
        self.state = State::Checking(Box::new(Checking::start(
            self.text,
            format,
            detected_by,
            capture,
            self.reference_time,
        )));
    }

    /// Once the first [`FIRST_SCREEN_FAILURES`] exchanges that failed by their entry alone
    /// are checked (all of them, when fewer) and others are left: what a first screen shows,
    /// with every exchange checked so far. `None` before, and once everything is checked (the
    /// report is then [`Diagnosis::finish`]'s).
    pub fn first_screen(&self) -> Option<FirstScreen<'_>> {
        let State::Checking(checking) = &self.state else {
            return None;
        };
        let total = checking.capture.exchanges.len();
        if checking.checked < checking.first_batch() || checking.checked == total {
            return None;
        }
        let mut findings = checking.findings.clone();
        findings.sort_by_key(|f| f.severity);
        let mut failures = checking.order[..checking.checked].to_vec();
        failures.sort_unstable();
        Some(FirstScreen {
            format: checking.format,
            detected_by: checking.detected_by.as_str().into(),
            reference_time: self.reference_time,
            findings,
            root_failure: checking.root_failure.clone(),
            exchanges: &checking.capture.exchanges,
            checked: failures
                .into_iter()
                .filter_map(|index| checking.first_screen_report(index))
                .collect(),
        })
    }

    /// How many exchanges are checked so far, in the order they are checked.
    pub fn checked(&self) -> usize {
        match &self.state {
            State::Checking(checking) => checking.checked,
            _ => 0,
        }
    }

    /// The exchanges checked `from` the `from`-th on, in the order they were checked, as a
    /// first screen holds them ([`FirstScreen::checked`]): what completes a first screen
    /// while the rest are checked.
    pub fn checked_since(&self, from: usize) -> Vec<ExchangeReport> {
        let State::Checking(checking) = &self.state else {
            return Vec::new();
        };
        checking.order[from.min(checking.checked)..checking.checked]
            .iter()
            .filter_map(|&index| checking.first_screen_report(index))
            .collect()
    }

    /// Exchange `index` as the report will have it, once it is checked.
    pub fn exchange_report(&self, index: usize) -> Option<ExchangeReport> {
        match &self.state {
            State::Checking(checking) => checking.exchange_report(index),
            _ => None,
        }
    }

    /// The report (the steps left are done now).
    pub fn finish(mut self) -> Result<Report, InputError> {
        while self.advance(true).is_some() {}
        match std::mem::replace(&mut self.state, State::Taken) {
            State::Checking(checking) => Ok(checking.report(self.reference_time)),
            State::Failed(Some(e)) => Err(e),
            // A stepper always ends checking or failed; an empty input is what is left.
            _ => Err(InputError::Empty),
        }
    }
}

impl Checking {
    fn start(
        text: &str,
        format: Format,
        detected_by: String,
        capture: Capture,
        reference_time: Option<i64>,
    ) -> Checking {
        // Two passes over every exchange, independent of each other: natively on two cores
        // for a capture large enough to be split.
        let (root_failure, lookup) = parallel::join(
            parallel::threads_for(capture.exchanges.len()) > 1,
            || rules::root_failure(&capture),
            || rules::Lookup::new(&capture),
        );
        let capture_cx = CaptureCx {
            input: text,
            capture: &capture,
            format,
            reference_time,
            root_failure: root_failure.as_ref(),
            lookup: &lookup,
        };
        let mut findings: Vec<Finding> = Vec::new();
        let mut last_checks = Vec::new();
        for (at, rule) in RULES.iter().enumerate() {
            if rule.checks_capture_last() {
                last_checks.push((at, findings.len()));
            } else {
                rule.check_capture(&capture_cx, &mut findings);
            }
        }
        let (mut order, rest): (Vec<usize>, Vec<usize>) =
            (0..capture.exchanges.len()).partition(|&i| failed_by_entry(&capture.exchanges[i]));
        let failures = order.len();
        order.extend(rest);
        Checking {
            format,
            detected_by,
            lookup,
            root_failure,
            per_exchange: vec![None; capture.exchanges.len()],
            capture,
            findings,
            last_checks,
            order,
            bodies_unread: false,
            bodies_read: 0,
            checked: 0,
            failures,
        }
    }

    /// Runs the capture checks left for last, each one's findings in its place.
    fn check_capture_last(&mut self, text: &str, reference_time: Option<i64>) {
        let found = self.capture_last_findings(text, reference_time);
        self.place_capture_last(found);
    }

    /// The findings of each capture check left for last, in `last_checks`' order.
    fn capture_last_findings(&self, text: &str, reference_time: Option<i64>) -> Vec<Vec<Finding>> {
        let capture_cx = CaptureCx {
            input: text,
            capture: &self.capture,
            format: self.format,
            reference_time,
            root_failure: self.root_failure.as_ref(),
            lookup: &self.lookup,
        };
        self.last_checks
            .iter()
            .map(|&(at, _)| {
                let mut found = Vec::new();
                if let Some(rule) = RULES.get(at) {
                    rule.check_capture(&capture_cx, &mut found);
                }
                found
            })
            .collect()
    }

    /// Puts [`Checking::capture_last_findings`] each in its place among the findings.
    fn place_capture_last(&mut self, found: Vec<Vec<Finding>>) {
        // From the last: an insertion moves only the findings after it.
        for ((_, place), found) in std::mem::take(&mut self.last_checks)
            .into_iter()
            .zip(found)
            .rev()
        {
            self.findings.splice(place..place, found);
        }
    }

    /// Every exchange not checked yet, at once, and the capture checks left for last (a
    /// diagnosis nobody watches the steps of: the command line's, `diagnose()`). Natively
    /// the last checks (a scan of every byte of the input) run on a thread of their own
    /// beside the exchanges' threads, instead of after them on one core.
    fn check_rest_and_capture_last(&mut self, text: &str, reference_time: Option<i64>) {
        // In input order, where failures are spread among the rest, so that each thread's
        // share costs about the same (`order` has the failures, the costly ones, first).
        let mut indices = self.order[self.checked..].to_vec();
        indices.sort_unstable();
        let (checked, last) = parallel::join(
            !self.last_checks.is_empty() && parallel::threads_for(indices.len()) > 1,
            || self.check_all(text, reference_time, &indices),
            || self.capture_last_findings(text, reference_time),
        );
        for (&index, checked) in indices.iter().zip(checked) {
            self.per_exchange[index] = Some(checked);
        }
        self.checked = self.order.len();
        self.place_capture_last(last);
    }

    /// The failures checked before a first screen.
    fn first_batch(&self) -> usize {
        self.failures.min(FIRST_SCREEN_FAILURES)
    }

    /// Runs the rules on up to `max` more exchanges; a step that finishes the first screen's
    /// failures, or all the failures, ends there: the first screen can be shown, and then
    /// completed, before the rest are checked.
    fn check(&mut self, text: &str, reference_time: Option<i64>, max: usize) {
        let from = self.checked;
        let end = if from < self.first_batch() {
            self.first_batch()
        } else if from < self.failures {
            self.failures
        } else {
            self.order.len()
        };
        let to = end.min(from.saturating_add(max));
        let indices = &self.order[from..to];
        let checked = self.check_all(text, reference_time, indices);
        for (&index, checked) in indices.iter().zip(checked) {
            self.per_exchange[index] = Some(checked);
        }
        self.checked = to;
    }

    /// [`Checking::check_one`] of every exchange in `indices`, in their order: natively on
    /// every core (each exchange is checked alone, against a capture only read), in the
    /// page's worker (one thread) one after another.
    fn check_all(
        &self,
        text: &str,
        reference_time: Option<i64>,
        indices: &[usize],
    ) -> Vec<Checked> {
        parallel::map(indices.to_vec(), |index| {
            self.check_one(text, reference_time, index)
        })
    }

    /// The rules' findings on exchange `index`, and the tokens they decoded.
    fn check_one(&self, text: &str, reference_time: Option<i64>, index: usize) -> Checked {
        let capture = &self.capture;
        let lookup = &self.lookup;
        let cx = Cx::new(text, capture, lookup, index, reference_time);
        let mut out = Vec::new();
        for rule in RULES {
            rule.check_exchange(&cx, &mut out);
        }
        out.sort_by_key(|f| f.severity);
        let tokens = rules::decoded_tokens(&cx, &out);
        (out, tokens)
    }

    /// Exchange `index` as the report will have it, once it is checked (a copy: the
    /// exchange stays in the capture for the rules still to run).
    fn exchange_report(&self, index: usize) -> Option<ExchangeReport> {
        let (findings, tokens) = self.per_exchange.get(index)?.clone()?;
        let exchange = self.capture.exchanges.get(index)?.clone();
        Some(exchange_report(index, exchange, findings, tokens))
    }

    /// Exchange `index` as a first screen needs it, once it is checked: its findings and
    /// whether it failed, without its bodies (a copy of each would double what a large
    /// capture's failures hold) or what is made from the findings for its details.
    fn first_screen_report(&self, index: usize) -> Option<ExchangeReport> {
        let (findings, _) = self.per_exchange.get(index)?.as_ref()?;
        let exchange = without_bodies(self.capture.exchanges.get(index)?);
        let mut report = ExchangeReport::new(index, exchange);
        report.failed = failed(&report, findings);
        report.findings.clone_from(findings);
        Some(report)
    }

    fn report(self, reference_time: Option<i64>) -> Report {
        let per_exchange = self
            .per_exchange
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect();
        let mut report = assemble(
            self.format,
            self.capture,
            self.root_failure,
            self.findings,
            per_exchange,
            reference_time,
        );
        report.detected_by = self.detected_by.into();
        report
    }
}

/// A copy of `exchange` without its request's and response's bodies, which are not copied
/// at all. (Every field is named, so that a field added to the model is not forgotten here.)
fn without_bodies(exchange: &model::Exchange) -> model::Exchange {
    let model::Exchange {
        request,
        response,
        transport_error,
        timings,
        page_origin,
        notes,
        span,
        entry,
    } = exchange;
    model::Exchange {
        request: request.as_ref().map(
            |model::Request {
                 method,
                 url,
                 version,
                 headers,
                 body: _,
                 handed,
                 span,
             }| model::Request {
                method: method.clone(),
                url: url.clone(),
                version: version.clone(),
                headers: headers.clone(),
                body: None,
                handed: handed.clone(),
                span: *span,
            },
        ),
        response: response.as_ref().map(
            |model::Response {
                 status,
                 reason,
                 version,
                 headers,
                 body: _,
                 interim,
                 span,
             }| model::Response {
                status: *status,
                reason: reason.clone(),
                version: version.clone(),
                headers: headers.clone(),
                body: None,
                interim: interim.clone(),
                span: *span,
            },
        ),
        transport_error: transport_error.clone(),
        timings: timings.clone(),
        page_origin: page_origin.clone(),
        notes: notes.clone(),
        span: *span,
        entry: *entry,
    }
}

/// The report from the findings of the capture and of each exchange.
fn assemble(
    format: Format,
    capture: Capture,
    root_failure: Option<report::RootFailure>,
    mut findings: Vec<Finding>,
    per_exchange: Vec<(Vec<Finding>, Vec<report::DecodedToken>)>,
    reference_time: Option<i64>,
) -> Report {
    findings.sort_by_key(|f| f.severity);
    let checked: Vec<_> = capture
        .exchanges
        .into_iter()
        .zip(per_exchange)
        .enumerate()
        .collect();
    let exchanges = parallel::map(checked, |(index, (exchange, (findings, tokens)))| {
        exchange_report(index, exchange, findings, tokens)
    });
    Report {
        schema: report::Schema,
        format,
        detected_by: report::Text::default(),
        reference_time,
        findings,
        root_failure,
        exchanges,
    }
}

/// Exchange `index` with the rules' findings on it, as the report has it.
fn exchange_report(
    index: usize,
    exchange: model::Exchange,
    findings: Vec<Finding>,
    tokens: Vec<report::DecodedToken>,
) -> ExchangeReport {
    let mut report = ExchangeReport::new(index, exchange);
    let status = report
        .response
        .as_ref()
        .map(|r| r.status)
        .filter(|s| *s != 0);
    report.status_explanation = status
        .and_then(knowledge::status::explain)
        .map(report::StatusRef::Table);
    report.failed = failed(&report, &findings);
    report.summary = summarize(&report, &findings);
    report.cards = rules::cards::layout(&findings);
    report.fixed_request = fix::fixed_request(report.request.as_ref(), &findings);
    report.findings = findings;
    report.tokens = tokens;
    report
}

/// Whether an exchange failed: an error status, no response, or a finding of severity error.
fn failed(report: &ExchangeReport, findings: &[Finding]) -> bool {
    let status = report.response.as_ref().map_or(0, |r| r.status);
    status >= 400
        || report.transport_error.is_some()
        || findings.iter().any(|f| f.severity == Severity::Error)
}

/// The one-line account of an exchange the page shows first.
fn summarize(report: &ExchangeReport, findings: &[Finding]) -> Option<Summary> {
    let likely_cause = findings
        .iter()
        .find(|f| f.severity == Severity::Error)
        .or_else(|| findings.iter().find(|f| f.severity == Severity::Warning))
        .map(|f| f.title.clone());
    if let Some(response) = report.response.as_ref().filter(|r| r.status != 0) {
        let reason = if response.reason.is_empty() {
            knowledge::status::name(response.status).unwrap_or("")
        } else {
            &response.reason
        };
        let meaning = knowledge::status::explain(response.status)
            .map_or("The request succeeded.", |s| &*s.meaning);
        let blocked = report.transport_error.as_ref().is_some_and(|e| {
            knowledge::transport::classify(e) == knowledge::transport::Failure::Cors
        });
        let outcome = if blocked {
            format!("{} {reason}, blocked by CORS", response.status)
        } else {
            format!("{} {reason}", response.status)
        };
        return Some(Summary {
            outcome: outcome.trim().to_owned(),
            meaning: meaning.into(),
            likely_cause,
        });
    }
    if let Some(error) = &report.transport_error {
        let failure = knowledge::transport::classify(error);
        let (outcome, meaning) = failure.describe();
        // A failure of no known kind is best told in the client's own words.
        let meaning = match failure {
            knowledge::transport::Failure::Other if !error.message.trim().is_empty() => format!(
                "{}: {}.",
                meaning.trim_end_matches('.'),
                knowledge::text::quoted(&knowledge::text::clip(error.message.trim(), 300))
            ),
            _ => meaning.to_owned(),
        };
        return Some(Summary {
            outcome: outcome.to_owned(),
            meaning: meaning.into(),
            likely_cause,
        });
    }
    if let Some(response) = &report.response {
        let (outcome, meaning) = if response.headers.is_empty() {
            (
                "Response body",
                "A response body without its status line or headers.",
            )
        } else {
            (
                "Response headers",
                "A response's headers without its status line: the status is not shown.",
            )
        };
        return Some(Summary {
            outcome: outcome.to_owned(),
            meaning: meaning.into(),
            likely_cause,
        });
    }
    likely_cause.map(|cause| Summary {
        outcome: "Request".to_owned(),
        meaning: "A request without its response.".into(),
        likely_cause: Some(cause),
    })
}

/// The documentation of every finding ID, generated from the rules' doc comments.
pub fn findings_doc() -> String {
    let mut out = String::from(
        "# Findings\n\nEvery finding httpdx reports, by stable ID. Generated from the rules' doc comments (`cargo test` checks this file is current).\n\n",
    );
    let mut rules: Vec<&rules::RuleMeta> = RULES.iter().map(|r| r.meta()).collect();
    rules.sort_by_key(|m| m.id);
    for meta in rules {
        out.push_str(&meta.markdown());
        out.push('\n');
    }
    out
}
