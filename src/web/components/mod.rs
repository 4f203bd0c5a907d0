pub(crate) mod app;
pub(crate) mod exchange_list;
mod exchange_view;
pub(crate) mod finding_card;
mod fixed_request;
mod input_panel;
mod report_view;
mod share_panel;
mod token_panel;
mod triage;

/// Text whose `backquoted` parts are code: each part becomes a text node or a `<code>`
/// element (never parsed as HTML).
pub(crate) fn code_spans(text: &str) -> yew::Html {
    use yew::html;
    html! {
        { for text.split('`').enumerate().map(|(i, part)| if i % 2 == 1 {
            html! { <code>{ part }</code> }
        } else {
            html! { { part } }
        }) }
    }
}
