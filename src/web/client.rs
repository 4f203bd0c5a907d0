//! The page's side of the worker (docs/protocol.md, section 4): starts it as the page loads,
//! queues messages until it is ready, posts jobs, and turns its answers into [`Action`]s.
//! Text is sent once typing pauses; a file goes to the worker as a `File` and is read there.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use yew::prelude::*;

use crate::index::{Details, Index};
use crate::share::{Preview, RedactOptions};
use crate::web::state::{Action, Arrival, PASTE_LIMIT, Phase, Progress, Source, State};

/// The loader Trunk writes for the worker bin (`data-loader-shim`), unless the page names
/// its hashed address in `<meta name="httpdx-worker">` (the release build does).
const DEFAULT_SCRIPT: &str = "./httpdx-worker_loader.js";

fn worker_script() -> String {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[name=httpdx-worker]").ok().flatten())
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_else(|| DEFAULT_SCRIPT.to_owned())
}

type OnMessage = Closure<dyn FnMut(web_sys::MessageEvent)>;

struct Inner {
    worker: Option<web_sys::Worker>,
    ready: Cell<bool>,
    /// Messages posted before the worker said it was ready.
    queue: RefCell<Vec<JsValue>>,
    /// The file the newest job reads (the page does not read it).
    file: RefCell<Option<web_sys::File>>,
    /// The shared link fragment the page was opened with, until it is sent.
    link: RefCell<Option<String>>,
    /// The newest job number handed out.
    job: Cell<u32>,
    pending: RefCell<Option<Timeout>>,
    /// Answers read but not yet given to the page (see [`Engine::deliver`]).
    deferred: RefCell<Vec<Action>>,
    /// Kept alive as long as the worker: the browser calls it for every answer.
    on_message: RefCell<Option<OnMessage>>,
}

/// A handle to the worker, cheap to clone into callbacks.
#[derive(Clone)]
pub(crate) struct Engine(Rc<Inner>);

impl PartialEq for Engine {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

fn message(kind: &str, job: u32) -> js_sys::Object {
    let message = js_sys::Object::new();
    set(&message, "kind", &JsValue::from_str(kind));
    set(&message, "job", &JsValue::from(job));
    message
}

fn set(object: &js_sys::Object, name: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(name), value);
}

fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn json<T: serde::de::DeserializeOwned>(data: &JsValue) -> Option<T> {
    serde_json::from_str(&field(data, "json").as_string()?).ok()
}

fn strings(list: &[String]) -> JsValue {
    list.iter()
        .map(|s| JsValue::from_str(s))
        .collect::<js_sys::Array>()
        .into()
}

impl Engine {
    /// An engine without a worker, for component tests and the report's warm-up: what it
    /// is asked is dropped.
    pub(crate) fn detached() -> Engine {
        Engine(Rc::new(Inner {
            worker: None,
            ready: Cell::new(false),
            queue: RefCell::default(),
            file: RefCell::default(),
            link: RefCell::default(),
            job: Cell::new(0),
            pending: RefCell::default(),
            deferred: RefCell::default(),
            on_message: RefCell::default(),
        }))
    }

    /// Gives an answer's action to the page. An index is shown in a task of its own, after
    /// the one that read it (its first render and the reading of its JSON would make one
    /// long task of the main thread together); the answers read after it wait their turn,
    /// one per task, so that their order stays.
    fn deliver(&self, dispatcher: &UseReducerDispatcher<State>, action: Action) {
        let starts_a_turn = matches!(action, Action::Indexed(_));
        let waiting = {
            let mut deferred = self.0.deferred.borrow_mut();
            if deferred.is_empty() && !starts_a_turn {
                drop(deferred);
                dispatcher.dispatch(action);
                return;
            }
            deferred.push(action);
            deferred.len()
        };
        if waiting == 1 {
            self.next_turn(dispatcher.clone());
        }
    }

    /// Dispatches the oldest deferred action in a task of its own, then the next.
    fn next_turn(&self, dispatcher: UseReducerDispatcher<State>) {
        let engine = self.clone();
        Timeout::new(0, move || {
            // (A few actions at most: a Vec is smaller code than a VecDeque.)
            let action = {
                let mut deferred = engine.0.deferred.borrow_mut();
                (!deferred.is_empty()).then(|| deferred.remove(0))
            };
            if let Some(action) = action {
                dispatcher.dispatch(action);
            }
            if !engine.0.deferred.borrow().is_empty() {
                engine.next_turn(dispatcher);
            }
        })
        .forget();
    }

    fn post(&self, message: &JsValue) {
        if !self.0.ready.get() {
            self.0.queue.borrow_mut().push(message.clone());
            return;
        }
        if let Some(worker) = &self.0.worker {
            let _ = worker.post_message(message);
        }
    }

    /// Keeps `file` for the next job (the worker reads it).
    pub(crate) fn hold_file(&self, file: web_sys::File) {
        *self.0.file.borrow_mut() = Some(file);
    }

    /// Keeps the share link the page was opened with for the next job.
    pub(crate) fn hold_link(&self, fragment: String) {
        *self.0.link.borrow_mut() = Some(fragment);
    }

    /// The details of exchange `index` of job `job`.
    pub(crate) fn details(&self, job: u32, index: usize) {
        let request = message("details", job);
        set(
            &request,
            "exchange",
            &JsValue::from_f64(crate::knowledge::number::size(index)),
        );
        self.post(&request);
    }

    /// The text of the Examples menu's entry `index`, which the worker holds; it arrives as
    /// an edit of the input.
    pub(crate) fn example(&self, index: usize) {
        let request = message("example", 0);
        set(
            &request,
            "example",
            &JsValue::from_f64(crate::knowledge::number::size(index)),
        );
        self.post(&request);
    }

    pub(crate) fn search(&self, job: u32, query: &str) {
        let request = message("search", job);
        set(&request, "query", &JsValue::from_str(query));
        self.post(&request);
    }

    /// A share preview of job `job`: `exchanges` (for a HAR) under `base`.
    pub(crate) fn share(
        &self,
        job: u32,
        exchanges: Option<&[usize]>,
        options: &RedactOptions,
        base: &str,
    ) {
        let request = message("share", job);
        if let Some(exchanges) = exchanges {
            let list: js_sys::Array = exchanges
                .iter()
                .map(|i| JsValue::from_f64(crate::knowledge::number::size(*i)))
                .collect();
            set(&request, "exchanges", &list.into());
        }
        set(
            &request,
            "redact_claims",
            &JsValue::from_bool(options.redact_claims),
        );
        set(&request, "keep", &strings(&options.keep));
        set(&request, "extra", &strings(&options.extra));
        set(&request, "base", &JsValue::from_str(base));
        self.post(&request);
    }

    /// The whole input, redacted, as a file to download.
    pub(crate) fn redacted_file(&self, job: u32, options: &RedactOptions) {
        let request = message("redacted-file", job);
        set(
            &request,
            "redact_claims",
            &JsValue::from_bool(options.redact_claims),
        );
        set(&request, "keep", &strings(&options.keep));
        set(&request, "extra", &strings(&options.extra));
        self.post(&request);
    }

    /// Sends the input as a new job, after `delay` ms (typing) or at once.
    fn schedule(&self, state: &UseReducerHandle<State>, delay: u32) {
        let engine = self.clone();
        let dispatcher = state.dispatcher();
        let source = state.source.clone();
        let input = state.input.clone();
        let format = state.format;
        let send = move || {
            let job = engine.0.job.get() + 1;
            let now = crate::knowledge::number::whole(js_sys::Date::now() / 1000.0);
            let request = match &source {
                Source::Link => {
                    let Some(fragment) = engine.0.link.borrow_mut().take() else {
                        return;
                    };
                    let request = message("open-link", job);
                    set(&request, "link", &JsValue::from_str(&fragment));
                    request
                }
                Source::File { .. } => {
                    let Some(file) = engine.0.file.borrow().clone() else {
                        return;
                    };
                    let request = message("diagnose-file", job);
                    set(&request, "file", &file.into());
                    request
                }
                Source::Text if input.trim().is_empty() => {
                    engine.0.job.set(job);
                    dispatcher.dispatch(Action::Sent(job));
                    dispatcher.dispatch(Action::Failed {
                        job,
                        message: String::new(),
                    });
                    return;
                }
                Source::Text if input.len() > PASTE_LIMIT => {
                    engine.0.job.set(job);
                    dispatcher.dispatch(Action::Sent(job));
                    dispatcher.dispatch(Action::Failed {
                        job,
                        message: format!("This text is {} MB: pasted text is diagnosed up to {} MB. Save it to a file and drop the file on the page instead.", crate::web::decimals(crate::knowledge::number::size(input.len()) / 1_048_576.0, 0), PASTE_LIMIT / 1_048_576),
                    });
                    return;
                }
                Source::Text => {
                    let request = message("diagnose", job);
                    set(&request, "text", &JsValue::from_str(&input));
                    request
                }
            };
            if let Some(format) = format {
                set(&request, "format", &JsValue::from_str(format.name()));
            }
            if source != Source::Link {
                set(
                    &request,
                    "reference_time",
                    &JsValue::from_f64(crate::knowledge::number::seconds(now)),
                );
            }
            engine.0.job.set(job);
            dispatcher.dispatch(Action::Sent(job));
            engine.post(&request.into());
        };
        // Typing waits for a pause; anything else is sent now, not after a timeout of 0,
        // which waits for a task of its own behind whatever the page has queued.
        if delay == 0 {
            self.0.pending.borrow_mut().take();
            send();
        } else {
            *self.0.pending.borrow_mut() = Some(Timeout::new(delay, send));
        }
    }
}

/// The page's dispatcher of the worker's answers ([`Engine::deliver`]).
struct Deliver<'a> {
    engine: &'a Engine,
    dispatcher: &'a UseReducerDispatcher<State>,
}

impl Deliver<'_> {
    fn dispatch(&self, action: Action) {
        self.engine.deliver(self.dispatcher, action);
    }
}

/// Turns one answer of the worker into an action.
fn answer(engine: &Engine, data: &JsValue, dispatcher: &UseReducerDispatcher<State>) {
    let dispatcher = &Deliver { engine, dispatcher };
    let kind = field(data, "kind").as_string().unwrap_or_default();
    let job = field(data, "job")
        .as_f64()
        .and_then(|j| u32::try_from(crate::knowledge::number::count(j)).ok())
        .unwrap_or(0);
    let number = |name: &str| field(data, name).as_f64().unwrap_or(0.0);
    match kind.as_str() {
        "ready" => {
            engine.0.ready.set(true);
            for message in engine.0.queue.borrow_mut().drain(..) {
                if let Some(worker) = &engine.0.worker {
                    let _ = worker.post_message(&message);
                }
            }
        }
        "progress" => dispatcher.dispatch(Action::Progress {
            job,
            progress: Progress {
                phase: match field(data, "phase").as_string().as_deref() {
                    Some("reading-file") => Phase::ReadingFile,
                    Some("reading") => Phase::ReadingEntries,
                    _ => Phase::Checking,
                },
                done: crate::knowledge::number::index(number("done")),
                total: crate::knowledge::number::index(number("total")),
                entries: crate::knowledge::number::index(number("entries")),
                total_bytes: number("total_bytes"),
            },
        }),
        "index" => match json::<Index>(data) {
            Some(index) => dispatcher.dispatch(Action::Indexed(Box::new(index))),
            None => dispatcher.dispatch(Action::Failed {
                job,
                message: "The diagnosis could not be read back from the worker.".into(),
            }),
        },
        "rows-more" => {
            if let Some(rows) = json::<Vec<crate::index::Row>>(data) {
                dispatcher.dispatch(Action::MoreRows { job, rows });
            }
        }
        "rows-checked" => {
            if let Some(rows) = json::<Vec<crate::index::Row>>(data) {
                dispatcher.dispatch(Action::RowsChecked { job, rows });
            }
        }
        "checked" => {
            if let Some(index) = json::<Index>(data) {
                dispatcher.dispatch(Action::Checked(Box::new(index)));
            }
        }
        "details" => {
            if let Some(details) = json::<Details>(data) {
                dispatcher.dispatch(Action::Details(Box::new(details)));
            }
        }
        // The first screen of the worker's warm-up capture, drawn once out of sight.
        "warm-up" => {
            if let Some(index) = json::<Index>(data) {
                Timeout::new(0, move || {
                    crate::web::components::report_view::warm_up(index);
                })
                .forget();
            }
        }
        "example" => {
            if let Some(text) = field(data, "text").as_string() {
                dispatcher.dispatch(Action::Edit(text, Arrival::Whole));
            }
        }
        "rows" => {
            if let Some(rows) = json::<Vec<usize>>(data) {
                dispatcher.dispatch(Action::Matches { job, rows });
            }
        }
        "shared" => match json::<Preview>(data) {
            Some(preview) => dispatcher.dispatch(Action::Shared {
                job,
                preview: Box::new(preview),
            }),
            None => dispatcher.dispatch(Action::ShareFailed {
                job,
                message: "The share preview could not be read.".into(),
            }),
        },
        "file" => {
            if let Ok(blob) = field(data, "blob").dyn_into::<web_sys::Blob>() {
                crate::web::dom::download(&blob, "redacted.txt");
            }
        }
        "error" => {
            let message = field(data, "message").as_string().unwrap_or_default();
            dispatcher.dispatch(Action::Failed {
                job,
                message: message.clone(),
            });
            dispatcher.dispatch(Action::ShareFailed { job, message });
        }
        _ => {}
    }
}

/// Starts the worker with the page and sends the input whenever it changes (after a pause in
/// typing; at once for a file or a link). Returns the handle and the callback that sends the
/// input now (Ctrl+Enter, the Diagnose button).
#[hook]
pub(crate) fn use_engine(state: &UseReducerHandle<State>) -> (Engine, Callback<()>) {
    let engine = {
        let dispatcher = state.dispatcher();
        use_memo((), move |()| {
            let worker = web_sys::Worker::new(&worker_script()).ok();
            let engine = Engine(Rc::new(Inner {
                ready: Cell::new(false),
                queue: RefCell::default(),
                file: RefCell::default(),
                link: RefCell::default(),
                job: Cell::new(0),
                pending: RefCell::default(),
                deferred: RefCell::default(),
                on_message: RefCell::default(),
                worker,
            }));
            let handle = engine.clone();
            let failed = dispatcher.clone();
            let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |event: web_sys::MessageEvent| {
                    answer(&handle, &event.data(), &dispatcher);
                },
            );
            if let Some(worker) = &engine.0.worker {
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            } else {
                failed.dispatch(Action::LoadFailed(
                    "This browser cannot start the page's worker, which runs the diagnosis.".into(),
                ));
            }
            *engine.0.on_message.borrow_mut() = Some(on_message);
            engine
        })
    };
    let engine = (*engine).clone();
    {
        let engine = engine.clone();
        let state = state.clone();
        use_effect_with(state.revision, move |revision| {
            if *revision > 0 {
                let delay = if state.source == Source::Text {
                    state.arrival.delay_ms()
                } else {
                    0
                };
                engine.schedule(&state, delay);
            }
        });
    }
    let now = {
        let engine = engine.clone();
        let state = state.clone();
        Callback::from(move |()| engine.schedule(&state, 0))
    };
    (engine, now)
}
