use crate::model::HasHeaders;
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// 412 Precondition Failed: a conditional request's `If-Match`, `If-None-Match` or
    /// `If-Unmodified-Since` did not hold — the resource changed since the client read it.
    /// 428 Precondition Required: the server requires a conditional request (optimistic
    /// concurrency) and the request had none. Quotes the ETag sent and the current one.
    RequestPreconditionFailed {
        id: "request.precondition-failed",
        severity: Error,
        title: "The request's precondition failed, or is required",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-13.1"),
        fixtures: [
            "limits/etag-412-precondition-failed.txt",
            "limits/etag-428-precondition-required.txt",
        ],
        explanation: "Servers that use optimistic concurrency let a write through only if the client saw the latest version: the client sends the ETag it read in `If-Match` and the server refuses with 412 when the resource has changed since (another client wrote in between), or with 428 (RFC 6585) when the request carried no condition at all.",
        fix: {
            caller: "Read the resource again (GET), take its current `ETag`, reapply your change to the fresh version and send it with `If-Match: <etag>`; do not simply retry with the old one.",
            owner: "Return the current `ETag` with 412 and 428 answers and name the required header in the message.",
        },
    }
}

impl Rule for RequestPreconditionFailed {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(status @ (412 | 428)) = cx.status() else {
            return;
        };
        let mut evidence: Vec<Evidence> = cx.status_evidence().into_iter().collect();
        let condition = cx.request().and_then(|r| {
            [
                "if-match",
                "if-none-match",
                "if-unmodified-since",
                "if-modified-since",
            ]
            .iter()
            .find_map(|n| r.header(n))
        });
        let current = cx.response().and_then(|r| r.header("etag"));
        if let Some(h) = condition {
            evidence.push(cx.header_evidence(Side::Request, h));
        }
        if let Some(h) = current {
            evidence.push(cx.header_evidence(Side::Response, h));
        }
        let message = cx.response_message().filter(|m| m.len() < 300);
        if let Some(m) = &message
            && let Some(e) = cx.response_body_match(m.split('"').next().unwrap_or(m))
        {
            evidence.push(e);
        }
        let title = if status == 428 {
            match &message {
                Some(m) => {
                    format!(
                        "The server requires a conditional request and this one had none: {}",
                        input(m)
                    )
                }
                None => {
                    "The server requires a conditional request (If-Match) and this one had none"
                        .to_owned()
                }
            }
        } else {
            match (condition, current) {
                (Some(c), Some(e)) => format!(
                    "The resource changed since the client read it: {} no longer matches, its ETag is now {}",
                    input(&format!("{}: {}", c.name, c.value)),
                    input(&e.value)
                ),
                (Some(c), None) => format!(
                    "The resource changed since the client read it: {} no longer holds",
                    input(&format!("{}: {}", c.name, c.value))
                ),
                (None, _) => match &message {
                    Some(m) => format!("The request's precondition failed: {}", input(m)),
                    None => "The request's precondition failed (412)".to_owned(),
                },
            }
        };
        evidence.dedup();
        if let Some(finding) = self.meta().finding_from(title, evidence) {
            out.push(finding);
        }
    }
}
