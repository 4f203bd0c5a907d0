//! The report: what the engine says about an input. Its JSON form is public API.

use serde::{Deserialize, Deserializer, Serialize};

use crate::input::Format;
pub use crate::knowledge::status::{StatusExplanation, StatusRef};
use crate::model::{Exchange, Request, Response, Span, TransportError};

pub(crate) mod object;
mod text;
pub use text::{Segment, SegmentKind, Text, emphasis, input};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The cause of the failure.
    Error,
    /// A likely contributor, or a defect worth fixing.
    Warning,
    /// Context.
    Info,
}

crate::names::deserialize_by_name!(Severity, CardGroup, BadgeKind, RootFailureKind);

// Read from JSON objects by [`object::deserialize_object!`] (a field added to one of these
// structs is listed here too: `default` when it is an `Option` or marked `#[serde(default)]`).
object::deserialize_object!(Evidence {
    location: required,
    quote: required,
    span: default
});
object::deserialize_object!(Fix {
    caller: default,
    owner: default
});
object::deserialize_object!(Finding {
    id: required via intern,
    severity: required,
    title: required,
    evidence: required,
    explanation: required,
    fix: required,
    reference: default via |reference: Option<String>| reference.map(intern),
} skip { edits });
object::deserialize_object!(Summary {
    outcome: required,
    meaning: required,
    likely_cause: default
});
object::deserialize_object!(ExchangeReport {
    index: required,
    request: default,
    response: default,
    transport_error: default,
    timings: default,
    page_origin: default,
    notes: default,
    failed: required,
    summary: default,
    findings: required,
    status_explanation: default,
    span: default,
    entry: default,
    cards: default,
    fixed_request: default,
    tokens: default,
});
object::deserialize_object!(Card {
    group: required,
    severity: required,
    findings: required,
    evidence: required
});
object::deserialize_object!(DecodedToken {
    location: required,
    span: default,
    header: required,
    claims: required,
    times: default,
    badges: default,
    used_by: default,
});
object::deserialize_object!(TokenTime {
    claim: required,
    at: required,
    utc: required,
    relative: default
});
object::deserialize_object!(TokenBadge {
    kind: required,
    text: required
});
object::deserialize_object!(ClaimUse {
    finding: required,
    claim: required
});
object::deserialize_object!(RootFailure {
    root: required,
    consequences: required,
    kind: required,
    summary: required
});

impl crate::names::Named for Severity {
    const ALL: &'static [Self] = &[Severity::Error, Severity::Warning, Severity::Info];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A quotation from the input that a finding rests on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// Where it was found, in words: `response header`, `request body, line 3` …
    pub location: String,
    /// The quoted text.
    pub quote: String,
    /// Byte range of the quote in the input, when the quote was copied verbatim from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

impl Evidence {
    pub fn new(location: impl Into<String>, quote: impl Into<String>, span: Option<Span>) -> Self {
        Evidence {
            location: location.into(),
            quote: quote.into(),
            span,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Fix {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caller: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: StaticStr,
    pub severity: Severity,
    pub title: Text,
    /// Never empty: a finding is built from the evidence it rests on ([`Finding::new`]).
    evidence: Vec<Evidence>,
    pub explanation: Text,
    pub fix: Fix,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<StaticStr>,
    /// The mechanical change to the request that applies the fix, when there is one: the
    /// engine turns it into the exchange's [`ExchangeReport::fixed_request`].
    #[serde(skip)]
    pub edits: Vec<crate::fix::RequestEdit>,
}

/// `&'static str` by another name: serde borrows fields spelled `&str` from the input, and
/// these are interned instead when read back.
pub type StaticStr = &'static str;

impl Finding {
    /// A finding resting on `evidence`: there is no finding without evidence.
    pub fn new(
        id: &'static str,
        severity: Severity,
        title: impl Into<Text>,
        evidence: Evidence,
        reference: Option<&'static str>,
    ) -> Self {
        Finding {
            id,
            severity,
            title: title.into(),
            evidence: vec![evidence],
            explanation: Text::default(),
            fix: Fix::default(),
            reference,
            edits: Vec::new(),
        }
    }

    /// What the finding rests on, quoted from the input; never empty.
    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }

    /// Drops repeats of the same quotation.
    pub fn dedup_evidence(&mut self) {
        self.evidence.dedup();
    }

    #[must_use]
    pub fn with_evidence(mut self, evidence: Evidence) -> Self {
        self.evidence.push(evidence);
        self
    }

    #[must_use]
    pub fn with_all_evidence(mut self, evidence: impl IntoIterator<Item = Evidence>) -> Self {
        self.evidence.extend(evidence);
        self
    }

    #[must_use]
    pub fn explain(mut self, explanation: impl Into<Text>) -> Self {
        self.explanation = explanation.into();
        self
    }

    #[must_use]
    pub fn caller_fix(mut self, fix: impl Into<Text>) -> Self {
        self.fix.caller = Some(fix.into());
        self
    }

    #[must_use]
    pub fn owner_fix(mut self, fix: impl Into<Text>) -> Self {
        self.fix.owner = Some(fix.into());
        self
    }

    /// Declares the mechanical edit of the request that applies this finding's fix.
    #[must_use]
    pub fn edit(mut self, edit: crate::fix::RequestEdit) -> Self {
        self.edits.push(edit);
        self
    }

    #[must_use]
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}

/// One line that sums an exchange up for a reader in a hurry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// `401 Unauthorized`, `connection refused`, `blocked by CORS` …
    pub outcome: String,
    /// The outcome's meaning in one sentence.
    pub meaning: Text,
    /// The title of the most severe finding, if any fired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub likely_cause: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeReport {
    pub index: usize,
    pub request: Option<Request>,
    pub response: Option<Response>,
    pub transport_error: Option<TransportError>,
    // The parts of the exchange that are neither request nor response. (Fields, not a
    // flattened struct: `#[serde(flatten)]` made the page's wasm 3 KB gzipped heavier.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timings: Option<crate::model::Timings>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_origin: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<crate::model::Note>,
    /// True when the exchange failed (status >= 400, no response, or a finding of severity
    /// error): the page lists these first.
    pub failed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Summary>,
    pub findings: Vec<Finding>,
    /// What the status means, how to debug and fix it; for every status >= 400. Its texts
    /// travel with the report: a reader of it (the page) holds no table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_explanation: Option<StatusRef>,
    /// Where the exchange sits in the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// For a HAR, the entry's position in `log.entries` of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    /// How to show `findings`: one card per cause, the verdict first (see [`Card`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cards: Vec<Card>,
    /// The request with the findings' mechanical fixes made, as `curl` and `fetch`, when
    /// a finding has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed_request: Option<crate::fix::FixedRequest>,
    /// Every JWT the exchange carries, decoded (never its signature).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tokens: Vec<DecodedToken>,
}

/// One cause, as the page, the terminal and the Markdown show it: the finding that names it,
/// the findings that restate it less precisely, and the evidence of all of them, each
/// quotation once. Computed by the engine so that every reader groups the same way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Card {
    pub group: CardGroup,
    /// The most severe of its findings.
    pub severity: Severity,
    /// Indices into the exchange's `findings`: the first leads the card (title, explanation,
    /// fixes); the others restate it (title and evidence).
    pub findings: Vec<usize>,
    /// The evidence to quote, as `[finding, evidence]` indices, each quotation once in the
    /// exchange: a header the verdict quoted is not quoted again by the cards after it.
    pub evidence: Vec<[usize; 2]>,
}

/// Where a card goes in an exchange's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardGroup {
    /// The first card of a failure: its cause and fix, shown first and open.
    Verdict,
    /// Another error of the same exchange.
    Error,
    /// A warning: something that contributed or will fail next.
    Contributing,
    /// Information: who answered, the request ID; folded away by the page.
    Context,
}

impl crate::names::Named for CardGroup {
    const ALL: &'static [Self] = &[
        CardGroup::Verdict,
        CardGroup::Error,
        CardGroup::Contributing,
        CardGroup::Context,
    ];
    fn name(self) -> &'static str {
        match self {
            CardGroup::Verdict => "verdict",
            CardGroup::Error => "error",
            CardGroup::Contributing => "contributing",
            CardGroup::Context => "context",
        }
    }
}

/// A JWT found in an exchange, decoded without verifying it: what the server read.
/// The signature is never kept: it is part of the credential and says nothing a person needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecodedToken {
    /// Where it was, in words: `request header Authorization`, `response body access_token` …
    pub location: String,
    /// The token's place in the input, when it stands there verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The JOSE header: `alg`, `typ`, `kid` …
    pub header: crate::json_object::JsonObject,
    /// The claims, as the token carries them.
    pub claims: crate::json_object::JsonObject,
    /// `exp`, `nbf` and `iat`, in UTC and in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub times: Vec<TokenTime>,
    /// What is wrong with the token at the moment it was used, in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub badges: Vec<TokenBadge>,
    /// Which finding read which claim of this token.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub used_by: Vec<ClaimUse>,
}

/// A time claim of a token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenTime {
    /// `exp`, `nbf` or `iat`.
    pub claim: String,
    /// Seconds since the epoch, as the claim says.
    pub at: i64,
    /// `2026-11-25 14:02:11 UTC`.
    pub utc: String,
    /// Against the moment of the response: `expired 2 h 14 min before this response`.
    /// Absent when the input does not say when the exchange happened and no reference time
    /// was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BadgeKind {
    /// `exp` lies before the moment of the response.
    Expired,
    /// `nbf` (or `iat`, beyond a minute of clock skew) lies after it.
    NotYetValid,
    /// The audience does not fit: a finding read `aud`, or the server said so.
    AudienceMismatch,
    /// `alg: none`: the token is not signed.
    Unsigned,
}

impl crate::names::Named for BadgeKind {
    const ALL: &'static [Self] = &[
        BadgeKind::Expired,
        BadgeKind::NotYetValid,
        BadgeKind::AudienceMismatch,
        BadgeKind::Unsigned,
    ];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl BadgeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BadgeKind::Expired => "expired",
            BadgeKind::NotYetValid => "not-yet-valid",
            BadgeKind::AudienceMismatch => "audience-mismatch",
            BadgeKind::Unsigned => "unsigned",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenBadge {
    pub kind: BadgeKind,
    /// The badge's words: `expired`, `not valid yet`, `audience rejected` …
    pub text: String,
}

/// A finding that read a claim of the token.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimUse {
    /// The finding's ID.
    pub finding: String,
    /// The claim it read: `exp`, `aud`, `scope` …
    pub claim: String,
}

/// A card as a reader renders it: the findings and quotations its indices point to.
pub struct CardParts<'a> {
    pub group: CardGroup,
    pub severity: Severity,
    pub lead: &'a Finding,
    pub restated: Vec<&'a Finding>,
    pub quotes: Vec<&'a Evidence>,
}

impl ExchangeReport {
    /// The cards with their findings resolved; for a report read back without `cards` (an
    /// older producer), laid out now.
    pub fn card_parts(&self) -> Vec<CardParts<'_>> {
        let computed;
        let cards = if self.cards.is_empty() && !self.findings.is_empty() {
            computed = crate::rules::cards::layout(&self.findings);
            &computed
        } else {
            &self.cards
        };
        cards
            .iter()
            .filter_map(|card| {
                let lead = self.findings.get(*card.findings.first()?)?;
                Some(CardParts {
                    group: card.group,
                    severity: card.severity,
                    lead,
                    restated: card.findings[1..]
                        .iter()
                        .filter_map(|&f| self.findings.get(f))
                        .collect(),
                    quotes: card
                        .evidence
                        .iter()
                        .filter_map(|&[f, e]| self.findings.get(f)?.evidence().get(e))
                        .collect(),
                })
            })
            .collect()
    }

    /// Cuts this exchange's bodies longer than `limit` bytes (see [`Report::cut_bodies`]).
    pub fn cut_bodies(&mut self, limit: usize) {
        let request = self.request.as_mut().and_then(|r| r.body.as_mut());
        let response = self.response.as_mut().and_then(|r| r.body.as_mut());
        for body in request.into_iter().chain(response) {
            body.cut(limit);
        }
    }

    pub fn new(index: usize, exchange: Exchange) -> Self {
        ExchangeReport {
            index,
            request: exchange.request,
            response: exchange.response,
            transport_error: exchange.transport_error,
            timings: exchange.timings,
            page_origin: exchange.page_origin,
            notes: exchange.notes,
            failed: false,
            summary: None,
            findings: Vec::new(),
            status_explanation: None,
            span: exchange.span,
            entry: exchange.entry,
            cards: Vec::new(),
            fixed_request: None,
            tokens: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// `httpdx.report/2`: the shape's name and major version (docs/protocol.md).
    #[serde(default)]
    pub schema: Schema,
    pub format: Format,
    /// Why the input was read as `format`, in words (`curl -v output: a \`< HTTP/…\` status
    /// line, …; set aside Markdown code fences`).
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub detected_by: Text,
    /// The reference time the time-dependent rules used when a response had no Date
    /// (seconds since the Unix epoch), so a shared link can reproduce them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_time: Option<i64>,
    /// Input-level and cross-exchange findings.
    pub findings: Vec<Finding>,
    /// The first failure of the capture that explains later ones (`capture.failure-cascade`):
    /// readers should lead with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_failure: Option<RootFailure>,
    pub exchanges: Vec<ExchangeReport>,
}

/// One failure that explains the failures after it: a failed token refresh and the 401s
/// that followed, a failed dependency and the errors that quote it, a CORS block repeated
/// for every call to the same origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootFailure {
    /// The `index` of the exchange that failed first.
    pub root: usize,
    /// The `index` of each later failure it explains, in order.
    pub consequences: Vec<usize>,
    pub kind: RootFailureKind,
    /// The cascade in one sentence, for a heading.
    pub summary: Text,
}

/// How the root failure explains its consequences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RootFailureKind {
    /// A token, refresh or login call failed; the calls after it got 401.
    Auth,
    /// A dependency failed; the errors after it quote it.
    Dependency,
    /// The browser blocked a cross-origin call; the later calls to that origin likewise.
    Cors,
}

impl crate::names::Named for RootFailureKind {
    const ALL: &'static [Self] = &[
        RootFailureKind::Auth,
        RootFailureKind::Dependency,
        RootFailureKind::Cors,
    ];
    fn name(self) -> &'static str {
        match self {
            RootFailureKind::Auth => "auth",
            RootFailureKind::Dependency => "dependency",
            RootFailureKind::Cors => "cors",
        }
    }
}

/// The report's schema name and major version, written into every report; reading one of
/// another major version fails.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Schema;

impl Schema {
    pub const NAME: &'static str = "httpdx.report/2";
}

impl Serialize for Schema {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(Self::NAME)
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        if name == Self::NAME {
            Ok(Schema)
        } else {
            Err(serde::de::Error::custom(format!(
                "a report of schema `{name}`, not `{}`",
                Self::NAME
            )))
        }
    }
}

/// The most of a body `--json`, details and previews carry (docs/protocol.md).
pub const BODY_LIMIT: usize = 64 * 1024;

impl Report {
    /// Cuts every body longer than `limit` bytes (on a character boundary) and records what
    /// was kept in its `truncated` field.
    pub fn cut_bodies(&mut self, limit: usize) {
        for exchange in &mut self.exchanges {
            exchange.cut_bodies(limit);
        }
    }

    /// Every finding ID in the report, input-level first, in order, without repeats.
    pub fn finding_ids(&self) -> Vec<&'static str> {
        let mut ids: Vec<&'static str> = Vec::new();
        let all = self
            .findings
            .iter()
            .chain(self.exchanges.iter().flat_map(|e| e.findings.iter()));
        for finding in all {
            if !ids.contains(&finding.id) {
                ids.push(finding.id);
            }
        }
        ids
    }
}

/// Reports read back (from a Web Worker) keep `&'static str` IDs and references: each
/// distinct string is stored once for the life of the program.
fn intern(text: String) -> &'static str {
    use std::sync::Mutex;
    // A list, not a hash set: a report names a few dozen distinct IDs, and the page's wasm
    // does not need a hasher for them.
    static STRINGS: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut strings = STRINGS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(known) = strings.iter().find(|known| **known == text) {
        return known;
    }
    let leaked: &'static str = Box::leak(text.into_boxed_str());
    strings.push(leaked);
    leaked
}

/// A large capture's report holds about a million allocations (a 52 MB HAR's: headers,
/// bodies, findings' words): freed one after another they were a sixth of a diagnosis'
/// time natively, on one core while the other idled. Its exchanges are freed on every core.
impl Drop for Report {
    fn drop(&mut self) {
        crate::parallel::drop_all(std::mem::take(&mut self.exchanges));
    }
}
