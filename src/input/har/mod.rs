//! HAR as every producer writes it: Chromium (old and new), Firefox, Safari, IE11, Charles,
//! Fiddler, mitmproxy, Polly.JS and Playwright.
//!
//! The document is walked once, and `log.entries` read entry by entry as the walk reaches
//! them: every exchange knows its place in the input, and a file cut off mid-entry still
//! yields the entries before the cut. Each entry is parsed on its own ([`entry`]): a field of
//! an unexpected type is read as absent, and only an entry that is not an object or has no
//! request URL is skipped and reported, never the file. A plainly written entry (nearly
//! all) is read by [`plain`] without serde's per-token cost; serde reads the rest, and words
//! their errors.

use std::borrow::Cow;

use serde::Deserialize;

use super::json_scan::{Member, Members, elements, skip_ws, value_end, walk_members};
use super::lines::offset_in;
use crate::knowledge::transport::{Failure, classify_message};
use crate::knowledge::{time, url};
use crate::model::{
    Body, Capture, Exchange, Header, InputIssue, Phases, Request, Response, Span, Timings,
    TransportError, Unread, header_name,
};

mod entry;
mod plain;

use entry::{Content, Entry, HarResponse, HarTimings, Num, Pairs, PostData, Text};

pub(crate) fn looks_like_har(head: &str) -> bool {
    head.contains("\"log\"")
        && (head.contains("\"entries\"")
            || head.contains("\"creator\"")
            || head.contains("\"version\""))
}

#[derive(Deserialize)]
struct Page<'a> {
    #[serde(borrow, default)]
    id: Text<'a>,
    #[serde(borrow, default)]
    title: Text<'a>,
}

/// Where `log.entries` starts, each complete entry's byte range, and whether the array closed.
pub(crate) type EntriesFound = (usize, Vec<(usize, usize)>, bool);

/// Where a HAR's parts are, found by one structure scan without parsing them (for sharing a
/// selection of entries; the diagnosis reads the entries as it walks, in [`Reader`]).
pub(crate) struct Layout {
    /// Where `log.entries` starts, each complete entry's byte range, and whether the
    /// array closed.
    pub entries: Option<EntriesFound>,
    /// The byte range of `log.pages`, when complete.
    pub pages: Option<(usize, usize)>,
}

/// The layout of the HAR `text` (a leading byte-order mark is skipped), or `None` when it is
/// not a JSON object.
pub(crate) fn layout(text: &str) -> Option<Layout> {
    let bytes = text.as_bytes();
    let root = skip_ws(bytes, if text.starts_with('\u{feff}') { 3 } else { 0 });
    if bytes.get(root) != Some(&b'{') {
        return None;
    }
    // One pass: the walk reads `log.entries` itself.
    let mut entries = None;
    let mut pages = None;
    walk_members(text, root, |key, start| {
        if key != "log" || bytes.get(start) != Some(&b'{') {
            return None;
        }
        let log_end = walk_members(text, start, |key, start| match key {
            "entries" if bytes.get(start) == Some(&b'[') => {
                let (slices, end) = elements(text, start);
                entries = Some((start, slices, end.is_some()));
                Some(end)
            }
            "pages" => {
                let end = super::json_scan::value_end(bytes, start);
                pages = end.map(|end| (start, end));
                Some(end)
            }
            _ => None,
        });
        Some(log_end)
    });
    Some(Layout { entries, pages })
}

pub(crate) fn read(text: &str) -> Capture {
    Reader::new(text).finish()
}

/// A HAR read entry by entry, so that a caller (the page's worker) can report progress and
/// give way to newer work between steps. The document is walked once: `new` finds
/// `log.entries`, each step reads the entries that follow (each entry's end is where its
/// reading stops, so no scan runs ahead of the reading; a whole read on several cores looks
/// ahead for where its parts begin), and `finish` walks what is left after the array to
/// tell whether the document is whole.
pub(crate) struct Reader<'a> {
    text: &'a str,
    capture: Capture,
    /// Each page's id and origin (`log.pages`, wherever it is in `log`).
    pages: Vec<(String, String)>,
    page_of_entry: Vec<Option<String>>,
    /// The walk through `log.entries`, when the document has them.
    entries: Option<Entries>,
    /// Whether the bodies of successful responses are left unread ([`Body::unread`]), for
    /// [`read_unread_bodies`] to read once a first screen is shown.
    bodies_later: bool,
}

/// Where the reading of `log.entries` stands.
struct Entries {
    /// The walks of the root object and of `log`, stopped at the member being read.
    root: Members,
    log: Members,
    /// Where the entries array starts.
    start: usize,
    /// Where the next entry is looked for; `None` once the array or the input ended.
    next: Option<usize>,
    /// How many entries were found (read, or skipped), and where the last one ended.
    found: usize,
    last_end: Option<usize>,
    /// Just past the array's `]`, once it closed.
    end: Option<usize>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(text: &'a str) -> Reader<'a> {
        let mut reader = Reader {
            text,
            capture: Capture::default(),
            pages: Vec::new(),
            page_of_entry: Vec::new(),
            entries: None,
            bodies_later: false,
        };
        let bytes = text.as_bytes();
        let root = skip_ws(bytes, if text.starts_with('\u{feff}') { 3 } else { 0 });
        if bytes.get(root) != Some(&b'{') {
            reader.capture.issues.push(InputIssue::Skipped {
                what: "a HAR file is a JSON object; this input does not start with `{`".into(),
                span: None,
            });
            return reader;
        }
        let mut root = Members::new(root);
        // The last `log` object seen without entries, and where it ends when it does.
        let mut last_log: Option<(usize, Option<usize>)> = None;
        let mut pages = None;
        let root_closed = loop {
            match root.next(text) {
                Member::Key("log", start) if bytes.get(start) == Some(&b'{') => {
                    let mut log = Members::new(start);
                    let log_end = match walk_log(text, &mut log, &mut pages) {
                        LogWalk::Entries(at) => {
                            reader.pages = pages.map(|at| read_pages(text, at)).unwrap_or_default();
                            reader.entries = Some(Entries {
                                root,
                                log,
                                start: at,
                                next: Some(at + 1),
                                found: 0,
                                last_end: None,
                                end: None,
                            });
                            return reader;
                        }
                        LogWalk::Closed(end) => Some(end),
                        LogWalk::Stopped => None,
                    };
                    last_log = Some((start, log_end));
                    match log_end {
                        Some(end) => root.past(end),
                        None => break false,
                    }
                }
                Member::Key(_, at) => match value_end(bytes, at) {
                    Some(end) => root.past(end),
                    None => break false,
                },
                Member::Closed(_) => break true,
                Member::Stopped => break false,
            }
        };
        let issue = match last_log {
            None => InputIssue::Truncated {
                what: if root_closed {
                    "there is no `log` object, so this is not a HAR file"
                } else {
                    "the input ends before the HAR's `log` object"
                }
                .into(),
                span: None,
            },
            Some((log_start, Some(log_end))) => InputIssue::Skipped {
                what: "`log.entries` is missing or not an array".into(),
                span: Some(Span::new(log_start, log_end)),
            },
            Some((_, None)) => InputIssue::Truncated {
                what: "the input ends before `log.entries`".into(),
                span: None,
            },
        };
        reader.capture.issues.push(issue);
        reader
    }

    /// A reader that leaves the bodies of successful responses unread: a diagnosis that
    /// shows a first screen (its failures) reads them after it ([`read_unread_bodies`]).
    pub(crate) fn bodies_later(text: &'a str) -> Reader<'a> {
        Reader {
            bodies_later: true,
            ..Reader::new(text)
        }
    }

    /// How many entries are read (or skipped), and how far into the input the reading is.
    pub(crate) fn progress(&self) -> (usize, usize) {
        self.entries
            .as_ref()
            .map_or((0, self.text.len()), |entries| {
                (entries.found, entries.next.unwrap_or(self.text.len()))
            })
    }

    /// Reads the entries in the next `budget` bytes of the input (at least one entry); says
    /// whether any are left.
    pub(crate) fn step(&mut self, budget: usize) -> bool {
        let text = self.text;
        let bytes = text.as_bytes();
        if budget == usize::MAX {
            self.read_ahead_in_parallel();
        }
        let Reader {
            capture,
            page_of_entry,
            entries,
            bodies_later,
            ..
        } = self;
        let Some(entries) = entries else {
            return false;
        };
        let Some(mut at) = entries.next else {
            return false;
        };
        let stop = at.saturating_add(budget);
        let mut read_one = false;
        loop {
            at = skip_ws(bytes, at);
            match bytes.get(at) {
                Some(b']') => {
                    entries.end = Some(at + 1);
                    entries.next = None;
                    return false;
                }
                Some(b',') => {
                    at += 1;
                    continue;
                }
                None => {
                    entries.next = None;
                    return false;
                }
                Some(_) if read_one && at >= stop => {
                    entries.next = Some(at);
                    make_room_for_the_rest(capture, page_of_entry, at, text.len());
                    return true;
                }
                Some(_) => {}
            }
            // Cut off inside this entry: the entries before it are what is left.
            let Some((read, span)) = read_entry(text, at, *bodies_later) else {
                entries.next = None;
                return false;
            };
            read_one = true;
            at = span.end;
            keep(entries, capture, page_of_entry, read, span);
        }
    }

    /// Before a whole read on several cores: the rest of the entries cut into one part per
    /// core, each part read on its own core, and the parts taken in order as far as each
    /// began where the one before it ended.
    ///
    /// Where an entry begins cannot be known without reading the entries before it, so each
    /// part begins where an entry seems to begin (`}`, a comma, then an object that reads as
    /// an entry with a request URL) and is taken only when the reading before it stopped
    /// exactly there: what is taken is what reading the entries one after the other takes.
    /// A guess that was wrong (an object with a request URL in an entry's own list) costs
    /// the work of its part: the entries from where the reading stopped to the next part
    /// are read again, one after another, and the parts after it are still taken.
    fn read_ahead_in_parallel(&mut self) {
        let text = self.text;
        let Some(start) = self.entries.as_ref().and_then(|e| e.next) else {
            return;
        };
        let rest = text.len() - start;
        let parts = crate::parallel::cores_for(rest / PART_BYTES);
        if parts < 2 {
            return;
        }
        let mut starts = vec![start];
        let part_size = rest / parts;
        for k in 1..parts {
            let guess = start + part_size * k;
            let after_last = starts.last().map_or(start, |last| last + 1);
            let from = guess.max(after_last);
            // Not past the next guess: each search is its part's own.
            if let Some(begin) = entry_begins_after(text, from, from + part_size) {
                starts.push(begin);
            }
        }
        let ranges: Vec<(usize, Option<usize>)> = starts
            .iter()
            .enumerate()
            .map(|(k, &from)| (from, starts.get(k + 1).copied()))
            .collect();
        let later = self.bodies_later;
        let read =
            crate::parallel::map_each(ranges, |(from, until)| read_part(text, from, until, later));
        // Where the reading one after another stands.
        let mut reached = start;
        for (part_start, part) in starts.into_iter().zip(read) {
            // A part before that did not end where this one begins: the entries between are
            // read here, one after another.
            if reached < part_start {
                let between = read_part(text, reached, Some(part_start), self.bodies_later);
                self.keep_all(between.entries);
                reached = between.stopped_at;
            }
            if reached != part_start {
                // The reading went past this part's start (it began inside an entry), or
                // the entries ended before it.
                #[cfg(test)]
                tests::DISCARDED.with(|d| d.set(d.get() + 1));
                continue;
            }
            #[cfg(test)]
            if part_start != start {
                tests::KEPT.with(|d| d.set(d.get() + 1));
            }
            self.keep_all(part.entries);
            reached = part.stopped_at;
        }
        if let Some(entries) = &mut self.entries {
            entries.next = Some(reached);
        }
    }

    /// Counts and keeps entries read one after another from where the reading stands.
    fn keep_all(&mut self, read: Vec<(ReadEntry, Span)>) {
        let Some(entries) = &mut self.entries else {
            return;
        };
        // Room for the part at once: an exchange is large, and each doubling copies them all.
        self.capture.exchanges.reserve(read.len());
        self.page_of_entry.reserve(read.len());
        for (entry, span) in read {
            keep(
                entries,
                &mut self.capture,
                &mut self.page_of_entry,
                entry,
                span,
            );
        }
    }

    /// The capture, once every entry is read (any left are read now).
    pub(crate) fn finish(mut self) -> Capture {
        while self.step(usize::MAX) {}
        let mut capture = self.capture;
        let Some(entries) = self.entries else {
            return capture;
        };
        let text = self.text;
        let bytes = text.as_bytes();
        // The rest of `log` (its pages may come after the entries), then of the root.
        let (mut log, mut root) = (entries.log, entries.root);
        let log_end = entries.end.and_then(|end| {
            log.past(end);
            loop {
                match log.next(text) {
                    Member::Key(key, at) => {
                        let end = value_end(bytes, at)?;
                        if key == "pages" {
                            self.pages = read_pages(text, at);
                        }
                        log.past(end);
                    }
                    Member::Closed(end) => return Some(end),
                    Member::Stopped => return None,
                }
            }
        });
        let root_closed = log_end.and_then(|end| {
            root.past(end);
            root.skip_rest(text)
        });
        assign_page_origins(&mut capture.exchanges, &self.page_of_entry, &self.pages);
        if entries.end.is_none() || log_end.is_none() || root_closed.is_none() {
            let what = match entries.last_end {
                Some(_) if entries.end.is_none() => format!(
                    "the HAR file is cut off after entry {}; the entry being written when it stopped is lost",
                    entries.found
                ),
                None if entries.end.is_none() => {
                    "the HAR file is cut off before its first complete entry".to_owned()
                }
                _ => "the HAR file is cut off after its entries".to_owned(),
            };
            let tail = entries.last_end.unwrap_or(entries.start);
            capture.issues.push(InputIssue::Truncated {
                what,
                span: Some(Span::new(tail, text.len())),
            });
        }
        capture
    }
}

/// Counts an entry read at `span` (the reading's next), and keeps what it gave.
fn keep(
    entries: &mut Entries,
    capture: &mut Capture,
    page_of_entry: &mut Vec<Option<String>>,
    read: ReadEntry,
    span: Span,
) {
    let n = entries.found;
    entries.found += 1;
    entries.last_end = Some(span.end);
    match read {
        ReadEntry::Exchange(mut exchange, pageref) => {
            page_of_entry.push(pageref);
            exchange.entry = Some(n);
            capture.exchanges.push(exchange);
        }
        ReadEntry::NoUrl => capture.issues.push(InputIssue::Skipped {
            what: format!("HAR entry {} has no request URL and was skipped", n + 1),
            span: Some(span),
        }),
        ReadEntry::Unreadable(error) => capture.issues.push(InputIssue::Skipped {
            what: format!(
                "HAR entry {} could not be read ({error}) and was skipped",
                n + 1
            ),
            span: Some(span),
        }),
    }
}

/// The least input per part worth reading on a core of its own (spawning a thread and
/// moving its entries back costs about what reading this much does).
const PART_BYTES: usize = 1 << 20;

/// What one entry gave.
#[expect(
    clippy::large_enum_variant,
    reason = "each is moved once, into the capture: a box would cost an allocation per entry"
)]
enum ReadEntry {
    /// An exchange, and the page it belongs to.
    Exchange(Exchange, Option<String>),
    /// An entry without a request URL.
    NoUrl,
    /// An entry that is not one (serde's words why).
    Unreadable(String),
}

/// The bytes an entry takes at the fewest, as far as room made ahead counts: what bounds
/// the entries a part of the input not read yet is taken to hold. A browser's entries take
/// kilobytes (headers, timings); smaller ones only leave the list to grow as it would.
const SMALLEST_ENTRY_BYTES: usize = 256;

/// After a step of reading entries that stopped at `reached` of `total` bytes: room for as
/// many exchanges again as the bytes left hold at the rate of those read (a sixteenth more),
/// made at once. Pushed one at a time, the list doubles about four times while the 58 MB
/// benchmark HAR is read in steps, each time copying every exchange read so far into memory
/// the browser then gives the worker page by page. The room is bounded by what the bytes
/// left could hold at [`SMALLEST_ENTRY_BYTES`] an entry, and is only asked for: a memory that
/// cannot grow that much leaves the list growing as before.
fn make_room_for_the_rest(
    capture: &mut Capture,
    page_of_entry: &mut Vec<Option<String>>,
    reached: usize,
    total: usize,
) {
    let read = capture.exchanges.len();
    let left = total.saturating_sub(reached);
    let at_this_rate = read.saturating_mul(left) / reached.max(1);
    let more = (at_this_rate + at_this_rate / 16).min(left / SMALLEST_ENTRY_BYTES);
    let wanted = read.saturating_add(more);
    if capture.exchanges.capacity() < wanted {
        let _ = capture.exchanges.try_reserve_exact(wanted - read);
        let _ = page_of_entry.try_reserve_exact(wanted.saturating_sub(page_of_entry.len()));
    }
}

/// Reads the entry at `at` (on its first byte): what it gave, and where it is; `None` when
/// the input ends inside it.
fn read_entry(text: &str, at: usize, bodies_later: bool) -> Option<(ReadEntry, Span)> {
    let (parsed, end) = if let Some((entry, end)) = plain::entry_at(text, at, bodies_later) {
        (Ok(entry), end)
    } else {
        let end = value_end(text.as_bytes(), at)?;
        (serde_json::from_str::<Entry>(&text[at..end]), end)
    };
    let span = Span::new(at, end);
    let read = match parsed {
        Ok(entry) => {
            let pageref = entry.pageref.0.as_deref().map(str::to_owned);
            match to_exchange(text, entry, span) {
                Some(exchange) => ReadEntry::Exchange(exchange, pageref),
                None => ReadEntry::NoUrl,
            }
        }
        Err(error) => ReadEntry::Unreadable(error.to_string()),
    };
    Some((read, span))
}

/// The entries of a part of `log.entries`, read one after the other from `from` (where an
/// entry begins) until the first entry that begins at or past `until`, or the end of the
/// array, or an entry the input ends inside; and where the reading stopped (the reading
/// that goes on from there sees what the reading of the whole would).
struct Part {
    entries: Vec<(ReadEntry, Span)>,
    stopped_at: usize,
}

fn read_part(text: &str, from: usize, until: Option<usize>, bodies_later: bool) -> Part {
    let bytes = text.as_bytes();
    let mut entries = Vec::new();
    let mut at = from;
    loop {
        at = skip_ws(bytes, at);
        match bytes.get(at) {
            Some(b',') => {
                at += 1;
                continue;
            }
            Some(b']') | None => break,
            Some(_) if until.is_some_and(|until| at >= until) => break,
            Some(_) => {}
        }
        let Some((read, span)) = read_entry(text, at, bodies_later) else {
            break;
        };
        entries.push((read, span));
        at = span.end;
    }
    Part {
        entries,
        stopped_at: at,
    }
}

/// Where an entry of `log.entries` seems to begin from `at` on (and before `before`): an
/// object after `}` and a comma, which reads as a whole entry with a request URL (a header,
/// a cookie or a query parameter, the objects of an entry's own lists, have none). Looked
/// for within a few megabytes; a guess, which the reading checks.
fn entry_begins_after(text: &str, at: usize, before: usize) -> Option<usize> {
    const LOOKED_AT: usize = 4 << 20;
    let bytes = text.as_bytes();
    let end = at.saturating_add(LOOKED_AT).min(before).min(bytes.len());
    let mut from = at;
    while let Some(found) = memchr::memchr(b',', bytes.get(from..end)?) {
        let comma = from + found;
        from = comma + 1;
        let previous = bytes[..comma]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace());
        if previous.is_none_or(|b| bytes[b] != b'}') {
            continue;
        }
        let begin = skip_ws(bytes, comma + 1);
        if bytes.get(begin) != Some(&b'{') {
            continue;
        }
        let has_url =
            |(entry, _): (Entry<'_>, usize)| entry.request.0.is_some_and(|r| r.url.is_some());
        if plain::entry_at(text, begin, false).is_some_and(has_url) {
            return Some(begin);
        }
    }
    None
}

/// How a walk through `log`'s members ended.
enum LogWalk {
    /// At `log.entries`, an array whose `[` is at this offset.
    Entries(usize),
    /// Past `log`'s `}`, without entries.
    Closed(usize),
    /// The input stopped first.
    Stopped,
}

/// Walks `log`'s members up to `log.entries`, noting where `log.pages` starts.
fn walk_log(text: &str, log: &mut Members, pages: &mut Option<usize>) -> LogWalk {
    let bytes = text.as_bytes();
    loop {
        match log.next(text) {
            Member::Key("entries", at) if bytes.get(at) == Some(&b'[') => {
                return LogWalk::Entries(at);
            }
            Member::Key(key, at) => {
                let Some(end) = value_end(bytes, at) else {
                    return LogWalk::Stopped;
                };
                if key == "pages" {
                    *pages = Some(at);
                }
                log.past(end);
            }
            Member::Closed(end) => return LogWalk::Closed(end),
            Member::Stopped => return LogWalk::Stopped,
        }
    }
}

fn read_pages(text: &str, at: usize) -> Vec<(String, String)> {
    if text.as_bytes().get(at) != Some(&b'[') {
        return Vec::new();
    }
    elements(text, at)
        .0
        .into_iter()
        .filter_map(|(start, end)| serde_json::from_str::<Page>(&text[start..end]).ok())
        .filter_map(|page| {
            Some((
                page.id.0?.into_owned(),
                url::origin(page.title.0.as_deref()?)?.to_owned(),
            ))
        })
        .collect()
}

/// The page's origin: from the page title when it is a URL (Chromium), else from the
/// page's first document request, else from the request's Referer.
fn assign_page_origins(
    exchanges: &mut [Exchange],
    page_of_entry: &[Option<String>],
    pages: &[(String, String)],
) {
    use std::collections::HashMap;
    let titled: HashMap<&str, &str> = pages
        .iter()
        .map(|(id, o)| (id.as_str(), o.as_str()))
        .collect();
    // Each page's first request, found once for all entries.
    let mut first_of_page: HashMap<&str, Option<String>> = HashMap::new();
    for (exchange, page) in exchanges.iter().zip(page_of_entry) {
        if let Some(page) = page.as_deref() {
            first_of_page.entry(page).or_insert_with(|| {
                exchange
                    .request
                    .as_ref()
                    .and_then(|r| url::origin(&r.url))
                    .map(str::to_owned)
            });
        }
    }
    let origins: Vec<Option<String>> = page_of_entry
        .iter()
        .zip(exchanges.iter())
        .map(|(page, exchange)| {
            let from_page = page.as_deref().and_then(|p| {
                titled
                    .get(p)
                    .map(|o| (*o).to_owned())
                    .or_else(|| first_of_page.get(p).cloned().flatten())
            });
            from_page.or_else(|| {
                let request = exchange.request.as_ref()?;
                let referer = request
                    .headers
                    .iter()
                    .find(|h| h.name.eq_ignore_ascii_case("referer"))?;
                url::origin(&referer.value).map(str::to_owned)
            })
        })
        .collect();
    for (exchange, origin) in exchanges.iter_mut().zip(origins) {
        exchange.page_origin = origin;
    }
}

/// The exchange an entry records, or `None` when it names no request URL.
fn to_exchange(text: &str, entry: Entry, span: Span) -> Option<Exchange> {
    let har_request = entry.request.0?;
    let request = Request {
        method: har_request.method.0.map(Cow::into_owned),
        url: har_request.url?.into_owned(),
        version: version(har_request.http_version),
        headers: headers(text, har_request.headers),
        body: har_request.post_data.0.and_then(|p| request_body(text, p)),
        handed: Vec::new(),
        span: Some(span),
    };
    let (response, transport_error) = if let Some(r) = entry.response.0 {
        if let Some(code) = r.status.0.and_then(crate::knowledge::number::status) {
            // A response whose body then broke (Playwright's `_failureText` on a 200:
            // `net::ERR_INVALID_CHUNKED_ENCODING`, `net::ERR_HTTP2_PROTOCOL_ERROR`) failed
            // though its status says otherwise. An abort after the answer (a page navigating
            // away) is not a failure of the call.
            let broken = r
                .failure_text
                .filled()
                .or(r.error.filled())
                .filter(|f| matches!(classify_message(f), Failure::Protocol | Failure::Reset))
                .map(|f| no_response(None, Some(f)));
            // A failure's body is read now: a first screen checks the failures, and what
            // is asked across exchanges before any is checked (the root failure, the
            // capture's own checks) reads failures' bodies. The rest wait for
            // `read_unread_bodies`.
            let read_body_now = code >= 400 || broken.is_some();
            (
                Some(to_response(text, r, code, span, read_body_now)),
                broken,
            )
        } else {
            let failure = failure_text(&r, &entry.error, &entry.comment);
            (None, Some(no_response(r.status.0, failure)))
        }
    } else {
        let failure = entry.error.filled().or(entry.comment.filled());
        (None, Some(no_response(None, failure)))
    };
    let started_ms = entry.started.0.as_deref().and_then(time::parse_rfc3339_ms);
    Some(Exchange {
        request: Some(request),
        response,
        transport_error,
        timings: Some(Timings {
            started: entry.started.0.map(Cow::into_owned),
            started_ms,
            // Producers write -1 for "not known".
            total_ms: entry.time.0.filter(|t| *t >= 0.0),
            phases: entry.timings.0.as_ref().and_then(phases),
        }),
        page_origin: None,
        notes: Vec::new(),
        span: Some(span),
        entry: None,
    })
}

/// The phases an entry's `timings` give, or `None` when it gives none (-1 everywhere).
fn phases(t: &HarTimings) -> Option<Phases> {
    let known = |n: Num| n.0.filter(|ms| *ms >= 0.0 && ms.is_finite());
    let phases = Phases {
        blocked: known(t.blocked),
        dns: known(t.dns),
        connect: known(t.connect),
        ssl: known(t.ssl),
        send: known(t.send),
        wait: known(t.wait),
        receive: known(t.receive),
    };
    phases.named().next().is_some().then_some(phases)
}

fn to_response(
    text: &str,
    r: HarResponse,
    status: u16,
    span: Span,
    read_body_now: bool,
) -> Response {
    Response {
        status,
        reason: r.status_text.0.map(Cow::into_owned).unwrap_or_default(),
        version: version(r.http_version),
        headers: headers(text, r.headers),
        body: r
            .content
            .0
            .and_then(|c| response_body(text, c, read_body_now)),
        interim: Vec::new(),
        span: Some(span),
    }
}

/// What the producer says went wrong with a request that got no response: Playwright's
/// `_failureText`, Chromium's and mitmproxy's `_error` (on the response, or on the entry in
/// older exports), else a comment, which some tools use for the reason.
fn failure_text<'t>(
    r: &'t HarResponse,
    entry_error: &'t Text,
    entry_comment: &'t Text,
) -> Option<&'t str> {
    r.failure_text
        .filled()
        .or(r.error.filled())
        .or(entry_error.filled())
        .or(r.comment.filled())
        .or(entry_comment.filled())
}

/// The HTTP version, unless the producer wrote a placeholder (old Chromium writes
/// `unknown` for requests that were never sent).
fn version(text: Text) -> Option<String> {
    text.0
        .filter(|v| !v.trim().is_empty() && !v.eq_ignore_ascii_case("unknown"))
        .map(Cow::into_owned)
}

/// Why a request has no response, as the producer said it; when it said nothing, that the
/// file records no answer and no reason, which is itself what a person needs to know.
fn no_response(status: Option<f64>, failure: Option<&str>) -> TransportError {
    let status_code = || match status {
        Some(s) => format!("status {s}"),
        None => "no response".to_owned(),
    };
    let Some(message) = failure else {
        return TransportError {
            code: status_code(),
            message: "status 0 and no error text in the HAR: the request was blocked, cancelled or failed before an answer arrived, and the browser did not record why".to_owned(),
            span: None,
        };
    };
    // Chromium's own code when the text carries one; else the kind of failure the words
    // name (mitmproxy writes Python's messages), which is how the other readers record it.
    let code = message
        .split_whitespace()
        .find(|w| w.starts_with("net::"))
        .map(str::to_owned)
        .or_else(|| match classify_message(message) {
            Failure::Other => None,
            failure => Some(failure.code().to_owned()),
        })
        .unwrap_or_else(status_code);
    TransportError {
        code,
        message: message.to_owned(),
        span: None,
    }
}

fn headers(text: &str, pairs: Pairs) -> Vec<Header> {
    let mut headers = Vec::with_capacity(pairs.0.len());
    let pairs = pairs
        .0
        .into_iter()
        // HTTP/2 pseudo-headers (`:authority`, `:status`) repeat the request line.
        .filter(|h| !h.name.starts_with(':'))
        .map(|h| {
            let span = match (&h.name, &h.value) {
                (Cow::Borrowed(n), Cow::Borrowed(v)) => {
                    offset_in(text, n).zip(offset_in(text, v)).map(|(a, b)| {
                        // Most producers write the name first; some write the value first.
                        Span::new(a.min(b), (a + n.len()).max(b + v.len()))
                    })
                }
                _ => None,
            };
            Header {
                name: header_name(h.name),
                value: h.value.into_owned(),
                span,
            }
        });
    headers.extend(pairs);
    headers
}

fn request_body(text: &str, post: PostData) -> Option<Body> {
    let base64 = is_base64(&post.encoding);
    if let Some(content) = post.text.0.filter(|t| !t.is_empty()) {
        return Some(body(text, content, base64));
    }
    // Charles and some proxies record a form as its fields only. The fields joined again
    // are the body the server read (a field with no value is written bare: Charles records
    // a JSON body sent as a form as one field named after the whole JSON text).
    let multipart = post.mime_type.0.as_deref().is_some_and(|m| {
        m.trim_start()
            .to_ascii_lowercase()
            .starts_with("multipart/")
    });
    if post.params.0.is_empty() || multipart {
        return None;
    }
    let mut joined = String::new();
    for (n, field) in post.params.0.iter().enumerate() {
        if n > 0 {
            joined.push('&');
        }
        joined.push_str(&field.name);
        if !field.value.is_empty() {
            joined.push('=');
            joined.push_str(&field.value);
        }
    }
    Some(Body::decoded(joined))
}

/// The body `content` gives: left unread when the reader stepped over its text, unless it
/// is to be read now.
fn response_body(text: &str, content: Content, read_now: bool) -> Option<Body> {
    if content.is_binary.0 {
        // Polly.JS keeps binary bodies as hex chunks of the raw, often compressed bytes:
        // reading them as the body would show hex where the response had JSON or HTML.
        let size = content
            .size
            .0
            .filter(|s| *s > 0.0)
            .map(crate::knowledge::number::count);
        return Some(Body::decoded(match size {
            Some(n) => format!("[{n} bytes of binary content]"),
            None => "[binary content]".to_owned(),
        }));
    }
    let base64 = is_base64(&content.encoding);
    if let Some((span, escaped)) = content.text.later {
        if span.start == span.end {
            return None;
        }
        let unread = Unread {
            span,
            escaped,
            base64,
        };
        return Some(if read_now {
            read_unread(text, unread)
        } else {
            Body::unread(unread)
        });
    }
    content
        .text
        .text
        .0
        .filter(|t| !t.is_empty())
        .map(|t| body(text, t, base64))
}

/// Reads the bodies the reader left unread ([`Reader::bodies_later`]) of `exchanges`, each
/// as it would have been read at once, from the first on, until about `budget` bytes of
/// them are read: how many exchanges have their bodies read.
pub(crate) fn read_unread_bodies(exchanges: &mut [Exchange], text: &str, budget: usize) -> usize {
    let mut read = 0;
    for (done, exchange) in exchanges.iter_mut().enumerate() {
        if read >= budget {
            return done;
        }
        if let Some(response) = &mut exchange.response
            && let Some(body) = &mut response.body
            && let Some(unread) = body.unread
        {
            read += unread.span.end - unread.span.start;
            *body = read_unread(text, unread);
        }
    }
    exchanges.len()
}

/// The body left unread at `unread`.
fn read_unread(text: &str, unread: Unread) -> Body {
    // The reader checked the string when it stepped over it: it reads.
    let content = if unread.escaped {
        plain::string_at(text, unread.span.start)
    } else {
        text.get(unread.span.start..unread.span.end)
            .map(Cow::Borrowed)
    };
    body(text, content.unwrap_or_default(), unread.base64)
}

fn is_base64(encoding: &Text) -> bool {
    encoding
        .0
        .as_deref()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("base64"))
}

fn body(text: &str, content: Cow<str>, base64: bool) -> Body {
    if base64 {
        return match decode_base64(&content) {
            Some(bytes) => match String::from_utf8(bytes) {
                Ok(decoded) => Body::decoded(decoded),
                Err(e) => {
                    let mut text = format!("[{} bytes of binary content]", e.as_bytes().len());
                    if let Some(trailer) = grpc_web_trailer(e.as_bytes()) {
                        text.push('\n');
                        text.push_str(&trailer);
                    }
                    Body::decoded(text)
                }
            },
            None => Body::decoded(content.into_owned()),
        };
    }
    match content {
        Cow::Borrowed(verbatim) => match offset_in(text, verbatim) {
            Some(at) => Body::verbatim(verbatim, at),
            None => Body::decoded(verbatim.to_owned()),
        },
        Cow::Owned(decoded) => Body::decoded(decoded),
    }
}

/// The trailer frame of a gRPC-Web body (flag 0x80, a 4-byte length, then `grpc-status: 16`
/// lines), when the bytes are a sequence of gRPC-Web frames.
fn grpc_web_trailer(bytes: &[u8]) -> Option<String> {
    let mut at = 0;
    while at + 5 <= bytes.len() {
        let flag = bytes[at];
        let length = u32::from_be_bytes(bytes[at + 1..at + 5].try_into().ok()?) as usize;
        let frame = bytes.get(at + 5..at + 5 + length)?;
        if flag & 0x80 != 0 {
            return std::str::from_utf8(frame)
                .ok()
                .filter(|t| t.to_ascii_lowercase().contains("grpc-status"))
                .map(|t| t.trim_end().to_owned());
        }
        at += 5 + length;
    }
    None
}

/// Base64 as producers write it: padded or not, and wrapped in lines by some.
fn decode_base64(content: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    let compact: Cow<str> = if content.bytes().any(|b| b.is_ascii_whitespace()) {
        Cow::Owned(
            content
                .chars()
                .filter(|c| !c.is_ascii_whitespace())
                .collect(),
        )
    } else {
        Cow::Borrowed(content)
    };
    STANDARD
        .decode(compact.as_bytes())
        .or_else(|_| STANDARD_NO_PAD.decode(compact.trim_end_matches('=').as_bytes()))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Parts read on a core of their own, then read again: they did not begin where the
        /// part before them ended.
        pub(super) static DISCARDED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        /// Parts after the first that were taken as read on their own core.
        pub(super) static KEPT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Read on several cores in parts, a HAR gives what it gives read entry after entry: also
    /// when a part was guessed to begin inside an entry (its own list holds objects that read
    /// as entries with a request URL), and when the input ends inside an entry.
    #[test]
    fn entries_read_in_parts_on_several_cores_read_as_one_after_another() {
        let entry = |n: usize| {
            format!(
                r#"{{"startedDateTime": "2026-11-24T10:00:00.000Z", "time": 1,
  "request": {{"method": "GET", "url": "https://api.test/ü错😀/{n}", "headers": [{{"name": "A", "value": "错"}}, {{"name": "B", "value": "😀,{{}}"}}]}},
  "response": {{"status": {status}, "headers": [], "content": {{"text": "{{\"n\": {n}}}, {{\"m\": 1}}"}}}},
  "_stack": [{{"at": "ü"}}, {{"request": {{"url": "https://inside.entry/错/{n}"}}}}, {{"at": "😀"}}]}}"#,
                status = if n.is_multiple_of(7) { 500 } else { 200 }
            )
        };
        let entries: Vec<String> = (0..3000).map(entry).collect();
        let whole = format!(r#"{{"log": {{"entries": [{}]}}}}"#, entries.join(",\n"));
        let cut = &whole[..whole.floor_char_boundary(whole.len() * 3 / 4)];
        for text in [whole.as_str(), cut] {
            crate::parallel::tests::THREADS.with(|t| t.set(Some(1)));
            let one = format!("{:?}", read(text));
            let (mut discarded, mut kept) = (0, 0);
            for cores in [2, 3, 7, 16] {
                crate::parallel::tests::THREADS.with(|t| t.set(Some(cores)));
                DISCARDED.with(|d| d.set(0));
                KEPT.with(|k| k.set(0));
                let several = format!("{:?}", read(text));
                discarded += DISCARDED.with(std::cell::Cell::get);
                kept += KEPT.with(std::cell::Cell::get);
                assert!(several == one, "read on {cores} cores");
            }
            crate::parallel::tests::THREADS.with(|t| t.set(None));
            assert!(discarded > 0, "a part began inside an entry");
            assert!(kept > 0, "a part after the first was taken");
        }
    }

    #[test]
    fn reads_status_zero_and_playwright_failures() {
        let text = r#"{"log":{"version":"1.2","entries":[
          {"request":{"method":"GET","url":"http://b.test/x","headers":[{"name":"Origin","value":"http://a.test"}]},"response":{"status":0,"headers":[],"content":{}},"_error":"net::ERR_FAILED"},
          {"request":{"method":"GET","url":"http://b.test/y"},"response":{"status":-1,"_failureText":"net::ERR_FAILED"}},
          {"request":{"method":"GET","url":"http://b.test/z"},"response":{"status":200,"content":{"text":"eyJhIjoxfQ==","encoding":"base64"}}}
        ]}}"#;
        let capture = read(text);
        assert!(capture.issues.is_empty());
        assert_eq!(
            capture.exchanges[0].transport_error.as_ref().unwrap().code,
            "net::ERR_FAILED"
        );
        assert_eq!(
            capture.exchanges[1].transport_error.as_ref().unwrap().code,
            "net::ERR_FAILED"
        );
        assert_eq!(
            capture.exchanges[2]
                .response
                .as_ref()
                .unwrap()
                .body
                .as_ref()
                .unwrap()
                .text,
            "{\"a\":1}"
        );
        let origin = &capture.exchanges[0].request.as_ref().unwrap().headers[0];
        let span = origin.span.unwrap();
        assert!(text[span.start..span.end].starts_with("Origin"));
    }

    #[test]
    fn wrong_types_skip_the_entry_and_a_cut_keeps_the_rest() {
        let text = r#"{"log":{"entries":[{"request":{"url":5}},{"request":{"method":"GET","url":"http://a.test/"},"response":{"status":404}},{"request":{"url":"#;
        let capture = read(text);
        assert_eq!(capture.exchanges.len(), 1);
        assert!(matches!(capture.issues[0], InputIssue::Skipped { .. }));
        assert!(matches!(capture.issues[1], InputIssue::Truncated { .. }));
    }

    /// What the walk says of a document, whatever its shape around the entries.
    #[test]
    fn says_where_a_document_stops_or_what_it_lacks() {
        let entry =
            r#"{"request":{"method":"GET","url":"http://a.test/"},"response":{"status":404}}"#;
        let said = |text: &str| -> (usize, Vec<String>) {
            let capture = read(text);
            let issues = capture
                .issues
                .iter()
                .map(|issue| match issue {
                    InputIssue::Skipped { what, .. } | InputIssue::Truncated { what, .. } => {
                        what.clone()
                    }
                })
                .collect();
            (capture.exchanges.len(), issues)
        };
        let cases: [(String, usize, &[&str]); 12] = [
            (
                format!(r#"{{"log":{{"entries":[{entry},{entry}]}}}}"#),
                2,
                &[],
            ),
            // Members before and after the entries, pages after them, a BOM, odd commas.
            (
                format!(
                    "\u{feff} {{\"x\":[1,{{}}],\"log\":{{\"creator\":{{}},\"entries\":[{entry} , ,{entry}],\"pages\":[]}},\"y\":\"}}]\"}}"
                ),
                2,
                &[],
            ),
            (
                format!(r#"{{"log":{{"entries":[{entry},{entry}"#),
                2,
                &[
                    "the HAR file is cut off after entry 2; the entry being written when it stopped is lost",
                ],
            ),
            // Non-ASCII text next to every delimiter the walk stops at.
            (
                format!(
                    r#"{{"ü错😀":"}}]😀\"","log":{{"😀":["错]"],"entries":[{entry},{{"request":{{"url":"http://a.test/ü错😀?q=😀"}},"response":{{"status":500,"content":{{"text":"{{\"错\":\"😀\u00fc\"}}😀"}}}}}}]}},"错":"😀"}}"#
                ),
                2,
                &[],
            ),
            (
                format!(r#"{{"log":{{"entries":[{entry},{{"request":{{"url":"http://a.test/错😀"#),
                1,
                &[
                    "the HAR file is cut off after entry 1; the entry being written when it stopped is lost",
                ],
            ),
            (
                format!(r#"{{"log":{{"entries":[{entry},{{"request":{{"url":"http"#),
                1,
                &[
                    "the HAR file is cut off after entry 1; the entry being written when it stopped is lost",
                ],
            ),
            (
                r#"{"log":{"entries":[{"req"#.to_owned(),
                0,
                &["the HAR file is cut off before its first complete entry"],
            ),
            (
                format!(r#"{{"log":{{"entries":[{entry}],"pages":[{{"id""#),
                1,
                &["the HAR file is cut off after its entries"],
            ),
            (
                format!(r#"{{"log":{{"entries":[{entry}]}},"more":"#),
                1,
                &["the HAR file is cut off after its entries"],
            ),
            (
                r#"{"log":{"version":"1.2"}}"#.to_owned(),
                0,
                &["`log.entries` is missing or not an array"],
            ),
            (
                r#"{"log":{"version":"1.2","#.to_owned(),
                0,
                &["the input ends before `log.entries`"],
            ),
            (
                r#"{"other":{}}"#.to_owned(),
                0,
                &["there is no `log` object, so this is not a HAR file"],
            ),
        ];
        for (text, exchanges, issues) in &cases {
            assert_eq!(
                said(text),
                (*exchanges, issues.iter().map(|s| (*s).to_owned()).collect()),
                "{text}"
            );
        }
        // The non-ASCII entry reads whole: its URL as written, its body decoded.
        let capture = read(&cases[3].0);
        let exchange = &capture.exchanges[1];
        assert_eq!(
            exchange.request.as_ref().unwrap().url,
            "http://a.test/ü错😀?q=😀"
        );
        let body = exchange.response.as_ref().unwrap().body.as_ref().unwrap();
        assert_eq!(body.text, "{\"错\":\"😀ü\"}😀");
        assert_eq!(
            said(r#"{"other":"#).1,
            ["the input ends before the HAR's `log` object"]
        );
        assert_eq!(
            said("[1]").1,
            ["a HAR file is a JSON object; this input does not start with `{`"]
        );
        // An element that is not an entry is skipped, and counted: entry numbers stay those of
        // the file.
        let (_, skipped) = said(&format!(r#"{{"log":{{"entries":[5,{entry}]}}}}"#));
        assert!(
            skipped[0].starts_with("HAR entry 1 could not be read"),
            "{skipped:?}"
        );
        assert_eq!(
            read(&format!(r#"{{"log":{{"entries":[5,{entry}]}}}}"#)).exchanges[0].entry,
            Some(1)
        );
    }

    /// Read in the smallest steps (an entry each), a document gives the capture it gives at once.
    #[test]
    fn steps_of_any_size_read_the_same() {
        let real = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/bad/truncated.har"
        ))
        .unwrap();
        // Its entries four times over, still cut off where it was.
        let (start, slices, _) = layout(&real).unwrap().entries.unwrap();
        let entries = &real[start + 1..slices.last().unwrap().1];
        let text = format!(
            "{}{entries},\n{entries},\n{entries},\n{}",
            &real[..=start],
            &real[start + 1..]
        );
        let mut reader = Reader::new(&text);
        let mut steps = 0;
        let mut last = 0;
        while reader.step(1) {
            let (entries, at) = reader.progress();
            assert!(at > last && entries > 0, "{at} after {last}");
            last = at;
            steps += 1;
        }
        let stepped = format!("{:?}", reader.finish());
        assert!(steps > 1);
        assert_eq!(stepped, format!("{:?}", read(&text)));
    }

    fn har_of(entries: &[String]) -> String {
        format!(
            "{{\"log\":{{\"version\":\"1.2\",\"entries\":[{}]}}}}",
            entries.join(",\n")
        )
    }

    fn entry_with_body(i: usize, body: usize) -> String {
        format!(
            r#"{{"request":{{"method":"GET","url":"https://api.test/items/{i}","headers":[]}},"response":{{"status":200,"headers":[],"content":{{"text":"{}"}}}}}}"#,
            "x".repeat(body)
        )
    }

    /// After a step, the exchanges have room for those the rest of the input holds at the
    /// rate read so far, made once (the list is not copied as it doubles); when the rest is
    /// one large entry, the room is bounded by what its bytes could hold.
    #[test]
    fn room_for_the_rest_is_made_from_the_rate_read_so_far() {
        let uniform: Vec<String> = (0..4000).map(|i| entry_with_body(i, 200)).collect();
        let text = har_of(&uniform);
        let mut reader = Reader::new(&text);
        assert!(reader.step(text.len() / 8));
        let capacity = reader.capture.exchanges.capacity();
        assert!(
            (4000..=4000 * 17 / 16 + 8).contains(&capacity),
            "room for {capacity} after {} read",
            reader.capture.exchanges.len()
        );
        while reader.step(text.len() / 8) {}
        assert_eq!(reader.capture.exchanges.capacity(), capacity);
        assert_eq!(reader.finish().exchanges.len(), 4000);

        let mut lopsided: Vec<String> = (0..500).map(|i| entry_with_body(i, 0)).collect();
        lopsided.push(entry_with_body(500, 1 << 20));
        let text = har_of(&lopsided);
        let mut reader = Reader::new(&text);
        assert!(reader.step(1));
        let (read, reached) = (reader.capture.exchanges.len(), reader.progress().1);
        let bound = read + (text.len() - reached) / SMALLEST_ENTRY_BYTES;
        assert!(reader.capture.exchanges.capacity() <= bound + 8);
    }

    fn one(entry: &str) -> Exchange {
        let text = format!("{{\"log\":{{\"version\":\"1.2\",\"entries\":[{entry}]}}}}");
        let capture = read(&text);
        assert!(capture.issues.is_empty(), "{:?}", capture.issues);
        assert_eq!(capture.exchanges.len(), 1);
        capture.exchanges.into_iter().next().unwrap()
    }

    #[test]
    fn odd_field_types_cost_the_field_not_the_entry() {
        // Bug: one field of an unexpected type (a null header value, a status written as a
        // string, IE11's cookies object, a numeric pageref, headers as an object) made the
        // whole entry unreadable.
        let exchange = one(
            r#"{"pageref": 0, "startedDateTime": "2016-06-28T19:01:11.59+00:00", "time": "16",
              "request": {"method": "GET", "url": "http://a.test/favicon.ico", "httpVersion": null,
                "cookies": {"name": "previewCols", "value": "url"},
                "headers": [{"name": "Accept", "value": null}, {"name": "Content-Length", "value": 5216},
                            "junk", {"value": "no name"}, {"name": "X-Ok", "value": "1", "_fromType": "array"}],
                "postData": null},
              "response": {"status": "404", "statusText": null, "httpVersion": "HTTP/1.1",
                "headers": {"Content-Type": "text/html", "Content-Length": "5,216"},
                "content": {"size": "5,216", "text": null, "comment": "not saved"},
                "redirectURL": null, "redirectionURL": ""},
              "timings": {"send": -1, "wait": 16}, "comment": ""}"#,
        );
        let request = exchange.request.as_ref().unwrap();
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .map(|h| (h.name.as_ref(), h.value.as_str()))
            .collect();
        assert_eq!(
            headers,
            [("Accept", ""), ("Content-Length", "5216"), ("X-Ok", "1")]
        );
        assert_eq!(request.version, None);
        let response = exchange.response.as_ref().unwrap();
        assert_eq!(response.status, 404);
        assert_eq!(response.reason, "");
        assert_eq!(response.headers.len(), 2);
        assert!(response.body.is_none());
        let timings = exchange.timings.as_ref().unwrap();
        assert_eq!(timings.total_ms, Some(16.0));
        // IE11 writes two digits of fraction: .59 is 590 ms.
        assert_eq!(timings.started_ms, Some(1_467_140_471_590));
    }

    #[test]
    fn timing_phases_keep_what_the_producer_measured() {
        // The shape Firefox and Chrome's DevTools export (HAR 1.2 §timings): -1 where a
        // phase did not apply, fractions of milliseconds, numbers as strings from older
        // tools. Playwright, which recorded the fixtures, writes no `blocked`.
        let exchange = one(
            r#"{"startedDateTime": "2026-11-25T10:00:00.000Z", "time": 26.5,
              "request": {"method": "GET", "url": "http://a.test/", "headers": []},
              "response": {"status": 200, "headers": []},
              "timings": {"blocked": 0.654, "dns": -1, "connect": "3", "ssl": -1, "send": 0,
                          "wait": 20.1, "receive": 2.75, "_blocked_queueing": 0.4}}"#,
        );
        let phases = exchange.timings.unwrap().phases.unwrap();
        assert_eq!(
            phases.named().collect::<Vec<_>>(),
            [
                ("blocked", 0.654),
                ("connect", 3.0),
                ("send", 0.0),
                ("wait", 20.1),
                ("receive", 2.75)
            ]
        );
        let unknown = one(
            r#"{"request": {"method": "GET", "url": "http://a.test/", "headers": []},
              "timings": {"send": -1, "wait": -1, "receive": -1}}"#,
        );
        assert_eq!(unknown.timings.unwrap().phases, None);
    }

    #[test]
    fn a_form_recorded_as_its_fields_is_the_body() {
        // Bug: Charles records a form POST as `params` without `text`; the body was lost.
        let exchange = one(
            r#"{"request": {"method": "POST", "url": "http://a.test/x", "headers": [],
                "postData": {"mimeType": "application/x-www-form-urlencoded",
                  "params": [{"name": "{\"className\":\"ReqShop\",\"page\":2}", "value": ""}]}},
              "response": {"status": 200, "headers": []}}"#,
        );
        let body = exchange.request.unwrap().body.unwrap();
        assert_eq!(body.text, r#"{"className":"ReqShop","page":2}"#);
        let exchange = one(r#"{"request": {"method": "POST", "url": "http://a.test/x",
                "postData": {"params": [{"name": "a", "value": "1"}, {"name": "b", "value": "x y"}]}},
              "response": {"status": 422}}"#);
        assert_eq!(exchange.request.unwrap().body.unwrap().text, "a=1&b=x y");
        // A multipart form's fields are not its body.
        let exchange = one(r#"{"request": {"method": "POST", "url": "http://a.test/x",
                "postData": {"mimeType": "multipart/form-data; boundary=x", "params": [{"name": "f", "fileName": "a.png"}]}},
              "response": {"status": 200}}"#);
        assert!(exchange.request.unwrap().body.is_none());
    }

    #[test]
    fn polly_s_hex_chunks_are_binary_not_the_body() {
        // Bug: Polly.JS's `_isBinary` bodies (a JSON list of hex chunks of gzip bytes) were
        // read as the response body.
        let exchange = one(
            r#"{"request": {"method": "GET", "url": "https://api.test/users/x"},
              "response": {"status": 200, "content": {"_isBinary": true, "mimeType": "application/json", "size": 525,
                "text": "[\"1f8b0800000000000003\",\"0992a4e49ebbbd80\"]"}}}"#,
        );
        let body = exchange.response.unwrap().body.unwrap();
        assert_eq!(body.text, "[525 bytes of binary content]");
    }

    #[test]
    fn base64_without_padding_or_in_lines_is_decoded() {
        // Bug: base64 bodies without padding, or wrapped in lines, were shown undecoded.
        for encoded in ["eyJhIjoxfQ", "eyJh\nIjox\r\nfQ=="] {
            let entry = format!(
                r#"{{"request": {{"method": "GET", "url": "http://a.test/"}}, "response": {{"status": 401, "content": {{"text": {}, "encoding": "base64"}}}}}}"#,
                serde_json::to_string(encoded).unwrap()
            );
            assert_eq!(
                one(&entry).response.unwrap().body.unwrap().text,
                "{\"a\":1}"
            );
        }
    }

    #[test]
    fn a_request_without_response_says_why_in_the_producer_s_words() {
        let code = |entry: &str| {
            let error = one(entry).transport_error.unwrap();
            (error.code, error.message)
        };
        // mitmproxy: Python's message, recorded by the kind it names.
        let (c, _) = code(
            r#"{"request": {"method": "GET", "url": "http://a.test/"}, "response": {"status": 0, "headers": [], "content": {}, "_error": "[Errno 60] Connect call failed ('10.0.0.1', 80)"}}"#,
        );
        assert_eq!(c, "timeout");
        // Chromium's code, on the response or (older exports) on the entry.
        let (c, _) = code(
            r#"{"request": {"method": "GET", "url": "http://a.test/"}, "response": {"status": 0}, "_error": "net::ERR_NAME_NOT_RESOLVED"}"#,
        );
        assert_eq!(c, "net::ERR_NAME_NOT_RESOLVED");
        // A tool that puts the reason in a comment.
        let (c, m) = code(
            r#"{"request": {"method": "GET", "url": "http://a.test/"}, "response": {"status": 0, "comment": "Connection refused"}}"#,
        );
        assert_eq!(
            (c.as_str(), m.as_str()),
            ("connection refused", "Connection refused")
        );
        // No response at all, and status 0 with nothing said.
        let (c, _) =
            code(r#"{"request": {"method": "GET", "url": "http://a.test/"}, "response": null}"#);
        assert_eq!(c, "no response");
        let (c, m) = code(
            r#"{"request": {"method": "GET", "url": "http://a.test/", "httpVersion": "unknown"}, "response": {"status": 0, "statusText": "", "_error": null}}"#,
        );
        assert_eq!(c, "status 0");
        assert!(m.contains("no error text"), "{m}");
    }
}
