use crate::report::{Finding, input};
use crate::rules::graphql;
use crate::rules::{Cx, Rule};

rule! {
    /// The GraphQL operation itself is wrong: parse and validation errors
    /// (`GRAPHQL_PARSE_FAILED`, `GRAPHQL_VALIDATION_FAILED`, Hasura's `validation-failed`,
    /// `Syntax Error`, `Cannot query field`, `Unknown argument`, GitHub's `undefinedField`)
    /// and variable errors (`Variable "$id" of non-null type "ID!" must not be null`).
    /// Quotes the field, argument or variable named.
    GraphqlQueryInvalid {
        id: "graphql.query-invalid",
        severity: Error,
        title: "The GraphQL query is invalid",
        reference: Some("https://spec.graphql.org/October2021/#sec-Validation"),
        fixtures: [
            "graphql/apollo-parse-error.txt",
            "graphql/apollo-validation-error.txt",
            "graphql/apollo-variable-error.txt",
            "graphql/strawberry-validation-error-200.txt",
            "graphql/strawberry-parse-error-200.txt",
        ],
        restates: ["graphql.errors"],
        explanation: "The server rejected the operation before running it: the query text does not parse, names a field, argument or type the schema does not have, or its variables do not match their declared types. Nothing was executed; no retry can help until the query or variables change.",
        fix: {
            caller: "Fix the query against the server's schema (introspect it, or check the API's schema docs: the field may be renamed, deprecated away, or on another type); for variable errors, send every non-null variable with the declared type. Validate queries at build time (graphql-codegen, eslint-plugin-graphql) to catch this before runtime.",
            owner: "Publish the schema and its changes; deprecate fields (`@deprecated`) before removing them so clients get warnings, not errors.",
        },
    }
}

/// Codes and message openings of parse, validation and variable errors.
const CODES: &[&str] = &[
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "validation-failed",
    "parse-failed",
    "undefinedField",
    "argumentNotAccepted",
    "missingRequiredArguments",
    "variableMismatch",
];

const MESSAGES: &[&str] = &[
    "Syntax Error",
    "Cannot query field",
    "Unknown argument",
    "Unknown type",
    "Unknown fragment",
    "Unknown directive",
    "Variable \"$",
    "Variable '$",
    "must have a selection of subfields",
    "must not have a selection",
    "of required type",
    "doesn't exist on type",
    "not found in type",
    "Field '",
    "Field \"",
    "Expected type",
    "Expected value of type",
    "was not provided",
    "is never used",
    "is not defined",
    "Unexpected token",
];

impl Rule for GraphqlQueryInvalid {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = graphql::read(cx) else {
            return;
        };
        let invalid: Vec<_> = response
            .errors
            .iter()
            .filter(|e| {
                e.code.as_deref().is_some_and(|c| CODES.contains(&c))
                    || MESSAGES.iter().any(|m| {
                        e.message.starts_with(m) || (m.len() > 12 && e.message.contains(m))
                    })
            })
            .collect();
        let Some(first) = invalid.first() else {
            return;
        };
        let kind = if first.message.starts_with("Syntax Error")
            || first.code.as_deref() == Some("GRAPHQL_PARSE_FAILED")
            || first.code.as_deref() == Some("parse-failed")
        {
            "does not parse"
        } else if first.message.starts_with("Variable") {
            "has a variable of the wrong type or value"
        } else {
            "does not match the schema"
        };
        let title = format!(
            "The GraphQL query {kind}: {}",
            input(&crate::knowledge::text::clip(&first.message, 160))
        );
        let evidence: Vec<_> = invalid
            .iter()
            .take(5)
            .filter_map(|e| graphql::message_evidence(cx, &e.message))
            .collect();
        let listed: Vec<String> = invalid
            .iter()
            .take(5)
            .map(|e| graphql::describe(e))
            .collect();
        let explanation = format!("{} Here: {}.", self.meta().explanation, listed.join("; "));
        out.extend(
            self.meta()
                .finding_from(title, evidence)
                .map(|f| f.explain(explanation)),
        );
    }
}
