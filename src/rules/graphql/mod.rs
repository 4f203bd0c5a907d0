//! The `graphql.*` findings, and how a GraphQL response is read: the `errors` of the spec
//! (message, `locations`, `path`, `extensions.code`) as Apollo, Strawberry, graphql-java,
//! Hasura and GitHub write them.

pub(super) mod errors;
pub(super) mod query_invalid;

use serde_json::Value;

use crate::knowledge::text::{self, Needles};
use crate::knowledge::url;
use crate::report::{Evidence, input};
use crate::rules::{Cx, Side};

pub(crate) struct GraphqlError {
    pub message: String,
    /// `books.1.stock`
    pub path: Option<String>,
    /// `line 1, column 20`
    pub location: Option<String>,
    /// `extensions.code` (Apollo, Hasura), or GitHub's `type`.
    pub code: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Data {
    /// No `data` member: the request failed before execution (parse, validation).
    Absent,
    /// `"data": null`: nothing was resolved.
    Null,
    /// Some fields resolved, the ones named by `path` did not.
    Partial,
}

pub(crate) struct GraphqlResponse {
    pub errors: Vec<GraphqlError>,
    pub data: Data,
}

/// Whether the request was a GraphQL operation: a JSON body with a `query` string, or a
/// `/graphql` endpoint.
fn request_is_graphql(cx: &Cx) -> bool {
    let Some(request) = cx.request() else {
        return false;
    };
    if url::path_of(&request.url)
        .to_ascii_lowercase()
        .contains("graphql")
    {
        return true;
    }
    request.body.as_ref().is_some_and(|b| {
        serde_json::from_str::<Value>(b.text.trim())
            .ok()
            .is_some_and(|v| v.get("query").is_some_and(Value::is_string))
    })
}

/// The member a GraphQL response with errors has.
static ERRORS_MEMBER: Needles = Needles::new(&["\"errors\""]);

/// The response read as GraphQL's, when it is one with `errors`.
pub(crate) fn read(cx: &Cx) -> Option<GraphqlResponse> {
    let response = cx.response()?;
    if !ERRORS_MEMBER.any_in(response.body_text()) {
        return None;
    }
    let object = cx.response_json()?.as_object()?;
    let items = object.get("errors")?.as_array()?;
    if items.is_empty() {
        return None;
    }
    let data = match object.get("data") {
        None => Data::Absent,
        Some(Value::Null) => Data::Null,
        // `{"repository": null}`: every field asked for failed.
        Some(Value::Object(fields)) if fields.values().all(Value::is_null) => Data::Null,
        Some(_) => Data::Partial,
    };
    let mut errors = Vec::new();
    let mut shaped = object.contains_key("data");
    for item in items {
        let item = item.as_object()?;
        let message = item.get("message")?.as_str()?.to_owned();
        let path = item.get("path").and_then(Value::as_array).map(|p| {
            p.iter()
                .map(|s| match s {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(".")
        });
        let location = item
            .get("locations")
            .and_then(Value::as_array)
            .and_then(|l| l.first())
            .and_then(|l| {
                Some(format!(
                    "line {}, column {}",
                    l.get("line")?,
                    l.get("column")?
                ))
            });
        let extensions = item.get("extensions").and_then(Value::as_object);
        let code = extensions
            .and_then(|e| e.get("code"))
            .or_else(|| item.get("type"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        shaped |= path.is_some() || location.is_some() || extensions.is_some();
        errors.push(GraphqlError {
            message,
            path,
            location,
            code,
        });
    }
    // `{"errors": [{"message": …}]}` alone is also a REST shape (Twitter's v1): only a
    // GraphQL shape or a GraphQL request makes it GraphQL's.
    (shaped || request_is_graphql(cx)).then_some(GraphqlResponse { errors, data })
}

/// Where an error's message is written in the body.
pub(super) fn message_evidence(cx: &Cx, message: &str) -> Option<Evidence> {
    let body = cx.response()?.body.as_ref()?;
    let encoded = serde_json::to_string(message).ok()?;
    let (start, end) = if let Some(at) = body.text.find(&encoded) {
        (at, at + encoded.len())
    } else {
        let at = body.text.find("\"errors\"")?;
        (at, body.text.len().min(at + 200))
    };
    // From `"message":` when it is just before.
    let start = body.text[..start]
        .rfind("\"message\"")
        .filter(|m| start - m < 16)
        .unwrap_or(start);
    Some(cx.body_evidence(Side::Response, body, start, end))
}

/// One error in words: `message (at books.1.stock, line 1, column 20, code X)`.
pub(super) fn describe(error: &GraphqlError) -> String {
    let mut parts = Vec::new();
    if let Some(path) = &error.path {
        parts.push(format!("path {}", input(path)));
    }
    if let Some(location) = &error.location {
        parts.push(location.clone());
    }
    if let Some(code) = &error.code {
        parts.push(format!("code {}", input(code)));
    }
    let message = input(&text::clip(&error.message, 200));
    if parts.is_empty() {
        message
    } else {
        format!("{message} ({})", parts.join(", "))
    }
}
