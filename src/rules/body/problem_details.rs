use crate::knowledge::text::{self, Needles};
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// The response is an RFC 9457 problem details object (`application/problem+json`):
    /// its `type`, `title`, `detail`, `instance` and extension members are shown as the
    /// server's own account of the error.
    BodyProblemDetails {
        id: "body.problem-details",
        severity: Info,
        title: "The server described the problem (RFC 9457)",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9457"),
        fixtures: ["handmade/problem-json-422.txt"],
        explanation: "An RFC 9457 problem details body (`application/problem+json`) states the error in a standard shape: `type` identifies the kind of problem, `title` sums it up, `detail` explains this occurrence, `instance` names it, and extension members carry specifics such as invalid parameters.",
        fix: {
            caller: "Read `detail` and any extension members (such as invalid parameters) for what to change in the request.",
            owner: "Keep `type` URIs stable and documented, and put machine-readable specifics in extension members.",
        },
    }
}

/// The member every problem document has.
static TITLE_MEMBER: Needles = Needles::new(&["\"title\""]);

impl Rule for BodyProblemDetails {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        let declared = response
            .media_type()
            .is_some_and(|m| m == "application/problem+json");
        // Without the media type, the shape needs a `title` member: bodies without one are
        // not parsed (most of a large capture).
        if !declared && !TITLE_MEMBER.any_in(response.body_text()) {
            return;
        }
        let Some(serde_json::Value::Object(problem)) = cx.response_json() else {
            return;
        };
        let has_shape = problem.contains_key("title")
            && (problem.contains_key("type") || problem.contains_key("detail"))
            && problem.contains_key("status");
        if !declared && !has_shape {
            return;
        }
        let get = |k: &str| problem.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let title = get("title").map_or_else(|| "(no title)".into(), |t| input(&t));
        let headline = match get("detail") {
            Some(detail) => format!("Problem: {title} — {}", input(&text::clip(&detail, 120))),
            None => format!("Problem: {title}"),
        };
        let Some(body) = response.body.as_ref() else {
            return;
        };
        let mut members: Vec<String> = Vec::new();
        for (key, value) in problem {
            let shown = match value {
                serde_json::Value::String(s) => s.clone(),
                other => text::clip(&other.to_string(), 160),
            };
            members.push(format!("- {}: {}", input(key), input(&shown)));
        }
        let at = body.text.find("\"title\"").unwrap_or(0);
        let mut finding = self
            .meta()
            .finding(headline, cx.body_line_evidence(Side::Response, body, at));
        if let Some(ct) = response
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
        {
            finding = finding.with_evidence(cx.header_evidence(Side::Response, ct));
        }
        let kind = get("type").filter(|t| t != "about:blank").map(|t| format!(" Its type, {}, is a stable identifier for this kind of problem; if it is a URL, it may document it.", input(&t)));
        out.push(finding.explain(format!(
            "The server answered with a standard problem details object.{}\n{}",
            kind.unwrap_or_default(),
            members.join("\n")
        )));
    }
}
