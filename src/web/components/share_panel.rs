//! Share: "Share…" asks the worker for a preview of exactly what would leave the page, with
//! every redaction marked and what stays on purpose said; the person can keep a value or
//! redact more; only then do "Copy link" and "Copy Markdown" copy what the preview shows.
//! "Download redacted file" writes the whole input through the same redaction.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::app::Page;
use crate::index::Index;
use crate::input::Format;
use crate::share::{Preview, RedactOptions};
use crate::web::Ptr;
use crate::web::dom::{base_url, copy_to_clipboard, target};
use crate::web::state::{Action, Sharing};

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub index: Ptr<Index>,
    pub job: u32,
    pub selected: Option<usize>,
    pub sharing: Sharing,
}

/// What "Redact more" needs, at least.
const EXTRA_MIN_CHARS: usize = 3;

#[component]
pub(crate) fn SharePanel(props: &Props) -> Html {
    let Some(page) = use_context::<Page>() else {
        return Html::default();
    };
    let options = use_state(RedactOptions::default);
    let extra = use_state(String::new);
    let extra_error = use_state(|| None::<String>);
    let copied = use_state(|| None::<&'static str>);
    // A HAR shares the chosen exchange; other inputs travel whole.
    let exchanges: Option<Vec<usize>> =
        (props.index.format == Format::Har).then(|| props.selected.into_iter().collect());
    let ask = {
        let engine = page.engine.clone();
        let dispatch = page.dispatch.clone();
        let job = props.job;
        let exchanges = exchanges.clone();
        let copied = copied.clone();
        move |options: &RedactOptions| {
            copied.set(None);
            dispatch.emit(Action::ShareWaiting);
            engine.share(job, exchanges.as_deref(), options, &base_url());
        }
    };
    let on_open = {
        let ask = ask.clone();
        let options = options.clone();
        Callback::from(move |_: MouseEvent| ask(&options))
    };
    let on_close = {
        let dispatch = page.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Action::CloseShare))
    };
    let change = {
        let ask = ask.clone();
        let options = options.clone();
        move |next: RedactOptions| {
            ask(&next);
            options.set(next);
        }
    };
    let toggle_keep = |original: String| {
        let change = change.clone();
        let options = options.clone();
        Callback::from(move |_: Event| {
            let mut next = (*options).clone();
            match next.keep.iter().position(|k| *k == original) {
                Some(at) => {
                    next.keep.remove(at);
                }
                None => next.keep.push(original.clone()),
            }
            change(next);
        })
    };
    let on_claims = {
        let change = change.clone();
        let options = options.clone();
        Callback::from(move |_: Event| {
            let mut next = (*options).clone();
            next.redact_claims = !next.redact_claims;
            change(next);
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
        let extra_error = extra_error.clone();
        let change = change.clone();
        let options = options.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let wanted = extra.trim().to_owned();
            if wanted.chars().count() < EXTRA_MIN_CHARS {
                extra_error.set(Some(format!(
                    "Type at least {EXTRA_MIN_CHARS} characters to redact."
                )));
                return;
            }
            extra_error.set(None);
            let mut next = (*options).clone();
            next.extra.push(wanted);
            change(next);
            extra.set(String::new());
        })
    };
    let on_download = {
        let engine = page.engine.clone();
        let options = options.clone();
        let job = props.job;
        Callback::from(move |_: MouseEvent| engine.redacted_file(job, &options))
    };
    let copy = |text: Option<String>, message: &'static str| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(text) = &text {
                copy_to_clipboard(text);
                copied.set(Some(message));
            }
        })
    };

    html! {
        <section class="share" aria-label="Share">
            <div class="toolbar">
                if props.sharing == Sharing::Closed {
                    <button id="share" class="button" type="button" onclick={on_open}>{ "Share…" }</button>
                } else {
                    <button id="share-close" class="button" type="button" onclick={on_close}>{ "Close sharing" }</button>
                }
                <button id="download-redacted" class="button" type="button" onclick={on_download}>{ "Download redacted file" }</button>
            </div>
            { match &props.sharing {
                Sharing::Closed => Html::default(),
                Sharing::Waiting => html! { <p class="hint" role="status">{ "Redacting…" }</p> },
                Sharing::Failed(message) => html! { <p class="error-message" role="alert">{ message }</p> },
                Sharing::Ready(preview) => preview_view(preview, &options, &extra, (*extra_error).clone(), PreviewCallbacks {
                    toggle_keep: &toggle_keep,
                    on_claims: on_claims.clone(),
                    on_extra_input: on_extra_input.clone(),
                    on_extra_add: on_extra_add.clone(),
                    copy_link: copy(preview.link.clone(), "Link copied"),
                    copy_markdown: copy(preview.markdown.clone(), "Markdown copied"),
                }, *copied),
            } }
        </section>
    }
}

struct PreviewCallbacks<'a> {
    toggle_keep: &'a dyn Fn(String) -> Callback<Event>,
    on_claims: Callback<Event>,
    on_extra_input: Callback<InputEvent>,
    on_extra_add: Callback<SubmitEvent>,
    copy_link: Callback<MouseEvent>,
    copy_markdown: Callback<MouseEvent>,
}

fn preview_view(
    preview: &Preview,
    options: &RedactOptions,
    extra: &str,
    extra_error: Option<String>,
    on: PreviewCallbacks,
    copied: Option<&'static str>,
) -> Html {
    let count = preview.redactions.len();
    let mut stays: Vec<&str> = Vec::new();
    if preview.keeps_claims {
        stays.push("JWT headers and claims (expiry, audience, issuer: the diagnosis needs them) stay; their signatures are removed");
    }
    if preview.keeps_users {
        stays.push("Basic user names stay; their passwords are removed");
    }
    html! {
        <div class="share-preview" id="share-preview">
            <h2>{ "Review what will be shared" }</h2>
            <p>{ format!("{count} secret{} redacted. The input travels compressed after the # of the link, which is never sent to a server.", if count == 1 { "" } else { "s" }) }</p>
            if !stays.is_empty() {
                <ul class="stays">{ for stays.iter().map(|s| html! { <li>{ *s }</li> }) }</ul>
            }
            <ul class="redactions">
                { for preview.redactions.iter().map(|r| html! {
                    <li key={format!("{}-{}", r.kind, r.original)}>
                        <label>
                            <input type="checkbox" checked={false} onchange={(on.toggle_keep)(r.original.clone())} />
                            { format!(" keep {} ", r.kind) }<code>{ &r.masked }</code>
                        </label>
                    </li>
                }) }
                { for options.keep.iter().map(|k| html! {
                    <li key={format!("kept-{k}")}><label><input type="checkbox" checked=true onchange={(on.toggle_keep)(k.clone())} />{ " kept: " }<code>{ crate::knowledge::secrets::mask_credential(k) }</code></label></li>
                }) }
            </ul>
            <label><input id="redact-claims" type="checkbox" checked={options.redact_claims} onchange={on.on_claims} />{ " Also hide JWT claims (findings about token expiry then cannot be reproduced)" }</label>
            <form class="redact-more" onsubmit={on.on_extra_add}>
                <label for="redact-extra">{ "Redact more:" }</label>
                <input id="redact-extra" type="text" value={extra.to_owned()} oninput={on.on_extra_input} placeholder="text to remove everywhere (3 characters or more)" />
                <button class="button" type="submit">{ "Redact" }</button>
            </form>
            if let Some(message) = extra_error {
                <p class="error-message" role="alert">{ message }</p>
            }
            if !preview.not_found.is_empty() {
                <p class="note" role="status" id="not-found">{ format!("Not found anywhere in the input: {}", preview.not_found.join(", ")) }</p>
            }
            <pre class="shared-text" tabindex="0" aria-label="What the link carries">{ marked(preview) }</pre>
            if let Some(error) = &preview.error {
                <p class="error-message" role="alert">{ error }</p>
            }
            if preview.long {
                <p class="note" role="status" id="link-long">{ format!("This link is {} characters: chat tools and issue trackers often cut links past about 8,000. Download the redacted file and attach it instead.", preview.link_chars) }</p>
            }
            <div class="toolbar">
                <button id="copy-link" class="button primary" type="button" disabled={preview.link.is_none()} onclick={on.copy_link}>{ "Copy link" }</button>
                <button id="copy-markdown" class="button" type="button" disabled={preview.markdown.is_none()} onclick={on.copy_markdown}>{ "Copy Markdown" }</button>
                if let Some(message) = copied { <span class="hint" role="status">{ message }</span> }
            </div>
            if let Some(link) = &preview.link {
                <input id="share-link" type="text" readonly=true value={link.clone()} aria-label="The link" />
            }
            if let Some(markdown) = &preview.markdown {
                <details id="markdown-preview">
                    <summary>{ "The Markdown" }</summary>
                    <textarea id="markdown" readonly=true rows="8" value={markdown.clone()} aria-label="The diagnosis as Markdown" />
                </details>
            }
        </div>
    }
}

/// What travels, with each replacement marked.
fn marked(preview: &Preview) -> Html {
    let text = &preview.text;
    let mut parts: Vec<Html> = Vec::new();
    let mut at = 0;
    for mark in &preview.marks {
        if mark.start < at
            || mark.end > text.len()
            || !text.is_char_boundary(mark.start)
            || !text.is_char_boundary(mark.end)
        {
            continue;
        }
        parts.push(html! { { &text[at..mark.start] } });
        parts.push(html! { <mark>{ &text[mark.start..mark.end] }</mark> });
        at = mark.end;
    }
    parts.push(html! { { &text[at..] } });
    if preview.text_total > text.len() {
        parts.push(html! { { format!("\n… {} more bytes", preview.text_total - text.len()) } });
    }
    parts.into_iter().collect::<Html>()
}
