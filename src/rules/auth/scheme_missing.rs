use crate::fix::RequestEdit;
use crate::knowledge::jwt;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// Authorization holds a bare token with no scheme — `Authorization: eyJ…` instead of
    /// `Authorization: Bearer eyJ…`. Servers split the value on the first space and find no
    /// scheme they know, so the token is never even checked.
    AuthSchemeMissing {
        id: "auth.scheme-missing",
        severity: Error,
        title: "The Authorization header has no scheme",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6750#section-2.1"),
        fixtures: ["curl/bare-token.txt"],
        explanation: "An Authorization value is `<scheme> <credentials>`. Without the scheme, the server cannot tell what kind of credential this is, and treats the request as unauthenticated — FastAPI's HTTPBearer, for one, answers `Not authenticated` exactly as if the header were absent.",
        fix: {
            caller: "Put the scheme before the token: `Authorization: Bearer <token>`.",
            owner: "Say in the error that the scheme is missing; it is the most common mistake with bearer tokens.",
        },
    }
}

impl Rule for AuthSchemeMissing {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(h) = cx.request().and_then(|r| r.header("authorization")) else {
            return;
        };
        let value = h.value.trim().trim_matches(['"', '\'']);
        if value.is_empty()
            || value.contains(' ')
            || value.ends_with(':')
            || cx.status().is_some_and(|s| s < 400)
        {
            return;
        }
        let what = if jwt::decode(value).is_some() {
            "a bare JWT"
        } else {
            "a bare token"
        };
        let expected = crate::rules::auth::challenges(cx)
            .first()
            .map_or_else(|| "bearer".into(), |(s, _)| s.clone());
        let scheme = if expected == "bearer" {
            "Bearer".to_owned()
        } else {
            expected.clone()
        };
        let mut finding = self
            .meta()
            .finding(
                format!(
                    "Authorization holds {what} without the `{} ` scheme in front",
                    input(&scheme)
                ),
                cx.header_evidence(Side::Request, h),
            )
            .with_all_evidence(cx.status_evidence());
        if let Some((_, challenge)) = crate::rules::auth::challenges(cx).first() {
            finding = finding.with_evidence(cx.header_evidence(Side::Response, challenge));
        }
        // A scheme that answers a challenge (Digest, Negotiate) needs more than a prefix.
        if !matches!(expected.as_str(), "digest" | "negotiate" | "ntlm") {
            finding = finding.edit(RequestEdit::AuthScheme(scheme.clone()));
        }
        out.push(finding.caller_fix(format!(
            "Send `Authorization: {} <token>` (curl: `-H \"Authorization: {} $TOKEN\"`).",
            input(&scheme),
            input(&scheme)
        )));
    }
}
