//! The page's one source of truth, changed only through [`Action`]s. The page holds what the
//! person typed or pasted, and what the worker sent about it (the index, the shown exchange's
//! details, a share preview); never a large file's text, never a diagnosis it made itself.

use std::rc::Rc;

use yew::Reducible;

use crate::index::{Details, Index, Row};
use crate::input::Format;
use crate::share::Preview;
use crate::web::Ptr;

/// Texts longer than this stay out of the textarea (browsers crawl with megabytes in one).
pub(crate) const EDITOR_LIMIT: usize = 2 * 1024 * 1024;

/// Text pasted or typed into the page is diagnosed up to this size; larger inputs go through
/// a file (docs/protocol.md, Limits).
pub(crate) const PASTE_LIMIT: usize = 64 * 1024 * 1024;

/// Where the input came from.
#[derive(Clone, PartialEq)]
pub(crate) enum Source {
    /// Typed, pasted or an example: its text is `State::input`.
    Text,
    /// A file the worker reads: its name and size in bytes.
    File { name: String, bytes: f64 },
    /// A share link: its fragment; the worker decodes it.
    Link,
}

/// How a text arrived: keystrokes are diagnosed once typing pauses, a whole text at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Arrival {
    /// Typed, key by key (or another small edit of what is there).
    Typed,
    /// Pasted, dropped or cut as a whole, or an example loaded: nothing more is coming.
    Whole,
}

impl Arrival {
    /// How the edit an `input` event reports (its `inputType`, Input Events Level 2) arrived.
    pub(crate) fn of_input_type(input_type: &str) -> Arrival {
        // insertFromPaste, insertFromDrop, insertFromYank, insertFromPasteAsQuotation.
        if input_type.starts_with("insertFrom") || input_type == "deleteByCut" {
            Arrival::Whole
        } else {
            Arrival::Typed
        }
    }

    /// How long to wait before diagnosing a text that arrived so.
    pub(crate) fn delay_ms(self) -> u32 {
        match self {
            Arrival::Typed => DEBOUNCE_MS,
            Arrival::Whole => 0,
        }
    }
}

/// Typed text is diagnosed once typing pauses this long: never on the keystroke itself.
const DEBOUNCE_MS: u32 = 250;

#[derive(Clone, PartialEq)]
pub(crate) struct Progress {
    pub phase: Phase,
    /// Bytes of entries read, or exchanges checked, of `total` (none while a file is read).
    pub done: usize,
    pub total: usize,
    /// HAR entries read so far.
    pub entries: usize,
    pub total_bytes: f64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    ReadingFile,
    ReadingEntries,
    Checking,
}

impl Progress {
    /// What the page says while the worker works: `Checking exchanges: 8,000 of 16,764`.
    pub(crate) fn describe(&self) -> String {
        let megabytes = crate::web::decimals(self.total_bytes / 1e6, 1);
        match self.phase {
            Phase::ReadingFile => format!("Reading the file ({megabytes} MB)…"),
            Phase::ReadingEntries => format!(
                "Reading HAR entries: {} read, {} of {megabytes} MB…",
                crate::web::thousands(self.entries),
                crate::web::decimals(crate::knowledge::number::size(self.done) / 1e6, 1)
            ),
            Phase::Checking => format!(
                "Checking exchanges: {} of {}…",
                crate::web::thousands(self.done),
                crate::web::thousands(self.total)
            ),
        }
    }

    /// How far along, from 0 to 1, when it can be told.
    pub(crate) fn fraction(&self) -> Option<f64> {
        (self.total > 0).then(|| {
            let (done, total) = (
                crate::knowledge::number::size(self.done),
                crate::knowledge::number::size(self.total),
            );
            // Reading is the first half, checking the second.
            match self.phase {
                Phase::ReadingFile => 0.0,
                Phase::ReadingEntries => done / total / 2.0,
                Phase::Checking => 0.5 + done / total / 2.0,
            }
        })
    }
}

/// The index's rows on the page, in the parts the worker sent them (docs/protocol.md,
/// `rows-more`): a part that arrives is added without copying a row that came before it,
/// so a capture of 20,000 rows costs its parts once, not the square of their number.
#[derive(Clone, Default)]
pub(crate) struct Rows(Rc<Vec<Rc<[Row]>>>);

impl PartialEq for Rows {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl yew::html::ImplicitClone for Rows {}

impl Rows {
    pub(crate) fn new(rows: Vec<Row>) -> Rows {
        Rows(Rc::new(vec![Rc::from(rows)]))
    }

    /// These rows and `more` after them.
    pub(crate) fn appended(&self, more: Vec<Row>) -> Rows {
        let mut parts = (*self.0).clone();
        parts.push(Rc::from(more));
        Rows(Rc::new(parts))
    }

    /// These rows with each of `newer` in place of the row of the same index (only the
    /// parts that hold one are copied).
    pub(crate) fn replaced(&self, newer: Vec<Row>) -> Rows {
        let mut parts = (*self.0).clone();
        let mut newer = newer.into_iter().peekable();
        let mut start = 0;
        for part in &mut parts {
            let end = start + part.len();
            if newer.peek().is_some_and(|r| r.index < end) {
                let mut copy = part.to_vec();
                while let Some(row) = newer.next_if(|r| r.index < end) {
                    if let Some(slot) = row.index.checked_sub(start).and_then(|at| copy.get_mut(at))
                    {
                        *slot = row;
                    }
                }
                *part = Rc::from(copy);
            }
            start = end;
        }
        Rows(Rc::new(parts))
    }

    pub(crate) fn len(&self) -> usize {
        self.0.iter().map(|part| part.len()).sum()
    }

    /// The row of exchange `index` (rows are in exchange order, one per exchange).
    pub(crate) fn get(&self, mut index: usize) -> Option<&Row> {
        for part in self.0.iter() {
            match part.get(index) {
                Some(row) => return Some(row),
                None => index -= part.len(),
            }
        }
        None
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Row> {
        self.0.iter().flat_map(|part| part.iter())
    }
}

#[derive(Clone, PartialEq)]
pub(crate) enum Outcome {
    /// Nothing pasted yet.
    Idle,
    Working(Option<Progress>),
    /// The index (its `rows` left empty: they are the `Rows`), a first screen while
    /// `index.unchecked` exchanges are still checked.
    Done(Ptr<Index>, Rows),
    /// The input could not be read at all; the message says why and stays until the person
    /// acts.
    Failed(String),
}

impl Outcome {
    /// The value of `main[data-state]`, part of the page's DOM contract: `idle`, `working`,
    /// `first-screen` (a large capture's counts and failures are shown while the rest is
    /// checked), `done` (every exchange checked), `error`.
    pub(crate) fn state_name(&self) -> &'static str {
        match self {
            Outcome::Idle => "idle",
            Outcome::Working(_) => "working",
            Outcome::Done(index, _) if index.unchecked > 0 => "first-screen",
            Outcome::Done(..) => "done",
            Outcome::Failed(_) => "error",
        }
    }
}

/// The share preview's state.
#[derive(Clone, PartialEq)]
pub(crate) enum Sharing {
    Closed,
    Waiting,
    Ready(Ptr<Preview>),
    Failed(String),
}

#[derive(Clone, PartialEq)]
pub(crate) struct State {
    /// What the textarea shows (empty for a file).
    pub input: Rc<str>,
    pub source: Source,
    /// How the text arrived (for `Source::Text`): when to diagnose it.
    pub arrival: Arrival,
    /// A reader the person forced; `None` detects.
    pub format: Option<Format>,
    /// The newest job sent to the worker: answers to older ones are dropped.
    pub job: u32,
    pub outcome: Outcome,
    /// The exchange shown, by index, and its details once they arrived.
    pub selected: Option<usize>,
    pub details: Option<Ptr<Details>>,
    /// Rows matching the search (all when `None`).
    pub matches: Option<Rc<[usize]>>,
    /// The group of failures the list is narrowed to, by position in `Index::groups`.
    pub group: Option<usize>,
    /// The HAR entry a share link names (`&entry=N`), opened once its row arrives.
    pub linked_entry: Option<usize>,
    pub sharing: Sharing,
    /// Bumped on every change that needs a new diagnosis.
    pub revision: u64,
    /// A message about loading (a file that could not be read): shown until the next input.
    pub notice: Option<String>,
    /// While a first screen shows: the exchanges the worker has still to check, by its
    /// progress (`None`: the index's `unchecked`).
    pub checking_left: Option<usize>,
}

impl Default for State {
    fn default() -> Self {
        State {
            input: Rc::from(""),
            source: Source::Text,
            arrival: Arrival::Typed,
            format: None,
            job: 0,
            outcome: Outcome::Idle,
            selected: None,
            details: None,
            matches: None,
            group: None,
            linked_entry: None,
            sharing: Sharing::Closed,
            revision: 0,
            notice: None,
            checking_left: None,
        }
    }
}

pub(crate) enum Action {
    /// Text typed, pasted, or loaded from an example.
    Edit(String, Arrival),
    /// A file chosen or dropped: the worker reads it.
    LoadFile {
        name: String,
        bytes: f64,
    },
    /// The page was opened from a share link, which may name a HAR entry to open.
    OpenLink {
        entry: Option<usize>,
    },
    LoadFailed(String),
    SetFormat(Option<Format>),
    /// A job was sent to the worker.
    Sent(u32),
    Progress {
        job: u32,
        progress: Progress,
    },
    Indexed(Box<Index>),
    /// The index's rows that did not travel with it.
    MoreRows {
        job: u32,
        rows: Vec<Row>,
    },
    /// A first screen's unchecked rows, checked (and any other row that changed).
    RowsChecked {
        job: u32,
        rows: Vec<Row>,
    },
    /// Every exchange is checked: the whole index, without its rows.
    Checked(Box<Index>),
    Failed {
        job: u32,
        message: String,
    },
    Select(usize),
    Details(Box<Details>),
    Matches {
        job: u32,
        rows: Vec<usize>,
    },
    ClearSearch,
    /// Narrows the list to one group of failures, or shows all again.
    FilterGroup(Option<usize>),
    ShareWaiting,
    Shared {
        job: u32,
        preview: Box<crate::share::Preview>,
    },
    ShareFailed {
        job: u32,
        message: String,
    },
    CloseShare,
}

/// The row of HAR entry `entry` among `rows`, if it is there.
fn linked_row<'r>(rows: impl IntoIterator<Item = &'r Row>, entry: Option<usize>) -> Option<usize> {
    let entry = entry?;
    rows.into_iter()
        .find(|r| r.entry == Some(entry))
        .map(|r| r.index)
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(text, arrival) => {
                next.input = Rc::from(text);
                next.source = Source::Text;
                next.arrival = arrival;
                next.notice = None;
                next.revision += 1;
            }
            // The text the person had stays (hidden while the file is shown), so a file that
            // cannot be read gives it back.
            Action::LoadFile { name, bytes } => {
                next.source = Source::File { name, bytes };
                next.notice = None;
                next.revision += 1;
            }
            Action::OpenLink { entry } => {
                next.source = Source::Link;
                next.linked_entry = entry;
                next.revision += 1;
            }
            // The input the person had stays; the message says what went wrong.
            Action::LoadFailed(message) => next.notice = Some(message),
            Action::SetFormat(format) => {
                next.format = format;
                next.revision += 1;
            }
            Action::Sent(job) => {
                next.job = job;
                next.checking_left = None;
                next.outcome = Outcome::Working(None);
                next.sharing = Sharing::Closed;
                next.matches = None;
                next.group = None;
            }
            Action::Progress { job, progress } if job == next.job => match &next.outcome {
                Outcome::Working(_) => next.outcome = Outcome::Working(Some(progress)),
                // A first screen stays while the rest is checked, and says how many are left
                // (until the `checked` index ends it: the last step's progress comes first).
                // Kept beside the index, not in it: a new index would redraw the whole list.
                Outcome::Done(index, _)
                    if index.unchecked > 0
                        && progress.phase == Phase::Checking
                        && progress.done < progress.total =>
                {
                    next.checking_left = Some(progress.total - progress.done);
                }
                _ => {}
            },
            Action::Indexed(mut index) if index.job == next.job => {
                // The entry a link names, else failures first: the first exchange that
                // failed, or the only one.
                next.selected = linked_row(&index.rows, next.linked_entry).or(index.first);
                next.details = None;
                // A link's input shows in the editor, as if pasted (without a new diagnosis).
                if let (Source::Link, Some(shared)) = (&next.source, &index.shared) {
                    if shared.text.len() <= EDITOR_LIMIT {
                        next.input = Rc::from(shared.text.as_str());
                    }
                    next.format = shared.format.as_deref().and_then(Format::from_name);
                }
                let rows = Rows::new(std::mem::take(&mut index.rows));
                next.outcome = Outcome::Done(Ptr(Rc::from(index)), rows);
            }
            Action::MoreRows { job, rows } if job == next.job => {
                if let Outcome::Done(index, shown) = &next.outcome {
                    if let Some(row) = linked_row(&rows, next.linked_entry) {
                        next.selected = Some(row);
                        next.details = None;
                    }
                    next.outcome = Outcome::Done(index.clone(), shown.appended(rows));
                }
            }
            Action::RowsChecked { job, rows } if job == next.job => {
                if let Outcome::Done(index, shown) = &next.outcome {
                    next.outcome = Outcome::Done(index.clone(), shown.replaced(rows));
                }
            }
            // The first screen is completed in place: the choice stays, the rows stay.
            Action::Checked(index) if index.job == next.job => {
                next.checking_left = None;
                if let Outcome::Done(_, rows) = &next.outcome {
                    if next.selected.is_none() {
                        next.selected = index.first;
                    }
                    next.outcome = Outcome::Done(Ptr(Rc::from(index)), rows.clone());
                }
            }
            Action::Failed { job, message } if job == next.job => {
                next.outcome = match &next.source {
                    Source::Text if next.input.trim().is_empty() => Outcome::Idle,
                    // A file that cannot be read: say which, and give the text back.
                    Source::File { name, .. } => {
                        let message = format!("{name}: {message}");
                        next.source = Source::Text;
                        Outcome::Failed(message)
                    }
                    _ => Outcome::Failed(message),
                };
            }
            Action::Select(index) => {
                // The person chose: a link's entry no longer overrides the choice.
                next.linked_entry = None;
                if next.selected != Some(index) {
                    next.selected = Some(index);
                    next.details = None;
                }
            }
            Action::Details(details)
                if details.job == next.job && next.selected == Some(details.exchange.index) =>
            {
                next.details = Some(Ptr(Rc::from(details)));
            }
            Action::Matches { job, rows } if job == next.job => next.matches = Some(Rc::from(rows)),
            Action::ClearSearch => next.matches = None,
            Action::FilterGroup(group) => next.group = group,
            Action::ShareWaiting => next.sharing = Sharing::Waiting,
            Action::Shared { job, preview } if job == next.job => {
                next.sharing = Sharing::Ready(Ptr(Rc::from(preview)));
            }
            Action::ShareFailed { job, message } if job == next.job => {
                next.sharing = Sharing::Failed(message);
            }
            Action::CloseShare => next.sharing = Sharing::Closed,
            // An answer to an older job: dropped.
            _ => return self,
        }
        Rc::new(next)
    }
}
