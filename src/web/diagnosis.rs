//! Diagnosis for the page: after a pause in typing, small inputs are diagnosed at once and
//! large ones in a Web Worker (started on first need) so the page stays responsive. A newer
//! input supersedes an older job: its reply is dropped.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use yew::prelude::*;

use crate::Options;
use crate::share::Shared;
use crate::web::state::{Action, State};
use crate::web::worker;

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
    let reference_time =
        link.as_ref()
            .and_then(|l| l.reference_time)
            .unwrap_or(crate::knowledge::number::whole(
                js_sys::Date::now() / 1000.0,
            ));
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
                running.link.borrow_mut().clone_from(&link);
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

/// Diagnoses the input each time the state's revision changes, once typing pauses; returns
/// the callback that diagnoses at once (Ctrl+Enter).
#[hook]
pub(crate) fn use_diagnosis(state: &UseReducerHandle<State>) -> Callback<()> {
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
    let state = state.clone();
    Callback::from(move |()| schedule(&state, &pending, &background, 0))
}
