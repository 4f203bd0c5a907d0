//! The exchanges of a HAR or redirect chain, failures first; arrow keys move the choice.

use yew::prelude::*;

use crate::report::{ExchangeReport, Report};
use crate::web::Ptr;

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub report: Ptr<Report>,
    pub selected: usize,
    pub on_select: Callback<usize>,
}

fn status_text(exchange: &ExchangeReport) -> String {
    match (&exchange.response, &exchange.summary) {
        (Some(r), _) if r.status != 0 => r.status.to_string(),
        (_, Some(summary)) => summary.outcome.clone(),
        _ => "—".into(),
    }
}

#[component]
pub(crate) fn ExchangeList(props: &Props) -> Html {
    // Failures first, then the rest, each group in input order.
    let mut order: Vec<&ExchangeReport> = props.report.exchanges.iter().collect();
    order.sort_by_key(|e| !e.failed);
    let ids: Vec<usize> = order.iter().map(|e| e.index).collect();
    let onkeydown = {
        let on_select = props.on_select.clone();
        let selected = props.selected;
        Callback::from(move |e: KeyboardEvent| {
            let at = ids.iter().position(|i| *i == selected).unwrap_or(0);
            let next = match e.key().as_str() {
                "ArrowDown" | "ArrowRight" => ids.get(at + 1),
                "ArrowUp" | "ArrowLeft" => at.checked_sub(1).and_then(|a| ids.get(a)),
                "Home" => ids.first(),
                "End" => ids.last(),
                _ => return,
            };
            e.prevent_default();
            if let Some(next) = next {
                on_select.emit(*next);
                crate::web::dom::focus_by_id(&format!("exchange-{next}"));
            }
        })
    };
    let failed = props.report.exchanges.iter().filter(|e| e.failed).count();
    html! {
        <nav class="exchanges" aria-label="Exchanges">
            <h2>{ format!("{} exchanges, {} failed", props.report.exchanges.len(), failed) }</h2>
            <ul role="listbox" aria-label="Choose an exchange" {onkeydown}>
                { for order.iter().map(|exchange| {
                    let index = exchange.index;
                    let chosen = index == props.selected;
                    let onclick = { let on_select = props.on_select.clone(); Callback::from(move |_| on_select.emit(index)) };
                    let request = exchange.request.as_ref().map(|r| format!("{} {}", r.method.as_deref().unwrap_or(""), r.url)).unwrap_or_default();
                    let top = exchange.findings.first().map(|f| f.title.clone()).unwrap_or_default();
                    let class = classes!("exchange-item", exchange.failed.then_some("failed"), chosen.then_some("chosen"));
                    html! {
                        <li id={format!("exchange-{index}")} role="option" aria-selected={chosen.to_string()} tabindex={if chosen { "0" } else { "-1" }}
                            data-exchange={index.to_string()} data-status={status_text(exchange)} {class} {onclick}>
                            <span class="status">{ status_text(exchange) }</span>
                            <span class="request">{ request }</span>
                            <span class="top-finding">{ top }</span>
                        </li>
                    }
                }) }
            </ul>
        </nav>
    }
}
