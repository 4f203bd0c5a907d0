use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, oauth};

rule! {
    /// The authorization server refused the grant type: `unsupported_grant_type` (the server
    /// does not know it — often misspelt) or `unauthorized_client` (the client may not use
    /// it), or the vendor's wording of either (oidc-provider's `invalid_request` "requested
    /// grant type is not allowed for this client", Auth0's "Grant type … not allowed for the
    /// client"). Quotes the `grant_type` sent and says when it is not a grant type at all.
    OauthGrantNotAllowed {
        id: "oauth.grant-not-allowed",
        severity: Error,
        title: "The grant type is not supported or not allowed for this client",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6749#section-5.2"),
        fixtures: [
            "oauth/authlib-unsupported-grant-type.txt",
            "oauth/authlib-unauthorized-client.txt",
            "oauth/oidc-unsupported-grant-type.txt",
            "oauth/oidc-grant-type-not-allowed.txt",
            "hand-beyond/auth0-unauthorized-client.json",
        ],
        explanation: "Each client is registered for some grant types (authorization_code, refresh_token, client_credentials …); the server refuses others with `unauthorized_client`, and a grant type it does not implement — or a misspelt one — with `unsupported_grant_type`. A server that cannot read the body (JSON sent to a form-encoded endpoint) also sees no grant type.",
        fix: {
            caller: "Send `grant_type` spelt as RFC 6749 defines it (`authorization_code`, `refresh_token`, `client_credentials`, `password`, or the URN of an extension), form-encoded; use a client registered for that grant.",
            owner: "Enable the grant type for the client (Auth0: Advanced Settings → Grant Types; Okta: the app's allowed grant types; Keycloak: Service accounts / Direct access grants), or say which grants the client may use.",
        },
    }
}

impl Rule for OauthGrantNotAllowed {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(error) = oauth::oauth_error(cx) else {
            return;
        };
        let says = error.mentions(&["grant type", "grant_type", "granttype"])
            && error.mentions(&[
                "not allowed",
                "not authorized",
                "unauthorized",
                "not permitted",
                "not enabled",
                "unsupported",
                "not supported",
            ]);
        let fires = match error.code.as_str() {
            "unsupported_grant_type" | "unauthorized_client" => true,
            "invalid_request" | "invalid_client" => says,
            _ => false,
        };
        // A JSON body hides the grant type from the server: that is the cause.
        if !fires || oauth::json_token_request(cx).is_some() {
            return;
        }
        let grant = oauth::request_param(cx, "grant_type");
        let grant_type = grant.as_ref().map(|(g, _)| g.clone());
        let misspelt = grant_type
            .as_deref()
            .filter(|g| !oauth::GRANT_TYPES.contains(g));
        let title = if let Some(g) = misspelt {
            format!(
                "The grant type {} does not exist ({}): check its spelling",
                input(g),
                input(&error.code)
            )
        } else {
            let what = grant_type.as_deref().map_or_else(
                || "The grant type".to_owned(),
                |g| format!("The grant type {}", input(g)),
            );
            let verdict = if error.code == "unsupported_grant_type" {
                "is not supported by this server"
            } else {
                "is not allowed for this client"
            };
            match error.short_description() {
                Some(d) => format!("{what} {verdict}: {}", input(&d)),
                None => format!("{what} {verdict} ({})", input(&error.code)),
            }
        };
        let mut evidence: Vec<Evidence> = error.evidence.clone();
        if let Some((_, e)) = grant {
            evidence.push(e);
        }
        if let Some(mut finding) = self.meta().finding_from(title, evidence) {
            if let Some(g) = misspelt {
                let close = oauth::GRANT_TYPES
                    .iter()
                    .find(|known| same_letters(known, g))
                    .map_or(String::new(), |k| format!(" (did you mean `{k}`?)"));
                finding = finding.explain(format!("{} is not a grant type RFC 6749 or its extensions define{close}; the server answers an unknown grant type with `unsupported_grant_type`.", input(g)));
            }
            out.push(finding);
        }
    }
}

/// The same letters in another order or with one changed: `passwrod` ~ `password`.
fn same_letters(known: &str, sent: &str) -> bool {
    if known.len() != sent.len() {
        return false;
    }
    let mut a: Vec<u8> = known.bytes().collect();
    let mut b: Vec<u8> = sent.bytes().collect();
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    a.sort_unstable();
    b.sort_unstable();
    a == b || differing <= 1
}
