//! One exchange: the summary, its findings with their evidence, what its status means, and
//! the messages as read — all from the details the worker sent when it was chosen.

use std::rc::Rc;

use yew::prelude::*;

use super::finding_card::{FindingCard, reference_label};
use super::triage::{PhaseBreakdown, RedirectChain};
use crate::index::{Chain, Details, Excerpt, Row};
use crate::model::{Body, Header};
use crate::report::Finding;
use crate::web::Ptr;

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub row: Rc<Row>,
    pub details: Option<Ptr<Details>>,
    /// The input's own findings, shown with the exchange when it is the only one.
    pub input_findings: Rc<[Rc<Finding>]>,
    /// The only exchange: it carries the exchange data attributes itself.
    pub standalone: bool,
    /// The redirect chain it is part of.
    #[prop_or_default]
    pub chain: Option<Rc<Chain>>,
}

/// Each finding of `details` with the excerpts of its evidence.
type Card = (Rc<Finding>, Rc<[Option<Excerpt>]>);

fn cards(details: &Details) -> Vec<Card> {
    let mut findings: Vec<(usize, &Finding)> =
        details.exchange.findings.iter().enumerate().collect();
    findings.sort_by_key(|(_, f)| f.severity);
    findings
        .into_iter()
        .map(|(at, finding)| {
            let excerpts: Vec<Option<Excerpt>> = (0..finding.evidence().len())
                .map(|e| {
                    details
                        .excerpts
                        .iter()
                        .find(|x| x.finding == at && x.evidence == e)
                        .map(|x| x.excerpt.clone())
                })
                .collect();
            (Rc::new(finding.clone()), Rc::from(excerpts))
        })
        .collect()
}

#[component]
pub(crate) fn ExchangeView(props: &Props) -> Html {
    let row = &props.row;
    let status = row.status.map(|s| s.to_string()).unwrap_or_default();
    let request = format!("{} {}", row.method.as_deref().unwrap_or(""), row.url)
        .trim()
        .to_owned();
    let (data_exchange, data_status) = if props.standalone {
        (Some(row.index.to_string()), Some(status))
    } else {
        (None, None)
    };
    let Some(details) = &props.details else {
        return html! {
            <article class="exchange loading" data-exchange={data_exchange} data-status={data_status} aria-label="Exchange" aria-busy="true">
                <header class={classes!("summary", row.failed.then_some("failed"))}>
                    <p class="request"><code>{ request }</code></p>
                    <p class="meaning">{ "Loading the details…" }</p>
                </header>
            </article>
        };
    };
    let exchange = &details.exchange;
    let no_excerpts: Rc<[Option<Excerpt>]> = Rc::from(Vec::new());
    html! {
        <article class="exchange" data-exchange={data_exchange} data-status={data_status} aria-label="Exchange">
            if let Some(summary) = &exchange.summary {
                <header class={classes!("summary", exchange.failed.then_some("failed"))}>
                    <h2 class="outcome">{ &summary.outcome }</h2>
                    if !request.is_empty() { <p class="request"><code>{ &request }</code></p> }
                    <p class="meaning">{ super::code_spans(&summary.meaning) }</p>
                </header>
            }
            <div class="findings">
                { for cards(details).into_iter().map(|(finding, excerpts)| {
                    let key = format!("{}-{}", finding.id, finding.title);
                    html! { <FindingCard {key} {finding} {excerpts} /> }
                }) }
                { for props.input_findings.iter().map(|finding| html! {
                    <FindingCard key={format!("input-{}", finding.id)} finding={finding.clone()} excerpts={no_excerpts.clone()} />
                }) }
            </div>
            if let Some(chain) = &props.chain {
                <RedirectChain chain={chain.clone()} row={row.index} />
            }
            if let Some(timings) = exchange.context.timings.as_ref().filter(|t| t.phases.is_some()) {
                <PhaseBreakdown phases={timings.phases.unwrap_or_default()} total_ms={timings.total_ms} />
            }
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
                    <a href={status.reference} target="_blank" rel="noreferrer noopener">{ reference_label(status.reference) }</a>
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
    html! {
        <>
            <pre class="body">{ &body.text }</pre>
            if let Some(cut) = body.truncated {
                <p class="note">{ format!("The first {} of {} bytes are shown.", cut.kept, cut.total) }</p>
            }
        </>
    }
}
