//! The report: a shared link's banner, the input's findings, the list of exchanges and the
//! chosen exchange, whose details are asked of the worker when it is chosen.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::app::Page;
use super::exchange_list::ExchangeList;
use super::exchange_view::ExchangeView;
use super::finding_card::{FindingCard, Quote};
use super::triage::{FailureGroups, Timeline};
use crate::index::Details;
use crate::input::Format;
use crate::report::Finding;
use crate::web::Ptr;
use crate::web::state::{Action, Outcome, Progress, Rows};

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub outcome: Outcome,
    /// While a first screen shows, the exchanges still to check (`State::checking_left`).
    pub checking_left: Option<usize>,
    pub job: u32,
    pub selected: Option<usize>,
    pub details: Option<Ptr<Details>>,
    pub matches: Option<Rc<[usize]>>,
    pub group: Option<usize>,
}

#[component]
pub(crate) fn ReportView(props: &Props) -> Html {
    let page = use_context::<Page>();
    // The chosen exchange's details, asked for when it is chosen.
    {
        let page = page.clone();
        let job = props.job;
        let loaded = props.details.as_ref().map(|d| d.exchange.index);
        let done = matches!(props.outcome, Outcome::Done(..));
        use_effect_with((props.selected, job, done), move |(selected, job, done)| {
            if let (Some(page), Some(selected), true) = (page, selected, *done)
                && loaded != Some(*selected)
            {
                page.engine.details(*job, *selected);
            }
        });
    }
    let drawn = use_drawn_in_two(props);
    let index = match &props.outcome {
        Outcome::Idle => return html! { <Intro /> },
        Outcome::Working(progress) => {
            let what = progress
                .as_ref()
                .map_or_else(|| "Diagnosing…".to_owned(), Progress::describe);
            let fraction = progress.as_ref().and_then(Progress::fraction);
            return html! {
                <section class="report working">
                    <p role="status" id="progress-text">{ what }</p>
                    if let Some(fraction) = fraction {
                        <progress id="progress" max="1" value={crate::web::decimals(fraction, 3)} aria-labelledby="progress-text"></progress>
                    }
                </section>
            };
        }
        Outcome::Failed(message) => {
            return html! { <section class="report"><p class="error-message" role="alert">{ message }</p></section> };
        }
        Outcome::Done(index, rows) => (index, rows),
    };
    let (index, rows): (&Ptr<crate::index::Index>, &Rows) = index;
    let input_findings: Rc<[Rc<Finding>]> = index.findings.iter().cloned().map(Rc::new).collect();
    let several = index.counts.total > 1;
    let chosen = props
        .selected
        .and_then(|i| rows.get(i))
        .cloned()
        .map(Rc::new);
    let verdict = chosen
        .as_ref()
        .and_then(|row| row.top.as_ref().map(|t| t.title.plain()));
    // Two parts: the way through a capture (its groups, timeline and list), and what is
    // shown of it. A wide screen puts the first under the input and the second beside it,
    // so the chosen exchange's verdict starts at the top of the first screen.
    let triage = several.then(|| {
        html! {
            <div class="triage-column">
                <FailureGroups index={index.clone()} chosen={props.group} />
                <Timeline index={index.clone()} rows={rows.clone()} selected={props.selected} />
                <ExchangeList index={index.clone()} rows={rows.clone()} checking_left={props.checking_left} job={props.job} selected={props.selected} matches={props.matches.clone()} group={props.group} />
            </div>
        }
    });
    html! {
        <section class="report" aria-label="Diagnosis">
            { triage.unwrap_or_default() }
            <div class="report-main">
            if drawn || !several {
            <p class="visually-hidden" aria-live="polite">{ verdict.unwrap_or_default() }</p>
            if index.shared.is_some() {
                <p class="banner" role="note" id="shared-banner">{ "Shared diagnosis — secrets were redacted by the sender before the link was made." }</p>
            }
            if several || chosen.is_none() {
                <div class="input-findings">
                    if !input_findings.is_empty() {
                        <h2 class="visually-hidden">{ "About the input as a whole" }</h2>
                    }
                    { for input_findings.iter().map(|finding| html! {
                        <FindingCard finding={finding.clone()} quotes={Quote::all_of(finding)} />
                    }) }
                </div>
            }
            if let Some(root) = &index.root_failure {
                <RootFailureLead root={root.clone()} selected={props.selected} />
            }
            if index.counts.failed == 0 && index.unchecked == 0 && (several || index.format == Format::Har) {
                <NothingFailed total={index.counts.total} />
            }
            if let Some(row) = chosen {
                <ExchangeView chain={row.chain.and_then(|c| index.chains.get(c)).cloned().map(Rc::new)} {row} details={props.details.clone()} input_findings={if several { Rc::from(Vec::new()) } else { input_findings.clone() }} standalone={!several} />
            }
            }
            </div>
        </section>
    }
}

/// Draws a large capture's first screen once, out of sight (in an element outside the
/// document), then takes it away. The browser compiles each function of the page's
/// WebAssembly on its first call: a person's first large HAR had about 360 of them compiled
/// (10–15 ms, traced in Chromium) between its first screen's index arriving and the screen
/// shown. The worker sends the first screen of its own warm-up capture for this
/// (`warm-up`, docs/protocol.md); what the report asks of its engine here goes nowhere.
pub(crate) fn warm_up(mut index: crate::index::Index) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("div").ok())
    else {
        return;
    };
    let rows = Rows::new(std::mem::take(&mut index.rows));
    let report = Props {
        selected: index.first,
        checking_left: Some(index.unchecked),
        job: index.job,
        outcome: Outcome::Done(Ptr(Rc::new(index)), rows),
        details: None,
        matches: None,
        group: None,
    };
    let page = Page {
        engine: crate::web::client::Engine::detached(),
        dispatch: Callback::noop(),
    };
    let app =
        yew::Renderer::<WarmUp>::with_root_and_props(root, WarmUpProps { page, report }).render();
    // Both parts of the report drawn (the second after the next frame), then taken away.
    after_next_frame(Box::new(move || {
        after_next_frame(Box::new(move || app.destroy()));
    }));
}

#[derive(Properties, PartialEq)]
struct WarmUpProps {
    page: Page,
    report: Props,
}

/// A report with the page's context, as the page draws it.
#[component]
fn WarmUp(props: &WarmUpProps) -> Html {
    let report = &props.report;
    html! {
        <ContextProvider<Page> context={props.page.clone()}>
            <ReportView outcome={report.outcome.clone()} checking_left={report.checking_left} job={report.job} selected={report.selected} details={report.details.clone()} matches={report.matches.clone()} group={report.group} />
        </ContextProvider<Page>>
    }
}

/// Whether the whole report of a capture may be drawn yet. A capture's report is drawn in two
/// tasks of the main thread: the way through it (groups, timeline, list) as the index
/// arrives, the rest (the input's findings, the chosen exchange) after the next frame, so
/// that neither blocks the page for long (an input of one exchange has only the rest).
#[hook]
fn use_drawn_in_two(props: &Props) -> bool {
    let drawn_job = use_state(|| 0_u32);
    let done = matches!(props.outcome, Outcome::Done(..));
    {
        let drawn_job = drawn_job.clone();
        use_effect_with((props.job, done), move |(job, done)| {
            if *done && *drawn_job != *job {
                let job = *job;
                after_next_frame(Box::new(move || drawn_job.set(job)));
            }
        });
    }
    *drawn_job == props.job
}

/// Runs `then` in a task after the next frame is drawn (what is rendered now is laid out
/// and painted first, in a task of its own).
pub(crate) fn after_next_frame(then: Box<dyn FnOnce()>) {
    let next_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
        gloo_timers::callback::Timeout::new(0, then).forget();
    });
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(next_frame.unchecked_ref());
    }
}

#[derive(Properties, PartialEq)]
struct CleanProps {
    total: usize,
}

/// A capture in which nothing failed: say so first, and what to record instead.
#[component]
fn NothingFailed(props: &CleanProps) -> Html {
    let heading = if props.total == 1 {
        "Nothing failed in this request".to_owned()
    } else {
        format!("Nothing failed in these {} requests", props.total)
    };
    html! {
        <section class="clean" id="nothing-failed" aria-labelledby="nothing-failed-heading">
            <h2 id="nothing-failed-heading">{ heading }</h2>
            <p>{ "Every request got an answer without an error status. If a call still misbehaves, the capture probably missed it. Record a new HAR while you reproduce the failure:" }</p>
            <ol>
                <li>{ "Open the browser's developer tools on the Network panel before you reproduce it." }</li>
                <li>{ "Turn on “Preserve log”, so that a redirect or a reload keeps the earlier requests." }</li>
                <li>{ "Reproduce the failure, then export with content (“Save all as HAR with content”, or “Export HAR (with sensitive data)” where the browser offers only a sanitized export)." }</li>
            </ol>
            <p>{ "Or paste the failing call's curl -v output, or the error the console or your HTTP client printed." }</p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RootProps {
    root: crate::report::RootFailure,
    selected: Option<usize>,
}

/// A cascade's lead: the one failure to look at first, and how many later ones it explains.
#[component]
fn RootFailureLead(props: &RootProps) -> Html {
    let Some(page) = use_context::<Page>() else {
        return Html::default();
    };
    let root = &props.root;
    let count = root.consequences.len();
    let heading = format!(
        "1 root failure, {count} consequence{}",
        if count == 1 { "" } else { "s" }
    );
    let open = {
        let dispatch = page.dispatch.clone();
        let index = root.root;
        Callback::from(move |_| dispatch.emit(Action::Select(index)))
    };
    let showing_root = props.selected == Some(root.root);
    html! {
        <section class="root-failure" id="root-failure" aria-labelledby="root-failure-heading">
            <h2 id="root-failure-heading">{ heading }</h2>
            <p>{ super::segments(&root.summary) }</p>
            if showing_root {
                <p class="note">{ format!("Shown below: exchange #{}, the failure that explains the others.", root.root) }</p>
            } else {
                <button type="button" class="button" id="open-root" onclick={open}>{ format!("Open the root failure (#{})", root.root) }</button>
            }
        </section>
    }
}

#[component]
fn Intro() -> Html {
    html! {
        <section class="report intro">
            <h2>{ "Paste what you have" }</h2>
            <ul>
                <li><code>{ "curl -i https://api.example.com/…" }</code>{ " — the status line, headers and body" }</li>
                <li><code>{ "curl -sv https://api.example.com/… 2>&1" }</code>{ " — request and response, with the command line" }</li>
                <li>{ "A HAR file from the browser's Network panel (“Save all as HAR”): drop it on the page" }</li>
                <li>{ "The red lines from the browser console, or the error your HTTP client printed (Python, Node, Go, Java, .NET, PowerShell)" }</li>
                <li>{ "Just the JSON error body" }</li>
            </ul>
            <p>{ "httpdx says what the status means, the most likely cause with the evidence quoted from your input, how to debug it and how to fix it. Or pick one of the Examples." }</p>
        </section>
    }
}
