//! The page: input on top, report below; all state in one reducer.

use std::rc::Rc;

use yew::prelude::*;

use super::input_panel::InputPanel;
use super::report_view::ReportView;
use super::share_panel::SharePanel;
use crate::input::Format;
use crate::web::diagnosis::use_diagnosis;
use crate::web::dom;
use crate::web::state::{Action, Outcome, State};

#[component]
pub(crate) fn App() -> Html {
    let state = use_reducer(State::default);
    let on_run_now = use_diagnosis(&state);
    // A share link opens its diagnosis: the data is in the fragment, which never left the browser.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |()| {
            let hash = dom::location_hash();
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
            dispatcher.dispatch(Action::Load { name, text });
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
                dom::read_file(file, on_load.clone(), on_load_failed.clone());
            }
        })
    };

    let (detected, detected_by) = match &state.outcome {
        Outcome::Done(report) => (
            Some(report.format),
            Some(Rc::<str>::from(report.detected_by.as_str())),
        ),
        _ => (None, None),
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
                    {detected_by}
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
