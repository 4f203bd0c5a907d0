//! The exchanges of a capture, failures first: counts by status as filters, a search the
//! worker runs, and a list that renders only the rows in view, so 20,000 entries scroll as
//! lightly as 20. Arrow keys, Home and End move the choice.

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::app::Page;
use crate::index::{Counts, Index, Row};
use crate::web::Ptr;
use crate::web::dom::target;
use crate::web::state::{Action, Rows};

/// Every row has this height (CSS `.exchange-item` sets it: two lines, each cut with an
/// ellipsis), so the rows in view follow from the scroll offset at any width.
const ROW_PX: i32 = 52;
/// The list's height in rows, and the rows rendered beyond what shows.
const VISIBLE_ROWS: i32 = 10;
const OVERSCAN: usize = 6;

#[derive(Properties, PartialEq)]
pub(crate) struct Props {
    pub index: Ptr<Index>,
    pub rows: Rows,
    /// While a first screen shows, the exchanges still to check (the index's `unchecked`
    /// when `None`).
    pub checking_left: Option<usize>,
    pub job: u32,
    pub selected: Option<usize>,
    /// Rows matching the search; all when `None`.
    pub matches: Option<Rc<[usize]>>,
    /// The group of failures the list is narrowed to (`Index::groups`).
    pub group: Option<usize>,
}

/// A filter by status class.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    Failed,
    Class(u16),
    NoResponse,
}

impl Filter {
    fn keeps(self, row: &Row) -> bool {
        match self {
            Filter::All => true,
            Filter::Failed => row.failed,
            Filter::Class(class) => row.status.is_some_and(|s| s / 100 == class),
            Filter::NoResponse => row.status.is_none_or(|s| s == 0),
        }
    }

    /// How many exchanges it keeps, from the counts (right while rows still arrive).
    fn count(self, counts: &Counts) -> usize {
        match self {
            Filter::All => counts.total,
            Filter::Failed => counts.failed,
            _ => counts
                .by_status
                .iter()
                .filter(|(s, _)| match self {
                    Filter::Class(class) => s / 100 == class,
                    _ => *s == 0,
                })
                .map(|(_, n)| n)
                .sum(),
        }
    }

    fn label(self) -> String {
        match self {
            Filter::All => "All".into(),
            Filter::Failed => "Failed".into(),
            Filter::Class(class) => format!("{class}xx"),
            Filter::NoResponse => "No response".into(),
        }
    }
}

fn status_text(row: &Row) -> String {
    match (row.status, &row.error) {
        (Some(status), _) if status != 0 => status.to_string(),
        (_, Some(error)) => error.trim_start_matches("net::").to_owned(),
        _ => "—".into(),
    }
}

/// "After 2 redirects from …" for the last request of a redirect chain.
fn chain_note(index: &Index, row: &Row) -> Option<String> {
    let chain = index.chains.get(row.chain?)?;
    let (first, last) = (chain.hops.first()?, chain.hops.last()?);
    if last.row != row.index {
        return None;
    }
    let redirects = chain.hops.len() - 1;
    Some(format!(
        "After {redirects} redirect{} from {}:",
        if redirects == 1 { "" } else { "s" },
        first.url
    ))
}

/// What a row is in the capture's cascade, if it has one: its root, or a consequence of it.
fn cascade_role(index: &Index, row: usize) -> Option<String> {
    let root = index.root_failure.as_ref()?;
    if root.root == row {
        Some("Root failure:".to_owned())
    } else if root.consequences.contains(&row) {
        Some(format!("Caused by #{}:", root.root))
    } else {
        None
    }
}

#[component]
pub(crate) fn ExchangeList(props: &Props) -> Html {
    let Some(page) = use_context::<Page>() else {
        return Html::default();
    };
    let filter = use_state(|| Filter::All);
    let scroll = use_state(|| 0_i32);
    let list_ref = use_node_ref();

    // Failures first, then the rest, each group in input order; then the filter and search.
    let order: Rc<Vec<usize>> = {
        let filter = *filter;
        use_memo(
            (
                props.index.clone(),
                props.rows.clone(),
                filter,
                props.matches.clone(),
                props.group,
            ),
            move |(index, rows, filter, matches, group)| {
                let group = group.and_then(|g| index.groups.get(g));
                let mut rows: Vec<&Row> = rows
                    .iter()
                    .filter(|r| filter.keeps(r))
                    .filter(|r| group.is_none_or(|g| g.rows.binary_search(&r.index).is_ok()))
                    .filter(|r| {
                        matches
                            .as_ref()
                            .is_none_or(|m| m.binary_search(&r.index).is_ok())
                    })
                    .collect();
                rows.sort_by_key(|r| !r.failed);
                rows.iter().map(|r| r.index).collect::<Vec<usize>>()
            },
        )
    };
    let rows = &props.rows;

    // The choice stays in view when the keyboard moves it, and takes the focus after the
    // next frame. No layout is read here (the list's height is fixed, its offset is
    // `scroll`), and focusing at once would force the layout of the whole page inside this
    // render: showing a large capture forces none.
    {
        let list_ref = list_ref.clone();
        let order = order.clone();
        let offset = *scroll;
        use_effect_with(props.selected, move |selected| {
            if let (Some(selected), Some(list)) = (selected, list_ref.cast::<HtmlElement>()) {
                if let Some(at) = order.iter().position(|i| i == selected) {
                    let top = i32::try_from(at).unwrap_or(i32::MAX).saturating_mul(ROW_PX);
                    let view = VISIBLE_ROWS * ROW_PX;
                    if top < offset || top + ROW_PX > offset + view {
                        list.set_scroll_top(top.saturating_sub(view / 2));
                    }
                }
                let id = format!("exchange-{selected}");
                // The page follows the focus when the person moves it through the list; a
                // choice made for them (a capture opening) leaves the page where it is.
                let navigating = crate::web::dom::holds_focus(&list);
                super::report_view::after_next_frame(Box::new(move || {
                    crate::web::dom::focus_by_id(&id, navigating);
                }));
            }
        });
    }
    let onscroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            if let Some(list) = target::<HtmlElement>(&e) {
                scroll.set(list.scroll_top());
            }
        })
    };
    let onkeydown = {
        let dispatch = page.dispatch.clone();
        let order = order.clone();
        let selected = props.selected;
        Callback::from(move |e: KeyboardEvent| {
            let at = selected.and_then(|s| order.iter().position(|i| *i == s));
            let next = match (e.key().as_str(), at) {
                ("ArrowDown" | "ArrowRight", Some(at)) => order.get(at + 1),
                ("ArrowDown" | "ArrowRight", None) | ("Home", _) => order.first(),
                ("ArrowUp" | "ArrowLeft", Some(at)) => at.checked_sub(1).and_then(|a| order.get(a)),
                ("End", _) => order.last(),
                _ => return,
            };
            e.prevent_default();
            if let Some(next) = next {
                dispatch.emit(Action::Select(*next));
            }
        })
    };
    let on_search = {
        let engine = page.engine.clone();
        let dispatch = page.dispatch.clone();
        let job = props.job;
        Callback::from(move |e: InputEvent| {
            if let Some(field) = target::<HtmlInputElement>(&e) {
                let query = field.value();
                if query.trim().is_empty() {
                    dispatch.emit(Action::ClearSearch);
                } else {
                    engine.search(job, &query);
                }
            }
        })
    };

    let first = usize::try_from(*scroll / ROW_PX)
        .unwrap_or(0)
        .saturating_sub(OVERSCAN);
    let shown = usize::try_from(VISIBLE_ROWS).unwrap_or(12) + 2 * OVERSCAN;
    let last = (first + shown).min(order.len());
    let px = |rows: usize| {
        i32::try_from(rows)
            .unwrap_or(i32::MAX)
            .saturating_mul(ROW_PX)
    };
    let counts = &props.index.counts;
    let mut filters = vec![Filter::All, Filter::Failed];
    for class in [2, 3, 4, 5] {
        if counts.by_status.iter().any(|(s, _)| s / 100 == class) {
            filters.push(Filter::Class(class));
        }
    }
    if counts.by_status.iter().any(|(s, _)| *s == 0) {
        filters.push(Filter::NoResponse);
    }
    let count_of = |f: Filter| f.count(counts);
    let checking_left = props.checking_left.unwrap_or(props.index.unchecked);
    html! {
        <nav class="exchanges" aria-label="Exchanges">
            <h2>{ format!("{} exchanges, {} failed", counts.total, counts.failed) }</h2>
            if props.index.unchecked > 0 {
                <p id="checking-rest">{ format!("Checking the other {} exchanges…", crate::web::thousands(checking_left)) }</p>
            }
            <div class="chips" role="group" aria-label="Show">
                { for filters.into_iter().map(|f| {
                    let chosen = *filter == f;
                    let onclick = { let filter = filter.clone(); Callback::from(move |_| filter.set(f)) };
                    html! {
                        <button type="button" class={classes!("chip", chosen.then_some("chosen"))} aria-pressed={chosen.to_string()} {onclick}>
                            { format!("{} ({})", f.label(), count_of(f)) }
                        </button>
                    }
                }) }
                <input type="search" id="exchange-search" class="search" placeholder="Search URLs, statuses, finding IDs" aria-label="Search the exchanges" oninput={on_search} />
            </div>
            if order.is_empty() {
                <p class="note">{ "No exchange matches." }</p>
            }
            <ul role="listbox" aria-label="Choose an exchange" class="exchange-rows" ref={list_ref} {onscroll} {onkeydown}
                style={format!("max-height: {}px", px(usize::try_from(VISIBLE_ROWS).unwrap_or(12)))} tabindex={if props.selected.is_some() { "-1" } else { "0" }}>
                <li class="spacer" aria-hidden="true" style={format!("height: {}px", px(first))}></li>
                { for order[first..last].iter().filter_map(|i| rows.get(*i)).map(|row| {
                    let index = row.index;
                    let chosen = props.selected == Some(index);
                    let onclick = { let dispatch = page.dispatch.clone(); Callback::from(move |_| dispatch.emit(Action::Select(index))) };
                    let request = format!("{} {}", row.method.as_deref().unwrap_or(""), row.url);
                    let top = row.top.as_ref().map(|t| super::segments(&t.title)).unwrap_or_default();
                    let cause = cascade_role(&props.index, index).or_else(|| chain_note(&props.index, row));
                    let class = classes!("exchange-item", row.failed.then_some("failed"), chosen.then_some("chosen"));
                    html! {
                        <li key={index} id={format!("exchange-{index}")} role="option" aria-selected={chosen.to_string()} tabindex={if chosen { "0" } else { "-1" }}
                            data-exchange={index.to_string()} data-status={status_text(row)} data-unchecked={row.unchecked.then_some("true")} {class} {onclick}>
                            <span class={classes!("status", row.status.is_none_or(|s| s == 0).then_some("error-code"))}>{ status_text(row) }</span>
                            <span class="request" title={request.clone()}>{ request }</span>
                            <span class="top-finding">
                                if let Some(role) = cause { <span class="cascade-role">{ role }</span>{ " " } }
                                { top }
                            </span>
                        </li>
                    }
                }) }
                <li class="spacer" aria-hidden="true" style={format!("height: {}px", px(order.len() - last))}></li>
            </ul>
        </nav>
    }
}
