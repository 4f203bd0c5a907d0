use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, oauth};

rule! {
    /// The authorization server answered `error=invalid_grant` (RFC 6749 §5.2): the
    /// authorization code, refresh token or credentials the client exchanged are not valid
    /// for it. Reads `error_description` and vendor codes (Entra `AADSTS70008`,
    /// `AADSTS50173`, `AADSTS54005` …; Okta, Auth0, Keycloak and Google wordings) to say
    /// which: expired, already used, revoked, a PKCE `code_verifier` that does not match,
    /// a `redirect_uri` that differs from the authorization request. When the server does
    /// not say (Authlib, oidc-provider), names the possible causes for the grant type sent.
    OauthInvalidGrant {
        id: "oauth.invalid-grant",
        severity: Error,
        title: "The authorization server refused the grant (invalid_grant)",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6749#section-5.2"),
        fixtures: [
            "oauth/authlib-pkce-verifier-mismatch.txt",
            "oauth/authlib-code-reused.txt",
            "oauth/authlib-code-expired.txt",
            "oauth/authlib-redirect-uri-differs.txt",
            "oauth/authlib-refresh-revoked.txt",
            "oauth/oidc-invalid-code.txt",
            "oauth/oidc-invalid-refresh-token.txt",
            "hand-beyond/azure-aadsts70008-code-expired.txt",
            "hand-beyond/okta-invalid-grant-code.json",
            "hand-beyond/okta-invalid-grant-redirect-uri.json",
            "hand-beyond/google-invalid-grant-revoked.json",
            "browser/token-refresh-failed.har",
        ],
        explanation: "`invalid_grant` means the grant itself is not valid for this client: an authorization code that expired (they live seconds to minutes), was already exchanged once, or was issued to another client or redirect URI; a refresh token that expired, was revoked (logout, password change, rotation) or was already used once under rotation; a PKCE `code_verifier` that does not match the `code_challenge`.",
        fix: {
            caller: "Start the flow again to get a fresh code (exchange it once, at once), or log the user in again when a refresh token is refused; store the newest refresh token after each refresh when the server rotates them.",
            owner: "Say which check failed in `error_description` (expired, already used, PKCE, redirect_uri) and log it with the client ID.",
        },
    }
}

/// A cause an `error_description` or vendor code names: its label and what it means.
struct Cause {
    label: &'static str,
    why: &'static str,
    caller: &'static str,
}

const CAUSES: &[(&[&str], Cause)] = &[
    (
        &[
            "code_verifier",
            "code verifier",
            "code challenge",
            "code_challenge",
            "pkce",
            "aadsts501481",
        ],
        Cause {
            label: "PKCE",
            why: "The `code_verifier` sent with the exchange does not hash to the `code_challenge` the authorization request carried (RFC 7636 §4.6): the verifier belongs to another login attempt — a second tab, a verifier regenerated or lost across a reload, a challenge computed with `plain` where the server expects `S256`.",
            caller: "Send the very `code_verifier` whose SHA-256 (base64url, no padding) was the `code_challenge` of this code's authorization request; keep it per login attempt (sessionStorage keyed by `state`).",
        },
    ),
    (
        &[
            "redirect_uri",
            "redirect uri",
            "redirection uri",
            "aadsts50011",
            "aadsts500112",
            "incorrect redirect",
        ],
        Cause {
            label: "redirect_uri differs",
            why: "The `redirect_uri` of the token request must be exactly the one the authorization request carried (RFC 6749 §4.1.3): scheme, host, port, path and trailing slash included.",
            caller: "Send the same `redirect_uri` string in the token request as in the authorization request (or none if the authorization request had none).",
        },
    ),
    (
        &[
            "another client",
            "different client",
            "issued to another",
            "not issued to",
            "client_id mismatch",
            "aadsts700005",
        ],
        Cause {
            label: "issued to another client",
            why: "The code or token was issued to another client (or tenant) than the one authenticating now.",
            caller: "Exchange the code with the client ID it was issued to; check the client ID and tenant of each environment.",
        },
    ),
    (
        &[
            "already been used",
            "already used",
            "already redeemed",
            "been redeemed",
            "aadsts54005",
            "reuse",
            "replay",
        ],
        Cause {
            label: "already used",
            why: "An authorization code can be exchanged once (RFC 6749 §4.1.2); a second exchange is refused, and servers may revoke the tokens of the first.",
            caller: "Exchange each code once: look for a double submit, a retried request, a React effect running twice, or two callbacks handling the same redirect.",
        },
    ),
    (
        &[
            "expired or revoked",
            "aadsts50173",
            "revoked",
            "password change",
            "stale token",
            "session not active",
            "token is not active",
            "aadsts700084",
        ],
        Cause {
            label: "expired or revoked",
            why: "The refresh token (or code) is no longer valid: it expired, or it was revoked — by logout, a password change, a user removing the app's access, a rotation that issued a newer one, or, for Google apps in testing mode, after 7 days.",
            caller: "Log the user in again (an interactive authorization request) and store the newest refresh token after every refresh.",
        },
    ),
    (
        &[
            "expired",
            "aadsts70008",
            "aadsts700082",
            "aadsts700081",
            "inactivity",
            "not active",
        ],
        Cause {
            label: "expired",
            why: "The code or refresh token outlived its lifetime (codes live seconds to minutes; Entra refresh tokens expire after 90 days of inactivity).",
            caller: "Exchange codes right after the redirect; when a refresh token has expired, send the user through an interactive login again.",
        },
    ),
    (
        &[
            "wrong email or password",
            "invalid username or password",
            "invalid user credentials",
            "aadsts50126",
            "bad credentials",
            "invalid credentials",
        ],
        Cause {
            label: "wrong username or password",
            why: "In the password grant, `invalid_grant` means the resource owner's credentials are wrong.",
            caller: "Check the username and password (and the realm or connection they belong to).",
        },
    ),
    (
        &["aadsts50076", "aadsts50079", "multi-factor"],
        Cause {
            label: "MFA required",
            why: "The tenant requires multi-factor authentication, which a non-interactive grant cannot satisfy.",
            caller: "Get a token interactively (authorization code flow) so the user can complete MFA.",
        },
    ),
    (
        &["aadsts65001", "consent"],
        Cause {
            label: "consent missing",
            why: "The user or an administrator has not consented to the permissions requested.",
            caller: "Send the user through an interactive consent, or have an administrator grant consent for the tenant.",
        },
    ),
];

impl Rule for OauthInvalidGrant {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(error) = oauth::oauth_error(cx) else {
            return;
        };
        if error.code != "invalid_grant" {
            return;
        }
        let grant = oauth::request_param(cx, "grant_type");
        let grant_type: Option<String> = grant.as_ref().map(|(g, _)| g.clone());
        let grant_type = grant_type.as_deref();
        let what = oauth::grant_words(grant_type);
        let cause = CAUSES
            .iter()
            .find(|(needles, _)| error.mentions(needles))
            .map(|(_, cause)| cause);
        let server = oauth::endpoint_words(cx);
        let title = match (&error.short_description(), cause) {
            // The cause in words, unless the description already says it.
            (Some(d), Some(c)) if d.to_lowercase().contains(&c.label.to_lowercase()) => {
                format!("{server} refused the {what}: {}", input(d))
            }
            (Some(d), Some(c)) => {
                format!("{server} refused the {what}: {} ({})", input(d), c.label)
            }
            (Some(d), None) => format!("{server} refused the {what}: {}", input(d)),
            (None, _) => format!("{server} refused the {what} (invalid_grant, without a reason)"),
        };
        let mut evidence = error.evidence.clone();
        if let Some((_, e)) = grant {
            evidence.push(e);
        }
        let focus = match cause.map(|c| c.label) {
            Some("PKCE") => oauth::request_param(cx, "code_verifier"),
            Some("redirect_uri differs") => oauth::request_param(cx, "redirect_uri"),
            _ => None,
        };
        if let Some((_, e)) = focus {
            evidence.push(e);
        }
        let Some(mut finding) = self.meta().finding_from(title, evidence) else {
            return;
        };
        if let Some(cause) = cause {
            finding = finding.explain(cause.why).caller_fix(cause.caller);
        } else {
            let why = match grant_type {
                Some("authorization_code") => {
                    "The server refused the authorization code without saying why. An authorization code is refused when it is unknown (mistyped, cut, from another server), expired (codes live seconds to minutes), already exchanged once, issued to another client, or when the `redirect_uri` or PKCE `code_verifier` differ from the authorization request."
                }
                Some("refresh_token") => {
                    "The server refused the refresh token without saying why. A refresh token is refused when it expired, was revoked (logout, password change, access removed), was already used once where the server rotates refresh tokens (an older copy was sent), or was issued to another client."
                }
                _ => "The server refused the grant without saying which check failed.",
            };
            finding = finding.explain(why);
        }
        out.push(finding);
    }
}
