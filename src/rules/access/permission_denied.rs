use crate::knowledge::frameworks;
use crate::knowledge::text::Signatures;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, auth};

rule! {
    /// A 403 for an authenticated caller whose body says the user or role lacks permission
    /// (DRF `You do not have permission to perform this action.`, Google
    /// `PERMISSION_DENIED`, AWS `AccessDenied` / `AccessDeniedException` / `is not authorized
    /// to perform`, Azure `AuthorizationFailed`, Microsoft Graph
    /// `Authorization_RequestDenied` / `Insufficient privileges`), or Slack's
    /// `access_denied` under HTTP 200.
    AccessPermissionDenied {
        id: "access.permission-denied",
        severity: Error,
        title: "The caller lacks permission",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-403-forbidden"),
        fixtures: ["fastapi/403-not-owner.txt", "vendors/graph-authorization-denied.txt"],
        explanation: "Authentication worked — the server knows who is calling — but this user, role or key is not allowed to do this to this resource. A fresh token will not help; different rights will.",
        fix: {
            caller: "Use an account or key with the needed role, or ask an administrator to grant it; check that the resource belongs to this account.",
            owner: "Name the permission or role that is missing, so the caller knows what to ask for.",
        },
    }
}

static SIGNS: Signatures = Signatures::new(&[
    "You do not have permission",
    "do not have permission",
    "does not have permission",
    "not have access",
    "PERMISSION_DENIED",
    "AccessDenied",
    "is not authorized to perform",
    "not allowed to",
    "Not enough permissions",
    "insufficient privileges",
    "Insufficient permissions",
    "forbidden_resource",
    "Resource not accessible by integration",
    "Must have admin rights",
    "Authorization_RequestDenied",
    "Insufficient privileges",
    "AuthorizationFailed",
    "does not have authorization to perform action",
    "access_denied",
]);

impl Rule for AccessPermissionDenied {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // A cloud CLI signs every request, though the paste shows no credential.
        let signed = cx
            .exchange
            .notes
            .iter()
            .any(|n| n.text.contains(crate::input::client_error::CLI_SIGNED));
        if !(cx.status() == Some(403) || cx.hidden_failure())
            || !(auth::has_credentials(cx) || signed)
        {
            return;
        }
        let body = cx.response().map_or("", |r| r.body_text());
        if frameworks::CSRF.contains_any(body) || body.contains("insufficient_scope") {
            return;
        }
        let Some(evidence) = cx.response_signature(&SIGNS).map(|(_, e)| e) else {
            return;
        };
        out.push(
            self.meta()
                .finding(
                    format!(
                        "The server knows the caller and refuses: {}",
                        input(
                            &cx.response_message()
                                .unwrap_or_else(|| evidence.quote.clone())
                        )
                    ),
                    evidence,
                )
                .with_all_evidence(cx.request_line_evidence()),
        );
    }
}
