//! The page's worker (`src/bin/httpdx-worker.rs`): it owns the input and the engine. The page
//! posts jobs (docs/protocol.md, section 4); the worker diagnoses, keeps the input and the
//! report, and answers with the index, then with what is asked for: an exchange's details, a
//! search, a share preview, a redacted file. A file is read here, as bytes: the page never
//! holds a large file's text.

use std::cell::{Cell, RefCell};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::index::{Details, Index};
use crate::input::Format;
use crate::report::Report;
use crate::share::{self, RedactOptions, Shared};

/// The input and diagnosis of the newest job.
struct Session {
    job: u32,
    text: String,
    report: Report,
    /// Every row of the index, which searches go through.
    rows: Vec<crate::index::Row>,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
    /// The newest job that asked for a diagnosis: an older one still running stops at its
    /// next step, its answer never sent.
    static NEWEST: Cell<u32> = const { Cell::new(0) };
    /// The job being diagnosed now (0 when none), and the questions about it that came
    /// while it is (a first screen's page asks them): answered as soon as they can be.
    static RUNNING: Cell<u32> = const { Cell::new(0) };
    static WAITING: RefCell<Vec<JsValue>> = const { RefCell::new(Vec::new()) };
    /// While the warm-up runs a file's own path as [`WARM_UP_JOB`] ([`warm_up`]), whose
    /// answers go nowhere.
    static WARMING: Cell<bool> = const { Cell::new(false) };
}

/// The job number of the warm-up's pass through a file's own path: one the page never gives
/// (its jobs count up from 1; job 0 is what is not about a job, as an example's text).
const WARM_UP_JOB: u32 = u32::MAX;

/// The rows sent with the index, and in each message after it (a few milliseconds of
/// parsing each on the page).
const FIRST_ROWS: usize = 300;
const MORE_ROWS: usize = 1_000;

/// A first screen is shown before every exchange is checked only when this many are left
/// (a fraction of a second's work here): below, the whole index comes about as soon.
const FIRST_SCREEN_LEFT: usize = 1_000;

fn is_newest(job: u32) -> bool {
    NEWEST.with(Cell::get) == job
}

/// Lets the worker's event loop run (and deliver a newer job's message) before going on:
/// through a message to itself, not a `setTimeout`, which browsers delay by at least 4 ms
/// once nested five deep (measured in Chromium: 40 steps took 150 ms of waiting by
/// `setTimeout`, 1 ms by a message).
async fn give_way() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Ok(channel) = web_sys::MessageChannel::new() {
            // (A port with a message on its way is not collected before it arrives.)
            channel.port1().set_onmessage(Some(&resolve));
            let _ = channel.port2().post_message(&JsValue::NULL);
        } else {
            let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
            let _ = scope.set_timeout_with_callback(&resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn text_field(object: &JsValue, name: &str) -> Option<String> {
    field(object, name).as_string()
}

fn number_field(object: &JsValue, name: &str) -> Option<f64> {
    field(object, name).as_f64()
}

fn job_of(message: &JsValue) -> u32 {
    number_field(message, "job")
        .and_then(|j| u32::try_from(crate::knowledge::number::count(j)).ok())
        .unwrap_or(0)
}

/// A reply: `{kind, job, …fields}`.
fn reply(kind: &str, job: u32, fields: &[(&str, JsValue)]) -> JsValue {
    let message = js_sys::Object::new();
    let set = |name: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&message, &JsValue::from_str(name), value);
    };
    set("kind", &JsValue::from_str(kind));
    set("job", &JsValue::from(job));
    for (name, value) in fields {
        set(name, value);
    }
    message.into()
}

fn json_reply<T: serde::Serialize>(kind: &str, job: u32, value: &T) -> JsValue {
    match serde_json::to_string(value) {
        Ok(json) => reply(kind, job, &[("json", JsValue::from_str(&json))]),
        Err(e) => error(job, &format!("the answer could not be written: {e}")),
    }
}

fn error(job: u32, message: &str) -> JsValue {
    reply("error", job, &[("message", JsValue::from_str(message))])
}

/// Whether the answers of `job` go nowhere: those of the warm-up's own job while it runs
/// (what is about no job, job 0, as an example's text, is always posted).
fn unheard(job: u32) -> bool {
    WARMING.with(Cell::get) && job == WARM_UP_JOB
}

fn post(message: &JsValue) {
    if unheard(job_of(message)) {
        return;
    }
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(message);
}

fn options(message: &JsValue) -> crate::Options {
    crate::Options {
        format: text_field(message, "format").and_then(|f| Format::from_name(&f)),
        reference_time: number_field(message, "reference_time")
            .map(crate::knowledge::number::whole),
    }
}

/// Diagnoses `text` in steps, telling the page how far it got after each, and answers with
/// the index; gives up (answering nothing) when a newer job arrived in between. A large
/// capture's first screen (its failures checked) is posted as soon as it is known, and
/// completed once every exchange is checked (docs/protocol.md, section 4).
async fn diagnose(
    job: u32,
    text: String,
    options: crate::Options,
    shared: Option<Shared>,
) -> Option<JsValue> {
    RUNNING.with(|r| r.set(job));
    WAITING.with(|w| w.borrow_mut().clear());
    // The text is in memory (one allocation, one growth): room for its diagnosis beside it.
    crate::memory::make_room(text.len().saturating_mul(crate::memory::DIAGNOSIS_ROOM));
    // A shared link's first screen is not posted: its bodies are read at once.
    let mut stepper = if shared.is_none() {
        crate::Diagnosis::first_screen_first(&text, &options)
    } else {
        crate::Diagnosis::new(&text, &options)
    };
    // The rows the page shows once a first screen is posted, as they are completed (a shared
    // link's first screen is not posted: its findings are noted as redacted only in the
    // whole report), and how many exchanges they show checked.
    let mut first_rows: Option<Vec<crate::index::Row>> = None;
    let mut rows_posted = 0;
    // Where a first screen's rows not sent with it start: they are sent once the next step
    // is done, so that the page shows the first screen before it reads them (the page
    // renders after the messages already waiting), and before any `rows-checked` that
    // replaces one of them.
    let mut rows_unsent: Option<usize> = None;
    let mut first_screen_due = shared.is_none();
    while let Some(progress) = stepper.step() {
        post(&reply(
            "progress",
            job,
            &[
                (
                    "phase",
                    JsValue::from_str(match progress.phase {
                        crate::Phase::Reading => "reading",
                        crate::Phase::Checking => "checking",
                    }),
                ),
                ("done", JsValue::from(progress.done)),
                ("total", JsValue::from(progress.total)),
                ("entries", JsValue::from(progress.entries)),
                ("total_bytes", JsValue::from(text.len())),
            ],
        ));
        if let Some(rows) = &mut first_rows {
            if let Some(from) = rows_unsent.take() {
                post_rows(job, &rows[from..]);
            }
            // The other failures' rows, as they are checked (the rest rarely change).
            let changed = Index::rows_checked(&stepper.checked_since(rows_posted), rows);
            rows_posted = stepper.checked();
            for chunk in changed.chunks(MORE_ROWS) {
                post(&json_reply("rows-checked", job, &chunk));
            }
        } else if first_screen_due && let Some(screen) = stepper.first_screen() {
            first_screen_due = false;
            if screen.exchanges.len() - screen.checked.len() >= FIRST_SCREEN_LEFT {
                let mut index = Index::first_screen(&screen, job, text.len(), None);
                // The rows stay here (the first screen's, completed as the rest is
                // checked); the index travels with a copy of the first only.
                let rows = std::mem::take(&mut index.rows);
                let sent = rows.len().min(FIRST_ROWS);
                index.rows = rows[..sent].to_vec();
                post(&json_reply("index", job, &index));
                rows_unsent = Some(sent);
                first_rows = Some(rows);
                rows_posted = screen.checked.len();
            }
        }
        give_way().await;
        if !is_newest(job) {
            return None;
        }
        answer_checked_details(job, &stepper, &text);
    }
    let diagnosis = stepper.finish();
    let answer = match diagnosis {
        Ok(mut report) => {
            if let Some(shared) = &shared {
                share::note_redacted_findings(&mut report, shared);
            }
            let index = Index::of(&report, job, text.len(), shared);
            let rows = index.rows.clone();
            SESSION.with(|s| {
                *s.borrow_mut() = Some(Session {
                    job,
                    text,
                    report,
                    rows,
                });
            });
            match first_rows {
                Some(first_rows) => {
                    if let Some(from) = rows_unsent {
                        post_rows(job, &first_rows[from..]);
                    }
                    complete_first_screen(job, index, &first_rows);
                }
                None => post_index(job, index),
            }
            None
        }
        Err(e) => {
            SESSION.with(|s| *s.borrow_mut() = None);
            Some(error(job, &e.to_string()))
        }
    };
    RUNNING.with(|r| r.set(0));
    // What the page asked while the job ran, answered from its session now.
    for message in WAITING.with(|w| std::mem::take(&mut *w.borrow_mut())) {
        if let Some(reply) = handle(&message) {
            post(&reply);
        }
    }
    answer
}

/// Posts `index`, its first rows with it and the rest in `rows-more` parts: the page reads
/// each message in one task of its main thread, and no part may take it long.
fn post_index(job: u32, mut index: Index) {
    let rest = index.rows.split_off(index.rows.len().min(FIRST_ROWS));
    post(&json_reply("index", job, &index));
    post_rows(job, &rest);
}

/// Posts `rows` in `rows-more` parts.
fn post_rows(job: u32, rows: &[crate::index::Row]) {
    for chunk in rows.chunks(MORE_ROWS) {
        post(&json_reply("rows-more", job, &chunk));
    }
}

/// Completes a first screen that showed `first_rows`: the rows that changed since (those
/// checked after it, and any now in a redirect chain) in `rows-checked` parts, then the
/// whole index without its rows as `checked`.
fn complete_first_screen(job: u32, mut index: Index, first_rows: &[crate::index::Row]) {
    let rows = std::mem::take(&mut index.rows);
    let changed: Vec<&crate::index::Row> = rows
        .iter()
        .zip(first_rows)
        .filter(|(row, first)| row != first)
        .map(|(row, _)| row)
        .collect();
    for chunk in changed.chunks(MORE_ROWS) {
        post(&json_reply("rows-checked", job, &chunk));
    }
    post(&json_reply("checked", job, &index));
}

/// Answers the waiting `details` questions whose exchange is checked already (the first
/// screen's failures are), from the diagnosis still running.
fn answer_checked_details(job: u32, stepper: &crate::Diagnosis<'_>, text: &str) {
    let waiting = WAITING.with(|w| std::mem::take(&mut *w.borrow_mut()));
    let mut left = Vec::new();
    for message in waiting {
        let exchange = (text_field(&message, "kind").as_deref() == Some("details"))
            .then(|| number_field(&message, "exchange").map(crate::knowledge::number::index))
            .flatten()
            .and_then(|index| stepper.exchange_report(index));
        match exchange {
            Some(exchange) => {
                post(&json_reply(
                    "details",
                    job,
                    &Details::of_exchange(exchange, job, text),
                ));
            }
            None => left.push(message),
        }
    }
    WAITING.with(|w| w.borrow_mut().extend(left));
}

/// A file, read here as bytes (FileReaderSync is synchronous, and allowed in workers).
fn read_file(job: u32, message: &JsValue) -> Result<String, String> {
    let file: web_sys::Blob = field(message, "file")
        .dyn_into()
        .map_err(|_| "no file was given".to_owned())?;
    let size = file.size();
    let limit = crate::knowledge::number::size(crate::MAX_INPUT_BYTES);
    if size > limit {
        return Err(format!(
            "the file is {:.0} MB, more than the {:.0} MB httpdx reads",
            size / 1e6,
            limit / 1e6
        ));
    }
    post(&reply(
        "progress",
        job,
        &[
            ("phase", JsValue::from_str("reading-file")),
            ("total_bytes", JsValue::from_f64(size)),
        ],
    ));
    let reader = web_sys::FileReaderSync::new()
        .map_err(|_| "this browser cannot read files in a worker".to_owned())?;
    let buffer = reader
        .read_as_array_buffer(&file)
        .map_err(|_| "the file could not be read".to_owned())?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    crate::decode_input_owned(bytes).map_err(|e| e.to_string())
}

fn redact_options(message: &JsValue) -> RedactOptions {
    let list = |name: &str| -> Vec<String> {
        let value = field(message, name);
        if js_sys::Array::is_array(&value) {
            js_sys::Array::from(&value)
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        } else {
            Vec::new()
        }
    };
    RedactOptions {
        redact_claims: field(message, "redact_claims").as_bool().unwrap_or(false),
        keep: list("keep"),
        extra: list("extra"),
    }
}

/// Runs `f` with the session of job `job`, or says the job is gone.
fn with_session(job: u32, f: impl FnOnce(&Session) -> JsValue) -> JsValue {
    SESSION.with(|s| match s.borrow().as_ref() {
        Some(session) if session.job == job => f(session),
        _ => error(
            job,
            "that input is no longer loaded: paste or drop it again",
        ),
    })
}

/// A job that starts a diagnosis: it becomes the newest, and runs in steps.
fn start_diagnosis(message: &JsValue) -> bool {
    let job = job_of(message);
    let kind = text_field(message, "kind").unwrap_or_default();
    let (text, options, shared) = match kind.as_str() {
        "diagnose" => (
            text_field(message, "text").unwrap_or_default(),
            options(message),
            None,
        ),
        "open-link" => match share::decode_link(&text_field(message, "link").unwrap_or_default()) {
            Ok(shared) => {
                let options = crate::Options {
                    format: shared.format.as_deref().and_then(Format::from_name),
                    reference_time: shared.reference_time,
                };
                (shared.text.clone(), options, Some(shared))
            }
            Err(e) => {
                post(&error(
                    job,
                    &format!("This share link cannot be opened: {e}"),
                ));
                return true;
            }
        },
        "diagnose-file" => {
            NEWEST.with(|n| n.set(job));
            match read_file(job, message) {
                Ok(text) => (text, options(message), None),
                Err(message) => {
                    post(&error(job, &message));
                    return true;
                }
            }
        }
        "cancel" => {
            NEWEST.with(|n| {
                if n.get() == job {
                    n.set(0);
                }
            });
            return true;
        }
        _ => return false,
    };
    NEWEST.with(|n| n.set(job));
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(answer) = diagnose(job, text, options, shared).await {
            post(&answer);
        }
    });
    true
}

/// Answers one message from the page: a question about the job still being diagnosed waits
/// for it (`None` now, the answer later).
fn handle(message: &JsValue) -> Option<JsValue> {
    let job = job_of(message);
    let kind = text_field(message, "kind").unwrap_or_default();
    let about_input = matches!(
        kind.as_str(),
        "details" | "search" | "share" | "redacted-file"
    );
    if about_input && job != 0 && RUNNING.with(Cell::get) == job {
        WAITING.with(|w| w.borrow_mut().push(message.clone()));
        return None;
    }
    Some(match kind.as_str() {
        "details" => {
            let index = number_field(message, "exchange")
                .map_or(usize::MAX, crate::knowledge::number::index);
            with_session(job, |session| {
                match Details::of(&session.report, index, job, &session.text) {
                    Some(details) => json_reply("details", job, &details),
                    None => error(job, "no such exchange"),
                }
            })
        }
        // The Examples menu's texts live here, not in the page's first download.
        "example" => {
            let index = number_field(message, "example")
                .map_or(usize::MAX, crate::knowledge::number::index);
            match crate::web::examples::TEXTS.get(index) {
                Some(text) => reply("example", job, &[("text", JsValue::from_str(text))]),
                None => error(job, "no such example"),
            }
        }
        "search" => {
            let query = text_field(message, "query").unwrap_or_default();
            with_session(job, |session| {
                json_reply("rows", job, &crate::index::search(&session.rows, &query))
            })
        }
        "share" => {
            let exchanges: Option<Vec<usize>> = {
                let value = field(message, "exchanges");
                js_sys::Array::is_array(&value).then(|| {
                    js_sys::Array::from(&value)
                        .iter()
                        .filter_map(|v| v.as_f64().map(crate::knowledge::number::index))
                        .collect()
                })
            };
            let base = text_field(message, "base").unwrap_or_default();
            let options = redact_options(message);
            with_session(job, |session| {
                match share::preview(
                    &session.text,
                    &session.report,
                    exchanges.as_deref(),
                    &options,
                    &base,
                ) {
                    Ok(preview) => json_reply("shared", job, &preview),
                    Err(e) => error(job, &e.to_string()),
                }
            })
        }
        "redacted-file" => {
            let options = redact_options(message);
            with_session(job, |session| {
                match share::redact_file(&session.text, &options) {
                    Ok(redacted) => {
                        let parts = js_sys::Array::of1(&JsValue::from_str(&redacted.text));
                        let properties = web_sys::BlobPropertyBag::new();
                        properties.set_type("text/plain;charset=utf-8");
                        match web_sys::Blob::new_with_str_sequence_and_options(&parts, &properties)
                        {
                            Ok(blob) => reply(
                                "file",
                                job,
                                &[
                                    ("blob", blob.into()),
                                    ("redactions", JsValue::from(redacted.distinct().len())),
                                ],
                            ),
                            Err(_) => error(job, "the redacted file could not be made"),
                        }
                    }
                    Err(leak) => error(job, &leak.to_string()),
                }
            })
        }
        _ => return None,
    })
}

/// The worker's main: answer every message; say `ready` once listening.
pub fn serve() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            if start_diagnosis(&data) {
                return;
            }
            if let Some(answer) = handle(&data) {
                post(&answer);
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before this handler existed were dropped: the page waits for this.
    post(&reply("ready", 0, &[]));
    wasm_bindgen_futures::spawn_local(warm_up());
}

/// Diagnoses the built-in examples once, one per task, while the person is still reading
/// the page: an engine's first diagnosis pays for the browser compiling each function it
/// calls and for the tables the rules build on first use (measured in Chromium: a small
/// paste took 70 ms in the worker the first time, 12 ms after). A job that arrives in the
/// meantime runs between two examples, and ends the warm-up.
async fn warm_up() {
    for text in crate::web::examples::TEXTS {
        if NEWEST.with(Cell::get) != 0 {
            return;
        }
        if let Ok(report) = crate::diagnose(text, &crate::Options::default()) {
            let index = Index::of(&report, 0, text.len(), None);
            let _ = serde_json::to_string(&index);
            if let Some(exchange) = report.exchanges.first() {
                let _ = serde_json::to_string(&Details::of_exchange(exchange.clone(), 0, text));
            }
        }
        give_way().await;
    }
    // A large capture's steps. The functions that run once per diagnosis over every
    // exchange (the rules' indexes, the capture's checks, the first screen's rows) run the
    // first time in the browser's baseline code, which WebAssembly never leaves in the
    // middle of a call (V8 has no on-stack replacement for it), and are compiled again,
    // optimised, only once they have run enough. A capture of 2,000 entries (1.8 MB),
    // diagnosed twice, gets them there before the person drops their file: on the 58 MB
    // benchmark HAR in Chromium, the worker's steps from the last entries read to the first
    // screen's index took 46–71 ms, 10–23 ms and 10–21 ms without it, 33–53, 5–9 and
    // 7–14 ms with it, and the first screen came after 0.33 s instead of 0.42 s (medians
    // of 5 runs). 600 entries diagnosed three times were not enough (0.43 s).
    let capture = warm_up_capture(WARM_UP_ENTRIES);
    let options = crate::Options::default();
    let mut stepper = crate::Diagnosis::first_screen_first(&capture, &options);
    let mut first_screen_due = true;
    // A step at a time: a job that arrives waits for one step, not for a pass.
    loop {
        if NEWEST.with(Cell::get) != 0 {
            return;
        }
        if stepper.step().is_none() {
            break;
        }
        if first_screen_due && let Some(screen) = stepper.first_screen() {
            first_screen_due = false;
            let mut index = Index::first_screen(&screen, 0, capture.len(), None);
            index.rows.truncate(FIRST_ROWS);
            // The page draws this first screen once, out of sight, for the same reason.
            if let Ok(json) = serde_json::to_string(&index) {
                post(&reply("warm-up", 0, &[("json", JsValue::from_str(&json))]));
            }
        }
        give_way().await;
    }
    if let Ok(report) = stepper.finish() {
        let _ = serde_json::to_string(&Index::of(&report, 0, capture.len(), None));
    }
    give_way().await;
    // The second pass takes a dropped file's own path: the capture read from a `Blob` as a
    // file is, and diagnosed by a job's own code (as `WARM_UP_JOB`, whose answers go
    // nowhere; a person's job that arrives meanwhile is newer, and stops it). A person's
    // first file then calls none of that path's functions for the first time (the browser
    // compiled one of them for 4 ms after the file was chosen, traced in Chromium).
    if NEWEST.with(Cell::get) != 0 {
        return;
    }
    let parts = js_sys::Array::of1(&JsValue::from_str(&capture));
    let Ok(file) = web_sys::Blob::new_with_str_sequence(&parts) else {
        return;
    };
    let message = reply("diagnose-file", WARM_UP_JOB, &[("file", file.into())]);
    NEWEST.with(|n| n.set(WARM_UP_JOB));
    WARMING.with(|w| w.set(true));
    if let Ok(text) = read_file(WARM_UP_JOB, &message) {
        let _ = diagnose(WARM_UP_JOB, text, crate::Options::default(), None).await;
    }
    WARMING.with(|w| w.set(false));
    NEWEST.with(|n| {
        if n.get() == WARM_UP_JOB {
            n.set(0);
        }
    });
    // Its report is not kept.
    SESSION.with(|s| {
        let mut session = s.borrow_mut();
        if session.as_ref().is_some_and(|s| s.job == WARM_UP_JOB) {
            *session = None;
        }
    });
}

/// The warm-up capture's entries: it is diagnosed twice (each pass 110–250 ms of the worker's
/// time, in steps: a job that arrives waits for one step).
const WARM_UP_ENTRIES: usize = 2000;

/// A HAR of `entries` calls to an API, as a browser exports them: most answered 200 with a
/// JSON body, some refused (401, 403, 404, 429), some failed (500, 503) and some with no
/// response at all.
fn warm_up_capture(entries: usize) -> String {
    const STATUSES: [u16; 16] = [
        200, 200, 200, 201, 200, 401, 200, 404, 200, 500, 200, 429, 200, 0, 503, 403,
    ];
    let mut har = String::from(
        r#"{"log":{"version":"1.2","creator":{"name":"httpdx","version":"1"},"entries":["#,
    );
    for i in 0..entries {
        if i > 0 {
            har.push(',');
        }
        let status = STATUSES[i % STATUSES.len()];
        let (content_type, body) = if status < 400 {
            (
                "application/json",
                format!(
                    r#"{{\"id\":{i},\"items\":[{{\"name\":\"item {i}\",\"tags\":[\"a\",\"b\"]}}]}}"#
                ),
            )
        } else {
            (
                "application/problem+json",
                format!(
                    r#"{{\"type\":\"about:blank\",\"title\":\"Error\",\"status\":{status},\"detail\":\"request {i} failed\"}}"#
                ),
            )
        };
        let response = if status == 0 {
            r#"{"status":0,"statusText":"","httpVersion":"","headers":[],"cookies":[],"content":{"size":0,"mimeType":"x-unknown"},"redirectURL":"","headersSize":-1,"bodySize":-1,"_error":"net::ERR_CONNECTION_RESET"}"#.to_owned()
        } else {
            format!(
                r#"{{"status":{status},"statusText":"","httpVersion":"HTTP/1.1","headers":[{{"name":"Content-Type","value":"{content_type}"}},{{"name":"Date","value":"Tue, 24 Nov 2026 10:00:0{} GMT"}},{{"name":"Server","value":"nginx"}},{{"name":"Access-Control-Allow-Origin","value":"https://app.example.com"}}],"cookies":[],"content":{{"size":{},"mimeType":"{content_type}","text":"{body}"}},"redirectURL":"","headersSize":-1,"bodySize":-1}}"#,
                i % 10,
                body.len()
            )
        };
        har.push_str(&format!(
            r#"{{"startedDateTime":"2026-11-24T10:00:{:02}.000Z","time":12.5,"request":{{"method":"GET","url":"https://api.example.com/v1/items/{i}?page={}","httpVersion":"HTTP/1.1","headers":[{{"name":"Accept","value":"application/json"}},{{"name":"Authorization","value":"Bearer warm-up"}},{{"name":"Origin","value":"https://app.example.com"}}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0}},"response":{response},"cache":{{}},"timings":{{"blocked":-1,"dns":-1,"connect":-1,"send":0.1,"wait":10,"receive":2}}}}"#,
            i % 60,
            i % 7
        ));
    }
    har.push_str("]}}");
    har
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    /// While the warm-up runs a file's path, its own job's answers go nowhere, and only
    /// they: an example's text (job 0) and a person's job are answered.
    #[wasm_bindgen_test]
    fn only_the_warm_up_s_own_job_goes_unheard() {
        WARMING.with(|w| w.set(true));
        assert!(unheard(WARM_UP_JOB));
        assert!(!unheard(0));
        assert!(!unheard(1));
        WARMING.with(|w| w.set(false));
        assert!(!unheard(WARM_UP_JOB));
    }

    /// The warm-up's capture takes the path a person's large HAR takes: every entry read
    /// as an exchange, a first screen shown before everything is checked, failures and
    /// successes both in the report, and nothing reported unreadable.
    #[wasm_bindgen_test]
    fn the_warm_up_capture_takes_a_large_har_s_path() {
        let capture = warm_up_capture(WARM_UP_ENTRIES);
        let options = crate::Options::default();
        let mut stepper = crate::Diagnosis::first_screen_first(&capture, &options);
        let mut first_screens = 0;
        while stepper.step().is_some() {
            if stepper.first_screen().is_some() {
                first_screens += 1;
            }
        }
        assert!(first_screens > 0);
        let Ok(report) = stepper.finish() else {
            panic!("the warm-up capture was not read");
        };
        assert_eq!(report.exchanges.len(), WARM_UP_ENTRIES);
        let failed = report.exchanges.iter().filter(|e| e.failed).count();
        assert!(
            failed > 100 && failed < WARM_UP_ENTRIES / 2,
            "{failed} failed"
        );
        let unread = [
            "input.skipped-part",
            "input.truncated",
            "input.unrecognized",
        ];
        assert!(
            report.findings.iter().all(|f| !unread.contains(&f.id)),
            "{:?}",
            report.findings.iter().map(|f| f.id).collect::<Vec<_>>()
        );
    }
}
