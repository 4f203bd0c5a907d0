//! The fixed request: where a finding's fix is mechanical, the person's own request with the
//! change made, written as a `curl` command and a `fetch(…)` call.
//!
//! A rule that knows its fix declares it on its finding as a [`RequestEdit`]
//! ([`crate::report::Finding::edit`]); [`fixed_request`] applies the edits of an exchange's
//! findings to its request ([`draft`]) and renders it ([`render`]) as typed segments, the
//! changed ones marked. Credentials never appear: each is a shell / JavaScript variable
//! (`$TOKEN`, `${TOKEN}`) the person sets first ([`secrets`]).

mod draft;
mod json_repair;
mod render;
mod secrets;

use serde::Serialize;

use crate::model::{Body, Request};
use crate::report::Finding;

pub(crate) use json_repair::repair_json;

/// A mechanical change to the request that fixes what a finding found.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestEdit {
    /// Put this scheme (`Bearer`) before the credential in Authorization.
    AuthScheme(String),
    /// Add the header, or replace its value.
    SetHeader { name: String, value: String },
    /// Use this method.
    Method(String),
    /// Call this URL (absolute, or a path on the request's origin).
    Url(String),
    /// Send this body instead (a repaired JSON body).
    Body(RepairedBody),
    /// Send the method, headers and body of this request (the one a redirect changed) to
    /// the request's URL.
    Resend(Box<Request>),
    /// Wait this many seconds before sending (Retry-After).
    Wait(u64),
}

/// A body with the pieces a repair changed, and what it changed, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct RepairedBody {
    /// The body's text in pieces: `(text, changed)`.
    pub pieces: Vec<(String, bool)>,
    /// What was repaired: `removed a trailing comma`, `single quotes → double quotes` …
    pub repairs: Vec<&'static str>,
}

impl RepairedBody {
    pub fn text(&self) -> String {
        self.pieces.iter().map(|(t, _)| t.as_str()).collect()
    }
}

/// A piece of rendered text; `changed` marks what the fix changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub changed: bool,
}

/// One change the fixed request makes, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// `Authorization: added the Bearer scheme before the token` …
    pub what: crate::report::Text,
    /// The finding whose fix this is.
    pub finding: String,
}

/// A credential left out of the fixed request: a variable the person sets first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    /// The variable's name: `TOKEN`, `PASSWORD`, `COOKIE` …
    pub name: String,
    /// What it holds, in words: `the bearer token`, `the Cookie header's value` …
    pub what: String,
}

/// The person's request with the mechanical fixes made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixedRequest {
    pub changes: Vec<Change>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placeholders: Vec<Placeholder>,
    /// The `curl` command (a shell command line, continued over lines with `\`).
    pub curl: Vec<Segment>,
    /// The `fetch(…)` call (JavaScript, for a module or the browser console).
    pub fetch: Vec<Segment>,
}

// Read from JSON objects by [`crate::report::object::deserialize_object!`] (a field added to
// one of these structs is listed here too: `default` when marked `#[serde(default)]`).
crate::report::object::deserialize_object!(Segment {
    text: required,
    changed: default
});
crate::report::object::deserialize_object!(Change {
    what: required,
    finding: required
});
crate::report::object::deserialize_object!(Placeholder {
    name: required,
    what: required
});
crate::report::object::deserialize_object!(FixedRequest {
    changes: required,
    placeholders: default,
    curl: required,
    fetch: required,
});

impl FixedRequest {
    /// The curl command as one text: what the page's Copy button copies.
    pub fn curl_text(&self) -> String {
        joined(&self.curl)
    }

    pub fn fetch_text(&self) -> String {
        joined(&self.fetch)
    }
}

/// Segments as plain text.
pub fn joined(segments: &[Segment]) -> String {
    segments.iter().map(|s| s.text.as_str()).collect()
}

/// The largest request body a fixed request carries: larger bodies are not commands to copy.
const MAX_BODY: usize = 16 * 1024;

/// The fixed request for `request`, from the edits its exchange's `findings` declare; none
/// when no finding has a mechanical fix (or the request cannot be written as a command).
pub fn fixed_request(request: Option<&Request>, findings: &[Finding]) -> Option<FixedRequest> {
    let request = request?;
    if findings.iter().all(|f| f.edits.is_empty())
        || request.url.trim().is_empty()
        || request.body.as_ref().is_some_and(too_large)
    {
        return None;
    }
    let mut draft = draft::Draft::of(request)?;
    let mut changes = Vec::new();
    for finding in findings {
        for edit in &finding.edits {
            if let Some(what) = draft.apply(edit) {
                changes.push(Change {
                    what: what.into(),
                    finding: finding.id.to_owned(),
                });
            }
        }
    }
    if changes.is_empty() {
        return None;
    }
    // The changes' words quote paths and header values a rule chose, never a credential.
    let (draft, placeholders) = secrets::hide(draft);
    Some(FixedRequest {
        changes,
        placeholders,
        curl: render::curl(&draft),
        fetch: render::fetch(&draft),
    })
}

fn too_large(body: &Body) -> bool {
    body.text.len() > MAX_BODY || body.truncated.is_some() || body.missing_bytes.is_some()
}

#[cfg(test)]
mod tests;
