//! One exchange: the summary, its findings with their evidence, what its status means, and
//! the messages as read — all from the details the worker sent when it was chosen.

use std::rc::Rc;

use yew::prelude::*;

use super::finding_card::{FindingCard, Quote, reference_label};
use super::fixed_request::FixedRequestView;
use super::triage::{PhaseBreakdown, RedirectChain};
use crate::index::{Chain, Details, Row};
use crate::model::{Body, Header};
use crate::report::{CardGroup, Finding, Severity};
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

/// A card of the engine's layout (`ExchangeReport::cards`) with what the page needs to show it.
struct CardView {
    group: CardGroup,
    severity: Severity,
    lead: Rc<Finding>,
    restated: Rc<[Rc<Finding>]>,
    quotes: Rc<[Quote]>,
}

impl CardView {
    fn html(&self) -> Html {
        let key = format!("{}-{}", self.lead.id, self.lead.title.plain());
        html! {
            <FindingCard {key} finding={self.lead.clone()} restated={self.restated.clone()} quotes={self.quotes.clone()} severity={self.severity} />
        }
    }
}

fn card_views(details: &Details) -> Vec<CardView> {
    let findings = &details.exchange.findings;
    let excerpt = |finding: usize, evidence: usize| {
        details
            .excerpts
            .iter()
            .find(|x| x.finding == finding && x.evidence == evidence)
            .map(|x| x.excerpt.clone())
    };
    details
        .exchange
        .cards
        .iter()
        .filter(|card| card.findings.iter().all(|&f| f < findings.len()))
        .map(|card| CardView {
            group: card.group,
            severity: card.severity,
            lead: Rc::new(findings[card.findings[0]].clone()),
            restated: card.findings[1..]
                .iter()
                .map(|&f| Rc::new(findings[f].clone()))
                .collect(),
            quotes: card
                .evidence
                .iter()
                .filter_map(|&[f, e]| {
                    let evidence = findings.get(f)?.evidence().get(e)?.clone();
                    Some(Quote {
                        evidence,
                        excerpt: excerpt(f, e),
                    })
                })
                .collect(),
        })
        .collect()
}

/// The input's own findings as cards of their own (no excerpts: they quote the whole input).
fn input_card_views(findings: &[Rc<Finding>]) -> Vec<CardView> {
    findings
        .iter()
        .map(|finding| CardView {
            group: if finding.severity == Severity::Info {
                CardGroup::Context
            } else {
                CardGroup::Contributing
            },
            severity: finding.severity,
            lead: finding.clone(),
            restated: Rc::from(Vec::new()),
            quotes: Quote::all_of(finding),
        })
        .collect()
}

/// The cards in the order they are shown: the verdict, other errors, what contributed, then
/// the context (folded away).
struct Sections {
    verdict: Vec<CardView>,
    also: Vec<CardView>,
    context: Vec<CardView>,
}

fn sections(details: &Details, input_findings: &[Rc<Finding>]) -> Sections {
    let mut sections = Sections {
        verdict: Vec::new(),
        also: Vec::new(),
        context: Vec::new(),
    };
    for card in card_views(details)
        .into_iter()
        .chain(input_card_views(input_findings))
    {
        match card.group {
            CardGroup::Verdict => sections.verdict.push(card),
            CardGroup::Error | CardGroup::Contributing => sections.also.push(card),
            CardGroup::Context => sections.context.push(card),
        }
    }
    sections
}

/// The status table's words (httpdx's own, with `backquoted` code), as segments.
fn words(text: &str) -> Html {
    super::segments(&crate::report::Text::from(text))
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
    let Sections {
        verdict,
        also,
        context,
    } = sections(details, &props.input_findings);
    let context_label = format!(
        "Context: {} more {}",
        context.len(),
        if context.len() == 1 { "note" } else { "notes" }
    );
    html! {
        <article class="exchange" data-exchange={data_exchange} data-status={data_status} aria-label="Exchange">
            if let Some(summary) = &exchange.summary {
                <header class={classes!("summary", exchange.failed.then_some("failed"))}>
                    <h2 class="outcome">{ &summary.outcome }</h2>
                    if !request.is_empty() { <p class="request"><code>{ &request }</code></p> }
                    <p class="meaning">{ super::segments(&summary.meaning) }</p>
                </header>
            }
            <div class="findings">
                if !verdict.is_empty() {
                    <section class="verdict" aria-label="Verdict">{ for verdict.iter().map(CardView::html) }</section>
                }
                // The verdict's fix, made to the person's own request, right after it.
                if let Some(fixed) = &exchange.fixed_request { <FixedRequestView fixed={Ptr(std::rc::Rc::new(fixed.clone()))} /> }
                if !also.is_empty() {
                    <section class="also" aria-label="Also found">{ for also.iter().map(CardView::html) }</section>
                }
                if !context.is_empty() {
                    <details class="context">
                        <summary>{ context_label }</summary>
                        { for context.iter().map(CardView::html) }
                    </details>
                }
            </div>
            <super::token_panel::TokenPanel details={details.clone()} />
            if let Some(chain) = &props.chain {
                <RedirectChain chain={chain.clone()} row={row.index} />
            }
            if let Some(timings) = exchange.timings.as_ref().filter(|t| t.phases.is_some()) {
                <PhaseBreakdown phases={timings.phases.unwrap_or_default()} total_ms={timings.total_ms} />
            }
            if let Some(status) = &exchange.status_explanation {
                <section class="status-explanation" aria-label="What the status means">
                    <h3>{ format!("About {} {}", status.code, status.name) }</h3>
                    <p>{ words(&status.meaning) }</p>
                    <h4>{ "Usual causes" }</h4>
                    <ul>{ for status.causes.iter().map(|c| html! { <li>{ words(c) }</li> }) }</ul>
                    <h4>{ "How to debug" }</h4>
                    <ul>{ for status.debug.iter().map(|c| html! { <li>{ words(c) }</li> }) }</ul>
                    <dl class="fix">
                        <dt>{ "Fix, as the caller" }</dt><dd>{ words(&status.fix_caller) }</dd>
                        <dt>{ "Fix, as the API owner" }</dt><dd>{ words(&status.fix_owner) }</dd>
                    </dl>
                    <a href={status.reference.to_string()} target="_blank" rel="noreferrer noopener">{ reference_label(&status.reference) }</a>
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
