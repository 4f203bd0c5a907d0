use crate::knowledge::text::Needles;
use crate::knowledge::{secrets, url};
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, auth};

rule! {
    /// The credential belongs to another environment than the API it was sent to: a test
    /// key against live data (or the reverse), a JWT whose `iss` or `aud` names a staging or
    /// development host while the request went to another host.
    AuthEnvironmentMismatch {
        id: "auth.environment-mismatch",
        severity: Error,
        title: "The credential belongs to another environment",
        reference: Some("https://www.rfc-editor.org/rfc/rfc7519#section-4.1.3"),
        fixtures: ["fastapi/401-staging-token.txt", "handmade/stripe-test-key-live.txt"],
        restates: ["auth.token-rejected", "url.resource-not-found"],
        explanation: "Test-mode and live-mode data are separate: an object created with a test key does not exist for a live key, and the reverse.",
        fix: {
            caller: "Use the key of the same mode as the object (`sk_test_…` for test data, `sk_live_…` for live data).",
            owner: "Keep saying which mode the object lives in.",
        },
    }
}

const ENVIRONMENTS: &[(&str, &[&str])] = &[
    ("staging", &["staging", "stage", "stg", "preprod", "uat"]),
    (
        "development",
        &["dev", "development", "local", "localhost", "127.0.0.1"],
    ),
    ("test", &["test", "testing", "sandbox", "qa"]),
];

fn environment_of(host: &str) -> &'static str {
    let lower = host.to_ascii_lowercase();
    for (name, words) in ENVIRONMENTS {
        if lower
            .split(['.', '-', ':', '/'])
            .any(|part| words.contains(&part))
        {
            return name;
        }
    }
    "production"
}

/// Stripe's words for a key of the other mode.
static OTHER_MODE: Needles = Needles::new(&[
    "a test mode key was used",
    "a live mode key was used",
    "similar object exists in live mode",
    "similar object exists in test mode",
]);

impl Rule for AuthEnvironmentMismatch {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if !cx.status().is_some_and(|s| (400..500).contains(&s)) {
            return;
        }
        let Some(request) = cx.request() else { return };
        // Stripe says it in words.
        if let Some((_, e)) = cx.response_body_first(&OTHER_MODE) {
            // The key this exchange sent: searched in its own text (the whole input for
            // each refusal would cost a large capture of them its size squared).
            let (scope, at) = match cx.exchange.span {
                Some(span) => (cx.input.get(span.start..span.end).unwrap_or(""), span.start),
                None => (cx.input, 0),
            };
            let keys = secrets::find_keys(scope)
                .into_iter()
                .filter(|key| key.what.contains("test") || key.what.contains("live"))
                .map(|key| {
                    let span = crate::model::Span::new(at + key.start, at + key.end);
                    Evidence::new(
                        key.what,
                        crate::knowledge::secrets::mask_credential(&cx.input[span.start..span.end]),
                        Some(span),
                    )
                });
            out.push(
                self.meta()
                    .finding(
                        "The key is for the other mode (test vs live) than the object it addresses",
                        e,
                    )
                    .with_all_evidence(keys.take(1)),
            );
            return;
        }
        let Some(host) = url::host(&request.url) else {
            return;
        };
        let Some(token) = auth::request_jwt(cx) else {
            return;
        };
        let jwt = &token.jwt;
        let target_env = environment_of(host);
        let mut claims = jwt
            .audiences()
            .into_iter()
            .map(|a| ("aud", a.to_owned()))
            .collect::<Vec<_>>();
        claims.extend(jwt.string_claim("iss").map(|i| ("iss", i.to_owned())));
        for (claim, value) in claims {
            let Some(claim_host) =
                url::host(&value).or(Some(value.as_str()).filter(|v| v.contains('.')))
            else {
                continue;
            };
            let claim_env = environment_of(claim_host);
            if claim_env != target_env {
                out.push(self.meta()
                    .finding(format!("The JWT's `{claim}` names a {claim_env} host ({}), but the request went to {} ({target_env})", input(claim_host), input(host)), token.evidence(cx))
                    .with_evidence(Evidence::new(crate::knowledge::jwt::CLAIM_EVIDENCE, format!("\"{claim}\": \"{value}\""), None))
                    .with_all_evidence(cx.request_line_evidence())
                    .explain("Each environment has its own identity provider or audience; a token issued for one is rejected by the others even though it is well-formed and unexpired.")
                    .caller_fix(format!("Get a token from the {target_env} issuer, or send the request to the {claim_env} API."))
                    .owner_fix("Name the expected issuer and audience in the error description."));
                return;
            }
        }
    }
}
