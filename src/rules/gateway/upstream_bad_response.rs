use crate::knowledge::responders::Upstream;
use crate::report::Finding;
use crate::rules::gateway;
use crate::rules::{Cx, Rule};

rule! {
    /// The origin answered the proxy, but invalidly or it closed early: Cloudflare 520,
    /// nginx `upstream prematurely closed`, Envoy resets before headers (`connection
    /// termination`, `remote reset`, `protocol error`), Kong's "invalid response", HAProxy's
    /// "invalid or incomplete response", Apache's Proxy Error, a Lambda behind API Gateway
    /// failing or returning a malformed proxy response (API Gateway's 502 `Internal server
    /// error`), Vercel `FUNCTION_INVOCATION_FAILED`, Heroku H13/H18.
    GatewayUpstreamBadResponse {
        id: "gateway.upstream-bad-response",
        severity: Error,
        title: "The application gave the proxy an invalid response",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-502-bad-gateway"),
        fixtures: [
            "handmade/kong-invalid-upstream.txt",
            "handmade/cloudflare-520.txt",
            "vendors/aws-api-gateway-502-lambda.txt",
            "vendors/envoy-connection-termination.txt",
        ],
        explanation: "The connection to the application worked, but what came back was not a usable HTTP response: the process crashed mid-response, closed the connection, sent malformed headers, or (serverless) returned an object of the wrong shape.",
        fix: {
            caller: "Retry idempotent requests with back-off and report the time and request ID.",
            owner: "Check the application's logs for a crash or OOM kill at that moment, and that it sends a complete response (status, headers, body) for this request.",
        },
    }
}

impl Rule for GatewayUpstreamBadResponse {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if !(response.status >= 500 || response.status == 0) {
            return;
        }
        let Some(account) = gateway::account(cx, Upstream::BadResponse) else {
            return;
        };
        let who = account.who;
        let explanation = gateway::explain(
            &account,
            "The connection to the application worked, but what came back was not a usable HTTP response: the process crashed mid-response, closed the connection, sent malformed headers, or (serverless) returned an object of the wrong shape.",
        );
        out.extend(
            self.meta()
                .finding_from(
                    format!("{who} reached the application, but its answer was invalid or cut off"),
                    account.evidence,
                )
                .map(|f| f.explain(explanation)),
        );
    }
}
