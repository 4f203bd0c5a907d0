use crate::knowledge::time;
use crate::report::{Evidence, Finding};
use crate::rules::{ClockSource, Cx, Rule, auth};

rule! {
    /// The request's JWT has an `nbf` (not before) or `iat` (issued at) later than the
    /// moment of the response (its Date header, else when the HAR entry started, else the
    /// reference time): the issuer's clock runs ahead of the server's (clock skew), or the
    /// token is used before its start. Not reported when the server accepted the token.
    AuthTokenNotYetValid {
        id: "auth.token-not-yet-valid",
        severity: Error,
        title: "The JWT is not valid yet",
        reference: Some("https://www.rfc-editor.org/rfc/rfc7519#section-4.1.5"),
        fixtures: ["fastapi/401-not-yet-valid.txt"],
        restates: ["auth.token-rejected"],
        explanation: "The token says it becomes valid (`nbf`) or was issued (`iat`) after the moment the server answered. Either the machine that issued the token has a clock that runs ahead, or the server's runs behind.",
        fix: {
            caller: "Retry in a moment; if it persists, check the clocks of the issuing machine and the API server (NTP).",
            owner: "Sync clocks with NTP and allow a small leeway (30–60 s) when validating nbf/iat.",
        },
    }
}

/// Issuers and servers are seldom in perfect sync; below this, `iat` in the future is noise.
pub(super) const IAT_SKEW_TOLERANCE: i64 = 60;

impl Rule for AuthTokenNotYetValid {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // The server accepted the token: it was valid for the server, whatever the clocks say.
        if cx.status().is_some_and(|s| s < 400) {
            return;
        }
        let Some(token) = auth::request_jwt(cx) else {
            return;
        };
        let jwt = &token.jwt;
        let Some(clock) = cx.now() else {
            return;
        };
        let now = clock.secs;
        let (claim, at) = match (jwt.nbf(), jwt.iat()) {
            (Some(nbf), _) if nbf > now => ("nbf", nbf),
            (_, Some(iat)) if iat > now.saturating_add(IAT_SKEW_TOLERANCE) => ("iat", iat),
            _ => return,
        };
        let ahead = time::format_duration_for_people(at.saturating_sub(now));
        // Whose clock the token is ahead of: the server's (its Date header), the client's
        // (a HAR's start time is the browser's clock), or only the reference time's.
        let (behind, when) = match clock.source {
            ClockSource::ResponseDate => ("the server's clock", "the server answered at"),
            ClockSource::HarStarted => ("the client's clock", "the request was made at"),
            ClockSource::Reference => ("the reference time", "the reference time is"),
        };
        out.push(self.meta()
            .finding(format!("The JWT's `{claim}` lies {ahead} after {behind}: clock skew"), token.evidence(cx))
            .with_evidence(Evidence::new(crate::knowledge::jwt::CLAIM_EVIDENCE, format!("\"{claim}\": {at} ({})", time::format_utc(at)), None))
            .with_evidence(clock.evidence(cx))
            .explain(format!("The token says it becomes valid at {}, but {when} {}. Either the machine that issued the token has a clock that runs ahead, or the server's runs behind.", time::format_utc(at), time::format_utc(now)))
            );
    }
}
