//! Sharing a diagnosis: redaction of everything secret, a compact versioned link that
//! carries the redacted input in the URL fragment, the diagnosis as Markdown, and a redacted
//! copy of the input. The page and the CLI use these same functions.
//!
//! A [`Draft`] is made once per choice (input, exchanges, redaction options): one selection,
//! one redaction, one diagnosis of the redacted text. The link and the Markdown come from it,
//! and each passes the net ([`Redacted::check`]) before it is handed out.

mod codec;
mod har;
mod markdown;
mod redact;

pub use codec::{
    LinkError, MAX_LINK_CHARS, MAX_SHARED_BYTES, Shared, SharedEntries, decode_link, encode_link,
    link_entry, with_entry,
};
pub use markdown::{markdown, text as markdown_text};
pub use redact::{Leak, RedactOptions, Redacted, Redaction, redact};

use crate::input::Format;
use crate::report::Report;
use crate::rules::{ShareEntriesLeftOut, ShareEvidenceRedacted};

/// Links longer than this are kept by few chat tools and issue trackers: the page suggests
/// the redacted file instead.
pub const LINK_WARN_CHARS: usize = 8 * 1024;

/// Why a link, Markdown or a redacted file was not produced.
#[derive(Debug, Clone, PartialEq)]
pub enum ShareError {
    /// The input cannot be read at all.
    Input(crate::InputError),
    /// A secret would have left: the person must redact it first.
    Leak(Leak),
    /// The link would be longer than httpdx opens.
    TooLong { chars: usize },
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::Input(e) => write!(f, "{e}"),
            ShareError::Leak(leak) => write!(f, "{leak}"),
            ShareError::TooLong { chars } => write!(
                f,
                "the link would be {chars} characters, more than the {MAX_LINK_CHARS} httpdx opens: share fewer exchanges, or the redacted file"
            ),
        }
    }
}

impl std::error::Error for ShareError {}

impl From<Leak> for ShareError {
    fn from(leak: Leak) -> Self {
        ShareError::Leak(leak)
    }
}

/// What will be shared for one choice of input, exchanges and redaction.
pub struct Draft {
    /// What the link carries.
    pub shared: Shared,
    /// The redacted input, with every redaction made.
    pub redacted: Redacted,
    /// The diagnosis of what the link carries: what its recipient will see.
    pub report: Report,
}

impl Draft {
    /// Selects (for a HAR: the entries of the chosen exchanges, by their position in the
    /// file), redacts and diagnoses. `report` is the sharer's diagnosis of `text`.
    pub fn new(
        text: &str,
        report: &Report,
        exchanges: Option<&[usize]>,
        options: &RedactOptions,
    ) -> Result<Draft, ShareError> {
        let diagnose_options = crate::Options {
            format: Some(report.format).filter(|f| *f != Format::Unrecognized),
            reference_time: report.reference_time,
        };
        let chosen: Option<Vec<usize>> = exchanges.map(|indexes| {
            indexes
                .iter()
                .filter_map(|i| report.exchanges.get(*i))
                .filter_map(|e| e.entry)
                .collect()
        });
        let selection = (report.format == Format::Har)
            .then(|| har::select(text, chosen.as_deref()))
            .flatten();
        // What the sharer saw of what travels: the input's findings and the chosen exchanges'.
        let mut finding_ids: Vec<String> = Vec::new();
        let mut add = |id: &str| {
            if !finding_ids.iter().any(|i| i == id) {
                finding_ids.push(id.to_owned());
            }
        };
        report.findings.iter().for_each(|f| add(f.id));
        report
            .exchanges
            .iter()
            .filter(|e| exchanges.is_none_or(|chosen| chosen.contains(&e.index)))
            .flat_map(|e| e.findings.iter())
            .for_each(|f| add(f.id));
        // Findings that need entries left out of the link: missing from the selection's own
        // diagnosis before any redaction.
        let mut left_out_ids = Vec::new();
        let selected_text = selection.as_ref().map_or(text, |s| s.text.as_str());
        if selection.as_ref().is_some_and(|s| s.kept.len() < s.total) {
            let selected =
                crate::diagnose(selected_text, &diagnose_options).map_err(ShareError::Input)?;
            let present = selected.finding_ids();
            left_out_ids = finding_ids
                .iter()
                .filter(|id| !present.contains(&id.as_str()))
                .cloned()
                .collect();
        }
        let redacted = redact(selected_text, options);
        let shared = Shared {
            text: redacted.text.clone(),
            format: Some(report.format.name().to_owned()),
            reference_time: report.reference_time,
            finding_ids,
            entries: selection.map(|s| SharedEntries {
                kept: s.kept,
                total: s.total,
            }),
            left_out_ids,
        };
        let mut opened =
            crate::diagnose(&shared.text, &diagnose_options).map_err(ShareError::Input)?;
        note_redacted_findings(&mut opened, &shared);
        Ok(Draft {
            shared,
            redacted,
            report: opened,
        })
    }

    /// The link under `base`, once the net finds no secret in what it carries.
    pub fn link(&self, base: &str) -> Result<String, ShareError> {
        let url = encode_link(base, &self.shared);
        self.redacted.check(&self.shared.text)?;
        let chars = url.len() - base.split('#').next().unwrap_or(base).len();
        if chars > MAX_LINK_CHARS {
            return Err(ShareError::TooLong { chars });
        }
        Ok(url)
    }

    /// The diagnosis of what is shared, as Markdown, once the net finds no secret in it.
    pub fn markdown(&self) -> Result<String, Leak> {
        let text = markdown(&self.report);
        self.redacted.check(&text)?;
        Ok(text)
    }
}

/// A link for `text` (diagnosed with `options`), with what was redacted.
pub struct Link {
    pub url: String,
    pub shared: Shared,
    pub redacted: Redacted,
}

/// Diagnoses `text`, redacts it and encodes the link under `base`.
pub fn share(
    text: &str,
    options: &crate::Options,
    base: &str,
    exchanges: Option<&[usize]>,
    redact_options: &RedactOptions,
) -> Result<Link, ShareError> {
    let report = crate::diagnose(text, options).map_err(ShareError::Input)?;
    let draft = Draft::new(text, &report, exchanges, redact_options)?;
    let url = draft.link(base)?;
    Ok(Link {
        url,
        shared: draft.shared,
        redacted: draft.redacted,
    })
}

/// The diagnosis of `text` (of the chosen exchanges, for a HAR) as Markdown, computed on the
/// redacted input.
pub fn markdown_for(
    text: &str,
    options: &crate::Options,
    exchanges: Option<&[usize]>,
    redact_options: &RedactOptions,
) -> Result<String, ShareError> {
    let report = crate::diagnose(text, options).map_err(ShareError::Input)?;
    Ok(Draft::new(text, &report, exchanges, redact_options)?.markdown()?)
}

/// `text` redacted whole (every entry of a HAR), for a file to attach instead of a link.
/// Fails when the net finds a secret in the result.
pub fn redact_file(text: &str, options: &RedactOptions) -> Result<Redacted, Leak> {
    let redacted = redact(text, options);
    redacted.check(&redacted.text)?;
    Ok(redacted)
}

/// Opens a link: the shared input and its diagnosis, with a note for findings whose evidence
/// was redacted or whose entries were left out.
pub fn open(link: &str) -> Result<(Shared, Report), String> {
    let shared = decode_link(link).map_err(|e| e.to_string())?;
    let options = crate::Options {
        format: shared.format.as_deref().and_then(Format::from_name),
        reference_time: shared.reference_time,
    };
    let mut report = crate::diagnose(&shared.text, &options)
        .map_err(|e| format!("the shared input cannot be read: {e}"))?;
    note_redacted_findings(&mut report, &shared);
    Ok((shared, report))
}

/// The findings that explain, in an opened link's report, why a finding the sharer saw is
/// missing: its evidence was redacted, or it needs entries that were not shared.
pub fn note_redacted_findings(report: &mut Report, shared: &Shared) {
    let now: Vec<&str> = report.finding_ids();
    // Only IDs httpdx knows: a crafted link cannot put words of its own in a title.
    let known = |id: &str| crate::rules::RULES.iter().any(|r| r.meta().id == id);
    let missing: Vec<&str> = shared
        .finding_ids
        .iter()
        .map(String::as_str)
        .filter(|id| !now.contains(id) && known(id))
        .collect();
    let (left_out, redacted): (Vec<&str>, Vec<&str>) = missing
        .into_iter()
        .partition(|id| shared.left_out_ids.iter().any(|l| l == id));
    if !redacted.is_empty() {
        report.findings.push(ShareEvidenceRedacted::finding(
            &redacted,
            &shared.finding_ids,
        ));
    }
    if let (false, Some(entries)) = (left_out.is_empty(), &shared.entries) {
        report
            .findings
            .push(ShareEntriesLeftOut::finding(&left_out, entries));
    }
}

/// One distinct secret the preview lists: what it is, a masked glimpse of it, and the
/// original text (only in the sharer's own browser) so the person can choose to keep it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PreviewRedaction {
    pub kind: String,
    pub masked: String,
    pub original: String,
}

/// Everything the page shows before anything is shared (docs/protocol.md, `shared`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Preview {
    /// The link, when it could be made (no secret left, not too long).
    pub link: Option<String>,
    pub link_chars: usize,
    /// Above [`LINK_WARN_CHARS`]: chat tools and trackers may cut the link.
    pub long: bool,
    pub markdown: Option<String>,
    /// Why the link (or the Markdown) was withheld.
    pub error: Option<String>,
    /// One row per distinct secret.
    pub redactions: Vec<PreviewRedaction>,
    /// What travels, redacted, cut to [`PREVIEW_TEXT`] bytes, with each replacement's range.
    pub text: String,
    pub marks: Vec<crate::model::Span>,
    pub text_total: usize,
    /// Texts asked for with "Redact more" that occur nowhere.
    pub not_found: Vec<String>,
    /// What stays on purpose: JWT claims (unless hidden) and Basic user names.
    pub keeps_claims: bool,
    pub keeps_users: bool,
}

crate::report::object::deserialize_object!(PreviewRedaction {
    kind: required,
    masked: required,
    original: required
});
crate::report::object::deserialize_object!(Preview {
    link: default,
    link_chars: required,
    long: required,
    markdown: default,
    error: default,
    redactions: required,
    text: required,
    marks: required,
    text_total: required,
    not_found: required,
    keeps_claims: required,
    keeps_users: required,
});

/// How much of the redacted text a preview carries.
pub const PREVIEW_TEXT: usize = 64 * 1024;

/// The preview of sharing `exchanges` of `text` (all of it when `None`) under `base`.
pub fn preview(
    text: &str,
    report: &Report,
    exchanges: Option<&[usize]>,
    options: &RedactOptions,
    base: &str,
) -> Result<Preview, ShareError> {
    let draft = Draft::new(text, report, exchanges, options)?;
    let (link, error) = match draft.link(base) {
        Ok(url) => (Some(url), None),
        Err(e) => (None, Some(e.to_string())),
    };
    let link_chars = link.as_ref().map_or(0, |l| {
        l.len() - base.split('#').next().unwrap_or(base).len()
    });
    let markdown = draft.markdown().ok();
    let mut seen = std::collections::HashSet::new();
    let redactions = draft
        .redacted
        .redactions
        .iter()
        .filter(|r| seen.insert((r.kind.as_str(), r.original.as_str())))
        .map(|r| PreviewRedaction {
            kind: r.kind.clone(),
            masked: crate::knowledge::secrets::mask_credential(&r.original),
            original: r.original.clone(),
        })
        .collect();
    let shown = draft.redacted.text.floor_char_boundary(PREVIEW_TEXT);
    let marks = draft
        .redacted
        .redactions
        .iter()
        .map(|r| r.span)
        .take_while(|s| s.end <= shown)
        .collect();
    // A JWT loses only its signature (its claims stay unless hidden); Basic keeps its user.
    let jwt = draft
        .redacted
        .redactions
        .iter()
        .any(|r| r.kind.starts_with("JWT signature"));
    Ok(Preview {
        link,
        link_chars,
        long: link_chars > LINK_WARN_CHARS,
        markdown,
        error,
        redactions,
        text: draft.redacted.text[..shown].to_owned(),
        marks,
        text_total: draft.redacted.text.len(),
        not_found: draft.redacted.not_found.clone(),
        keeps_claims: jwt && !options.redact_claims,
        keeps_users: draft
            .redacted
            .redactions
            .iter()
            .any(|r| r.kind.ends_with("the user name stays)") || r.kind.starts_with("password in")),
    })
}
