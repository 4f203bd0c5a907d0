use crate::knowledge::responders;
use crate::knowledge::text::Signatures;
use crate::report::Finding;
use crate::rules::{Cx, Rule};

rule! {
    /// The origin answered the proxy, but invalidly or it closed early: Cloudflare 520,
    /// nginx `upstream prematurely closed`, Envoy resets before headers, Kong's "invalid
    /// response", HAProxy's "invalid or incomplete response", Apache's Proxy Error, a Lambda
    /// behind API Gateway returning a malformed proxy response, Vercel
    /// `FUNCTION_INVOCATION_FAILED`.
    GatewayUpstreamBadResponse {
        id: "gateway.upstream-bad-response",
        severity: Error,
        title: "The application gave the proxy an invalid response",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-502-bad-gateway"),
        fixtures: ["handmade/kong-invalid-upstream.txt", "handmade/cloudflare-520.txt"],
        explanation: "The connection to the application worked, but what came back was not a usable HTTP response: the process crashed mid-response, closed the connection, sent malformed headers, or (serverless) returned an object of the wrong shape.",
        fix: {
            caller: "Retry idempotent requests with back-off and report the time and request ID.",
            owner: "Check the application's logs for a crash or OOM kill at that moment, and that it sends a complete response (status, headers, body) for this request.",
        },
    }
}

static BODY_SIGNS: Signatures = Signatures::new(&[
    "upstream prematurely closed",
    "disconnect/reset before headers. reset reason: connection termination",
    "reset reason: remote reset",
    "An invalid response was received from the upstream server",
    "The server returned an invalid or incomplete response",
    "The proxy server received an invalid",
    "Malformed Lambda proxy response",
    "FUNCTION_INVOCATION_FAILED",
    "Error 520",
    "Web server is returning an unknown error",
    "H13",
    "H18",
]);

impl Rule for GatewayUpstreamBadResponse {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if !(response.status >= 500 || response.status == 0) {
            return;
        }
        let Some(sign) = cx.response_signature(&BODY_SIGNS).map(|(_, e)| e) else {
            return;
        };
        let who = responders::identify(response).map_or("The proxy", |(r, _)| r.name);
        out.push(
            self.meta()
                .finding(
                    format!("{who} reached the application, but its answer was invalid or cut off"),
                    sign,
                )
                .with_all_evidence(cx.status_evidence()),
        );
    }
}
