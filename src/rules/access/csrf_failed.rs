use crate::knowledge::frameworks;
use crate::report::Finding;
use crate::rules::{Cx, Rule};

rule! {
    /// A framework's CSRF protection refused the request: Django `CSRF verification
    /// failed`, Rails `InvalidAuthenticityToken`, Laravel 419 `CSRF token mismatch` /
    /// `Page Expired`, Spring Security `Invalid CSRF Token`, csurf, Flask-WTF. Happens to
    /// API calls authenticated by session cookie, and to forms without the token.
    AccessCsrfFailed {
        id: "access.csrf-failed",
        severity: Error,
        title: "The CSRF check failed",
        reference: Some("https://owasp.org/www-community/attacks/csrf"),
        fixtures: ["django/403-csrf.txt"],
        explanation: "The server uses cookie sessions and, to stop other sites from sending requests on the user's behalf, requires a matching token in a header or form field (and, for HTTPS, a same-origin Origin/Referer). This request did not carry it, or carried a stale one.",
        fix: {
            caller: "Read the CSRF cookie (e.g. `csrftoken`) and send it back in the header the framework expects (Django `X-CSRFToken`, Laravel/Rails `X-CSRF-TOKEN`/`X-XSRF-TOKEN`); for scripts, authenticate with a token instead of a session cookie.",
            owner: "Exempt token-authenticated API endpoints from CSRF (it protects cookie sessions only), and document the header name.",
        },
    }
}

impl Rule for AccessCsrfFailed {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if !cx
            .response()
            .is_some_and(|r| matches!(r.status, 403 | 419 | 400 | 0))
        {
            return;
        }
        let Some((framework, evidence)) = cx.response_signature(&frameworks::CSRF) else {
            return;
        };
        let mut finding = self.meta().finding(
            format!("{framework} refused the request: its CSRF token is missing or wrong"),
            evidence,
        );
        if let Some(reason) = cx
            .response_body_match("CSRF cookie not set")
            .or_else(|| cx.response_body_match("CSRF token missing"))
            .or_else(|| cx.response_body_match("Origin checking failed"))
            .or_else(|| cx.response_body_match("Referer checking failed"))
        {
            finding = finding.with_evidence(reason);
        }
        out.push(finding);
    }
}
