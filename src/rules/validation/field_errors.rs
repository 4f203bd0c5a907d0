use crate::knowledge::frameworks::FieldError;
use crate::knowledge::text;
use crate::model::{Body, HasHeaders};
use crate::report::{Evidence, Finding, Severity, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// The response names the fields that failed validation. Lists each field path and
    /// message, the API's error codes, and the shape it was read from: problem+json,
    /// FastAPI/pydantic, Django REST Framework, Rails, Laravel, Spring, ASP.NET Core,
    /// JSON:API, express-validator, Joi, NestJS, GraphQL, Google APIs (fieldViolations and
    /// the older errors[].location), AWS (`__type` or `x-amzn-ErrorType` with "at 'field'",
    /// S3's XML `ArgumentName`, the query APIs' "for parameter"), Azure/OData (`target`,
    /// `details`), Microsoft Graph, Stripe (`param`), GitHub (`errors[].field`), Twilio (the
    /// quoted parameter) and Slack (`response_metadata.messages`, even under HTTP 200).
    ValidationFieldErrors {
        id: "validation.field-errors",
        severity: Error,
        title: "Fields failed validation",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-422-unprocessable-content"),
        fixtures: [
            "fastapi/422-missing-field.txt",
            "handmade/drf-400.json",
            "vendors/google-invalid-argument.txt",
            "vendors/google-legacy-errors.txt",
            "vendors/aws-validation-exception.txt",
            "vendors/aws-s3-invalid-argument.txt",
            "vendors/aws-sqs-query-error.txt",
            "vendors/azure-arm-invalid-parameter.txt",
            "vendors/github-validation-failed.txt",
            "vendors/stripe-parameter-missing.txt",
            "vendors/twilio-invalid-to.txt",
            "vendors/slack-invalid-arguments.txt",
        ],
        explanation: "The server read the request and rejected specific fields: missing, of the wrong type, or outside what it accepts. The response names each field and what is wrong with it.",
        fix: {
            caller: "Correct each listed field and resend; check the API's schema for the expected types and required fields.",
            owner: "Keep returning every field error with a machine-readable path; document the schema (OpenAPI) so callers can validate before sending.",
        },
    }
}

/// The field's path, quoted, in words.
fn path_or_body(error: &FieldError) -> String {
    if error.path.is_empty() {
        "(body)".to_owned()
    } else {
        input(&error.path)
    }
}

/// The body line holding `needle`, in a JSON string or between XML tags.
fn line_of(cx: &Cx, body: &Body, needle: &str) -> Option<Evidence> {
    if needle.is_empty() {
        return None;
    }
    let at = body
        .text
        .find(&format!("\"{needle}\""))
        .or_else(|| body.text.find(&format!(">{needle}<")))
        .or_else(|| body.text.find(needle))?;
    Some(cx.body_line_evidence(Side::Response, body, at))
}

impl Rule for ValidationFieldErrors {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        // Field errors come with a failure status (or none known: a bare body), or in a
        // success that says it failed.
        if (1..400).contains(&response.status) && !cx.hidden_failure() {
            return;
        }
        let Some(found) = cx.error_body().filter(|e| !e.fields.is_empty()) else {
            return;
        };
        // GraphQL's `errors` with a `path` are resolver failures, told by `graphql.errors`.
        if found.shape == "GraphQL" && crate::rules::graphql::read(cx).is_some() {
            return;
        }
        let Some(body) = response.body.as_ref() else {
            return;
        };
        let listed: Vec<String> = found
            .fields
            .iter()
            .take(4)
            .map(|e| {
                format!(
                    "{} ({})",
                    path_or_body(e),
                    text::quoted(&text::clip(&e.message, 60))
                )
            })
            .collect();
        let more = found.fields.len().saturating_sub(4);
        let count = found.fields.len();
        let mut title = format!(
            "{count} field{} failed validation: {}",
            if count == 1 { "" } else { "s" },
            listed.join(", ")
        );
        if more > 0 {
            title.push_str(&format!(" and {more} more"));
        }
        let mut evidence = Vec::new();
        for error in found.fields.iter().take(8) {
            let needle = if error.message.is_empty() {
                error.path.rsplit(['.', '/']).next().unwrap_or(&error.path)
            } else {
                error.message.as_str()
            };
            if let Some(e) = body
                .text
                .find(needle)
                .filter(|_| !needle.is_empty())
                .map(|at| cx.body_line_evidence(Side::Response, body, at))
                .or_else(|| line_of(cx, body, &error.path))
            {
                evidence.push(e);
            }
        }
        // The API's codes, quoted where they stand: in the body, or in x-amzn-ErrorType.
        for code in found.codes.iter().take(3) {
            let in_body = line_of(cx, body, code);
            let in_header = || {
                response
                    .header("x-amzn-errortype")
                    .filter(|h| h.value.starts_with(code.as_str()))
                    .map(|h| cx.header_evidence(Side::Response, h))
            };
            evidence.extend(in_body.or_else(in_header));
        }
        let mut unique: Vec<Evidence> = Vec::with_capacity(evidence.len());
        for e in evidence {
            if !unique.contains(&e) {
                unique.push(e);
            }
        }
        let mut evidence = unique;
        let first = if evidence.is_empty() {
            cx.body_evidence(Side::Response, body, 0, body.text.len().min(200))
        } else {
            evidence.remove(0)
        };
        let finding = self
            .meta()
            .finding(title, first)
            .with_all_evidence(evidence);
        let severity = if matches!(response.status, 400 | 422 | 0) || cx.hidden_failure() {
            Severity::Error
        } else {
            Severity::Warning
        };
        let codes = if found.codes.is_empty() {
            String::new()
        } else {
            format!(" (code {})", input(&found.codes.join(", ")))
        };
        let mut explanation = format!(
            "Read from the {} error shape{codes}:\n{}",
            found.shape,
            found
                .fields
                .iter()
                .map(|e| {
                    let code = e
                        .code
                        .as_deref()
                        .filter(|c| found.codes.first().is_none_or(|top| top != c))
                        .map(|c| format!(" [{}]", input(c)))
                        .unwrap_or_default();
                    format!("- {}: {}{code}", path_or_body(e), input(&e.message))
                })
                .collect::<Vec<_>>()
                .join("\n")
        );
        if cx.hidden_failure() {
            explanation.push_str(&format!(
                "\nThe HTTP status is {}, but the body says the call failed: check the body, not only the status.",
                response.status
            ));
        }
        if let Some(url) = &found.doc_url {
            explanation.push_str(&format!("\nThe API documents this error at {}", input(url)));
        }
        out.push(finding.severity(severity).explain(explanation));
    }
}
