//! One finding: title, evidence highlighted in the input, explanation, fixes, reference.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::Span;
use crate::report::{Evidence, Finding, Report};
use crate::web::Ptr;

/// Where a finding sits in the report: among an exchange's findings, or the input's.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct FindingAt {
    pub exchange: Option<usize>,
    pub index: usize,
}

impl FindingAt {
    fn resolve(self, report: &Report) -> Option<&Finding> {
        match self.exchange {
            Some(exchange) => report.exchanges.get(exchange)?.findings.get(self.index),
            None => report.findings.get(self.index),
        }
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub report: Ptr<Report>,
    pub at: FindingAt,
    pub input: Rc<str>,
}

/// How much of the input line around a highlight is shown on each side.
const CONTEXT: usize = 80;
/// The longest highlight shown whole.
const MARK: usize = 240;

/// The input line(s) around `span`, cut to a readable length: `(before, marked, after)`.
fn excerpt(input: &str, span: Span) -> Option<(String, String, String)> {
    let (start, end) = (span.start.min(input.len()), span.end.min(input.len()));
    if !input.is_char_boundary(start) || !input.is_char_boundary(end) || start >= end {
        return None;
    }
    let line_start = input[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = input[end..].find('\n').map_or(input.len(), |i| end + i);
    let before = tail(&input[line_start..start], CONTEXT);
    let after = head(&input[end..line_end], CONTEXT);
    let marked = &input[start..end];
    let marked = if marked.len() > MARK {
        format!("{}…", head(marked, MARK))
    } else {
        marked.to_owned()
    };
    Some((before, marked, after.trim_end_matches('\r').to_owned()))
}

fn head(text: &str, max: usize) -> String {
    crate::knowledge::text::clip(text, max)
}

fn tail(text: &str, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return text.to_owned();
    }
    format!("…{}", text.chars().skip(count - max).collect::<String>())
}

fn evidence_item(evidence: &Evidence, input: &str) -> Html {
    let shown = evidence.span.and_then(|s| excerpt(input, s));
    html! {
        <li class="evidence">
            <span class="location">{ &evidence.location }</span>
            if let Some((before, marked, after)) = shown {
                <pre class="excerpt">{ before }<mark>{ marked }</mark>{ after }</pre>
            } else {
                <pre class="excerpt"><mark>{ &evidence.quote }</mark></pre>
            }
        </li>
    }
}

#[component]
pub(crate) fn FindingCard(props: &Props) -> Html {
    let Some(finding) = props.at.resolve(&props.report) else {
        return Html::default();
    };
    let severity = finding.severity.as_str();
    html! {
        <article class={classes!("finding", severity)} data-finding={finding.id} data-severity={severity}>
            <header>
                <span class="severity">{ severity }</span>
                <h3 class="title">{ &finding.title }</h3>
                <code class="id">{ finding.id }</code>
            </header>
            <ul class="evidence-list" aria-label="Evidence">
                { for finding.evidence().iter().map(|e| evidence_item(e, &props.input)) }
            </ul>
            <div class="explanation">
                { for finding.explanation.lines().map(|line| html! { <p>{ line }</p> }) }
            </div>
            if finding.fix.caller.is_some() || finding.fix.owner.is_some() {
                <dl class="fix">
                    if let Some(caller) = &finding.fix.caller { <dt>{ "Fix, as the caller" }</dt><dd>{ caller }</dd> }
                    if let Some(owner) = &finding.fix.owner { <dt>{ "Fix, as the API owner" }</dt><dd>{ owner }</dd> }
                </dl>
            }
            if let Some(reference) = finding.reference {
                <a class="reference" href={reference} target="_blank" rel="noreferrer noopener">{ "Reference" }</a>
            }
        </article>
    }
}
