use crate::knowledge::time;
use crate::report::{Evidence, Finding, Severity};
use crate::rules::{ClockSource, Cx, Rule, auth};

rule! {
    /// The request's JWT has an `exp` claim before the moment of the response (its Date
    /// header, else when the HAR entry started, else the reference time the caller passes).
    /// Says by how much. Expired tokens are the most common cause of a 401 that "worked a
    /// minute ago". A request that succeeded is not reported: the server accepted the token,
    /// so it was valid when it was used, however old it looks now.
    AuthTokenExpired {
        id: "auth.token-expired",
        severity: Error,
        title: "The JWT has expired",
        reference: Some("https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4"),
        fixtures: ["fastapi/401-expired-jwt.txt"],
        restates: ["auth.token-rejected"],
        explanation: "The token's `exp` claim says when it stops being valid, and the server answered after that moment. Servers reject expired tokens (PyJWT and jsonwebtoken allow no leeway by default).",
        fix: {
            caller: "Get a new access token (refresh it with the refresh token or log in again), and refresh proactively a minute before `exp` rather than after a 401.",
            owner: "Say `error=\"invalid_token\", error_description=\"token expired\"` in WWW-Authenticate so clients can refresh automatically.",
        },
    }
}

impl Rule for AuthTokenExpired {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // The server accepted the token (a 2xx, or a 304 that revalidated a cached copy):
        // whatever a clock says, it was not rejected as expired. Measured against today a
        // token in an old HAR always looks expired.
        if cx
            .status()
            .is_some_and(|s| (200..300).contains(&s) || s == 304)
        {
            return;
        }
        let Some(token) = auth::request_jwt(cx) else {
            return;
        };
        let jwt = &token.jwt;
        let Some(exp) = jwt.exp() else { return };
        let Some(clock) = cx.now() else {
            return;
        };
        let now = clock.secs;
        if exp >= now {
            return;
        }
        let ago = time::format_duration_for_people(now.saturating_sub(exp));
        let mut finding = self
            .meta()
            .finding(
                format!(
                    "The JWT in {} expired {ago} before {}",
                    token.place.words(),
                    clock.source.moment()
                ),
                token.evidence(cx),
            )
            .with_evidence(Evidence::new(
                crate::knowledge::jwt::CLAIM_EVIDENCE,
                format!("\"exp\": {exp} ({})", time::format_utc(exp)),
                None,
            ))
            .with_evidence(clock.evidence(cx));
        if let Some(iat) = jwt.iat() {
            finding = finding.with_evidence(Evidence::new(
                crate::knowledge::jwt::CLAIM_EVIDENCE,
                format!(
                    "\"iat\": {iat} ({}); lifetime {}",
                    time::format_utc(iat),
                    time::format_duration_for_people(exp.saturating_sub(iat))
                ),
                None,
            ));
        }
        // A redirect is not a rejection, but may be one (to a login page).
        if cx.status().is_some_and(|s| s < 400) {
            finding = finding.severity(Severity::Warning);
        }
        let (exp_at, now_at) = (time::format_utc(exp), time::format_utc(now));
        let measured = match clock.source {
            ClockSource::ResponseDate => format!("and the server answered at {now_at}"),
            ClockSource::HarStarted => format!("and the request was made at {now_at}"),
            ClockSource::Reference => format!(
                "before the reference time, {now_at} (the input does not say when the request was made)"
            ),
        };
        out.push(finding.explain(format!("The token's `exp` claim says it stopped being valid at {exp_at}, {measured}. Servers reject expired tokens (PyJWT and jsonwebtoken allow no leeway by default).")));
    }
}
