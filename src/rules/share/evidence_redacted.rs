use crate::report::{Evidence, Finding};
use crate::rules::Rule;

rule! {
    /// Added when a share link is opened: the link records the finding IDs the sharer saw,
    /// and a finding that cannot be made again — because its evidence (a JWT's claims, a
    /// redacted value) was redacted before sharing — is named here instead of silently
    /// disappearing. Its fixture is shared with JWT claims hidden, then opened.
    ShareEvidenceRedacted {
        id: "share.evidence-redacted",
        severity: Info,
        title: "A finding of the sharer's diagnosis is missing from the opened link",
        reference: None,
        fixtures: ["fastapi/401-expired-jwt.txt"],
        explanation: "Redaction replaces credentials, cookies, keys and other secrets before a link is made. Where a finding rested on a redacted value (a JWT's claims, a key's value), it cannot be made again from the link.",
        fix: {
            caller: "Ask the sharer for the finding's details, or for a link made with that field kept.",
        },
    }
}

/// Its findings are made by [`ShareEvidenceRedacted::finding`] when a link is opened.
impl Rule for ShareEvidenceRedacted {}

impl ShareEvidenceRedacted {
    /// The finding for an opened link whose sharer saw `missing`, which this diagnosis lacks.
    pub(crate) fn finding(missing: &[&str], shared_ids: &[String]) -> Finding {
        ShareEvidenceRedacted.meta().finding(
            format!(
                "The sharer's diagnosis also found {}; its evidence was redacted from this link",
                missing.join(", ")
            ),
            Evidence::new(
                "share link",
                format!("findings when shared: {}", shared_ids.join(", ")),
                None,
            ),
        )
    }
}
