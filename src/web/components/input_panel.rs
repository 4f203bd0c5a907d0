//! The input: a textarea, a file picker, the format chooser and the examples menu.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::input::Format;
use crate::web::dom::{read_file, target};
use crate::web::examples::EXAMPLES;
use crate::web::state::EDITOR_LIMIT;

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub input: Rc<str>,
    pub file: Option<(String, bool)>,
    pub format: Option<Format>,
    pub detected: Option<Format>,
    /// Why the input was read as `detected`, in words.
    pub detected_by: Option<Rc<str>>,
    pub on_edit: Callback<String>,
    pub on_load: Callback<(String, String)>,
    pub on_load_failed: Callback<String>,
    pub on_format: Callback<Option<Format>>,
    pub on_run_now: Callback<()>,
}

#[component]
pub(crate) fn InputPanel(props: &Props) -> Html {
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = target::<HtmlTextAreaElement>(&e) {
                on_edit.emit(area.value());
            }
        })
    };
    let onkeydown = {
        let on_run_now = props.on_run_now.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_run_now.emit(());
            }
        })
    };
    let on_file = {
        let on_load = props.on_load.clone();
        let on_failed = props.on_load_failed.clone();
        Callback::from(move |e: Event| {
            let Some(picker) = target::<HtmlInputElement>(&e) else {
                return;
            };
            if let Some(file) = picker.files().and_then(|f| f.get(0)) {
                read_file(file, on_load.clone(), on_failed.clone());
            }
            picker.set_value("");
        })
    };
    let on_format = {
        let on_format = props.on_format.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = target::<HtmlSelectElement>(&e) {
                on_format.emit(Format::from_name(&select.value()));
            }
        })
    };
    let on_example = {
        let on_load = props.on_load.clone();
        Callback::from(move |e: Event| {
            let Some(select) = target::<HtmlSelectElement>(&e) else {
                return;
            };
            if let Some(example) = select
                .value()
                .parse::<usize>()
                .ok()
                .and_then(|i| EXAMPLES.get(i))
            {
                on_load.emit((
                    format!("Example: {}", example.label),
                    example.text.to_owned(),
                ));
            }
            select.set_value("");
        })
    };

    let too_large = props.file.as_ref().is_some_and(|(_, large)| *large);
    let shown: &str = if too_large { "" } else { &props.input };
    let placeholder = match &props.file {
        Some((name, true)) => format!("{name} ({:.1} MB) is loaded; it is too large to show here, and is diagnosed below.", crate::knowledge::number::size(props.input.len()) / 1e6),
        _ => "HTTP/1.1 401 Unauthorized\nwww-authenticate: Bearer error=\"invalid_token\"\n…\n\nPaste curl -i or curl -sv output, a HAR file, a console error or a JSON error body — or drop a file anywhere on the page.".to_owned(),
    };
    let auto_label = match props.detected {
        Some(format) if props.format.is_none() && format.name() != "unrecognized" => {
            format!("Detect (found: {})", format.name())
        }
        _ => "Detect automatically".to_owned(),
    };
    let size = props.input.len();
    let status = match &props.file {
        Some((name, _)) => format!("{name} · {}", human_size(size)),
        None if size > 0 => human_size(size),
        None => String::new(),
    };
    html! {
        <section class="input-panel" aria-label="Input">
            <label for="input" class="input-label">
                { "Paste the failed call — " }<code>{ "curl -i" }</code>{ " or " }<code>{ "curl -sv … 2>&1" }</code>{ " output, a HAR file, a browser console error, or a JSON error body" }
            </label>
            <textarea id="input" value={shown.to_owned()} {oninput} {onkeydown} placeholder={placeholder}
                spellcheck="false" autocomplete="off" autofocus=true rows="10"
                aria-describedby="input-help" />
            <div class="toolbar">
                <label for="file" class="button">{ "Open a file…" }</label>
                <input id="file" type="file" class="visually-hidden" accept=".har,.txt,.json,.log,.http,text/plain,application/json" onchange={on_file} />
                <label class="select">
                    <span class="visually-hidden">{ "Format" }</span>
                    <select id="format" onchange={on_format} aria-label="Input format">
                        <option value="" selected={props.format.is_none()}>{ auto_label }</option>
                        { for Format::READABLE.iter().map(|f| html! {
                            <option value={f.name()} selected={props.format == Some(*f)}>{ f.name() }</option>
                        }) }
                    </select>
                </label>
                <label class="select">
                    <span class="visually-hidden">{ "Examples" }</span>
                    <select id="examples" onchange={on_example} aria-label="Load an example">
                        <option value="" selected=true>{ "Examples…" }</option>
                        { for EXAMPLES.iter().enumerate().map(|(i, e)| html! { <option value={i.to_string()}>{ e.label }</option> }) }
                    </select>
                </label>
                <span id="input-help" class="hint">{ "Ctrl+Enter re-runs · " }{ status }</span>
            </div>
            if let (Some(format), Some(why), None) = (props.detected, props.detected_by.as_deref(), props.format) {
                <p class="detected" id="detected-by">
                    { format!("Read as {}: ", format.human_name()) }{ super::code_spans(why.split_once(": ").map_or(why, |(_, reasons)| reasons)) }
                </p>
            }
            if too_large {
                <p class="note">{ format!("Inputs over {} MB are kept out of the editor to keep the page fast.", EDITOR_LIMIT / 1024 / 1024) }</p>
            }
        </section>
    }
}

fn human_size(bytes: usize) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} KB", crate::knowledge::number::size(bytes) / 1e3),
        _ => format!("{:.1} MB", crate::knowledge::number::size(bytes) / 1e6),
    }
}
