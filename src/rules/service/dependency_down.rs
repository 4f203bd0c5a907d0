use crate::knowledge::{frameworks, text};
use crate::report::Finding;
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A 5xx whose body names a dependency that failed: the database, a cache, a message
    /// broker, an upstream API.
    ServiceDependencyDown {
        id: "service.dependency-down",
        severity: Error,
        title: "A dependency of the service is down",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-503-service-unavailable"),
        fixtures: ["fastapi/503-database-down.txt"],
        explanation: "The service itself answered, but a dependency it needs for this request (a database, cache or upstream API) did not. The failure is behind the API; every caller sees it until the dependency is back.",
        fix: {
            caller: "Retry later with back-off; check the provider's status page.",
            owner: "Restore the dependency (check its health, connection limits and credentials), and answer 503 with Retry-After while it is down.",
        },
    }
}

const FAILURE_WORDS: &[&str] = &[
    "unavailable",
    "is down",
    "refused",
    "timed out",
    "timeout",
    "could not connect",
    "can't connect",
    "cannot connect",
    "unreachable",
    "connection lost",
    "not responding",
];

/// Every dependency's name, searched in one pass.
static ANY_DEPENDENCY: text::Signatures = text::Signatures::labeled(frameworks::DEPENDENCIES);

impl Rule for ServiceDependencyDown {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if response.status < 500 {
            return;
        }
        let Some(body) = &response.body else { return };
        // A body that names no dependency at all (most of them) is told in one pass, before
        // each line is searched for each name.
        if !ANY_DEPENDENCY.contains_any(&body.text) {
            return;
        }
        for line_start in std::iter::once(0)
            .chain(body.text.match_indices('\n').map(|(i, _)| i + 1))
            .take(2000)
        {
            let (_, line) = text::line_around(&body.text, line_start);
            let Some((dependency, _)) = frameworks::DEPENDENCIES
                .iter()
                .find(|(_, word)| text::has(line, word))
            else {
                continue;
            };
            if !FAILURE_WORDS
                .iter()
                .any(|w| text::find_ci(line, w).is_some())
            {
                continue;
            }
            out.push(self.meta()
                .finding(format!("The service says its {dependency} is unavailable"), cx.body_line_evidence(Side::Response, body, line_start))
                .explain(format!("The service itself answered, but a {dependency} it needs for this request did not. The failure is behind the API; every caller sees it until the {dependency} is back."))
                .owner_fix(format!("Restore the {dependency} (check its health, connection limits and credentials), and answer 503 with Retry-After while it is down.")));
            return;
        }
    }
}
