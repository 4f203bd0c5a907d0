//! A capture at a glance: its failures grouped by cause (each a filter for the list), its
//! exchanges on a time axis with the failures in red, and for the chosen exchange its
//! timing phases and redirect chain. Everything here is drawn from numbers the engine put in
//! the index and the details (src/index.rs); nothing is diagnosed here.

use std::rc::Rc;

use yew::prelude::*;

use super::app::Page;
use crate::index::{Chain, Index, Row};
use crate::model::Phases;
use crate::web::state::{Action, Rows};
use crate::web::{Ptr, decimals};

/// Groups smaller than this are no news: their one row says it all in the list.
const GROUP_MIN: usize = 2;
/// Groups shown; the list holds the rest.
const GROUPS_SHOWN: usize = 8;

#[derive(Properties, PartialEq)]
pub(crate) struct GroupsProps {
    pub index: Ptr<Index>,
    /// The group the list is narrowed to.
    pub chosen: Option<usize>,
}

/// "2,822 requests: The JWT has expired — same token", as buttons that narrow the list.
#[component]
pub(crate) fn FailureGroups(props: &GroupsProps) -> Html {
    let Some(page) = use_context::<Page>() else {
        return Html::default();
    };
    let shown: Vec<(usize, &crate::index::Group)> = props
        .index
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.count >= GROUP_MIN)
        .take(GROUPS_SHOWN)
        .collect();
    if shown.is_empty() {
        return Html::default();
    }
    // A first screen's groups hold the failures checked so far: their counts grow.
    let heading = if props.index.unchecked > 0 {
        "Failures by cause, so far"
    } else {
        "Failures by cause"
    };
    html! {
        <section class="failure-groups" aria-labelledby="groups-heading">
            <h2 id="groups-heading">{ heading }</h2>
            <ul>
                { for shown.into_iter().map(|(at, group)| {
                    let chosen = props.chosen == Some(at);
                    let onclick = {
                        let dispatch = page.dispatch.clone();
                        Callback::from(move |_| dispatch.emit(Action::FilterGroup((!chosen).then_some(at))))
                    };
                    html! {
                        <li key={at}>
                            <button type="button" class={classes!("group", chosen.then_some("chosen"))} aria-pressed={chosen.to_string()}
                                data-group={at.to_string()} data-count={group.count.to_string()} data-group-finding={group.finding.clone()} {onclick}>
                                <strong class="count">{ format!("{} requests:", crate::web::thousands(group.count)) }</strong>
                                { " " }{ super::segments(&group.title) }{ " — " }<span class="cause">{ super::segments(&group.cause) }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// The timeline's drawing width, in SVG units (it stretches to the page's width).
const WIDTH: f64 = 1000.0;
/// Up to this many rows, one bar per exchange; beyond, bars per slice of time.
const BARS_MAX: usize = 1000;
/// Slices of time of the overview of a large capture.
const SLICES: usize = 200;
/// The thinnest bar drawn, so a 0 ms exchange still shows.
const MIN_BAR: f64 = 1.5;

#[derive(Properties, PartialEq)]
pub(crate) struct TimelineProps {
    pub index: Ptr<Index>,
    pub rows: Rows,
    pub selected: Option<usize>,
}

/// The exchanges on a time axis: a waterfall (one bar per exchange, a row each) for up to
/// a thousand, an overview of stacked counts per slice of time beyond. A click on a bar
/// chooses its exchange (on the overview, the slice's first failure, else its first
/// exchange); the list beside it is the keyboard's way to the same.
#[component]
pub(crate) fn Timeline(props: &TimelineProps) -> Html {
    let page = use_context::<Page>();
    let index = &props.index;
    let Some(span) = index.span_ms.filter(|s| *s > 0.0) else {
        return Html::default();
    };
    let placed: Vec<&Row> = props.rows.iter().filter(|r| r.start_ms.is_some()).collect();
    if placed.len() < 2 {
        return Html::default();
    }
    let failed = placed.iter().filter(|r| r.failed).count();
    let label = format!(
        "Timeline: {} requests over {}, {failed} failed (in red)",
        placed.len(),
        duration(span)
    );
    // While the rows of a large capture are still arriving (docs/protocol.md: the worker
    // sends them in parts), the overview: a waterfall of the first thousand would be a
    // thousand bars drawn at once only to be replaced.
    let complete = props.rows.len() >= index.counts.total;
    let drawing = if placed.len() <= BARS_MAX && complete {
        waterfall(&placed, span, props.selected)
    } else {
        overview(&placed, span)
    };
    // Bars are thin: a click anywhere in a bar's band (its row of the waterfall, its slice
    // of the overview) counts, read from where the pointer is in the drawing. The bars let
    // clicks through to the drawing (style.css), so the offset is the drawing's.
    let targets = click_targets(&placed, span);
    let onclick = page.map(|page| {
        Callback::from(move |event: MouseEvent| {
            let Some(drawing) = event
                .target_dyn_into::<web_sys::Element>()
                .filter(|t| t.tag_name().eq_ignore_ascii_case("svg"))
            else {
                return;
            };
            let size = |pixels: i32| f64::from(pixels.max(1));
            let across = f64::from(event.offset_x()) / size(drawing.client_width());
            let down = f64::from(event.offset_y()) / size(drawing.client_height());
            if let Some(row) = targets.at(across, down) {
                page.dispatch.emit(Action::Select(row));
            }
        })
    });
    html! {
        <figure class="timeline" data-timeline={placed.len().to_string()} {onclick}>
            { drawing }
            <figcaption>
                <span>{ "0 ms" }</span>
                <span>{ label }</span>
                <span>{ duration(span) }</span>
            </figcaption>
        </figure>
    }
}

/// What a click on the drawing chooses.
enum ClickTargets {
    /// The waterfall: its rows, top to bottom.
    Rows(Vec<usize>),
    /// The overview: for each slice of time, its first failure, else its first exchange.
    Slices(Vec<Option<usize>>),
}

impl ClickTargets {
    /// The exchange at `across` and `down`, fractions of the drawing's width and height.
    fn at(&self, across: f64, down: f64) -> Option<usize> {
        let pick = |items: usize, fraction: f64| {
            crate::knowledge::number::index(fraction * crate::knowledge::number::size(items))
                .min(items.saturating_sub(1))
        };
        match self {
            ClickTargets::Rows(rows) => rows.get(pick(rows.len(), down)).copied(),
            ClickTargets::Slices(slices) => slices.get(pick(slices.len(), across)).copied()?,
        }
    }
}

fn click_targets(rows: &[&Row], span: f64) -> Rc<ClickTargets> {
    if rows.len() <= BARS_MAX {
        return Rc::new(ClickTargets::Rows(rows.iter().map(|r| r.index).collect()));
    }
    let mut slices: Vec<Option<usize>> = vec![None; SLICES];
    let mut failed_found = [false; SLICES];
    for row in rows {
        let slice = slice_of(row.start_ms.unwrap_or(0.0), span);
        if row.failed && !failed_found[slice] {
            failed_found[slice] = true;
            slices[slice] = Some(row.index);
        } else if slices[slice].is_none() {
            slices[slice] = Some(row.index);
        }
    }
    Rc::new(ClickTargets::Slices(slices))
}

/// The slice of the overview an exchange started in.
fn slice_of(ms: f64, span: f64) -> usize {
    let at = crate::knowledge::number::index(ms / span * crate::knowledge::number::size(SLICES));
    at.min(SLICES - 1)
}

fn x_of(ms: f64, span: f64) -> f64 {
    (ms / span * WIDTH).clamp(0.0, WIDTH)
}

fn waterfall(rows: &[&Row], span: f64, selected: Option<usize>) -> Html {
    let height = rows.len();
    html! {
        <svg viewBox={format!("0 0 {} {height}", decimals(WIDTH, 0))} preserveAspectRatio="none" aria-hidden="true" focusable="false">
            { for rows.iter().enumerate().map(|(y, row)| {
                let x = x_of(row.start_ms.unwrap_or(0.0), span);
                let width = x_of(row.ms.unwrap_or(0.0), span).max(MIN_BAR).min(WIDTH - x + MIN_BAR);
                let class = classes!("bar", row.failed.then_some("failed"), (selected == Some(row.index)).then_some("chosen"));
                html! {
                    <rect {class} x={decimals(x, 2)} y={format!("{y}.1")} width={decimals(width, 2)} height="0.8"
                        data-row={row.index.to_string()} data-failed={row.failed.then_some("true")} />
                }
            }) }
        </svg>
    }
}

fn overview(rows: &[&Row], span: f64) -> Html {
    let mut ok = vec![0_usize; SLICES];
    let mut failed = vec![0_usize; SLICES];
    for row in rows {
        let slice = slice_of(row.start_ms.unwrap_or(0.0), span);
        if row.failed {
            failed[slice] += 1;
        } else {
            ok[slice] += 1;
        }
    }
    let tallest = ok
        .iter()
        .zip(&failed)
        .map(|(a, b)| a + b)
        .max()
        .unwrap_or(1)
        .max(1);
    let height = 100.0;
    let scale = height / crate::knowledge::number::size(tallest);
    let slice_width = WIDTH / crate::knowledge::number::size(SLICES);
    html! {
        <svg viewBox={format!("0 0 {} {}", decimals(WIDTH, 0), decimals(height, 0))} preserveAspectRatio="none" aria-hidden="true" focusable="false">
            { for (0..SLICES).map(|slice| {
                let x = crate::knowledge::number::size(slice) * slice_width;
                let bad = crate::knowledge::number::size(failed[slice]) * scale;
                let good = crate::knowledge::number::size(ok[slice]) * scale;
                html! {
                    <>
                        if ok[slice] > 0 {
                            <rect class="bar" x={decimals(x, 2)} y={decimals(height - good - bad, 2)} width={decimals(slice_width * 0.9, 2)} height={decimals(good, 2)} />
                        }
                        if failed[slice] > 0 {
                            <rect class="bar failed" data-failed="true" x={decimals(x, 2)} y={decimals(height - bad, 2)} width={decimals(slice_width * 0.9, 2)} height={decimals(bad, 2)} />
                        }
                    </>
                }
            }) }
        </svg>
    }
}

/// `12.3 ms`, `1.25 s`.
fn duration(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", decimals(ms / 1000.0, 2))
    } else {
        format!("{} ms", decimals(ms, 1))
    }
}

/// What each HAR phase is called on the page.
fn phase_label(name: &str) -> &'static str {
    match name {
        "blocked" => "Blocked (queued)",
        "dns" => "DNS",
        "connect" => "Connect",
        "ssl" => "TLS",
        "send" => "Send",
        "wait" => "Wait (server)",
        "receive" => "Receive",
        _ => "Other",
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct PhasesProps {
    pub phases: Phases,
    pub total_ms: Option<f64>,
}

/// Where the chosen exchange's time went, phase by phase, with a bar for each.
#[component]
pub(crate) fn PhaseBreakdown(props: &PhasesProps) -> Html {
    let named: Vec<(&'static str, f64)> = props.phases.named().collect();
    let longest = named.iter().map(|(_, ms)| *ms).fold(0.0_f64, f64::max);
    let whole = props
        .total_ms
        .unwrap_or(longest)
        .max(longest)
        .max(f64::EPSILON);
    html! {
        <section class="phases" aria-labelledby="phases-heading">
            <h3 id="phases-heading">
                { "Timing" }
                if let Some(total) = props.total_ms { { format!(": {} in all", duration(total)) } }
            </h3>
            <dl>
                { for named.into_iter().map(|(name, ms)| html! {
                    <div class="phase" data-phase={name}>
                        <dt>{ phase_label(name) }</dt>
                        <dd>
                            <span class="phase-bar" style={format!("width: {}%", decimals(ms / whole * 100.0, 1))}></span>
                            <span class="phase-ms">{ duration(ms) }</span>
                        </dd>
                    </div>
                }) }
            </dl>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct ChainProps {
    pub chain: Rc<Chain>,
    /// The exchange shown, marked in the chain.
    pub row: usize,
}

/// The redirects that led to (or from) the chosen exchange, in the order they were made.
#[component]
pub(crate) fn RedirectChain(props: &ChainProps) -> Html {
    let Some(page) = use_context::<Page>() else {
        return Html::default();
    };
    let redirects = props.chain.hops.len() - 1;
    html! {
        <section class="chain" data-chain={props.chain.hops.len().to_string()} aria-labelledby="chain-heading">
            <h3 id="chain-heading">{ format!("Redirect chain: {redirects} redirect{}", if redirects == 1 { "" } else { "s" }) }</h3>
            <ol>
                { for props.chain.hops.iter().map(|hop| {
                    let current = hop.row == props.row;
                    let status = hop.status.map_or_else(|| "no response".to_owned(), |s| s.to_string());
                    let row = hop.row;
                    let onclick = { let dispatch = page.dispatch.clone(); Callback::from(move |_| dispatch.emit(Action::Select(row))) };
                    html! {
                        <li data-hop={hop.row.to_string()} aria-current={current.then_some("step")}>
                            <span class="status">{ status }</span>{ " " }
                            if current {
                                <code>{ &hop.url }</code>
                            } else {
                                <button type="button" class="link" {onclick}><code>{ &hop.url }</code></button>
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}
