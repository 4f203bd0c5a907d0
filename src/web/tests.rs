//! Component tests in a real browser (wasm-bindgen-test in headless Chromium): the app is
//! mounted into the test page and driven through the DOM, as a person would.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits up to two seconds for `selector` to match.
async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..100 {
        if let Some(found) = root.query_selector(selector).unwrap() {
            return found;
        }
        sleep(20).await;
    }
    panic!(
        "{selector} never appeared; the page shows: {}",
        root.text_content().unwrap_or_default()
    );
}

fn mount() -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<super::components::app::App>::with_root(root.clone()).render();
    root
}

async fn type_into(root: &Element, text: &str) {
    let area: HtmlTextAreaElement = wait_for(root, "textarea#input").await.dyn_into().unwrap();
    area.set_value(text);
    let event = web_sys::InputEvent::new("input").unwrap();
    area.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn typing_a_response_shows_its_findings_after_the_pause() {
    let root = mount();
    wait_for(&root, "main[data-state=\"idle\"]").await;
    type_into(
        &root,
        "HTTP/1.1 405 Method Not Allowed\nAllow: GET, HEAD\nContent-Length: 0\n\n",
    )
    .await;
    // Not on the keystroke itself: still idle right after typing.
    assert!(
        root.query_selector("main[data-state=\"done\"]")
            .unwrap()
            .is_none()
    );
    let finding = wait_for(&root, "[data-finding=\"method.not-allowed\"]").await;
    assert_eq!(
        finding.get_attribute("data-severity").as_deref(),
        Some("error")
    );
    assert!(
        root.query_selector("main[data-state=\"done\"]")
            .unwrap()
            .is_some()
    );
    assert!(
        wait_for(&root, ".summary .outcome")
            .await
            .text_content()
            .unwrap()
            .contains("405")
    );
}

#[wasm_bindgen_test]
async fn html_in_the_input_is_shown_as_text() {
    let root = mount();
    type_into(&root, "HTTP/1.1 500 Internal Server Error\nContent-Type: text/html\n\n<b id=\"injected\">TypeError: boom</b>\n").await;
    wait_for(&root, "[data-finding]").await;
    assert!(document().get_element_by_id("injected").is_none());
}

#[wasm_bindgen_test]
async fn unreadable_text_gets_a_clear_message() {
    let root = mount();
    type_into(&root, "lorem ipsum dolor sit amet").await;
    let finding = wait_for(&root, "[data-finding=\"input.unrecognized\"]").await;
    assert!(
        finding
            .text_content()
            .unwrap()
            .contains("httpdx reads these formats")
    );
}
