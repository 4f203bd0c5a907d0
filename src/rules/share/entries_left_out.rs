use crate::report::{Evidence, Finding};
use crate::rules::Rule;
use crate::share::SharedEntries;

rule! {
    /// Added when a share link of a HAR is opened: the sharer chose some of the HAR's
    /// entries, and a finding they saw rests on entries that were left out (a burst of
    /// requests, a failure that caused later ones). It is named here, with how many entries
    /// travelled, rather than silently disappearing or being blamed on redaction. Its fixture
    /// is shared with only its first failed exchange, then opened.
    ShareEntriesLeftOut {
        id: "share.entries-left-out",
        severity: Info,
        title: "A finding of the sharer's diagnosis needs entries that were not shared",
        reference: None,
        fixtures: ["chromium/rate-limit-burst.har"],
        explanation: "A share link of a HAR carries only the entries the sharer chose. Findings about several entries at once — a burst of requests to one host, a failure that explains later ones — cannot be made again from fewer entries.",
        fix: {
            caller: "Ask the sharer for a link with all the entries involved, or for the redacted HAR file.",
        },
    }
}

/// Its findings are made by [`ShareEntriesLeftOut::finding`] when a link is opened.
impl Rule for ShareEntriesLeftOut {}

impl ShareEntriesLeftOut {
    /// The finding for an opened link that lacks `missing`, which rest on left-out entries.
    pub(crate) fn finding(missing: &[&str], entries: &SharedEntries) -> Finding {
        ShareEntriesLeftOut.meta().finding(
            format!(
                "The sharer's diagnosis also found {}, which needs entries of the HAR that were not shared",
                missing.join(", ")
            ),
            Evidence::new(
                "share link",
                format!(
                    "{} of {} entries shared (entries {})",
                    entries.kept.len(),
                    entries.total,
                    entries
                        .kept
                        .iter()
                        .map(|k| (k + 1).to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                None,
            ),
        )
    }
}
