//! Sharing a diagnosis: redaction of everything secret, a compact versioned link that
//! carries the redacted input in the URL fragment, and the diagnosis as Markdown. The page
//! and the CLI use these same functions.

mod codec;
mod markdown;
mod redact;

pub use codec::{LinkError, MAX_LINK_CHARS, MAX_SHARED_BYTES, Shared, decode_link, encode_link};
pub use markdown::markdown;
pub use redact::{RedactOptions, Redacted, Redaction, redact};

use crate::report::Report;

/// Builds what a link carries for `text`: the redacted input (for a HAR, only `exchanges`,
/// with long bodies trimmed), the reference time and the IDs the sharer saw.
pub fn prepare(
    text: &str,
    report: &Report,
    exchanges: Option<&[usize]>,
    options: &RedactOptions,
) -> (Shared, Redacted) {
    let selected = match (report.format, exchanges) {
        (crate::input::Format::Har, Some(indexes)) => redact::select_har_entries(text, indexes),
        (crate::input::Format::Har, None) => {
            redact::select_har_entries(text, &(0..report.exchanges.len()).collect::<Vec<_>>())
        }
        _ => text.to_owned(),
    };
    let redacted = redact(&selected, options);
    let mut ids: Vec<String> = report
        .finding_ids()
        .into_iter()
        .map(str::to_owned)
        .collect();
    if let Some(indexes) = exchanges {
        // Only the findings of the exchanges that travel.
        ids = report
            .findings
            .iter()
            .chain(
                report
                    .exchanges
                    .iter()
                    .filter(|e| indexes.contains(&e.index))
                    .flat_map(|e| e.findings.iter()),
            )
            .map(|f| f.id.to_owned())
            .collect();
        ids.dedup();
    }
    let shared = Shared {
        text: redacted.text.clone(),
        format: Some(report.format.name().to_owned()),
        reference_time: report.reference_time,
        finding_ids: ids,
    };
    (shared, redacted)
}

/// The finding that explains, in an opened link's report, why a finding the sharer saw is
/// missing: its evidence was redacted before the link was made.
pub fn note_redacted_findings(report: &mut Report, shared: &Shared) {
    let now: Vec<&str> = report.finding_ids();
    let missing: Vec<&str> = shared
        .finding_ids
        .iter()
        .map(String::as_str)
        .filter(|id| !now.contains(id))
        .collect();
    if missing.is_empty() {
        return;
    }
    report
        .findings
        .push(crate::rules::ShareEvidenceRedacted::finding(
            &missing,
            &shared.finding_ids,
        ));
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
) -> Result<Link, crate::InputError> {
    let report = crate::diagnose(text, options)?;
    let (shared, redacted) = prepare(text, &report, exchanges, redact_options);
    Ok(Link {
        url: encode_link(base, &shared),
        shared,
        redacted,
    })
}

/// Opens a link: the shared input and its diagnosis, with a note for findings whose evidence
/// was redacted.
pub fn open(link: &str) -> Result<(Shared, Report), String> {
    let shared = decode_link(link).map_err(|e| e.to_string())?;
    let options = crate::Options {
        format: shared
            .format
            .as_deref()
            .and_then(crate::input::Format::from_name),
        reference_time: shared.reference_time,
    };
    let mut report = crate::diagnose(&shared.text, &options)
        .map_err(|e| format!("the shared input cannot be read: {e}"))?;
    note_redacted_findings(&mut report, &shared);
    Ok((shared, report))
}

/// The diagnosis of `text` as Markdown, computed on the redacted input.
pub fn markdown_for(
    text: &str,
    options: &crate::Options,
    redact_options: &RedactOptions,
) -> Result<String, crate::InputError> {
    let redacted = redact(text, redact_options);
    Ok(markdown(&crate::diagnose(&redacted.text, options)?))
}
