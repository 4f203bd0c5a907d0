//! The page's one source of truth, changed only through [`Action`]s.

use std::rc::Rc;

use yew::Reducible;

use crate::input::Format;
use crate::report::Report;
use crate::share::Shared;
use crate::web::Ptr;

/// Texts longer than this stay out of the textarea (browsers crawl with megabytes in one):
/// the page keeps them and says so.
pub(crate) const EDITOR_LIMIT: usize = 2 * 1024 * 1024;

#[derive(Clone, PartialEq)]
pub(crate) enum Outcome {
    /// Nothing pasted yet.
    Idle,
    Working,
    Done(Ptr<Report>),
    /// The input could not be read at all; the message says why.
    Failed(String),
}

impl Outcome {
    /// The value of `main[data-state]`, part of the page's DOM contract.
    pub(crate) fn state_name(&self) -> &'static str {
        match self {
            Outcome::Idle => "idle",
            Outcome::Working => "working",
            Outcome::Done(_) => "done",
            Outcome::Failed(_) => "error",
        }
    }
}

#[derive(Clone, PartialEq)]
pub(crate) struct State {
    pub input: Rc<str>,
    /// Set when a file was loaded: its name and whether its text is too large for the editor.
    pub file: Option<(String, bool)>,
    /// A reader the person forced; `None` detects.
    pub format: Option<Format>,
    pub outcome: Outcome,
    pub selected: usize,
    /// Bumped on every change that needs a new diagnosis.
    pub revision: u64,
    /// The link this input was opened from, until the person edits it: its reference time
    /// and the findings the sharer saw.
    pub opened_link: Option<Rc<Shared>>,
}

impl Default for State {
    fn default() -> Self {
        State {
            input: Rc::from(""),
            file: None,
            format: None,
            outcome: Outcome::Idle,
            selected: 0,
            revision: 0,
            opened_link: None,
        }
    }
}

pub(crate) enum Action {
    Edit(String),
    Load { name: String, text: String },
    OpenLink(Shared),
    LoadFailed(String),
    SetFormat(Option<Format>),
    Working,
    Diagnosed(Result<Report, String>),
    Select(usize),
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::Edit(text) => {
                next.input = Rc::from(text);
                next.file = None;
                next.opened_link = None;
                next.revision += 1;
            }
            Action::OpenLink(shared) => {
                next.input = Rc::from(shared.text.as_str());
                next.format = shared.format.as_deref().and_then(Format::from_name);
                next.file = Some(("Shared link".to_owned(), shared.text.len() > EDITOR_LIMIT));
                next.opened_link = Some(Rc::new(shared));
                next.revision += 1;
            }
            Action::Load { name, text } => {
                next.file = Some((name, text.len() > EDITOR_LIMIT));
                next.input = Rc::from(text);
                next.opened_link = None;
                next.revision += 1;
            }
            Action::LoadFailed(message) => next.outcome = Outcome::Failed(message),
            Action::SetFormat(format) => {
                next.format = format;
                next.revision += 1;
            }
            Action::Working => next.outcome = Outcome::Working,
            Action::Diagnosed(Ok(report)) => {
                // Failures first: open the first exchange that failed.
                next.selected = report.exchanges.iter().position(|e| e.failed).unwrap_or(0);
                next.outcome = Outcome::Done(Ptr::new(report));
            }
            Action::Diagnosed(Err(message)) => {
                next.outcome = if next.input.trim().is_empty() {
                    Outcome::Idle
                } else {
                    Outcome::Failed(message)
                };
            }
            Action::Select(index) => next.selected = index,
        }
        Rc::new(next)
    }
}
