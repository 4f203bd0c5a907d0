pub(crate) mod app;
pub(crate) mod exchange_list;
mod exchange_view;
pub(crate) mod finding_card;
mod fixed_request;
mod font_warmup;
mod input_panel;
pub(crate) mod report_view;
mod share_panel;
mod token_panel;
mod triage;

/// What httpdx wrote, from its segments: text nodes, `<code>` and `<em>` elements (never
/// parsed as HTML).
pub(crate) fn segments(text: &crate::report::Text) -> yew::Html {
    use crate::report::SegmentKind;
    use yew::html;
    html! {
        { for text.segments().map(|segment| match segment.kind {
            SegmentKind::Text => html! { { segment.text } },
            SegmentKind::Code => html! { <code>{ segment.text }</code> },
            SegmentKind::Emphasis => html! { <em>{ segment.text }</em> },
        }) }
    }
}
