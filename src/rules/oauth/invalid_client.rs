use crate::knowledge::secrets::mask_credential;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side, oauth};

rule! {
    /// The authorization server answered `error=invalid_client` (RFC 6749 §5.2, usually with
    /// 401 and a `WWW-Authenticate: Basic` challenge): client authentication failed. Says how
    /// the request authenticated (Basic header, `client_secret` in the body, both, neither)
    /// and reads the server's reason: an unknown client, a wrong or expired secret (Entra
    /// `AADSTS7000215`: the secret's ID sent instead of its value), or the wrong method
    /// (`client_secret_basic` vs `client_secret_post`).
    OauthInvalidClient {
        id: "oauth.invalid-client",
        severity: Error,
        title: "Client authentication failed (invalid_client)",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1"),
        fixtures: [
            "oauth/authlib-wrong-client-secret.txt",
            "oauth/authlib-refresh-secret-in-body.txt",
            "oauth/oidc-wrong-client-secret.txt",
            "hand-beyond/azure-aadsts7000215-invalid-client-secret.txt",
        ],
        explanation: "The authorization server could not authenticate the client: the client ID is unknown (or belongs to another environment or tenant), the secret is wrong, expired or rotated, or the client authenticated with a method it is not registered for — `client_secret_basic` (an `Authorization: Basic` header) versus `client_secret_post` (`client_id` and `client_secret` in the form body). In Basic, RFC 6749 §2.3.1 wants the ID and secret form-URL-encoded before base64, which breaks secrets containing `+`, `/` or `=` when skipped.",
        fix: {
            caller: "Check the client ID and secret of this environment (the secret's value, not its ID; not an expired one), and send them the way the client is registered: Basic header for `client_secret_basic`, form body for `client_secret_post`, never both.",
            owner: "Say in `error_description` whether the client was unknown, the secret wrong or expired, or the method not allowed, and list the accepted methods in the discovery document's `token_endpoint_auth_methods_supported`.",
        },
    }
}

impl Rule for OauthInvalidClient {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(error) = oauth::oauth_error(cx) else {
            return;
        };
        if error.code != "invalid_client" {
            return;
        }
        let basic = cx.request().and_then(|r| {
            r.header("authorization").filter(|h| {
                h.value
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("basic")
            })
        });
        let in_body = oauth::request_param(cx, "client_secret");
        let lower = error.lower_text();
        let lists_methods = lower.contains("client_secret_basic")
            || lower.contains("client_secret_post")
            || lower.contains("authenticate with method");
        let allowed: Vec<&str> = [
            "client_secret_basic",
            "client_secret_post",
            "client_secret_jwt",
            "private_key_jwt",
            "self_signed_tls_client_auth",
            "tls_client_auth",
            "none",
        ]
        .into_iter()
        .filter(|m| lower.contains(&format!("'{m}'")) || lower.contains(&format!("\"{m}\"")))
        .collect();
        let (how, why) = if lower.contains("aadsts7000215") {
            (
                "the secret is not the client secret's value",
                Some(
                    "Entra says the secret sent is not valid for this app: most often the secret's ID (a GUID shown next to it in the portal) was copied instead of its value, or the secret expired or was rotated.",
                ),
            )
        } else if lower.contains("aadsts7000222") || lower.contains("secret expired") {
            ("the client secret has expired", None)
        } else if lower.contains("aadsts700016")
            || lower.contains("not found")
            || lower.contains("unknown client")
        {
            ("the client ID is unknown to this server", None)
        } else if lists_methods
            && basic.is_none()
            && in_body.is_some()
            && !lower.contains("client_secret_post")
        {
            (
                "the secret was sent in the body, which this client may not do",
                Some(
                    "The request put `client_secret` in the form body (`client_secret_post`), but the server lists only other methods for this client — it is registered for `client_secret_basic`, an `Authorization: Basic` header.",
                ),
            )
        } else if basic.is_some() && in_body.is_some() {
            (
                "the client authenticated twice, in the header and in the body",
                None,
            )
        } else if basic.is_some_and(|h| secret_needs_encoding(&h.value)) {
            (
                "the Basic credentials were not accepted, and the secret holds characters Basic wants URL-encoded",
                Some(
                    "RFC 6749 §2.3.1 has the client form-URL-encode its ID and secret before joining them with `:` and base64-encoding them. The secret sent in Basic contains `+`, `/`, `=`, `%`, `&`, `:` or a space unencoded; servers that decode it (Spring Security, Authlib, Okta) then read another secret — a `+` becomes a space. Or the secret is simply wrong.",
                ),
            )
        } else if basic.is_some() {
            (
                "the Basic credentials were not accepted (wrong client ID or secret)",
                None,
            )
        } else if in_body.is_some() {
            (
                "the client_id and client_secret in the body were not accepted",
                None,
            )
        } else {
            (
                "the request carried no client credentials the server accepted",
                None,
            )
        };
        // "client authentication failed" says nothing the title does not.
        let description = error
            .short_description()
            .filter(|d| !d.eq_ignore_ascii_case("client authentication failed"));
        let title = match description {
            // The methods the server lists say it all.
            Some(_)
                if how.starts_with("the secret was sent in the body") && !allowed.is_empty() =>
            {
                format!(
                    "Client authentication failed: the secret was sent in the body (client_secret_post), but this client may use only {}",
                    crate::knowledge::text::join_words(
                        &allowed.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>()
                    )
                )
            }
            Some(d) => format!("Client authentication failed, {how}: {}", input(&d)),
            None => format!("Client authentication failed: {how}"),
        };
        let mut evidence = error.evidence.clone();
        if let Some(h) = basic {
            evidence.push(cx.header_evidence(Side::Request, h));
        }
        if let Some((secret, mut e)) = in_body {
            // The secret itself is not quoted.
            e.quote = format!("client_secret={}", mask_credential(&secret));
            evidence.push(e);
        }
        if let Some(note) = cx
            .exchange
            .notes
            .iter()
            .find(|n| n.text.contains("Authentication problem"))
        {
            evidence.push(cx.note_evidence(note));
        }
        let Some(mut finding) = self.meta().finding_from(title, evidence) else {
            return;
        };
        if let Some(why) = why {
            finding = finding.explain(why);
        }
        out.push(finding);
    }
}

/// Whether the secret inside `Basic base64(id:secret)` has characters RFC 6749 §2.3.1 wants
/// form-URL-encoded first.
fn secret_needs_encoding(authorization: &str) -> bool {
    let token = authorization.split_whitespace().nth(1).unwrap_or("");
    let Ok(decoded) =
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, token.as_bytes())
    else {
        return false;
    };
    let decoded = String::from_utf8_lossy(&decoded);
    let Some((_, secret)) = decoded.split_once(':') else {
        return false;
    };
    secret.contains(['+', '/', '=', '&', ':', ' '])
        || (secret.contains('%') && !secret.contains("%2"))
}
