use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, oauth};

rule! {
    /// The authorization server answered `error=invalid_scope` (RFC 6749 §5.2, §4.1.2.1) or
    /// its vendor equivalent (Entra `AADSTS70011`, `AADSTS650053`): a requested scope is
    /// unknown, malformed, or not allowed for this client. Names the scope: the one the
    /// server quotes, else the scopes the request asked for.
    OauthInvalidScope {
        id: "oauth.invalid-scope",
        severity: Error,
        title: "A requested scope is invalid or not allowed (invalid_scope)",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6749#section-3.3"),
        fixtures: [
            "oauth/authlib-invalid-scope.txt",
            "oauth/oidc-invalid-scope.txt",
            "hand-beyond/azure-aadsts70011-invalid-scope.json",
        ],
        explanation: "The `scope` parameter asked for something the server does not know or will not grant this client: a misspelt or unknown scope, a scope not enabled for the client, a separator other than a space, `openid` in a grant that issues no ID token (client credentials), or, in Entra, a v1 resource or a scope of another API where `.default` is required.",
        fix: {
            caller: "Request only scopes the API documents and this client is allowed, separated by spaces (`scope=read:invoices write:invoices`); for client credentials in Entra use `https://RESOURCE/.default`.",
            owner: "Name the refused scope in `error_description`, and list the supported ones in the discovery document's `scopes_supported`.",
        },
    }
}

impl Rule for OauthInvalidScope {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(error) = oauth::oauth_error(cx) else {
            return;
        };
        let vendor = error.mentions(&[
            "aadsts70011",
            "aadsts650053",
            "aadsts650057",
            "aadsts28000",
            "aadsts28003",
        ]);
        if error.code != "invalid_scope" && !vendor {
            return;
        }
        // The scope the server names: Entra's "The scope X isn't valid", a `scope` member.
        let named = error.description.as_deref().and_then(|d| {
            let at = d.find("The scope ")?;
            let rest = &d[at + 10..];
            let end = rest.find(" isn't").or_else(|| rest.find(" is "))?;
            Some(rest[..end].trim().to_owned())
        });
        let named = named.or_else(|| {
            cx.response_json()
                .and_then(|j| j.get("scope"))
                .and_then(|s| s.as_str())
                .map(str::to_owned)
        });
        let sent = oauth::request_param(cx, "scope");
        let title = match (&named, &sent, error.short_description()) {
            (Some(scope), _, _) => format!(
                "The scope {} was refused: {}",
                input(scope),
                input(
                    &error
                        .short_description()
                        .unwrap_or_else(|| error.code.clone())
                )
            ),
            (None, Some((scopes, _)), Some(d)) => {
                format!("A scope of {} was refused: {}", input(scopes), input(&d))
            }
            (None, Some((scopes, _)), None) => {
                format!("A scope of {} was refused (invalid_scope)", input(scopes))
            }
            (None, None, Some(d)) => format!("A requested scope was refused: {}", input(&d)),
            (None, None, None) => "A requested scope was refused (invalid_scope)".to_owned(),
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
