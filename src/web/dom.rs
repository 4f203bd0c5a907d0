//! Small helpers over the browser's DOM and APIs, shared by the components.

use wasm_bindgen::JsCast;
use web_sys::File;
use yew::prelude::*;

/// The element an event came from, as `T`.
pub(crate) fn target<T: JsCast>(event: &Event) -> Option<T> {
    event.target().and_then(|t| t.dyn_into::<T>().ok())
}

/// Moves the keyboard focus to the element with this id, if it exists. The page scrolls to
/// show it only when `scroll`: a focus the person did not move (a choice made for them, as
/// when a capture opens) must not move the page under them.
pub(crate) fn focus_by_id(id: &str, scroll: bool) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(!scroll);
        let _ = element.focus_with_options(&options);
    }
}

/// Whether the keyboard focus is inside `element` (reading it forces no layout).
pub(crate) fn holds_focus(element: &web_sys::Element) -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|active| element.contains(Some(&active)))
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

/// Replaces the address's fragment with `fragment` (`#…`) without a reload or a new
/// history entry.
pub(crate) fn replace_fragment(fragment: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(fragment));
    }
}

/// Saves `blob` as a download named `name` (a temporary object URL, revoked after the click).
pub(crate) fn download(blob: &web_sys::Blob, name: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Ok(link) = document.create_element("a") {
        let _ = link.set_attribute("href", &url);
        let _ = link.set_attribute("download", name);
        if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
            link.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A chosen or dropped file, handed to the worker; too large a file is refused here with a
/// message naming the limit, and the input the person had stays.
pub(crate) fn load_file(
    file: File,
    engine: &crate::web::client::Engine,
    dispatch: &Callback<crate::web::state::Action>,
) {
    use crate::web::state::Action;
    let name = file.name();
    let bytes = file.size();
    let limit = crate::knowledge::number::size(crate::MAX_INPUT_BYTES);
    if bytes > limit {
        dispatch.emit(Action::LoadFailed(format!(
            "{name} is {} MB; httpdx reads files up to {} MB.",
            crate::web::decimals(bytes / 1e6, 0),
            crate::web::decimals(limit / 1e6, 0)
        )));
        return;
    }
    engine.hold_file(file);
    dispatch.emit(Action::LoadFile { name, bytes });
}
