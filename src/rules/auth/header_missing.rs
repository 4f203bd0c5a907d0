use crate::knowledge::text::Needles;
use crate::knowledge::url;
use crate::report::{Finding, input};
use crate::rules::auth;
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A 401 (or a 403 that says "not authenticated") for a request whose headers are
    /// visible and carry no credentials at all: no Authorization, no Cookie, no API-key
    /// header or query parameter. Often the header was never set, or a redirect or proxy
    /// dropped it.
    AuthHeaderMissing {
        id: "auth.header-missing",
        severity: Error,
        title: "The request carries no credentials",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-authorization"),
        fixtures: ["fastapi/401-no-token.txt", "chromium/mixed-page.har"],
        explanation: "The server needs to know who is calling and the request did not say: it has no Authorization header, no cookie and no API key.",
        fix: {
            caller: "Send the credentials the server asks for (`Authorization: Bearer <token>`, or the scheme its WWW-Authenticate names). Check that the variable holding the token is set, and that no redirect or proxy strips the header.",
            owner: "Keep sending WWW-Authenticate with the expected scheme on 401s, as RFC 9110 requires.",
        },
    }
}

/// What servers answer when no credential reached them (Spring Security, Django REST
/// framework, Twilio, and the common wordings).
static ABSENT: Needles = Needles::new(&[
    "Full authentication is required",
    "credentials were not provided",
    "No credentials provided",
    "No authorization header",
    "Authorization header is missing",
    "Missing Authorization header",
    "missing authorization header",
    "Authorization header missing",
    "No auth token",
    "No API key found in request",
]);

/// A 403 that says the caller is not authenticated (Django REST framework, FastAPI).
static UNAUTHENTICATED: Needles = Needles::new(&[
    "not authenticated",
    "credentials were not provided",
    "Not authenticated",
]);

impl Rule for AuthHeaderMissing {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(status) = cx.status() else { return };
        // A HAR exported without credentials shows none on any request (`capture.sanitized`).
        if cx.lookup.credentials_stripped {
            return;
        }
        // The request is not shown, but the server's own words say no credential came.
        let unseen = cx
            .request()
            .is_none_or(|r| r.headers.is_empty() && r.handed.is_empty());
        if unseen && matches!(status, 401 | 403) {
            if let Some((_, evidence)) = cx.response_body_first(&ABSENT) {
                out.push(
                    self.meta()
                        .finding(
                            format!("The server says the request carried no credentials ({status})"),
                            evidence,
                        )
                        .with_all_evidence(cx.status_evidence())
                        .explain("The server needs to know who is calling, and its answer says the request did not say: no Authorization header, no cookie, no API key reached it. The request itself is not in the paste.")
                        .caller_fix("Send the credential the API expects (`Authorization: Bearer <token>`, or Basic for user and password). Check that the variable holding it is set, and that no redirect or proxy strips the header."),
                );
            }
            return;
        }
        let Some(request) = cx.request() else { return };
        let says_unauthenticated =
            status == 403 && cx.response_body_first(&UNAUTHENTICATED).is_some();
        if !(status == 401 || says_unauthenticated)
            || request.headers.is_empty()
            || auth::has_credentials(cx)
            // An OAuth client authenticating in the form body (client_secret_post).
            || request.body.as_ref().is_some_and(|b| {
                b.text.contains("client_secret=") || b.text.contains("client_assertion=")
            })
        {
            return;
        }
        let challenge = auth::challenges(cx);
        let scheme = challenge.first().map(|(s, _)| s.clone());
        let Some(request_line) = cx.request_line_evidence() else {
            return;
        };
        let mut finding = self
            .meta()
            .finding(
                format!(
                    "{} was sent without any credentials and got {status}",
                    match request.method.as_deref() {
                        Some(method) => input(&format!("{method} {}", url::path_of(&request.url))),
                        None => format!("The request to {}", input(url::path_of(&request.url))),
                    }
                ),
                request_line,
            )
            .with_all_evidence(cx.status_evidence());
        if let Some((_, h)) = challenge.first() {
            finding = finding.with_evidence(cx.header_evidence(Side::Response, h));
        }
        let how = match scheme.as_deref() {
            Some("basic") => {
                "`Authorization: Basic <base64 of user:password>` (curl `-u user:password`)"
                    .to_owned()
            }
            Some("bearer") | None => "`Authorization: Bearer <token>`".to_owned(),
            Some(other) => {
                format!(
                    "an Authorization header with the {} scheme the server asks for",
                    input(other)
                )
            }
        };
        let redirected = cx
            .previous()
            .last()
            .and_then(|e| e.response.as_ref())
            .is_some_and(|r| (300..400).contains(&r.status));
        let mut explanation = "The server needs to know who is calling and the request did not say: it has no Authorization header, no cookie and no API key.".to_owned();
        if redirected {
            explanation.push_str(" A redirect came just before: clients drop Authorization when a redirect goes to another host, so the token may have been sent only to the first URL.");
        }
        out.push(finding.explain(explanation)
            .caller_fix(format!("Send {how}. Check that the variable holding the token is set, and that no redirect or proxy strips the header."))
            );
    }
}
