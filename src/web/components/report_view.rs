//! The report: input-level findings, the list of exchanges, the chosen exchange.

use std::rc::Rc;

use yew::prelude::*;

use super::exchange_list::ExchangeList;
use super::exchange_view::ExchangeView;
use super::finding_card::{FindingAt, FindingCard};
use crate::web::state::Outcome;

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub outcome: Outcome,
    pub input: Rc<str>,
    pub selected: usize,
    pub on_select: Callback<usize>,
}

#[component]
pub(crate) fn ReportView(props: &Props) -> Html {
    let report = match &props.outcome {
        Outcome::Idle => return html! { <Intro /> },
        Outcome::Working => {
            return html! { <section class="report working" aria-live="polite"><p>{ format!("Diagnosing {:.1} MB…", crate::knowledge::number::size(props.input.len()) / 1e6) }</p></section> };
        }
        Outcome::Failed(message) => {
            return html! { <section class="report"><p class="error-message" role="alert">{ message }</p></section> };
        }
        Outcome::Done(report) => report,
    };
    let chosen = (props.selected < report.exchanges.len())
        .then_some(props.selected)
        .or((!report.exchanges.is_empty()).then_some(0));
    let several = report.exchanges.len() > 1;
    html! {
        <section class="report" aria-live="polite" aria-label="Diagnosis">
            if chosen.is_none() {
                <div class="input-findings">
                    { for (0..report.findings.len()).map(|index| html! {
                        <FindingCard report={report.clone()} at={FindingAt { exchange: None, index }} input={props.input.clone()} />
                    }) }
                </div>
            }
            if several {
                <ExchangeList report={report.clone()} selected={props.selected} on_select={props.on_select.clone()} />
            }
            if let Some(index) = chosen {
                <ExchangeView report={report.clone()} {index} input={props.input.clone()} standalone={!several} />
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
                <li>{ "The red lines from the browser console, or a Node / axios error" }</li>
                <li>{ "Just the JSON error body" }</li>
            </ul>
            <p>{ "httpdx says what the status means, the most likely cause with the evidence quoted from your input, how to debug it and how to fix it. Or pick one of the Examples." }</p>
        </section>
    }
}
