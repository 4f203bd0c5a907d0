use crate::report::{Finding, Severity, input};
use crate::rules::graphql::{self, Data};
use crate::rules::{Cx, Rule};

rule! {
    /// A GraphQL response (any status, usually 200) carries `errors`: lists each error's
    /// message, `path`, `locations` and `extensions.code`, and says whether `data` is null or
    /// absent (the whole operation failed, though the status may be 200) or partial (some
    /// fields resolved, those at `path` did not). Reads the shapes of Apollo Server,
    /// Strawberry, graphql-java, Hasura (`extensions.code`, `extensions.path`) and GitHub
    /// (`type`).
    GraphqlErrors {
        id: "graphql.errors",
        severity: Error,
        title: "The GraphQL response carries errors",
        reference: Some("https://spec.graphql.org/October2021/#sec-Errors"),
        fixtures: [
            "graphql/apollo-partial-data.txt",
            "graphql/strawberry-partial-data.txt",
            "graphql/strawberry-validation-error-200.txt",
            "graphql/strawberry-parse-error-200.txt",
            "graphql/chromium-graphql.har",
        ],
        explanation: "GraphQL reports failures in the body, not in the status: a server answers 200 when it could execute the operation at all, and lists what went wrong in `errors`. With `data` null or absent nothing was resolved; with partial `data`, the fields at each error's `path` are null and the rest is real. HTTP clients that only check the status treat both as success.",
        fix: {
            caller: "Check `errors` on every response, not only the status; read each error's `path` to see which field failed and its `extensions.code` for why. Partial data may be usable if the failed fields are optional.",
            owner: "Give each error an `extensions.code` callers can act on; keep internal details (stack traces, database addresses) out of messages; fix the resolver named by `path`.",
        },
    }
}

impl Rule for GraphqlErrors {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = graphql::read(cx) else {
            return;
        };
        let first = &response.errors[0];
        let more = match response.errors.len() {
            1 => String::new(),
            2 => " (and 1 more error)".to_owned(),
            n => format!(" (and {} more errors)", n - 1),
        };
        let status = cx.status();
        let (title, severity) = match response.data {
            Data::Partial => (
                format!(
                    "GraphQL returned partial data: {} failed{more}",
                    first
                        .path
                        .as_deref()
                        .map_or_else(|| "a field".to_owned(), input)
                ),
                Severity::Warning,
            ),
            Data::Null | Data::Absent => (
                match status {
                    Some(s) if s < 300 => format!(
                        "The GraphQL operation failed under a {s}: {}{more}",
                        input(&crate::knowledge::text::clip(&first.message, 120))
                    ),
                    _ => format!(
                        "The GraphQL operation failed: {}{more}",
                        input(&crate::knowledge::text::clip(&first.message, 120))
                    ),
                },
                Severity::Error,
            ),
        };
        let evidence: Vec<_> = response
            .errors
            .iter()
            .take(5)
            .filter_map(|e| graphql::message_evidence(cx, &e.message))
            .collect();
        let data = match response.data {
            Data::Partial => {
                "`data` is partial: the fields at the errors' paths are null, the rest resolved."
            }
            Data::Null => "`data` is null: nothing was resolved.",
            Data::Absent => "There is no `data`: the operation was not executed.",
        };
        let listed: Vec<String> = response
            .errors
            .iter()
            .take(5)
            .map(graphql::describe)
            .collect();
        let under = match status {
            Some(s) if s < 300 => {
                format!(" The status is {s}, so a client that checks only the status sees success.")
            }
            _ => String::new(),
        };
        let explanation = format!(
            "{data}{under} Errors: {}. {}",
            listed.join("; "),
            self.meta().explanation
        );
        out.extend(
            self.meta()
                .finding_from(title, evidence)
                .map(|f| f.severity(severity).explain(explanation)),
        );
    }
}
