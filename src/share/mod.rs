//! Sharing a diagnosis: redaction of everything secret, a compact versioned link that
//! carries the redacted input in the URL fragment, and the diagnosis as Markdown. The page
//! and the CLI use these same functions.

mod codec;
mod markdown;
mod redact;

pub use codec::{decode_link, encode_link, LinkError, Shared, MAX_LINK_CHARS, MAX_SHARED_BYTES};
pub use markdown::markdown;
pub use redact::{redact, RedactOptions, Redacted, Redaction};

use crate::report::{Evidence, Finding, Report, Severity};

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

/// The documentation of the one finding made when a link is opened, not by a rule.
pub const EVIDENCE_REDACTED_DOC: &str = "## `share.evidence-redacted`\n\n*info* — A finding of the sharer's diagnosis is missing from the opened link\n\nAdded when a share link is opened: the link records the finding IDs the sharer saw, and a finding that cannot be made again — because its evidence (a JWT's claims, a redacted value) was redacted before sharing — is named here instead of silently disappearing.\n";

/// The finding that explains, in an opened link's report, why a finding the sharer saw is
/// missing: its evidence was redacted before the link was made.
pub fn note_redacted_findings(report: &mut Report, shared: &Shared) {
    let now: Vec<&str> = report.finding_ids();
    let missing: Vec<&String> = shared
        .finding_ids
        .iter()
        .filter(|id| !now.contains(&id.as_str()))
        .collect();
    if missing.is_empty() {
        return;
    }
    let list = missing
        .iter()
        .map(|id| id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    report.findings.push(Finding {
        id: "share.evidence-redacted",
        severity: Severity::Info,
        title: format!("The sharer's diagnosis also found {list}; its evidence was redacted from this link"),
        evidence: vec![Evidence::new("share link", format!("findings when shared: {}", shared.finding_ids.join(", ")), None)],
        explanation: "Redaction replaces credentials, cookies, keys and other secrets before a link is made. Where a finding rested on a redacted value (a JWT's claims, a key's value), it cannot be made again from the link.".to_owned(),
        fix: crate::report::Fix { caller: Some("Ask the sharer for the finding's details, or for a link made with that field kept.".to_owned()), owner: None },
        reference: None,
    });
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
