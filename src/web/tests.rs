//! Component tests in a real browser (wasm-bindgen-test in headless Chromium): components are
//! mounted with the data the worker would send and read back through the DOM. The whole page,
//! with its worker, is tested end to end against the built bundle (tests/e2e).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;
use yew::prelude::*;

use super::Ptr;
use super::client::Engine;
use super::components::app::Page;
use super::components::exchange_list::ExchangeList;
use super::components::finding_card::{FindingCard, Quote, reference_label};
use super::state::Rows;
use crate::index::{Counts, Excerpt, INDEX_SCHEMA, Index, Row};
use crate::input::Format;
use crate::model::Span;
use crate::report::{Evidence, Finding, Severity};

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

fn root() -> Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    root
}

#[derive(Properties, PartialEq)]
struct CardProps {
    finding: Rc<Finding>,
    #[prop_or_default]
    restated: Rc<[Rc<Finding>]>,
    quotes: Rc<[Quote]>,
}

#[component]
fn Card(props: &CardProps) -> Html {
    html! { <FindingCard finding={props.finding.clone()} restated={props.restated.clone()} quotes={props.quotes.clone()} /> }
}

#[wasm_bindgen_test]
async fn evidence_and_titles_from_the_input_are_text_never_html() {
    let hostile = "<b id=\"injected\">boom</b>";
    let mut finding = Finding::new(
        "server.unhandled-exception",
        Severity::Error,
        format!("The server failed: `{hostile}`"),
        Evidence::new("response body", hostile, Some(Span::new(10, 35))),
        Some("https://www.rfc-editor.org/rfc/rfc6750#section-3.1"),
    );
    finding.explanation = "Explained with `code` and <i id=\"injected-too\">markup</i>".into();
    let excerpt = Excerpt {
        line: 3,
        text: format!("before {hostile} after"),
        mark: Span::new(7, 7 + hostile.len()),
    };
    let root = root();
    yew::Renderer::<Card>::with_root_and_props(
        root.clone(),
        CardProps {
            quotes: Rc::from(vec![Quote {
                evidence: finding.evidence()[0].clone(),
                excerpt: Some(excerpt),
            }]),
            finding: Rc::new(finding),
            restated: Rc::from(Vec::new()),
        },
    )
    .render();
    sleep(50).await;
    assert!(document().get_element_by_id("injected").is_none());
    assert!(document().get_element_by_id("injected-too").is_none());
    let mark = root.query_selector("mark").unwrap().unwrap();
    assert_eq!(mark.text_content().unwrap(), hostile);
    // Backquoted parts are code, without the backquotes.
    let title = root.query_selector(".title").unwrap().unwrap();
    assert!(title.query_selector("code").unwrap().is_some());
    assert!(!title.text_content().unwrap().contains('`'));
    assert_eq!(
        root.query_selector(".reference")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "RFC 6750 §3.1"
    );
    // The ID links to the finding's page, relatively (any host, any path).
    let id = root.query_selector("a.id-link").unwrap().unwrap();
    assert_eq!(
        id.get_attribute("href").as_deref(),
        Some("findings/server.unhandled-exception.html")
    );
    assert_eq!(id.text_content().unwrap(), "server.unhandled-exception");
}

#[wasm_bindgen_test]
async fn a_merged_card_keeps_one_data_finding_per_id_and_quotes_each_piece_once() {
    let evidence = Evidence::new("request header", "Authorization: Bearer eyJ…", None);
    let lead = Finding::new(
        "auth.token-expired",
        Severity::Error,
        "The JWT expired 2 h before this response",
        evidence.clone(),
        None,
    );
    let restated = Finding::new(
        "auth.token-rejected",
        Severity::Error,
        "The server rejected the token: `<i id=\"x\">expired</i>`",
        Evidence::new("response header", "www-authenticate: Bearer", None),
        None,
    );
    let root = root();
    yew::Renderer::<Card>::with_root_and_props(
        root.clone(),
        CardProps {
            quotes: Rc::from(vec![
                Quote {
                    evidence,
                    excerpt: None,
                },
                Quote {
                    evidence: restated.evidence()[0].clone(),
                    excerpt: None,
                },
            ]),
            finding: Rc::new(lead),
            restated: Rc::from(vec![Rc::new(restated)]),
        },
    )
    .render();
    sleep(50).await;
    let ids: Vec<String> = (0..root.query_selector_all("[data-finding]").unwrap().length())
        .filter_map(|i| root.query_selector_all("[data-finding]").unwrap().get(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .filter_map(|e| e.get_attribute("data-finding"))
        .collect();
    assert_eq!(ids, ["auth.token-expired", "auth.token-rejected"]);
    assert_eq!(root.query_selector_all("li.evidence").unwrap().length(), 2);
    assert!(document().get_element_by_id("x").is_none());
    // The restated finding is a line in the card, not a card of its own.
    assert_eq!(root.query_selector_all("article").unwrap().length(), 1);
}

#[derive(Properties, PartialEq)]
struct ListProps {
    index: Ptr<Index>,
    rows: Rows,
}

#[component]
fn List(props: &ListProps) -> Html {
    let page = Page {
        engine: Engine::detached(),
        dispatch: Callback::noop(),
    };
    html! {
        <ContextProvider<Page> context={page}>
            <ExchangeList index={props.index.clone()} rows={props.rows.clone()} checking_left={None} job={1} selected={None} matches={None} group={None} />
        </ContextProvider<Page>>
    }
}

#[wasm_bindgen_test]
async fn a_list_of_ten_thousand_exchanges_renders_only_the_rows_in_view() {
    let rows: Vec<Row> = (0..10_000)
        .map(|i| row(i, if i % 10 == 0 { 500 } else { 200 }, false))
        .collect();
    // The rows come in parts after the index, which only counts them.
    let mut index = index(1, Vec::new(), 0);
    index.counts = Counts {
        total: 10_000,
        failed: 1_000,
        by_status: vec![(200, 9_000), (500, 1_000)],
    };
    index.first = Some(0);
    // In parts, as the worker sends them.
    let mut parts = rows.chunks(2_000).map(<[Row]>::to_vec);
    let mut shown = Rows::new(parts.next().unwrap());
    for part in parts {
        shown = shown.appended(part);
    }
    let root = root();
    yew::Renderer::<List>::with_root_and_props(
        root.clone(),
        ListProps {
            index: Ptr(Rc::new(index)),
            rows: shown,
        },
    )
    .render();
    sleep(50).await;
    let rendered = root.query_selector_all("li[role=option]").unwrap().length();
    assert!(rendered > 0 && rendered <= 40, "{rendered} rows rendered");
    // Failures first.
    let first = root.query_selector("li[role=option]").unwrap().unwrap();
    assert_eq!(first.get_attribute("data-status").as_deref(), Some("500"));
    assert!(
        root.text_content()
            .unwrap()
            .contains("10000 exchanges, 1000 failed")
    );
}

fn row(index: usize, status: u16, unchecked: bool) -> Row {
    Row {
        index,
        entry: Some(index),
        method: Some("GET".into()),
        url: format!("https://api.test/items/{index}"),
        status: Some(status),
        error: None,
        ms: None,
        start_ms: None,
        chain: None,
        failed: status >= 400,
        top: None,
        ids: if unchecked {
            Vec::new()
        } else {
            vec![format!("id.{index}")]
        },
        unchecked,
    }
}

#[wasm_bindgen_test]
fn rows_in_parts_are_found_appended_and_replaced_without_copying_the_others() {
    let part = |from: usize, to: usize| (from..to).map(|i| row(i, 200, true)).collect::<Vec<_>>();
    let first = Rows::new(part(0, 3));
    let grown = first.appended(part(3, 7)).appended(part(7, 8));
    assert_eq!(first.len(), 3);
    assert_eq!(grown.len(), 8);
    assert_eq!(
        grown.iter().map(|r| r.index).collect::<Vec<_>>(),
        (0..8).collect::<Vec<_>>()
    );
    assert_eq!(grown.get(5).map(|r| r.index), Some(5));
    assert_eq!(grown.get(7).map(|r| r.index), Some(7));
    assert!(grown.get(8).is_none());
    // Rows 2 and 4 checked: the rows of the parts that hold them change, the others stay.
    let checked = grown.replaced(vec![row(2, 500, false), row(4, 200, false)]);
    assert!(checked != grown);
    assert!(checked.get(2).is_some_and(|r| r.failed && !r.unchecked));
    assert!(
        checked
            .get(4)
            .is_some_and(|r| !r.unchecked && r.ids == ["id.4"])
    );
    assert!(checked.get(3).is_some_and(|r| r.unchecked));
    assert!(
        grown.get(2).is_some_and(|r| r.unchecked),
        "the older rows are untouched"
    );
    assert_eq!(checked.len(), 8);
}

/// An index of a capture of four exchanges, one of them a failure (the tests change what
/// they need).
fn index(job: u32, rows: Vec<Row>, unchecked: usize) -> Index {
    Index {
        schema: INDEX_SCHEMA.into(),
        job,
        format: Format::Har,
        detected_by: crate::report::Text::default(),
        reference_time: None,
        input_bytes: 0,
        findings: Vec::new(),
        counts: Counts {
            total: 4,
            failed: 1,
            by_status: vec![(200, 3), (500, 1)],
        },
        first: Some(1),
        root_failure: None,
        groups: Vec::new(),
        chains: Vec::new(),
        span_ms: None,
        rows,
        unchecked,
        shared: None,
    }
}

#[wasm_bindgen_test]
fn a_first_screen_is_completed_in_place_and_keeps_the_choice() {
    use super::state::{Action, Outcome, Phase, Progress, State};
    use yew::Reducible;
    let state = Rc::new(State::default()).reduce(Action::Sent(3));
    let screen = vec![
        row(0, 200, true),
        row(1, 500, false),
        row(2, 200, true),
        row(3, 200, true),
    ];
    let state = state.reduce(Action::Indexed(Box::new(index(3, screen, 3))));
    assert_eq!(state.outcome.state_name(), "first-screen");
    assert_eq!(state.selected, Some(1));
    // Progress of the rest does not take the first screen away; it counts down what is left,
    // but the last step's progress (all done) leaves the first screen to the `checked` index.
    let progress = |done| Action::Progress {
        job: 3,
        progress: Progress {
            phase: Phase::Checking,
            done,
            total: 4,
            entries: 4,
            total_bytes: 1e3,
        },
    };
    let index_before = match &state.outcome {
        Outcome::Done(index, _) => index.clone(),
        _ => panic!("a first screen"),
    };
    let state = state.reduce(progress(2));
    assert_eq!(state.outcome.state_name(), "first-screen");
    assert_eq!(state.checking_left, Some(2));
    // The index itself is the same one: the list is not redrawn for a count.
    assert!(matches!(&state.outcome, Outcome::Done(index, _) if *index == index_before));
    let state = state.reduce(progress(4));
    assert_eq!(state.outcome.state_name(), "first-screen");
    assert_eq!(state.checking_left, Some(2));
    // The person chooses another row meanwhile; the rest is checked; a 200 turned out failed.
    let state = state.reduce(Action::Select(3));
    let mut late = row(2, 200, false);
    late.failed = true;
    let state = state.reduce(Action::RowsChecked {
        job: 3,
        rows: vec![row(0, 200, false), late, row(3, 200, false)],
    });
    let mut whole = index(3, Vec::new(), 0);
    whole.counts.failed = 2;
    let state = state.reduce(Action::Checked(Box::new(whole)));
    assert_eq!(state.outcome.state_name(), "done");
    assert_eq!(state.selected, Some(3), "the choice stays");
    let Outcome::Done(index, rows) = &state.outcome else {
        panic!("done");
    };
    assert_eq!(index.counts.failed, 2);
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| !r.unchecked));
    assert!(rows.get(2).is_some_and(|r| r.failed));
    // An older job's answers change nothing.
    let after = state.clone().reduce(Action::RowsChecked {
        job: 2,
        rows: vec![row(0, 500, false)],
    });
    assert!(Rc::ptr_eq(&after, &state));
}

#[wasm_bindgen_test]
fn decimals_are_written_like_format() {
    for (value, places) in [
        (0.0, 1),
        (1.04, 1),
        (12.345_6, 2),
        (999.96, 1),
        (3.0, 0),
        (2.5e6, 2),
        (-1.26, 1),
        (0.05, 2),
    ] {
        assert_eq!(
            super::decimals(value, places),
            format!("{value:.*}", usize::from(places))
        );
    }
    assert_eq!(super::decimals(1000.0, 0), "1000");
}

#[wasm_bindgen_test]
fn counts_are_grouped_by_thousands() {
    assert_eq!(super::thousands(0), "0");
    assert_eq!(super::thousands(999), "999");
    assert_eq!(super::thousands(1000), "1,000");
    assert_eq!(super::thousands(1_234_567), "1,234,567");
}

#[wasm_bindgen_test]
fn reference_links_name_their_target() {
    assert_eq!(
        reference_label("https://www.rfc-editor.org/rfc/rfc9110#name-401-unauthorized"),
        "RFC 9110: 401 unauthorized"
    );
    assert_eq!(
        reference_label(
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Guides/CORS/Errors/CORSMissingAllowOrigin"
        ),
        "MDN: CORSMissingAllowOrigin"
    );
}

#[wasm_bindgen_test]
fn a_paste_is_diagnosed_at_once_and_typing_once_it_pauses() {
    use super::state::Arrival;
    for whole in [
        "insertFromPaste",
        "insertFromDrop",
        "insertFromYank",
        "insertFromPasteAsQuotation",
        "deleteByCut",
    ] {
        assert_eq!(Arrival::of_input_type(whole), Arrival::Whole, "{whole}");
    }
    for typed in [
        "insertText",
        "insertLineBreak",
        "deleteContentBackward",
        "insertReplacementText",
        "historyUndo",
        "",
    ] {
        assert_eq!(Arrival::of_input_type(typed), Arrival::Typed, "{typed}");
    }
    assert_eq!(Arrival::Whole.delay_ms(), 0);
    assert!(Arrival::Typed.delay_ms() >= 200);
}
