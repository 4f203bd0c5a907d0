//! One finding: title, evidence highlighted where it stands in the input (an excerpt the
//! worker sent), explanation, fixes, reference.

use std::rc::Rc;

use yew::prelude::*;

use super::code_spans;
use crate::index::Excerpt;
use crate::report::{Evidence, Finding};

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub finding: Rc<Finding>,
    /// For each piece of evidence, the excerpt of the input around it, when it has one.
    pub excerpts: Rc<[Option<Excerpt>]>,
}

fn evidence_item(evidence: &Evidence, excerpt: Option<&Excerpt>) -> Html {
    html! {
        <li class="evidence">
            <span class="location">{ &evidence.location }</span>
            if let Some(excerpt) = excerpt {
                <pre class="excerpt" data-line={excerpt.line.to_string()}>
                    { &excerpt.text[..excerpt.mark.start] }<mark>{ &excerpt.text[excerpt.mark.start..excerpt.mark.end] }</mark>{ &excerpt.text[excerpt.mark.end..] }
                </pre>
            } else {
                <pre class="excerpt"><mark>{ &evidence.quote }</mark></pre>
            }
        </li>
    }
}

#[component]
pub(crate) fn FindingCard(props: &Props) -> Html {
    let finding = &props.finding;
    let severity = finding.severity.as_str();
    html! {
        <article class={classes!("finding", severity)} data-finding={finding.id} data-severity={severity}>
            <header>
                <span class="severity">{ severity }</span>
                <h3 class="title">{ code_spans(&finding.title) }</h3>
                // The finding's own page (dist/findings/, written by `cargo xtask dist`).
                <a class="id-link" href={format!("findings/{}.html", finding.id)} target="_blank" rel="noopener" title="What this finding means"><code class="id">{ finding.id }</code></a>
            </header>
            <ul class="evidence-list" aria-label="Evidence">
                { for finding.evidence().iter().enumerate().map(|(i, e)| evidence_item(e, props.excerpts.get(i).and_then(Option::as_ref))) }
            </ul>
            <div class="explanation">
                { for finding.explanation.lines().map(|line| html! { <p>{ code_spans(line) }</p> }) }
            </div>
            if finding.fix.caller.is_some() || finding.fix.owner.is_some() {
                <dl class="fix">
                    if let Some(caller) = &finding.fix.caller { <dt>{ "Fix, as the caller" }</dt><dd>{ code_spans(caller) }</dd> }
                    if let Some(owner) = &finding.fix.owner { <dt>{ "Fix, as the API owner" }</dt><dd>{ code_spans(owner) }</dd> }
                </dl>
            }
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
