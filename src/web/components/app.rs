//! The page: input on top, report below; all state in one reducer.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::prelude::{Closure, JsValue};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::input_panel::InputPanel;
use super::report_view::ReportView;
use super::share_panel::SharePanel;
use crate::input::Format;
use crate::share::Shared;
use crate::web::state::{Action, Outcome, State};
use crate::web::worker;
use crate::Options;

/// Diagnose once typing pauses this long: never on the keystroke itself.
const DEBOUNCE_MS: u32 = 250;
/// Above this size the page shows "working" and lets the browser paint before diagnosing.
const LARGE_INPUT: usize = 256 * 1024;

type Pending = Rc<RefCell<Option<Timeout>>>;

/// The Web Worker that diagnoses large inputs, started on first need.
struct Background {
    worker: web_sys::Worker,
    /// The newest job: replies to older ones are stale and dropped.
    job: Rc<Cell<u32>>,
    /// The link the input came from, to note redacted findings on the reply.
    link: Rc<RefCell<Option<Rc<Shared>>>>,
    /// A job waiting for the worker to say it is ready (it loads its wasm first).
    waiting: Rc<RefCell<Option<JsValue>>>,
    ready: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
}

type Worker = Rc<RefCell<Option<Background>>>;

fn start_worker(dispatcher: UseReducerDispatcher<State>) -> Option<Background> {
    let worker = web_sys::Worker::new(worker::SCRIPT).ok()?;
    let job = Rc::new(Cell::new(0));
    let link: Rc<RefCell<Option<Rc<Shared>>>> = Rc::default();
    let waiting: Rc<RefCell<Option<JsValue>>> = Rc::default();
    let ready = Rc::new(Cell::new(false));
    let on_message = {
        let job = job.clone();
        let link = link.clone();
        let waiting = waiting.clone();
        let ready = ready.clone();
        let sender = worker.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            if event.data().as_string().as_deref() == Some(worker::READY) {
                ready.set(true);
                if let Some(message) = waiting.borrow_mut().take() {
                    let _ = sender.post_message(&message);
                }
                return;
            }
            let Some(mut reply) = worker::read_reply(&event.data()) else {
                dispatcher.dispatch(Action::Diagnosed(Err(
                    "the background diagnosis sent an unreadable reply".into(),
                )));
                return;
            };
            if reply.job != job.get() {
                return;
            }
            if let (Ok(report), Some(link)) = (reply.result.as_mut(), link.borrow().as_ref()) {
                crate::share::note_redacted_findings(report, link);
            }
            dispatcher.dispatch(Action::Diagnosed(reply.result));
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Some(Background {
        worker,
        job,
        link,
        waiting,
        ready,
        _on_message: on_message,
    })
}

/// Schedules a diagnosis of the current input after `delay` ms, replacing any pending one.
/// Small inputs are diagnosed at once; large ones in the worker, so the page stays usable.
fn schedule(state: &UseReducerHandle<State>, pending: &Pending, background: &Worker, delay: u32) {
    let dispatcher = state.dispatcher();
    let input = state.input.clone();
    let format = state.format;
    let link = state.opened_link.clone();
    // A shared link brings its reference time, so its time-dependent findings match.
    let reference_time = link
        .as_ref()
        .and_then(|l| l.reference_time)
        .unwrap_or((js_sys::Date::now() / 1000.0) as i64);
    let large = state.input.len() > LARGE_INPUT;
    let background = background.clone();
    *pending.borrow_mut() = Some(Timeout::new(delay, move || {
        if large {
            dispatcher.dispatch(Action::Working);
            let mut slot = background.borrow_mut();
            if slot.is_none() {
                *slot = start_worker(dispatcher.clone());
            }
            if let Some(running) = slot.as_ref() {
                let job = running.job.get() + 1;
                running.job.set(job);
                *running.link.borrow_mut() = link.clone();
                let message = worker::job_message(job, &input, format, Some(reference_time));
                if !running.ready.get() {
                    *running.waiting.borrow_mut() = Some(message);
                    return;
                }
                if running.worker.post_message(&message).is_ok() {
                    return;
                }
            }
        }
        let mut result = crate::diagnose(
            &input,
            &Options {
                format,
                reference_time: Some(reference_time),
            },
        )
        .map_err(|e| e.to_string());
        if let (Ok(report), Some(link)) = (result.as_mut(), link.as_ref()) {
            crate::share::note_redacted_findings(report, link);
        }
        dispatcher.dispatch(Action::Diagnosed(result));
    }));
}

#[function_component]
pub fn App() -> Html {
    let state = use_reducer(State::default);
    let pending: Pending = use_mut_ref(|| None);
    let background: Worker = use_mut_ref(|| None);

    {
        let state = state.clone();
        let pending = pending.clone();
        let background = background.clone();
        use_effect_with(state.revision, move |_| {
            schedule(&state, &pending, &background, DEBOUNCE_MS);
        });
    }
    // A share link opens its diagnosis: the data is in the fragment, which never left the browser.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            let hash = web_sys::window()
                .and_then(|w| w.location().hash().ok())
                .unwrap_or_default();
            if hash.len() > 1 {
                match crate::share::decode_link(&hash) {
                    Ok(shared) => dispatcher.dispatch(Action::OpenLink(shared)),
                    Err(error) => dispatcher.dispatch(Action::LoadFailed(format!(
                        "This share link cannot be opened: {error}"
                    ))),
                }
            }
        });
    }

    let on_edit = {
        let dispatcher = state.dispatcher();
        Callback::from(move |text: String| dispatcher.dispatch(Action::Edit(text)))
    };
    let on_load = {
        let dispatcher = state.dispatcher();
        Callback::from(move |(name, text): (String, String)| {
            dispatcher.dispatch(Action::Load { name, text })
        })
    };
    let on_load_failed = {
        let dispatcher = state.dispatcher();
        Callback::from(move |message: String| dispatcher.dispatch(Action::LoadFailed(message)))
    };
    let on_format = {
        let dispatcher = state.dispatcher();
        Callback::from(move |format: Option<Format>| dispatcher.dispatch(Action::SetFormat(format)))
    };
    let on_run_now = {
        let state = state.clone();
        let pending = pending.clone();
        let background = background.clone();
        Callback::from(move |()| schedule(&state, &pending, &background, 0))
    };
    let on_select = {
        let dispatcher = state.dispatcher();
        Callback::from(move |index: usize| dispatcher.dispatch(Action::Select(index)))
    };

    // A file dropped anywhere on the page is read like a chosen one.
    let on_dragover = Callback::from(|e: DragEvent| e.prevent_default());
    let on_drop = {
        let on_load = on_load.clone();
        let on_load_failed = on_load_failed.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            let file = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                super::input_panel::read_file(file, on_load.clone(), on_load_failed.clone());
            }
        })
    };

    let detected = match &state.outcome {
        Outcome::Done(report) => Some(report.format),
        _ => None,
    };
    html! {
        <div class="page" ondragover={on_dragover} ondrop={on_drop}>
            <header class="masthead">
                <h1>{ "httpdx" }</h1>
                <p class="tagline">{ "Why did this API call fail? Paste it, read the evidence, fix it." }</p>
            </header>
            <main data-state={state.outcome.state_name()} aria-busy={(state.outcome == Outcome::Working).to_string()}>
                <InputPanel
                    input={state.input.clone()}
                    file={state.file.clone()}
                    format={state.format}
                    {detected}
                    {on_edit}
                    {on_load}
                    {on_load_failed}
                    {on_format}
                    {on_run_now}
                />
                                if let Outcome::Done(report) = &state.outcome {
                    <SharePanel input={state.input.clone()} report={report.clone()} selected={state.selected} />
                }
                <ReportView outcome={state.outcome.clone()} input={state.input.clone()} selected={state.selected} {on_select} />
            </main>
            <footer class="colophon">
                { "Nothing you paste leaves this page: the diagnosis runs in your browser." }
            </footer>
        </div>
    }
}

/// The element an event came from, as `T`.
pub fn target<T: JsCast>(event: &Event) -> Option<T> {
    event.target().and_then(|t| t.dyn_into::<T>().ok())
}
