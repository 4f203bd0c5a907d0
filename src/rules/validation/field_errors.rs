use crate::knowledge::{frameworks, text};
use crate::report::{Finding, Severity};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// The response names the fields that failed validation. Lists each field path and
    /// message, and the shape it was read from: problem+json, FastAPI/pydantic, Django REST
    /// Framework, Rails, Laravel, Spring, ASP.NET Core, JSON:API, express-validator, Joi,
    /// NestJS, GraphQL, Google, AWS, Stripe, GitHub.
    ValidationFieldErrors {
        id: "validation.field-errors",
        severity: Error,
        title: "Fields failed validation",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-422-unprocessable-content"),
        fixtures: ["fastapi/422-missing-field.txt", "handmade/drf-400.json"],
        explanation: "The server read the request and rejected specific fields: missing, of the wrong type, or outside what it accepts. The response names each field and what is wrong with it.",
        fix: {
            caller: "Correct each listed field and resend; check the API's schema for the expected types and required fields.",
            owner: "Keep returning every field error with a machine-readable path; document the schema (OpenAPI) so callers can validate before sending.",
        },
    }
}

impl Rule for ValidationFieldErrors {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        let Some(json) = cx.response_json() else {
            return;
        };
        let problem = response
            .media_type()
            .is_some_and(|m| m == "application/problem+json");
        let Some(found) = frameworks::field_errors(json, problem) else {
            return;
        };
        let Some(body) = response.body.as_ref() else {
            return;
        };
        let listed: Vec<String> = found
            .errors
            .iter()
            .take(4)
            .map(|e| format!("{} ({})", e.path, text::clip(&e.message, 60)))
            .collect();
        let more = found.errors.len().saturating_sub(4);
        let count = found.errors.len();
        let mut title = format!(
            "{count} field{} failed validation: {}",
            if count == 1 { "" } else { "s" },
            listed.join(", ")
        );
        if more > 0 {
            title.push_str(&format!(" and {more} more"));
        }
        let mut evidence = Vec::new();
        for error in found.errors.iter().take(8) {
            let needle = if error.message.is_empty() {
                error.path.rsplit(['.', '/']).next().unwrap_or(&error.path)
            } else {
                error.message.as_str()
            };
            if let Some(at) = body
                .text
                .find(needle)
                .or_else(|| body.text.find(&format!("\"{}\"", error.path)))
            {
                evidence.push(cx.body_line_evidence(Side::Response, body, at));
            }
        }
        evidence.dedup();
        let first = if evidence.is_empty() {
            cx.body_evidence(Side::Response, body, 0, body.text.len().min(200))
        } else {
            evidence.remove(0)
        };
        let finding = self
            .meta()
            .finding(title, first)
            .with_all_evidence(evidence);
        let severity = if matches!(response.status, 400 | 422 | 0) {
            Severity::Error
        } else {
            Severity::Warning
        };
        let explanation = format!(
            "Read from the {} error shape:\n{}",
            found.shape,
            found
                .errors
                .iter()
                .map(|e| format!(
                    "- {}: {}",
                    if e.path.is_empty() { "(body)" } else { &e.path },
                    e.message
                ))
                .collect::<Vec<_>>()
                .join("\n")
        );
        out.push(finding.severity(severity).explain(explanation));
    }
}
