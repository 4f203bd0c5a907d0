//! The page: input on top, report below; all state in one reducer, all work in the worker.

use yew::prelude::*;

use super::font_warmup::FontWarmup;
use super::input_panel::InputPanel;
use super::report_view::ReportView;
use super::share_panel::SharePanel;
use crate::web::client::{Engine, use_engine};
use crate::web::dom;
use crate::web::state::{Action, Outcome, Source, State};

/// What every component may use: the worker and the way to change the state.
#[derive(Clone, PartialEq)]
pub(crate) struct Page {
    pub engine: Engine,
    pub dispatch: Callback<Action>,
}

/// A shared link's address names the chosen HAR entry (`&entry=N`), so that a reload or
/// the copied address opens it again. Only for links: a local file is not kept anywhere,
/// so an address naming one of its entries could not be opened again.
#[hook]
fn use_permalink(state: &State) {
    let entry = match (&state.outcome, state.selected, &state.source) {
        (Outcome::Done(_, rows), Some(selected), Source::Link) => {
            rows.get(selected).and_then(|r| r.entry)
        }
        _ => None,
    };
    let linked = state.source == Source::Link && matches!(state.outcome, Outcome::Done(..));
    use_effect_with((entry, linked), |(entry, linked)| {
        if *linked && entry.is_some() {
            let hash = dom::location_hash();
            let named = crate::share::with_entry(&hash, *entry);
            if named != hash {
                dom::replace_fragment(&named);
            }
        }
    });
}

#[component]
pub(crate) fn App() -> Html {
    let state = use_reducer(State::default);
    let (engine, on_run_now) = use_engine(&state);
    let dispatch = {
        let dispatcher = state.dispatcher();
        use_callback((), move |action: Action, ()| dispatcher.dispatch(action))
    };
    let page = Page {
        engine: engine.clone(),
        dispatch: dispatch.clone(),
    };
    // A share link opens its diagnosis: the data is in the fragment, which never left the
    // browser; the worker decodes it.
    {
        let engine = engine.clone();
        let dispatch = dispatch.clone();
        use_effect_with((), move |()| {
            let hash = dom::location_hash();
            if hash.len() > 1 {
                let entry = crate::share::link_entry(&hash);
                engine.hold_link(hash);
                dispatch.emit(Action::OpenLink { entry });
            }
        });
    }
    use_permalink(&state);
    // A file dropped anywhere on the page is read like a chosen one.
    let dragging = use_state(|| false);
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let engine = engine.clone();
        let dispatch = dispatch.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let file = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                dom::load_file(file, &engine, &dispatch);
            }
        })
    };
    let done = match &state.outcome {
        Outcome::Done(index, _) => Some(index.clone()),
        _ => None,
    };
    html! {
        <ContextProvider<Page> context={page}>
            <div class={classes!("page", dragging.then_some("dragging"))} ondragover={on_dragover} ondragleave={on_dragleave} ondrop={on_drop}>
                <header class="masthead">
                    <h1>{ "httpdx" }</h1>
                    <p class="tagline">{ "Why did this API call fail? Paste it, read the evidence, fix it." }</p>
                </header>
                <main data-state={state.outcome.state_name()} aria-busy={matches!(state.outcome.state_name(), "working" | "first-screen").to_string()}>
                    <InputPanel
                        input={state.input.clone()}
                        source={state.source.clone()}
                        format={state.format}
                        detected={done.as_ref().map(|i| i.format)}
                        detected_by={done.as_ref().map(|i| std::rc::Rc::new(i.detected_by.after(": ")))}
                        notice={state.notice.clone()}
                        {on_run_now}
                    />
                    if let Some(index) = &done {
                        <SharePanel index={index.clone()} job={state.job} selected={state.selected} sharing={state.sharing.clone()} />
                    }
                    <ReportView outcome={state.outcome.clone()} checking_left={state.checking_left} job={state.job} selected={state.selected} details={state.details.clone()} matches={state.matches.clone()} group={state.group} />
                </main>
                <footer class="colophon">
                    { "Nothing you paste leaves this page: the diagnosis runs in your browser." }
                </footer>
                <FontWarmup />
            </div>
        </ContextProvider<Page>>
    }
}
