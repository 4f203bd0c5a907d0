//! One card: the finding that names a cause (title, explanation, fixes, reference), the
//! findings that restate it (titles only), and the evidence of all of them, each quotation
//! highlighted where it stands in the input (an excerpt the worker sent).

use std::rc::Rc;

use yew::prelude::*;

use super::segments;
use crate::index::Excerpt;
use crate::report::{Evidence, Finding, Severity};

/// A quotation a card shows, with the excerpt of the input around it when there is one.
#[derive(PartialEq)]
pub(crate) struct Quote {
    pub evidence: Evidence,
    pub excerpt: Option<Excerpt>,
}

impl Quote {
    /// Every piece of evidence of `finding`, without excerpts (input-level findings).
    pub(crate) fn all_of(finding: &Finding) -> Rc<[Quote]> {
        finding
            .evidence()
            .iter()
            .map(|evidence| Quote {
                evidence: evidence.clone(),
                excerpt: None,
            })
            .collect()
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    /// The finding that leads the card.
    pub finding: Rc<Finding>,
    /// Findings that say the same less precisely (`auth.token-rejected` under
    /// `auth.token-expired`): their titles, each with its own `data-finding`.
    #[prop_or_default]
    pub restated: Rc<[Rc<Finding>]>,
    /// What the card quotes, each quotation once.
    pub quotes: Rc<[Quote]>,
    /// The card's severity when a finding it restates is more severe than its leader.
    #[prop_or_default]
    pub severity: Option<Severity>,
}

fn evidence_item(quote: &Quote) -> Html {
    let Quote { evidence, excerpt } = quote;
    html! {
        <li class="evidence">
            <span class="location">{ &evidence.location }</span>
            if let Some(excerpt) = excerpt.as_ref() {
                <pre class="excerpt" data-line={excerpt.line.to_string()}>
                    { &excerpt.text[..excerpt.mark.start] }<mark>{ &excerpt.text[excerpt.mark.start..excerpt.mark.end] }</mark>{ &excerpt.text[excerpt.mark.end..] }
                </pre>
            } else {
                <pre class="excerpt"><mark>{ &evidence.quote }</mark></pre>
            }
        </li>
    }
}

/// Quotations shown open; the rest of a card's evidence is one click away, so that the fix
/// stays near the cause (a merged card can quote six places of the input).
const OPEN_QUOTES: usize = 3;

#[component]
pub(crate) fn FindingCard(props: &Props) -> Html {
    let finding = &props.finding;
    let severity = props.severity.unwrap_or(finding.severity).as_str();
    let (open_quotes, more_quotes) = props.quotes.split_at(props.quotes.len().min(OPEN_QUOTES));
    let more_label = format!(
        "{} more {}",
        more_quotes.len(),
        if more_quotes.len() == 1 {
            "quotation"
        } else {
            "quotations"
        }
    );
    html! {
        <article class={classes!("finding", severity)} data-finding={finding.id} data-severity={finding.severity.as_str()}>
            <header>
                <span class="severity">{ severity }</span>
                <h3 class="title">{ segments(&finding.title) }</h3>
                // The finding's own page (dist/findings/, written by `cargo xtask dist`).
                <a class="id-link" href={format!("findings/{}.html", finding.id)} target="_blank" rel="noopener" title="What this finding means"><code class="id">{ finding.id }</code></a>
            </header>
            if !props.restated.is_empty() {
                <ul class="restated" aria-label="Also reported, same cause">
                    { for props.restated.iter().map(|other| html! {
                        <li data-finding={other.id} data-severity={other.severity.as_str()}>
                            <span class="restated-title">{ segments(&other.title) }</span>
                            { " " }<code class="id">{ other.id }</code>
                        </li>
                    }) }
                </ul>
            }
            <ul class="evidence-list" aria-label="Evidence">
                { for open_quotes.iter().map(evidence_item) }
            </ul>
            if !more_quotes.is_empty() {
                <details class="more-evidence">
                    <summary>{ more_label }</summary>
                    <ul class="evidence-list" aria-label="More evidence">
                        { for more_quotes.iter().map(evidence_item) }
                    </ul>
                </details>
            }
            // What to do comes before why: the fix is what a person came for.
            if finding.fix.caller.is_some() || finding.fix.owner.is_some() {
                <dl class="fix">
                    if let Some(caller) = &finding.fix.caller { <dt>{ "Fix, as the caller" }</dt><dd>{ segments(caller) }</dd> }
                    if let Some(owner) = &finding.fix.owner { <dt>{ "Fix, as the API owner" }</dt><dd>{ segments(owner) }</dd> }
                </dl>
            }
            <div class="explanation">
                { for finding.explanation.paragraphs().iter().map(|paragraph| html! { <p>{ segments(paragraph) }</p> }) }
            </div>
            if let Some(reference) = finding.reference {
                <a class="reference" href={reference} target="_blank" rel="noreferrer noopener">{ reference_label(reference) }</a>
            }
        </article>
    }
}

/// A link text that names its target: `RFC 9110 §15.5.2`, `MDN: CORS`, the host otherwise.
pub(crate) fn reference_label(url: &str) -> String {
    if let Some(rest) = url.split("rfc-editor.org/rfc/rfc").nth(1) {
        let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let section = rest.split("#section-").nth(1).map(|s| format!(" §{s}"));
        let name = rest
            .split("#name-")
            .nth(1)
            .map(|s| format!(": {}", s.replace('-', " ")));
        return format!("RFC {number}{}", section.or(name).unwrap_or_default());
    }
    if url.contains("developer.mozilla.org") {
        let page = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        return format!("MDN: {}", page.replace('_', " "));
    }
    let host = url
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or(url);
    format!("Documentation at {host}")
}
