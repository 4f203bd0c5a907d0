//! The fixed request: the person's own request with the mechanical fix made, as a `curl`
//! command and a `fetch(…)` call, the changed parts marked, each with a Copy button that
//! copies exactly the text shown. The engine wrote both; this only shows them.

use yew::prelude::*;

use crate::fix::{FixedRequest, Segment, joined};
use crate::web::Ptr;

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub fixed: Ptr<FixedRequest>,
}

/// What the last Copy did, shown beside its button.
#[derive(Clone, Copy, PartialEq)]
enum Copied {
    Done,
    Failed,
}

/// Segments as text nodes, the changed ones in `<mark>`.
fn marked(segments: &[Segment]) -> Html {
    html! {
        { for segments.iter().map(|s| if s.changed {
            html! { <mark>{ s.text.clone() }</mark> }
        } else {
            html! { { s.text.clone() } }
        }) }
    }
}

/// Writes `text` to the clipboard and says how it went once the browser answers.
fn copy(text: &str, copied: UseStateHandle<Option<Copied>>) {
    let Some(window) = web_sys::window() else {
        copied.set(Some(Copied::Failed));
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::spawn_local(async move {
        let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        copied.set(Some(if done { Copied::Done } else { Copied::Failed }));
    });
}

#[derive(Properties, PartialEq)]
struct CommandProps {
    /// `curl` or `fetch`: the data attributes the tests find it by.
    kind: AttrValue,
    label: AttrValue,
    segments: Ptr<FixedRequest>,
}

#[component]
fn Command(props: &CommandProps) -> Html {
    let copied = use_state(|| None::<Copied>);
    let segments: &[Segment] = if props.kind == "curl" {
        &props.segments.curl
    } else {
        &props.segments.fetch
    };
    let onclick = {
        let text = joined(segments);
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| copy(&text, copied.clone()))
    };
    let pre_id = format!("fixed-{}", props.kind);
    html! {
        <div class="fixed-command">
            <div class="fixed-command-head">
                <h4>{ props.label.clone() }</h4>
                <button class="button" type="button" data-copy={props.kind.clone()} aria-label={format!("Copy the {} {}", props.label, if props.kind == "curl" { "command" } else { "call" })} {onclick}>{ "Copy" }</button>
                <span class="copied" role="status">{ match *copied {
                    Some(Copied::Done) => "Copied",
                    Some(Copied::Failed) => "Copy failed: select the text instead",
                    None => "",
                } }</span>
            </div>
            <pre id={pre_id} data-fixed={props.kind.clone()} tabindex="0">{ marked(segments) }</pre>
        </div>
    }
}

#[component]
pub(crate) fn FixedRequestView(props: &Props) -> Html {
    let fixed = &props.fixed;
    html! {
        <section class="fixed-request" data-fixed-request="" aria-label="The fixed request">
            <h3>{ "The fixed request" }</h3>
            <ul class="fixed-changes">
                { for fixed.changes.iter().map(|c| html! { <li>{ super::segments(&c.what) }</li> }) }
            </ul>
            if !fixed.placeholders.is_empty() {
                <p class="note">
                    { "Credentials are left out: set " }
                    { for fixed.placeholders.iter().enumerate().map(|(i, p)| html! {
                        <>
                            if i > 0 { { ", " } }
                            <code>{ format!("export {}=…", p.name) }</code>
                            { format!(" ({})", p.what) }
                        </>
                    }) }
                    { " first (in JavaScript, " }
                    <code>{ format!("const {} = …", fixed.placeholders[0].name) }</code>
                    { ")." }
                </p>
            }
            // Keyed by the command: another exchange's fixed request starts without "Copied".
            <Command key={format!("curl {}", fixed.curl_text())} kind="curl" label="curl" segments={fixed.clone()} />
            <Command key={format!("fetch {}", fixed.fetch_text())} kind="fetch" label="fetch" segments={fixed.clone()} />
        </section>
    }
}
