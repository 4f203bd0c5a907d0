use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, oauth};

rule! {
    /// The authorization server refused the `redirect_uri` because it is not registered for
    /// the client: Google's `redirect_uri_mismatch`, oidc-provider's and Keycloak's
    /// `invalid_redirect_uri`, Entra's `AADSTS50011`, Auth0's and Okta's `invalid_request`
    /// saying the redirect URI is invalid or not allowed. Quotes the URI the request sent.
    /// (A token request whose `redirect_uri` merely differs from its authorization request is
    /// `oauth.invalid-grant`.)
    OauthRedirectUriMismatch {
        id: "oauth.redirect-uri-mismatch",
        severity: Error,
        title: "The redirect URI is not registered for this client",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.4"),
        fixtures: [
            "oauth/authlib-redirect-uri-unregistered.txt",
            "oauth/oidc-redirect-uri-mismatch.txt",
            "hand-beyond/google-redirect-uri-mismatch.json",
        ],
        explanation: "Authorization servers compare the `redirect_uri` with the client's registered list character for character (RFC 6749 §3.1.2, OAuth 2.0 Security BCP): `http` vs `https`, `localhost` vs `127.0.0.1`, a port, a trailing slash or a path that differs is another URI. The server refuses to redirect anywhere else, and shows an error page instead of returning to the app.",
        fix: {
            caller: "Send exactly one of the redirect URIs registered for this client (copy it from the client's settings), or register the one you send; keep one per environment.",
            owner: "Name the URI received in the error, and offer exact registration of each environment's callback (no wildcards).",
        },
    }
}

const SAYS_UNREGISTERED: &[&str] = &[
    "not supported by client",
    "not registered",
    "did not match any",
    "does not match any",
    "not allowed",
    "not whitelisted",
    "not in the list",
    "invalid redirect",
    "invalid parameter: redirect_uri",
    "aadsts50011",
    "aadsts500113",
    "mismatch",
];

impl Rule for OauthRedirectUriMismatch {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(error) = oauth::oauth_error(cx) else {
            return;
        };
        let about_redirect = error.mentions(&[
            "redirect_uri",
            "redirect uri",
            "redirect url",
            "reply url",
            "aadsts50011",
            "aadsts500113",
        ]);
        let fires = match error.code.as_str() {
            "redirect_uri_mismatch" | "invalid_redirect_uri" => true,
            // A token request's redirect_uri that differs from its authorization request's.
            "invalid_grant" => false,
            _ => about_redirect && error.mentions(SAYS_UNREGISTERED),
        };
        if !fires {
            return;
        }
        let sent = oauth::request_param(cx, "redirect_uri");
        let title = match (&sent, error.short_description()) {
            (Some((uri, _)), _) => {
                format!(
                    "The redirect URI {} is not registered for this client",
                    input(uri)
                )
            }
            (None, Some(d)) => format!(
                "The redirect URI is not registered for this client: {}",
                input(&d)
            ),
            (None, None) => format!(
                "The redirect URI is not registered for this client ({})",
                input(&error.code)
            ),
        };
        let mut evidence: Vec<Evidence> = error.evidence.clone();
        if let Some((_, e)) = sent {
            evidence.push(e);
        }
        if let Some(finding) = self.meta().finding_from(title, evidence) {
            out.push(finding);
        }
    }
}
