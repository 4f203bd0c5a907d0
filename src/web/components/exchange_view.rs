//! One exchange: the summary, its findings, what its status means, and the raw messages.

use std::rc::Rc;

use yew::prelude::*;

use super::finding_card::{FindingAt, FindingCard};
use crate::model::{Body, Header};
use crate::report::{Report, Severity};
use crate::web::Ptr;

/// Bodies longer than this are cut in the collapsed message view.
const BODY_PREVIEW: usize = 16 * 1024;

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub report: Ptr<Report>,
    /// The exchange shown, by its index in the report.
    pub index: usize,
    pub input: Rc<str>,
    /// The only exchange: it carries the exchange data attributes itself.
    pub standalone: bool,
}

#[component]
pub(crate) fn ExchangeView(props: &Props) -> Html {
    let Some(exchange) = props.report.exchanges.get(props.index) else {
        return Html::default();
    };
    // Errors first, whether about the exchange or the input (listed with it); stable
    // within a severity.
    let mut findings: Vec<(FindingAt, Severity)> = exchange
        .findings
        .iter()
        .enumerate()
        .map(|(index, f)| {
            let at = FindingAt {
                exchange: Some(props.index),
                index,
            };
            (at, f.severity)
        })
        .chain(props.report.findings.iter().enumerate().map(|(index, f)| {
            let at = FindingAt {
                exchange: None,
                index,
            };
            (at, f.severity)
        }))
        .collect();
    findings.sort_by_key(|(_, severity)| *severity);
    let status = exchange
        .response
        .as_ref()
        .map(|r| r.status.to_string())
        .unwrap_or_default();
    let request = exchange.request.as_ref().map(|r| {
        format!("{} {}", r.method.as_deref().unwrap_or(""), r.url)
            .trim()
            .to_owned()
    });
    let (data_exchange, data_status) = if props.standalone {
        (Some(exchange.index.to_string()), Some(status))
    } else {
        (None, None)
    };
    html! {
        <article class="exchange" data-exchange={data_exchange} data-status={data_status} aria-label="Exchange">
            if let Some(summary) = &exchange.summary {
                <header class={classes!("summary", exchange.failed.then_some("failed"))}>
                    <p class="outcome">{ &summary.outcome }</p>
                    if let Some(request) = &request { <p class="request"><code>{ request }</code></p> }
                    <p class="meaning">{ &summary.meaning }</p>
                    if let Some(cause) = &summary.likely_cause {
                        <p class="cause"><span class="label">{ "Most likely: " }</span>{ cause }</p>
                    }
                </header>
            }
            <div class="findings">
                { for findings.into_iter().map(|(at, _)| html! {
                    <FindingCard report={props.report.clone()} {at} input={props.input.clone()} />
                }) }
            </div>
            if let Some(status) = exchange.status_explanation {
                <section class="status-explanation" aria-label="What the status means">
                    <h3>{ format!("About {} {}", status.code, status.name) }</h3>
                    <p>{ status.meaning }</p>
                    <h4>{ "Usual causes" }</h4>
                    <ul>{ for status.causes.iter().map(|c| html! { <li>{ *c }</li> }) }</ul>
                    <h4>{ "How to debug" }</h4>
                    <ul>{ for status.debug.iter().map(|c| html! { <li>{ *c }</li> }) }</ul>
                    <dl class="fix">
                        <dt>{ "Fix, as the caller" }</dt><dd>{ status.fix_caller }</dd>
                        <dt>{ "Fix, as the API owner" }</dt><dd>{ status.fix_owner }</dd>
                    </dl>
                    <a href={status.reference} target="_blank" rel="noreferrer noopener">{ "Reference" }</a>
                </section>
            }
            <details class="messages">
                <summary>{ "Request and response as read" }</summary>
                if let Some(request) = &exchange.request {
                    <h4>{ "Request" }</h4>
                    <pre>{ request.method.clone().unwrap_or_default() }{ " " }{ &request.url }{ "\n" }{ headers_text(&request.headers) }</pre>
                    { body_view(request.body.as_ref()) }
                }
                if let Some(response) = &exchange.response {
                    <h4>{ "Response" }</h4>
                    <pre>{ format!("{} {}\n", response.status, response.reason) }{ headers_text(&response.headers) }</pre>
                    { body_view(response.body.as_ref()) }
                }
                if let Some(error) = &exchange.transport_error {
                    <h4>{ "Client error" }</h4>
                    <pre>{ &error.message }</pre>
                }
            </details>
        </article>
    }
}

fn headers_text(headers: &[Header]) -> String {
    headers.iter().fold(String::new(), |mut out, h| {
        out.push_str(&h.name);
        out.push_str(": ");
        out.push_str(&h.value);
        out.push('\n');
        out
    })
}

fn body_view(body: Option<&Body>) -> Html {
    let Some(body) = body else {
        return Html::default();
    };
    let cut = body.text.len() > BODY_PREVIEW;
    let end = body.text.floor_char_boundary(BODY_PREVIEW);
    html! {
        <>
            <pre class="body">{ &body.text[..end] }</pre>
            if cut { <p class="note">{ format!("… {} more bytes not shown", body.text.len() - end) }</p> }
        </>
    }
}
