use crate::knowledge::text::Signatures;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side, auth};

rule! {
    /// The server says the credential itself is bad: WWW-Authenticate
    /// `error="invalid_token"`, or a body saying the token is invalid, revoked, malformed or
    /// badly signed (GitHub `Bad credentials`, Slack `invalid_auth`, Microsoft Graph
    /// `InvalidAuthenticationToken`, Kong `Invalid authentication credentials`). Quotes the
    /// server's description.
    AuthTokenRejected {
        id: "auth.token-rejected",
        severity: Error,
        title: "The server rejected the token",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6750#section-3.1"),
        fixtures: [
            "fastapi/401-invalid-signature.txt",
            "fastapi/401-expired-jwt.txt",
            "vendors/slack-invalid-auth.txt",
        ],
        explanation: "A credential was sent and read, and the server found it unusable: expired, revoked, signed with another key, issued for another API, or simply corrupted (truncated when copied). The description, when there is one, says which.",
        fix: {
            caller: "Get a fresh token from the right issuer for this API and environment; check it was copied whole. If it was just issued, check the audience and issuer with the API's documentation.",
            owner: "Give an error_description that tells expired from revoked from wrong-audience; it saves each caller a support request.",
        },
    }
}

static BODY_SIGNS: Signatures = Signatures::new(&[
    "invalid_token",
    "Invalid token",
    "invalid token",
    "Token is invalid",
    "token is invalid",
    "token has been revoked",
    "Token has expired",
    "token expired",
    "Signature has expired",
    "Signature verification failed",
    "invalid signature",
    "Bad credentials",
    "invalid_auth",
    "InvalidAuthenticationToken",
    "Invalid authentication credentials",
    "Could not validate credentials",
    "jwt malformed",
    "jwt expired",
    "API_KEY_INVALID",
    "Invalid API Key",
    "Invalid API key",
]);

impl Rule for AuthTokenRejected {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // Slack answers a bad token with HTTP 200 and `"ok": false`.
        if !cx.status().is_some_and(|s| s == 401 || s == 403)
            && cx.status().is_some()
            && !cx.hidden_failure()
        {
            return;
        }
        let challenge = cx
            .response()
            .into_iter()
            .flat_map(|r| r.headers_named("www-authenticate"))
            .find(|h| auth::challenge_param(&h.value, "error").as_deref() == Some("invalid_token"));
        let body = cx.response_signature(&BODY_SIGNS).map(|(_, e)| e);
        let description =
            challenge.and_then(|h| auth::challenge_param(&h.value, "error_description"));
        let (title, mut finding) = match (challenge, &body) {
            (Some(h), _) => (
                match &description {
                    Some(d) => format!("The server rejected the token: {}", input(d)),
                    None => "The server rejected the token (invalid_token)".to_owned(),
                },
                vec![cx.header_evidence(Side::Response, h)],
            ),
            (None, Some(e)) => (
                format!("The server rejected the credential: {}", input(&e.quote)),
                vec![],
            ),
            (None, None) => return,
        };
        finding.extend(body);
        out.extend(self.meta().finding_from(title, finding));
    }
}
