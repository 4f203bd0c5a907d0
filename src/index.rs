//! What the page is sent: the index of a report (a row per exchange, counts, the input's own
//! findings) and, when an exchange is shown, its details with excerpts of the input around
//! each piece of evidence. The worker keeps the input and the report; the page never holds a
//! large file's text (docs/protocol.md, sections 2 and 3).

mod chains;
mod groups;

use serde::Serialize;

pub use chains::{Chain, Hop};
pub use groups::Group;

use crate::input::Format;
use crate::model::Span;
use crate::report::object::deserialize_object;
use crate::report::{BODY_LIMIT, ExchangeReport, Finding, Report, Severity, Text};
use crate::share::Shared;

/// The most severe finding of an exchange, as its row shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Top {
    pub id: String,
    pub severity: Severity,
    pub title: Text,
}

/// One exchange in the list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub index: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The transport error's code, when the exchange got no response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<f64>,
    /// When the exchange started, in milliseconds after the capture's first start (HAR
    /// `startedDateTime`): where it stands on the timeline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ms: Option<f64>,
    /// The redirect chain it is part of, by position in [`Index::chains`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<usize>,
    pub failed: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<Top>,
    pub ids: Vec<String>,
    /// Not checked yet (a first screen's row of an exchange that did not fail by its entry
    /// alone): its findings, and whether a finding makes it a failure, come later.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unchecked: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub total: usize,
    pub failed: usize,
    /// `(status, count)` sorted by status; 0 counts exchanges without a status.
    pub by_status: Vec<(u16, usize)>,
}

// Read from JSON objects by [`deserialize_object!`] (a field added to one of these
// structs is listed here too: `default` when it is an `Option` or marked `#[serde(default)]`).
deserialize_object!(Top {
    id: required,
    severity: required,
    title: required
});
deserialize_object!(Row {
    index: required,
    entry: default,
    method: default,
    url: required,
    status: default,
    error: default,
    ms: default,
    start_ms: default,
    chain: default,
    failed: required,
    top: default,
    ids: required,
    unchecked: default,
});
deserialize_object!(Counts {
    total: required,
    failed: required,
    by_status: required
});
deserialize_object!(Index {
    schema: required,
    job: required,
    format: required,
    detected_by: default,
    reference_time: default,
    input_bytes: required,
    findings: required,
    counts: required,
    first: default,
    root_failure: default,
    groups: default,
    chains: default,
    span_ms: default,
    rows: required,
    unchecked: default,
    shared: default,
});
deserialize_object!(Excerpt {
    line: required,
    text: required,
    mark: required
});
deserialize_object!(Details {
    schema: required,
    job: required,
    exchange: required,
    excerpts: required
});
deserialize_object!(EvidenceExcerpt {
    finding: required,
    evidence: required,
    excerpt: required
});

/// The schema of [`Index`].
pub const INDEX_SCHEMA: &str = "httpdx.index/2";
/// The schema of [`Details`].
pub const DETAILS_SCHEMA: &str = "httpdx.details/2";

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Index {
    pub schema: String,
    pub job: u32,
    pub format: Format,
    #[serde(default)]
    pub detected_by: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_time: Option<i64>,
    pub input_bytes: usize,
    pub findings: Vec<Finding>,
    pub counts: Counts,
    /// The row to open first: the root failure of a cascade, else the first exchange that
    /// failed, or the only one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first: Option<usize>,
    /// The first failure that explains later ones, when the capture has such a cascade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_failure: Option<crate::report::RootFailure>,
    /// The failures grouped by cause, largest group first (docs/protocol.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<Group>,
    /// Redirects followed, each chain in request order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chains: Vec<Chain>,
    /// From the first exchange's start to the last one's end, in milliseconds: the
    /// timeline's length, when the exchanges say when they started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span_ms: Option<f64>,
    /// The rows in exchange order. The worker may send only the first of them with the
    /// index and the rest after, in `rows-more` messages (docs/protocol.md).
    pub rows: Vec<Row>,
    /// A first screen's exchanges not checked yet (0 when everything is): their rows are
    /// `unchecked`, and a `checked` index follows (docs/protocol.md).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unchecked: usize,
    /// The share link the input came from, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<Shared>,
}

impl Index {
    /// The index of `report`, diagnosed from an input of `input_bytes` bytes.
    pub fn of(report: &Report, job: u32, input_bytes: usize, shared: Option<Shared>) -> Index {
        let mut rows: Vec<Row> = report.exchanges.iter().map(row).collect();
        let span_ms = place_on_timeline(report.exchanges.iter().map(|e| &e.timings), &mut rows);
        let chains = chains::chains(&report.exchanges);
        for (at, chain) in chains.iter().enumerate() {
            for hop in &chain.hops {
                if let Some(row) = rows.get_mut(hop.row) {
                    row.chain = Some(at);
                }
            }
        }
        Index {
            schema: INDEX_SCHEMA.to_owned(),
            job,
            format: report.format,
            detected_by: report.detected_by.clone(),
            reference_time: report.reference_time,
            input_bytes,
            findings: report.findings.clone(),
            counts: Counts::of(&rows),
            first: first_row(report.root_failure.as_ref(), &rows),
            root_failure: report.root_failure.clone(),
            groups: groups::groups(&report.exchanges),
            chains,
            span_ms,
            rows,
            unchecked: 0,
            shared,
        }
    }

    /// A report's first screen, before every exchange is checked: every row (those not
    /// checked yet without findings, marked `unchecked`), the counts by status, and the
    /// failures with their findings and groups. Redirect chains come with the whole index.
    pub fn first_screen(
        screen: &crate::FirstScreen<'_>,
        job: u32,
        input_bytes: usize,
        shared: Option<Shared>,
    ) -> Index {
        let mut checked = screen.checked.iter().peekable();
        let mut rows: Vec<Row> = screen
            .exchanges
            .iter()
            .enumerate()
            .map(
                |(index, exchange)| match checked.next_if(|c| c.index == index) {
                    Some(report) => row(report),
                    None => unchecked_row(index, exchange),
                },
            )
            .collect();
        let span_ms = place_on_timeline(screen.exchanges.iter().map(|e| &e.timings), &mut rows);
        Index {
            schema: INDEX_SCHEMA.to_owned(),
            job,
            format: screen.format,
            detected_by: screen.detected_by.clone(),
            reference_time: screen.reference_time,
            input_bytes,
            findings: screen.findings.clone(),
            counts: Counts::of(&rows),
            first: first_row(screen.root_failure.as_ref(), &rows),
            root_failure: screen.root_failure.clone(),
            groups: groups::groups(&screen.checked),
            chains: Vec::new(),
            span_ms,
            unchecked: rows.iter().filter(|r| r.unchecked).count(),
            rows,
            shared,
        }
    }

    /// The rows of `checked` exchanges (as [`crate::Diagnosis::checked_since`] gives them)
    /// that differ from a first screen's `rows`, which are updated to them: what completes
    /// a first screen while the rest are checked. A row keeps its place on the timeline.
    pub fn rows_checked(checked: &[ExchangeReport], rows: &mut [Row]) -> Vec<Row> {
        let mut changed = Vec::new();
        for exchange in checked {
            let Some(shown) = rows.get_mut(exchange.index) else {
                continue;
            };
            let row = Row {
                start_ms: shown.start_ms,
                chain: shown.chain,
                ..row(exchange)
            };
            if row != *shown {
                shown.clone_from(&row);
                changed.push(row);
            }
        }
        // In exchange order, as the page replaces them.
        changed.sort_unstable_by_key(|row| row.index);
        changed
    }

    /// Rows whose URL, method, status, error or finding IDs contain `query` (case-insensitive).
    pub fn search(&self, query: &str) -> Vec<usize> {
        search(&self.rows, query)
    }
}

/// Those of `rows` whose URL, method, status, error or finding IDs contain `query`
/// (case-insensitive).
pub fn search(rows: &[Row], query: &str) -> Vec<usize> {
    let query = query.trim().to_ascii_lowercase();
    if query.is_empty() {
        return rows.iter().map(|r| r.index).collect();
    }
    rows.iter()
        .filter(|row| {
            let status = row.status.map(|s| s.to_string()).unwrap_or_default();
            [
                row.url.as_str(),
                row.method.as_deref().unwrap_or(""),
                status.as_str(),
                row.error.as_deref().unwrap_or(""),
            ]
            .iter()
            .any(|field| field.to_ascii_lowercase().contains(&query))
                || row.ids.iter().any(|id| id.contains(&query))
        })
        .map(|row| row.index)
        .collect()
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Counts {
    fn of(rows: &[Row]) -> Counts {
        let mut by_status: std::collections::BTreeMap<u16, usize> =
            std::collections::BTreeMap::new();
        for row in rows {
            *by_status.entry(row.status.unwrap_or(0)).or_default() += 1;
        }
        Counts {
            total: rows.len(),
            failed: rows.iter().filter(|r| r.failed).count(),
            by_status: by_status.into_iter().collect(),
        }
    }
}

/// The row to open first: the root failure of a cascade, else the first exchange that
/// failed, or the only one.
fn first_row(root: Option<&crate::report::RootFailure>, rows: &[Row]) -> Option<usize> {
    root.map(|r| r.root).or_else(|| {
        rows.iter()
            .find(|r| r.failed)
            .or_else(|| rows.first().filter(|_| rows.len() == 1))
            .map(|r| r.index)
    })
}

/// Sets each row's start on the timeline (after the earliest start) and returns the
/// timeline's length; `None` when no exchange says when it started.
fn place_on_timeline<'t>(
    timings: impl Iterator<Item = &'t Option<crate::model::Timings>> + Clone,
    rows: &mut [Row],
) -> Option<f64> {
    let started = |t: &Option<crate::model::Timings>| t.as_ref().and_then(|t| t.started_ms);
    let first = timings.clone().filter_map(started).min()?;
    let mut end: f64 = 0.0;
    for (timings, row) in timings.zip(rows.iter_mut()) {
        let Some(at) = started(timings) else {
            continue;
        };
        // Milliseconds since the first start: far below 2^53, so exact in an f64.
        let offset = crate::knowledge::number::seconds(at - first);
        row.start_ms = Some(offset);
        end = end.max(offset + row.ms.unwrap_or(0.0));
    }
    // To the microsecond, as HAR writes times: no float noise in the JSON.
    Some((end * 1000.0).round() / 1000.0)
}

fn row(exchange: &ExchangeReport) -> Row {
    let top = exchange
        .findings
        .iter()
        .min_by_key(|f| f.severity)
        .map(|f| Top {
            id: f.id.to_owned(),
            severity: f.severity,
            title: f.title.clone(),
        });
    let mut ids: Vec<String> = Vec::new();
    for finding in &exchange.findings {
        if !ids.iter().any(|id| id == finding.id) {
            ids.push(finding.id.to_owned());
        }
    }
    Row {
        failed: exchange.failed,
        top,
        ids,
        unchecked: false,
        ..entry_row(
            exchange.index,
            exchange.entry,
            exchange.request.as_ref(),
            exchange.response.as_ref(),
            exchange.transport_error.as_ref(),
            exchange.timings.as_ref(),
        )
    }
}

/// The row of an exchange the rules have not checked yet: what its entry says.
fn unchecked_row(index: usize, exchange: &crate::model::Exchange) -> Row {
    entry_row(
        index,
        exchange.entry,
        exchange.request.as_ref(),
        exchange.response.as_ref(),
        exchange.transport_error.as_ref(),
        exchange.timings.as_ref(),
    )
}

/// What a row says from the entry alone, before any rule ran (so `unchecked`).
fn entry_row(
    index: usize,
    entry: Option<usize>,
    request: Option<&crate::model::Request>,
    response: Option<&crate::model::Response>,
    transport_error: Option<&crate::model::TransportError>,
    timings: Option<&crate::model::Timings>,
) -> Row {
    Row {
        index,
        entry,
        method: request.and_then(|r| r.method.clone()),
        url: request.map(|r| r.url.clone()).unwrap_or_default(),
        status: response.map(|r| r.status),
        error: transport_error.map(|t| t.code.clone()),
        ms: timings.and_then(|t| t.total_ms),
        start_ms: None,
        chain: None,
        // What fails an exchange whatever its findings (an error status, a transport error):
        // the list shows it among the failures before it is checked.
        failed: response.is_some_and(|r| r.status >= 400) || transport_error.is_some(),
        top: None,
        ids: Vec::new(),
        unchecked: true,
    }
}

/// A few lines of the input around a span, with the span marked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excerpt {
    /// 1-based line number of the excerpt's first line.
    pub line: usize,
    pub text: String,
    /// The marked part, as a byte range of `text`.
    pub mark: Span,
}

/// How far an excerpt reaches around its mark, at most.
const EXCERPT_REACH: usize = 240;
/// Marks longer than this are shown up to here.
const EXCERPT_MARK: usize = 2048;

impl Excerpt {
    /// The line(s) of `input` around `span`.
    pub fn around(input: &str, span: Span) -> Option<Excerpt> {
        if span.start > span.end || span.end > input.len() {
            return None;
        }
        let start = input.floor_char_boundary(span.start);
        let end = input
            .floor_char_boundary(span.end.min(start + EXCERPT_MARK))
            .max(start);
        let from = input[..start]
            .rfind('\n')
            .map_or(0, |n| n + 1)
            .max(start.saturating_sub(EXCERPT_REACH));
        let from = input.ceil_char_boundary(from);
        let to = input[end..]
            .find('\n')
            .map_or(input.len(), |n| end + n)
            .min(end + EXCERPT_REACH);
        let to = input.floor_char_boundary(to);
        let line = 1 + memchr::memchr_iter(b'\n', &input.as_bytes()[..from]).count();
        Some(Excerpt {
            line,
            text: input[from..to].to_owned(),
            mark: Span::new(start - from, end - from),
        })
    }
}

/// The details of one exchange (docs/protocol.md, section 3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Details {
    pub schema: String,
    pub job: u32,
    pub exchange: ExchangeReport,
    /// For each finding (by position in `exchange.findings`, then the input-level findings
    /// after them) and each of its evidence, the excerpt of the input around it.
    pub excerpts: Vec<EvidenceExcerpt>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceExcerpt {
    pub finding: usize,
    pub evidence: usize,
    pub excerpt: Excerpt,
}

impl Details {
    /// The details of exchange `index` of `report`, diagnosed from `input`.
    pub fn of(report: &Report, index: usize, job: u32, input: &str) -> Option<Details> {
        Some(Details::of_exchange(
            report.exchanges.get(index)?.clone(),
            job,
            input,
        ))
    }

    /// The details of `exchange`, diagnosed from `input`.
    pub fn of_exchange(mut exchange: ExchangeReport, job: u32, input: &str) -> Details {
        exchange.cut_bodies(BODY_LIMIT);
        Details {
            schema: DETAILS_SCHEMA.to_owned(),
            job,
            excerpts: excerpts(&exchange.findings, input),
            exchange,
        }
    }
}

/// The excerpts of every piece of evidence of `findings` that points into `input`.
pub fn excerpts(findings: &[Finding], input: &str) -> Vec<EvidenceExcerpt> {
    findings
        .iter()
        .enumerate()
        .flat_map(|(finding, f)| {
            f.evidence()
                .iter()
                .enumerate()
                .filter_map(move |(evidence, e)| {
                    Some(EvidenceExcerpt {
                        finding,
                        evidence,
                        excerpt: Excerpt::around(input, e.span?)?,
                    })
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixture's text, by its path under tests/fixtures.
    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn an_index_counts_and_finds_and_details_quote_their_evidence() {
        let text = fixture("chromium/rate-limit-burst.har");
        let report = crate::diagnose(&text, &crate::Options::default()).unwrap();
        let index = Index::of(&report, 3, text.len(), None);
        assert_eq!(index.counts.total, report.exchanges.len());
        assert_eq!(
            index.counts.by_status.iter().map(|(_, n)| n).sum::<usize>(),
            index.counts.total
        );
        assert!(!index.search("429").is_empty());
        assert!(index.search("no such thing").is_empty());
        let failed = index.rows.iter().find(|r| r.failed).unwrap();
        let details = Details::of(&report, failed.index, 3, &text).unwrap();
        for e in &details.excerpts {
            let marked = &e.excerpt.text[e.excerpt.mark.start..e.excerpt.mark.end];
            let evidence = &details.exchange.findings[e.finding].evidence()[e.evidence];
            let span = evidence.span.unwrap();
            assert!(text[span.start..span.end].starts_with(marked), "{marked:?}");
        }
    }

    #[test]
    fn a_first_screen_index_agrees_with_the_whole_one() {
        for name in [
            "chromium/rate-limit-burst.har",
            "chromium/mixed-page.har",
            // Its requests carry credentials: `input.secrets-present` comes with the whole index.
            "browser/token-refresh-failed.har",
        ] {
            let text = fixture(name);
            let options = crate::Options::default();
            let mut diagnosis = crate::Diagnosis::new(&text, &options);
            let mut first = None;
            while diagnosis.step().is_some() {
                if first.is_none()
                    && let Some(screen) = diagnosis.first_screen()
                {
                    first = Some(Index::first_screen(&screen, 1, text.len(), None));
                }
            }
            let first = first.expect(name);
            let whole = Index::of(&diagnosis.finish().unwrap(), 1, text.len(), None);
            assert_eq!(first.counts.total, whole.counts.total, "{name}");
            assert_eq!(first.counts.by_status, whole.counts.by_status, "{name}");
            assert!(first.counts.failed <= whole.counts.failed, "{name}");
            // The input's own findings are final but for those of the checks that scan the
            // whole input, which come with the whole index (docs/protocol.md).
            let late = |f: &&crate::report::Finding| {
                crate::rules::RULES
                    .iter()
                    .any(|rule| rule.checks_capture_last() && rule.meta().id == f.id)
            };
            let whole_findings: Vec<_> = whole.findings.iter().filter(|f| !late(f)).collect();
            assert_eq!(
                (
                    &first.first,
                    &first.root_failure,
                    first.findings.iter().collect::<Vec<_>>()
                ),
                (&whole.first, &whole.root_failure, whole_findings)
            );
            assert!(!first.findings.iter().any(|f| late(&f)), "{name}");
            assert!(first.unchecked > 0 && whole.unchecked == 0, "{name}");
            for (row, final_row) in first.rows.iter().zip(&whole.rows) {
                if row.unchecked {
                    assert!(row.top.is_none() && row.ids.is_empty());
                    // Failed already when its entry says so, and then for good.
                    assert!(!row.failed || final_row.failed, "{name}");
                    let same = |r: &Row| (r.index, r.entry, r.url.clone(), r.status, r.start_ms);
                    assert_eq!(same(row), same(final_row), "{name}");
                } else {
                    // A checked row never changes but for its redirect chain.
                    let chained = Row {
                        chain: final_row.chain,
                        ..row.clone()
                    };
                    assert_eq!(&chained, final_row, "{name}");
                }
            }
            // Every failure's group, then, is the whole index's.
            for group in &first.groups {
                assert!(whole.groups.iter().any(|g| g.key == group.key), "{name}");
            }
        }
    }

    #[test]
    fn a_first_screen_completed_step_by_step_is_the_whole_index() {
        let text = fixture("chromium/mixed-page.har");
        let options = crate::Options::default();
        let mut diagnosis = crate::Diagnosis::new(&text, &options);
        let mut shown: Option<(Vec<Row>, usize)> = None;
        while diagnosis.step().is_some() {
            if let Some((rows, posted)) = &mut shown {
                let changed = Index::rows_checked(&diagnosis.checked_since(*posted), rows);
                *posted = diagnosis.checked();
                // Sent in exchange order, each a row that changed, and it is now shown.
                assert!(changed.windows(2).all(|w| w[0].index < w[1].index));
                assert!(changed.iter().all(|r| !r.unchecked && rows[r.index] == *r));
            } else if let Some(screen) = diagnosis.first_screen() {
                let first = Index::first_screen(&screen, 1, text.len(), None);
                shown = Some((first.rows, screen.checked.len()));
            }
        }
        let (rows, _) = shown.expect("a first screen");
        let whole = Index::of(&diagnosis.finish().unwrap(), 1, text.len(), None);
        // What the steps sent makes every row the whole index's, but for redirect chains
        // (which come with the whole index).
        for (row, final_row) in rows.iter().zip(&whole.rows) {
            let chained = Row {
                chain: final_row.chain,
                ..row.clone()
            };
            assert_eq!(&chained, final_row);
        }
        assert_eq!(rows.len(), whole.rows.len());
    }

    #[test]
    fn excerpts_never_cut_a_character() {
        let input = "é".repeat(400) + "\nmarked\n" + &"ü".repeat(400);
        let at = input.find("marked").unwrap();
        let excerpt = Excerpt::around(&input, Span::new(at + 1, at + 3)).unwrap();
        assert_eq!(excerpt.line, 2);
        assert_eq!(&excerpt.text[excerpt.mark.start..excerpt.mark.end], "ar");
        for start in 0..input.len() {
            let _ = Excerpt::around(&input, Span::new(start, (start + 7).min(input.len())));
        }
    }
}
