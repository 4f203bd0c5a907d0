//! Share and Copy as Markdown: shows exactly what will leave the page, with every redaction
//! marked, lets the person keep a field or redact more, then builds the link.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::input::Format;
use crate::report::Report;
use crate::share::{self, RedactOptions};
use crate::web::Ptr;
use crate::web::dom::{base_url, copy_to_clipboard, target};

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub input: Rc<str>,
    pub report: Ptr<Report>,
    pub selected: usize,
}

/// What a button asked to put on the clipboard.
#[derive(Clone, Copy, PartialEq)]
enum Copy {
    Link,
    Markdown,
}

#[component]
pub(crate) fn SharePanel(props: &Props) -> Html {
    let open = use_state(|| false);
    let redact_options = use_state(RedactOptions::default);
    let extra = use_state(String::new);
    let copied = use_state(|| None::<&'static str>);
    let copy_request = use_state(|| None::<Copy>);

    // One selection, redaction and diagnosis per choice; the link and the Markdown come from
    // it. A HAR shares the chosen exchange only; other inputs travel whole.
    let draft = use_memo(
        (
            *open,
            props.input.clone(),
            props.report.clone(),
            props.selected,
            (*redact_options).clone(),
        ),
        |(open, input, report, selected, options)| {
            open.then(|| {
                let exchanges = (report.format == Format::Har).then(|| vec![*selected]);
                share::Draft::new(input, report, exchanges.as_deref(), options)
            })
        },
    );
    let draft = draft.as_ref().as_ref();
    let link = draft.and_then(|d| d.as_ref().ok()).map(|d| {
        (
            d.link(&base_url()).map_err(|e| e.to_string()),
            d.redacted.clone(),
        )
    });
    let markdown = draft
        .and_then(|d| d.as_ref().ok())
        .and_then(|d| d.markdown().ok());
    // A click opens the panel and asks for a copy; the copy is made from what was just
    // rendered, so the link and Markdown are computed in one place.
    {
        let copy_request = copy_request.clone();
        let copied = copied.clone();
        let url = link.as_ref().and_then(|(url, _)| url.clone().ok());
        let markdown = markdown.clone();
        use_effect_with(
            (*copy_request, url, markdown),
            move |(request, url, markdown)| {
                let done = match request {
                    Some(Copy::Link) => url.as_deref().map(|u| (u, "Link copied")),
                    Some(Copy::Markdown) => markdown.as_deref().map(|m| (m, "Markdown copied")),
                    None => None,
                };
                if let Some((text, message)) = done {
                    copy_to_clipboard(text);
                    copied.set(Some(message));
                    copy_request.set(None);
                }
            },
        );
    }
    let ask = |what: Copy| {
        let open = open.clone();
        let copy_request = copy_request.clone();
        Callback::from(move |_| {
            open.set(true);
            copy_request.set(Some(what));
        })
    };
    let on_share = ask(Copy::Link);
    let on_markdown = ask(Copy::Markdown);
    let toggle_keep = |original: String| {
        let redact_options = redact_options.clone();
        Callback::from(move |_: Event| {
            let mut next = (*redact_options).clone();
            match next.keep.iter().position(|k| *k == original) {
                Some(at) => {
                    next.keep.remove(at);
                }
                None => next.keep.push(original.clone()),
            }
            redact_options.set(next);
        })
    };
    let on_claims = {
        let redact_options = redact_options.clone();
        Callback::from(move |_: Event| {
            let mut next = (*redact_options).clone();
            next.redact_claims = !next.redact_claims;
            redact_options.set(next);
        })
    };
    let on_extra_input = {
        let extra = extra.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(field) = target::<HtmlInputElement>(&e) {
                extra.set(field.value());
            }
        })
    };
    let on_extra_add = {
        let extra = extra.clone();
        let redact_options = redact_options.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if extra.trim().len() >= 2 {
                let mut next = (*redact_options).clone();
                next.extra.push(extra.trim().to_owned());
                redact_options.set(next);
                extra.set(String::new());
            }
        })
    };

    html! {
        <section class="share" aria-label="Share">
            <div class="toolbar">
                <button id="share" class="button" type="button" onclick={on_share}>{ "Share link" }</button>
                <button id="copy-markdown" class="button" type="button" onclick={on_markdown}>{ "Copy as Markdown" }</button>
                if let Some(message) = *copied { <span class="hint" role="status">{ message }</span> }
            </div>
            if let Some((url, redacted)) = &link {
                <div class="share-preview">
                    if let Ok(url) = url {
                        <label for="share-link">{ format!("Link ({} characters) — the input travels compressed after #, which is never sent to a server", url.len()) }</label>
                        <input id="share-link" type="text" readonly=true value={url.clone()} onfocus={Callback::from(|e: FocusEvent| { if let Some(i) = target::<HtmlInputElement>(&e) { i.select(); } })} />
                    }
                    if let Err(message) = url {
                        <p class="error-message" role="alert">{ message }</p>
                    }
                    <details open=true>
                        <summary>{ format!("What will be shared: {} redaction{}", redacted.redactions.len(), if redacted.redactions.len() == 1 { "" } else { "s" }) }</summary>
                        <ul class="redactions">
                            { for redacted.redactions.iter().enumerate().map(|(i, r)| html! {
                                <li key={i}>
                                    <label>
                                        <input type="checkbox" checked={false} onchange={toggle_keep(r.original.clone())} />
                                        { format!(" keep {} ", r.kind) }<code>{ crate::knowledge::secrets::mask_credential(&r.original) }</code>
                                    </label>
                                </li>
                            }) }
                            { for redact_options.keep.iter().map(|k| html! {
                                <li><label><input type="checkbox" checked=true onchange={toggle_keep(k.clone())} />{ " kept: " }<code>{ crate::knowledge::secrets::mask_credential(k) }</code></label></li>
                            }) }
                        </ul>
                        <label><input id="redact-claims" type="checkbox" checked={redact_options.redact_claims} onchange={on_claims} />{ " Also hide JWT claims (findings about token expiry then cannot be reproduced)" }</label>
                        <form class="redact-more" onsubmit={on_extra_add}>
                            <label for="redact-extra">{ "Redact more:" }</label>
                            <input id="redact-extra" type="text" value={(*extra).clone()} oninput={on_extra_input} placeholder="text to remove everywhere" />
                            <button class="button" type="submit">{ "Redact" }</button>
                        </form>
                        <pre class="shared-text">{ shared_text_with_marks(redacted) }</pre>
                    </details>
                    if let Some(markdown) = &markdown {
                        <details>
                            <summary>{ "Markdown" }</summary>
                            <textarea id="markdown" readonly=true rows="8" value={markdown.clone()} />
                        </details>
                    }
                </div>
            }
        </section>
    }
}

/// The redacted text with each replacement marked, cut to a readable length.
fn shared_text_with_marks(redacted: &share::Redacted) -> Html {
    const SHOWN: usize = 20_000;
    let text = &redacted.text;
    let mut parts: Vec<Html> = Vec::new();
    let mut at = 0;
    for r in redacted
        .redactions
        .iter()
        .take_while(|r| r.span.end <= SHOWN.min(text.len()))
    {
        parts.push(html! { { &text[at..r.span.start] } });
        parts.push(html! { <mark>{ &text[r.span.start..r.span.end] }</mark> });
        at = r.span.end;
    }
    let end = text.floor_char_boundary(SHOWN.max(at));
    parts.push(html! { { &text[at..end] } });
    if end < text.len() {
        parts.push(html! { { format!("\n… {} more bytes", text.len() - end) } });
    }
    parts.into_iter().collect::<Html>()
}
