use crate::knowledge::text;
use crate::knowledge::text::Signatures;
use crate::model::HasHeaders;
use crate::report::{Evidence, Finding};
use crate::rules::{Cx, Rule, Side, auth};

rule! {
    /// The token is valid but lacks a permission the endpoint needs: WWW-Authenticate
    /// `error="insufficient_scope"` (with `scope=`), a body naming a missing scope (Google
    /// `ACCESS_TOKEN_SCOPE_INSUFFICIENT`, Slack `missing_scope` with `needed`), or a JWT whose
    /// scope claim lacks the scope the server names.
    AuthInsufficientScope {
        id: "auth.insufficient-scope",
        severity: Error,
        title: "The token lacks a required scope",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6750#section-3.1"),
        fixtures: ["fastapi/403-insufficient-scope.txt"],
        explanation: "The token is genuine and current, but it was issued without the permission this endpoint checks. Scopes are fixed when the token is issued: asking again with the same token cannot succeed.",
        fix: {
            caller: "Request a token with the scope the endpoint documents (add it to the `scope` parameter of the authorization request), or use a user or app that has it.",
            owner: "Answer 403 with `WWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"…\"` naming the scope needed.",
        },
    }
}

static BODY_SIGNS: Signatures = Signatures::new(&[
    "insufficient_scope",
    "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
    "missing_scope",
    "Insufficient scope",
    "insufficient scope",
    "required scope",
    "Missing scope",
]);

impl Rule for AuthInsufficientScope {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if !matches!(cx.status(), Some(403 | 401 | 200)) {
            return;
        }
        let challenge = cx
            .response()
            .into_iter()
            .flat_map(|r| r.headers_named("www-authenticate"))
            .find(|h| {
                auth::challenge_param(&h.value, "error").as_deref() == Some("insufficient_scope")
            });
        let body = cx.response_signature(&BODY_SIGNS).map(|(_, e)| e);
        if challenge.is_none() && body.is_none() {
            return;
        }
        let mut required: Vec<String> = challenge
            .and_then(|h| auth::challenge_param(&h.value, "scope"))
            .map(|s| s.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        if required.is_empty()
            && let Some(serde_json::Value::Object(json)) = cx.response_json()
            && let Some(needed) = json.get("needed").and_then(|v| v.as_str())
        {
            required = needed.split(',').map(|s| s.trim().to_owned()).collect();
        }
        let mut evidence: Vec<Evidence> = challenge
            .map(|h| cx.header_evidence(Side::Response, h))
            .into_iter()
            .collect();
        evidence.extend(body);
        let granted = auth::request_jwt(cx).and_then(|token| {
            let (claim, scopes) = token.jwt.scope_claim()?;
            Some((
                scopes.into_iter().map(str::to_owned).collect::<Vec<_>>(),
                token.evidence(cx),
                claim,
            ))
        });
        let missing: Vec<String> = match &granted {
            Some((scopes, _, _)) => required
                .iter()
                .filter(|r| !scopes.contains(r))
                .cloned()
                .collect(),
            None => required.clone(),
        };
        let title = match (&granted, missing.is_empty()) {
            (Some((scopes, _, _)), false) => format!(
                "The token grants {} but the endpoint needs {}",
                if scopes.is_empty() {
                    "no scopes".to_owned()
                } else {
                    text::join_words(scopes)
                },
                text::join_words(&missing)
            ),
            (_, false) => format!("The token lacks the scope {}", text::join_words(&missing)),
            _ => "The token lacks a scope this endpoint requires".to_owned(),
        };
        if let Some((scopes, ev, claim)) = granted {
            evidence.push(ev);
            evidence.push(Evidence::new(
                crate::knowledge::jwt::CLAIM_EVIDENCE,
                format!("{claim}: {}", scopes.join(" ")),
                None,
            ));
        }
        let Some(finding) = self.meta().finding_from(title, evidence) else {
            return;
        };
        out.push(finding.caller_fix(if missing.is_empty() { "Request a token with the scope the endpoint documents (add it to the authorization request), or use a user/app that has it.".to_owned() } else { format!("Request a new token that includes {} (add it to the `scope` parameter of the authorization request).", text::join_words(&missing)) }));
    }
}
