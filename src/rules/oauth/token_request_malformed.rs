use crate::model::HasHeaders;
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, Side, oauth};

rule! {
    /// The token request itself is malformed: `error=invalid_request` at a token endpoint
    /// (a missing `grant_type`, `code`, `redirect_uri` or `code_verifier`, a repeated
    /// parameter, credentials in both the Authorization header and the body), or a request
    /// whose body is JSON where RFC 6749 §4.1.3 requires
    /// `application/x-www-form-urlencoded` — whatever error the server then gives, since it
    /// could not read the parameters.
    OauthTokenRequestMalformed {
        id: "oauth.token-request-malformed",
        severity: Error,
        title: "The token request is malformed (invalid_request)",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3"),
        fixtures: [
            "oauth/oidc-json-body.txt",
            "oauth/authlib-json-body.txt",
            "oauth/authlib-missing-code.txt",
            "oauth/oidc-two-auth-methods.txt",
        ],
        explanation: "A token endpoint reads its parameters from an `application/x-www-form-urlencoded` body, requires `grant_type` and the parameters of that grant (`code` and `redirect_uri` for authorization_code, `refresh_token` for refresh_token …), and accepts the client's credentials in one place only. A request that breaks one of these rules is refused with `invalid_request` — or, when the server could not read the body at all, with whatever error the missing parameters lead to.",
        fix: {
            caller: "Send the parameters form-encoded (`Content-Type: application/x-www-form-urlencoded`, `grant_type=…&code=…`; `URLSearchParams` in fetch, `data=` not `json=` in requests), with every parameter the grant needs, and the client credentials either in Basic or in the body, not both.",
            owner: "Name the missing or conflicting parameter in `error_description`.",
        },
    }
}

impl Rule for OauthTokenRequestMalformed {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if cx.status().is_none_or(|s| s < 400) {
            return;
        }
        let error = oauth::oauth_error(cx);
        if let Some(content_type) = oauth::json_token_request(cx) {
            let answer = error.as_ref().map_or_else(
                || format!("{}", cx.status().unwrap_or_default()),
                |e| input(&e.code),
            );
            let title = format!(
                "The token request's body is JSON; the token endpoint reads only form-encoded parameters (it answered {answer})"
            );
            let mut evidence = vec![content_type];
            if let Some(e) = error {
                evidence.extend(e.evidence);
            }
            if let Some(finding) = self.meta().finding_from(title, evidence) {
                out.push(finding.explain("RFC 6749 §4.1.3 has the client send the token request as `application/x-www-form-urlencoded`. The request sent JSON, so the server found no `grant_type` or other parameter in it: the error it answered is about parameters it could not read, not about their values."));
            }
            return;
        }
        let Some(error) = error else { return };
        if error.code != "invalid_request" || !oauth::at_token_endpoint(cx) {
            return;
        }
        // Other rules own these invalid_requests.
        if error.mentions(&["redirect_uri", "redirect uri"])
            || (error.mentions(&["grant type", "grant_type"])
                && error.mentions(&["not allowed", "not authorized", "unauthorized"]))
        {
            return;
        }
        let request = cx.request();
        let basic = request.and_then(|r| {
            r.header("authorization").filter(|h| {
                h.value
                    .trim_start()
                    .to_ascii_lowercase()
                    .starts_with("basic")
            })
        });
        let body_secret = oauth::request_param(cx, "client_secret");
        let mut evidence: Vec<Evidence> = error.evidence.clone();
        let title = if let (Some(h), Some((secret, mut e))) = (basic, body_secret) {
            evidence.push(cx.header_evidence(Side::Request, h));
            e.quote = format!(
                "client_secret={}",
                crate::knowledge::secrets::mask_credential(&secret)
            );
            evidence.push(e);
            "The client authenticated twice, with a Basic header and a client_secret in the body; send one".to_owned()
        } else if let Some(param) = missing_param(error.description.as_deref().unwrap_or("")) {
            format!("The token request lacks the `{param}` parameter")
        } else {
            match error.short_description() {
                Some(d) => format!(
                    "The token endpoint refused the request as malformed: {}",
                    input(&d)
                ),
                None => "The token endpoint refused the request as malformed (invalid_request)"
                    .to_owned(),
            }
        };
        if let Some(finding) = self.meta().finding_from(title, evidence) {
            out.push(finding);
        }
    }
}

/// `Missing 'code' in request.`, `missing required parameter: code_verifier`, `The request
/// is missing a required parameter: grant_type` → the parameter.
fn missing_param(description: &str) -> Option<String> {
    let lower = description.to_ascii_lowercase();
    let at = lower.find("missing")?;
    let rest = &description[at + 7..];
    [
        "code_verifier",
        "grant_type",
        "redirect_uri",
        "refresh_token",
        "client_id",
        "code",
        "scope",
        "assertion",
        "device_code",
        "username",
        "password",
    ]
    .iter()
    .find(|p| {
        rest.match_indices(*p).any(|(i, _)| {
            let before = rest[..i].chars().last();
            let after = rest[i + p.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    })
    .map(|p| (*p).to_owned())
}
