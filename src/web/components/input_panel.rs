//! The input: a textarea, a file picker, the format chooser and the examples menu.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::app::Page;
use crate::input::Format;
use crate::web::dom::{load_file, target};
use crate::web::examples::LABELS;
use crate::web::state::{Action, Arrival, EDITOR_LIMIT, Source};

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub input: Rc<str>,
    pub source: Source,
    pub format: Option<Format>,
    pub detected: Option<Format>,
    /// Why the input was read as `detected`, in words.
    /// Why the input was read as it was, without the format's name.
    pub detected_by: Option<Rc<crate::report::Text>>,
    /// A message about loading, shown until the next input.
    pub notice: Option<String>,
    pub on_run_now: Callback<()>,
}

#[component]
pub(crate) fn InputPanel(props: &Props) -> Html {
    let Some(page) = use_context::<Page>() else {
        return Html::default();
    };
    let oninput = {
        let dispatch = page.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(area) = target::<HtmlTextAreaElement>(&e) {
                dispatch.emit(Action::Edit(
                    area.value(),
                    Arrival::of_input_type(&e.input_type()),
                ));
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
        let engine = page.engine.clone();
        let dispatch = page.dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(picker) = target::<HtmlInputElement>(&e) else {
                return;
            };
            if let Some(file) = picker.files().and_then(|f| f.get(0)) {
                load_file(file, &engine, &dispatch);
            }
            picker.set_value("");
        })
    };
    let on_format = {
        let dispatch = page.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = target::<HtmlSelectElement>(&e) {
                dispatch.emit(Action::SetFormat(Format::from_name(&select.value())));
            }
        })
    };
    let on_diagnose = {
        let on_run_now = props.on_run_now.clone();
        Callback::from(move |_: MouseEvent| on_run_now.emit(()))
    };
    // Arrow keys on a closed menu change its value (and fire `change`) option by option:
    // while the keyboard browses, nothing loads; Enter loads what is chosen.
    let browsing = use_mut_ref(|| false);
    let load_example = {
        let engine = page.engine.clone();
        move |select: &HtmlSelectElement| {
            if let Some(index) = select
                .value()
                .parse::<usize>()
                .ok()
                .filter(|i| *i < LABELS.len())
            {
                engine.example(index);
            }
            select.set_value("");
        }
    };
    let on_example = {
        let browsing = browsing.clone();
        let load_example = load_example.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = target::<HtmlSelectElement>(&e)
                && !*browsing.borrow()
            {
                load_example(&select);
            }
        })
    };
    let on_example_key = {
        let browsing = browsing.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowUp" | "ArrowDown" | "Home" | "End" | "PageUp" | "PageDown" => {
                *browsing.borrow_mut() = true;
            }
            "Enter" | " " => {
                if *browsing.borrow()
                    && let Some(select) = target::<HtmlSelectElement>(&e)
                {
                    e.prevent_default();
                    *browsing.borrow_mut() = false;
                    load_example(&select);
                }
            }
            _ => {}
        })
    };
    let on_example_blur = {
        let browsing = browsing.clone();
        Callback::from(move |_: FocusEvent| *browsing.borrow_mut() = false)
    };

    let too_large = props.input.len() > EDITOR_LIMIT;
    let file = matches!(props.source, Source::File { .. });
    let shown: &str = if too_large || file { "" } else { &props.input };
    let placeholder = match &props.source {
        Source::File { name, bytes } => format!("{name} ({}) is loaded and diagnosed below. Type or paste here to diagnose something else.", human_size_f(*bytes)),
        _ if too_large => format!("The pasted text ({}) is too large to show here; it is diagnosed below.", human_size(props.input.len())),
        _ => "HTTP/1.1 401 Unauthorized\nwww-authenticate: Bearer error=\"invalid_token\"\n…\n\nPaste curl -i or curl -sv output, a HAR file, a console error or a JSON error body — or drop a file anywhere on the page.".to_owned(),
    };
    let auto_label = match props.detected {
        Some(format) if props.format.is_none() && format.name() != "unrecognized" => {
            format!("Detect (found: {})", format.human_name())
        }
        _ => "Detect automatically".to_owned(),
    };
    let size = props.input.len();
    let status = match &props.source {
        Source::File { name, bytes } => format!("{name} · {}", human_size_f(*bytes)),
        _ if size > 0 => human_size(size),
        _ => String::new(),
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
                <button id="diagnose" class="button primary" type="button" onclick={on_diagnose}>{ "Diagnose" }</button>
                <label for="file" class="button">{ "Open a file…" }</label>
                <input id="file" type="file" class="visually-hidden" accept=".har,.txt,.json,.log,.http,text/plain,application/json" onchange={on_file} />
                <label class="select">
                    <span class="visually-hidden">{ "Format" }</span>
                    <select id="format" onchange={on_format} aria-label="Input format">
                        <option value="" selected={props.format.is_none()}>{ auto_label }</option>
                        { for Format::READABLE.iter().map(|f| html! {
                            <option value={f.name()} selected={props.format == Some(*f)}>{ f.human_name() }</option>
                        }) }
                    </select>
                </label>
                <label class="select">
                    <span class="visually-hidden">{ "Examples" }</span>
                    <select id="examples" onchange={on_example} onkeydown={on_example_key} onblur={on_example_blur} aria-label="Load an example (arrow keys choose, Enter loads)">
                        <option value="" selected=true>{ "Examples…" }</option>
                        { for LABELS.iter().enumerate().map(|(i, label)| html! { <option value={i.to_string()}>{ *label }</option> }) }
                    </select>
                </label>
                <span id="input-help" class="hint">{ "Ctrl+Enter re-runs · " }{ status }</span>
            </div>
            if let (Some(format), Some(why), None) = (props.detected, props.detected_by.as_deref(), props.format) {
                <p class="detected" id="detected-by">
                    { format!("Read as {}: ", format.human_name()) }{ super::segments(why) }
                </p>
            }
            if let Some(notice) = &props.notice {
                <p class="error-message" role="alert" id="notice">{ notice }</p>
            }
        </section>
    }
}

fn human_size(bytes: usize) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!(
            "{} KB",
            crate::web::decimals(crate::knowledge::number::size(bytes) / 1e3, 1)
        ),
        _ => format!(
            "{} MB",
            crate::web::decimals(crate::knowledge::number::size(bytes) / 1e6, 1)
        ),
    }
}

fn human_size_f(bytes: f64) -> String {
    human_size(crate::knowledge::number::index(bytes))
}
