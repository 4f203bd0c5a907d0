use crate::knowledge::time;
use crate::report::{Evidence, Finding, Severity};
use crate::rules::{Cx, Rule, auth};

rule! {
    /// The request's JWT has an `exp` claim before the moment of the response (its Date
    /// header, else the reference time the caller passes). Says by how much. Expired tokens
    /// are the most common cause of a 401 that "worked a minute ago".
    AuthTokenExpired {
        id: "auth.token-expired",
        severity: Error,
        title: "The JWT has expired",
        reference: Some("https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4"),
        fixtures: ["fastapi/401-expired-jwt.txt"],
        explanation: "The token's `exp` claim says when it stops being valid, and the server answered after that moment. Servers reject expired tokens (PyJWT and jsonwebtoken allow no leeway by default).",
        fix: {
            caller: "Get a new access token (refresh it with the refresh token or log in again), and refresh proactively a minute before `exp` rather than after a 401.",
            owner: "Say `error=\"invalid_token\", error_description=\"token expired\"` in WWW-Authenticate so clients can refresh automatically.",
        },
    }
}

impl Rule for AuthTokenExpired {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(token) = auth::request_jwt(cx) else {
            return;
        };
        let jwt = token.jwt;
        let Some(exp) = jwt.exp() else { return };
        let Some(clock) = cx.now() else {
            return;
        };
        let now = clock.secs;
        if exp >= now {
            return;
        }
        let ago = time::format_duration(now.saturating_sub(exp));
        let mut finding = self
            .meta()
            .finding(
                format!(
                    "The JWT in {} expired {ago} before {}",
                    token.place.words(),
                    clock.source.moment()
                ),
                token.evidence,
            )
            .with_evidence(Evidence::new(
                "JWT claim",
                format!("\"exp\": {exp} ({})", time::format_utc(exp)),
                None,
            ))
            .with_evidence(clock.evidence);
        if let Some(iat) = jwt.iat() {
            finding = finding.with_evidence(Evidence::new(
                "JWT claim",
                format!(
                    "\"iat\": {iat} ({}); lifetime {}",
                    time::format_utc(iat),
                    time::format_duration(exp.saturating_sub(iat))
                ),
                None,
            ));
        }
        if cx.status().is_some_and(|s| s < 400) {
            finding = finding.severity(Severity::Warning);
        }
        out.push(finding
            .explain(format!("The token's `exp` claim says it stopped being valid at {}, and the server answered at {}. Servers reject expired tokens (PyJWT and jsonwebtoken allow no leeway by default).", time::format_utc(exp), time::format_utc(now)))
            );
    }
}
