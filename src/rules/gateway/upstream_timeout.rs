use crate::knowledge::responders;
use crate::knowledge::text::Signatures;
use crate::report::Finding;
use crate::rules::{Cx, Rule};

rule! {
    /// The proxy gave up waiting for the origin: a 504 from nginx and others, Cloudflare
    /// 522/524, Heroku H12, API Gateway `Endpoint request timed out`, Envoy `upstream request
    /// timeout`, Vercel `FUNCTION_INVOCATION_TIMEOUT`, Fastly `first byte timeout`.
    GatewayUpstreamTimeout {
        id: "gateway.upstream-timeout",
        severity: Error,
        title: "The proxy timed out waiting for the application",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-504-gateway-timeout"),
        fixtures: ["nginx/504-slow-upstream.txt"],
        explanation: "A proxy or gateway forwarded the request and the application did not answer within the proxy's timeout (nginx proxy_read_timeout 60 s by default, API Gateway 29 s, Heroku 30 s, Cloudflare 100 s). The application may still be working on it — a retry can run the operation twice.",
        fix: {
            caller: "Do not retry non-idempotent requests blindly; check whether the operation happened. Use smaller batches or the API's asynchronous variant.",
            owner: "Find what the request waits on (slow query, lock, slow dependency); make long work asynchronous (202 + status URL) or raise the proxy timeout to match.",
        },
    }
}

static BODY_SIGNS: Signatures = Signatures::new(&[
    "upstream request timeout",
    "Endpoint request timed out",
    "FUNCTION_INVOCATION_TIMEOUT",
    "first byte timeout",
    "Error 524",
    "Error 522",
    "A timeout occurred",
    "H12",
    "Gateway Time-out",
    "Gateway Timeout",
]);

impl Rule for GatewayUpstreamTimeout {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        let sign = cx.response_signature(&BODY_SIGNS).map(|(_, e)| e);
        if !(matches!(response.status, 504 | 522 | 524)
            || (sign.is_some() && response.status >= 500))
        {
            return;
        }
        let who = responders::identify(response).map_or("A proxy or gateway", |(r, _)| r.name);
        let elapsed = cx
            .exchange
            .timings
            .as_ref()
            .and_then(|t| t.total_ms)
            .map(|ms| format!(" after {:.1} s", ms / 1000.0))
            .unwrap_or_default();
        let Some(status) = cx.status_evidence() else {
            return;
        };
        out.push(self.meta()
            .finding(format!("{who} gave up waiting for the application{elapsed} ({})", response.status), status)
            .with_all_evidence(sign)
            .explain(format!("{who} forwarded the request and the application did not answer within the proxy's timeout (nginx proxy_read_timeout 60 s by default, API Gateway 29 s, Heroku 30 s, Cloudflare 100 s). The application may still be working on it — a retry can run the operation twice.")));
    }
}
