//! What a rule is: its metadata, declared once by [`rule!`], and the checks it runs.

use crate::report::{Finding, Fix, Severity};
use crate::rules::{CaptureCx, Cx};

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
}

impl RuleMeta {
    /// A finding of this rule with an input-specific title and no evidence yet.
    pub fn finding(&'static self, title: impl Into<String>) -> Finding {
        let mut title: String = title.into();
        if let Some(first) = title.chars().next().filter(|c| c.is_lowercase()) {
            title.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
        }
        Finding {
            id: self.id,
            severity: self.severity,
            title,
            evidence: Vec::new(),
            explanation: String::new(),
            fix: Fix::default(),
            reference: self.reference,
        }
    }
}

/// Declares a rule: a unit struct carrying its doc comment and metadata.
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            id: $id:literal,
            severity: $severity:ident,
            title: $title:literal,
            reference: $reference:expr,
            fixtures: [$($fixture:literal),* $(,)?] $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub fn meta(&self) -> &'static $crate::rules::RuleMeta {
                static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                    id: $id,
                    severity: $crate::report::Severity::$severity,
                    title: $title,
                    reference: $reference,
                    // The page never shows rule docs: keep them out of the wasm.
                    doc: if cfg!(target_arch = "wasm32") { "" } else { concat!($($doc, "\n"),*) },
                    fixtures: &[$($fixture),*],
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
}

pub trait Described {
    fn meta(&self) -> &'static RuleMeta;
}

/// A rule looks at one exchange (with the others in view), or at the capture as a whole.
pub trait Rule: Described + Sync {
    fn check_exchange(&self, _cx: &Cx, _out: &mut Vec<Finding>) {}
    fn check_capture(&self, _cx: &CaptureCx, _out: &mut Vec<Finding>) {}
}
