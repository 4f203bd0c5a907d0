use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule};

rule! {
    /// 409 Conflict: the request conflicts with the resource's current state. Quotes what
    /// the body says conflicts and names the kind: a duplicate (unique key, "already
    /// exists"), a version conflict (stale version, concurrent update), or a state that
    /// does not allow the change.
    RequestConflict {
        id: "request.conflict",
        severity: Error,
        title: "The request conflicts with the resource's current state",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10"),
        fixtures: ["limits/fastapi-409-duplicate-email.txt"],
        explanation: "409 says the request was understood but clashes with what is stored: creating something that already exists (a unique email, name or key), updating from a stale version while someone else wrote, or changing a resource whose state does not allow it (cancelling a shipped order). Retrying the same request gives the same answer.",
        fix: {
            caller: "Read the current state first: look the existing resource up and update it instead of creating it again, or fetch the latest version and reapply the change; make creates idempotent (an idempotency key) when retrying.",
            owner: "Say in the body which resource or field conflicts and how to resolve it (the existing resource's ID or URL, the current version).",
        },
    }
}

const KINDS: &[(&[&str], &str)] = &[
    (
        &[
            "unique",
            "already exist",
            "duplicate",
            "already taken",
            "already registered",
            "already in use",
            "e11000",
        ],
        "a duplicate",
    ),
    (
        &[
            "version",
            "stale",
            "concurrent",
            "modified",
            "outdated",
            "etag",
        ],
        "a version conflict",
    ),
    (
        &[
            "state",
            "status",
            "cannot be",
            "can't be",
            "not allowed",
            "already",
        ],
        "a state conflict",
    ),
];

impl Rule for RequestConflict {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if cx.status() != Some(409) {
            return;
        }
        let mut evidence: Vec<Evidence> = cx.status_evidence().into_iter().collect();
        let message = cx
            .response_message()
            .or_else(|| cx.error_body().and_then(|e| e.message));
        let title = match &message {
            Some(m) => {
                let lower = m.to_ascii_lowercase();
                let kind = KINDS
                    .iter()
                    .find(|(needles, _)| needles.iter().any(|n| lower.contains(n)))
                    .map(|(_, k)| *k);
                if let Some(e) = cx.response_body_match(m.split(['"', '\\']).next().unwrap_or(m)) {
                    evidence.push(e);
                }
                let m = crate::knowledge::text::clip(m, 200);
                match kind {
                    Some(kind) => {
                        format!("The server refused the request as {kind}: {}", input(&m))
                    }
                    None => format!(
                        "The request conflicts with the resource's current state: {}",
                        input(&m)
                    ),
                }
            }
            None => {
                "The request conflicts with the resource's current state (409, no reason given)"
                    .to_owned()
            }
        };
        if let Some(finding) = self.meta().finding_from(title, evidence) {
            out.push(finding);
        }
    }
}
