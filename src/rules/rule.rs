//! What a rule is: its metadata, declared once by [`rule!`], and the checks it runs.

use crate::report::{Evidence, Finding, Fix, Severity, Text};
use crate::rules::{CaptureCx, Cx};

/// A rule's authored text as segments, parsed once per thread: a large capture makes
/// thousands of findings from the same few texts.
fn authored(text: &'static str) -> Text {
    thread_local! {
        static PARSED: crate::knowledge::memo::Answers<Text> =
            crate::knowledge::memo::Answers::default();
    }
    crate::knowledge::memo::remember(&PARSED, text, || Text::from(text))
}

/// What every rule declares about itself, once.
#[derive(Debug)]
pub struct RuleMeta {
    /// The stable finding ID (public API, never renamed).
    pub id: &'static str,
    pub severity: Severity,
    /// The generic title; findings carry a title written for the input.
    pub title: &'static str,
    pub reference: Option<&'static str>,
    /// The rule's documentation: its doc comment.
    pub doc: &'static str,
    /// Fixtures under `tests/fixtures/` on which the rule must fire.
    pub fixtures: &'static [&'static str],
    /// Findings this one names the cause of, when both fire on one exchange: a more general
    /// finding that says the same thing less precisely (`auth.token-expired` restates
    /// `auth.token-rejected`). The report shows them as one card, led by this one.
    pub restates: &'static [&'static str],
    /// Why this happens, in general; a finding may say it for its input instead.
    pub explanation: &'static str,
    /// What to do about it, in general: as the caller, and as the API's owner.
    pub fix_caller: Option<&'static str>,
    pub fix_owner: Option<&'static str>,
    /// The file that declares the rule, so a test can check it is named after the ID.
    pub source: &'static str,
}

impl RuleMeta {
    /// A finding of this rule with a title written for the input, the evidence it rests on
    /// (a finding never stands without), and the declared explanation and fixes.
    pub fn finding(&'static self, title: impl Into<String>, evidence: Evidence) -> Finding {
        let mut title: String = title.into();
        if let Some(first) = title.chars().next().filter(|c| c.is_lowercase()) {
            title.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
        }
        let mut finding = Finding::new(self.id, self.severity, title, evidence, self.reference);
        finding.explanation = authored(self.explanation);
        finding.fix = Fix {
            caller: self.fix_caller.map(authored),
            owner: self.fix_owner.map(authored),
        };
        finding
    }

    /// The rule's documentation page: what it means, why it happens, the fixes, the
    /// fixtures it fires on and its reference.
    pub fn markdown(&self) -> String {
        use crate::share::markdown_text as text;
        let words = |source: &str| text(&Text::from(source));
        let mut out = format!(
            "## `{}`\n\n*{}* — {}\n\n",
            self.id,
            self.severity.as_str(),
            words(self.title)
        );
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out.push_str(&format!("\n**Why.** {}\n", words(self.explanation)));
        if let Some(caller) = self.fix_caller {
            out.push_str(&format!("\n**Fix, as the caller.** {}\n", words(caller)));
        }
        if let Some(owner) = self.fix_owner {
            out.push_str(&format!("\n**Fix, as the API owner.** {}\n", words(owner)));
        }
        if !self.restates.is_empty() {
            let restated: Vec<String> = self.restates.iter().map(|id| format!("`{id}`")).collect();
            out.push_str(&format!(
                "\nNames the cause of {}: when both fire on one exchange, they are shown as one card led by this one.\n",
                crate::knowledge::text::join_words(&restated)
            ));
        }
        let fixtures: Vec<String> = self.fixtures.iter().map(|f| format!("`{f}`")).collect();
        out.push_str(&format!(
            "\nSeen in: {}\n",
            crate::knowledge::text::join_words(&fixtures)
        ));
        if let Some(reference) = self.reference {
            out.push_str(&format!("\nReference: <{reference}>\n"));
        }
        out
    }

    /// A finding resting on `evidence`, or none when there is none to quote.
    pub fn finding_from(
        &'static self,
        title: impl Into<String>,
        evidence: impl IntoIterator<Item = Evidence>,
    ) -> Option<Finding> {
        let mut evidence = evidence.into_iter();
        let first = evidence.next()?;
        Some(self.finding(title, first).with_all_evidence(evidence))
    }
}

/// Declares a rule: a unit struct carrying its doc comment, its metadata and the texts every
/// finding of it starts from.
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            id: $id:literal,
            severity: $severity:ident,
            title: $title:literal,
            reference: $reference:expr,
            fixtures: [$($fixture:literal),* $(,)?],
            $(restates: [$($restated:literal),* $(,)?],)?
            explanation: $explanation:literal,
            fix: { $(caller: $caller:literal,)? $(owner: $owner:literal,)? } $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub(crate) struct $name;

        impl $name {
            pub(crate) fn meta(&self) -> &'static $crate::rules::RuleMeta {
                static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                    id: $id,
                    severity: $crate::report::Severity::$severity,
                    title: $title,
                    reference: $reference,
                    // The page never shows rule docs: keep them out of the wasm.
                    doc: if cfg!(target_arch = "wasm32") { "" } else { concat!($($doc, "\n"),*) },
                    fixtures: &[$($fixture),*],
                    restates: &[$($($restated),*)?],
                    explanation: $explanation,
                    fix_caller: rule!(@option $($caller)?),
                    fix_owner: rule!(@option $($owner)?),
                    source: file!(),
                };
                &META
            }
        }

        impl $crate::rules::Described for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                $name::meta(self)
            }
        }
    };
    (@option) => { None };
    (@option $text:literal) => { Some($text) };
}

pub trait Described {
    fn meta(&self) -> &'static RuleMeta;
}

/// A rule looks at one exchange (with the others in view), or at the capture as a whole.
pub trait Rule: Described + Sync {
    fn check_exchange(&self, _cx: &Cx, _out: &mut Vec<Finding>) {}
    fn check_capture(&self, _cx: &CaptureCx, _out: &mut Vec<Finding>) {}
    /// Whether the capture check scans the whole input rather than reading the exchanges:
    /// it then runs after the exchanges a first screen shows are checked (step by step,
    /// once every exchange is; in a whole diagnosis, beside their checks, on a thread of its
    /// own natively), so that a large capture's first screen does not wait for a pass over
    /// every byte. It must not read the exchanges' findings. Its findings take the same
    /// place in the report as if it had run first.
    fn checks_capture_last(&self) -> bool {
        false
    }
}
