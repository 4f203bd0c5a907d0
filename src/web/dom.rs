//! Small helpers over the browser's DOM and APIs, shared by the components.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::File;
use yew::prelude::*;

/// The element an event came from, as `T`.
pub(crate) fn target<T: JsCast>(event: &Event) -> Option<T> {
    event.target().and_then(|t| t.dyn_into::<T>().ok())
}

/// Moves the keyboard focus to the element with this id, if it exists.
pub(crate) fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

/// Puts `text` on the clipboard. Best effort: what is copied is also shown for copying by hand.
pub(crate) fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

/// The page's own address, without any fragment: share links open the same page.
pub(crate) fn base_url() -> String {
    let location = web_sys::window().map(|w| w.location());
    let origin = location
        .as_ref()
        .and_then(|l| l.origin().ok())
        .unwrap_or_default();
    let path = location
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_else(|| "/".into());
    format!("{origin}{path}")
}

/// The fragment of the page's address (`#…`), empty when there is none.
pub(crate) fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Reads a chosen or dropped file as text, refusing binary files without touching the input.
pub(crate) fn read_file(
    file: File,
    on_load: Callback<(String, String)>,
    on_failed: Callback<String>,
) {
    let name = file.name();
    if file.size() > crate::knowledge::number::size(crate::MAX_INPUT_BYTES) {
        on_failed.emit(format!(
            "{name} is {:.0} MB; httpdx reads up to {} MB",
            file.size() / 1e6,
            crate::MAX_INPUT_BYTES / 1_000_000
        ));
        return;
    }
    spawn_local(async move {
        let Ok(buffer) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await else {
            return on_failed.emit(format!("{name} could not be read"));
        };
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        match crate::decode_input(&bytes) {
            Ok(text) => on_load.emit((name, text.into_owned())),
            Err(error) => on_failed.emit(format!("{name}: {error}")),
        }
    });
}
