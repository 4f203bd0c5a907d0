use crate::knowledge::responders::Upstream;
use crate::report::Finding;
use crate::rules::gateway;
use crate::rules::{Cx, Rule};

rule! {
    /// The proxy gave up waiting for the origin: a 504 from nginx and others, Cloudflare
    /// 522/524, Heroku H12, API Gateway `Endpoint request timed out`, Envoy `upstream request
    /// timeout`, HAProxy `didn't respond in time`, Kong `The upstream server is timing out`,
    /// Vercel `FUNCTION_INVOCATION_TIMEOUT`, Fastly `first byte timeout`.
    GatewayUpstreamTimeout {
        id: "gateway.upstream-timeout",
        severity: Error,
        title: "The proxy timed out waiting for the application",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-504-gateway-timeout"),
        fixtures: [
            "nginx/504-slow-upstream.txt",
            "vendors/aws-api-gateway-504-timeout.txt",
            "vendors/fastly-first-byte-timeout.txt",
            "vendors/envoy-upstream-timeout.txt",
        ],
        explanation: "A proxy or gateway forwarded the request and the application did not answer within the proxy's timeout (nginx proxy_read_timeout 60 s by default, API Gateway 29 s, Heroku 30 s, Cloudflare 100–120 s). The application may still be working on it — a retry can run the operation twice.",
        fix: {
            caller: "Do not retry non-idempotent requests blindly; check whether the operation happened. Use smaller batches or the API's asynchronous variant.",
            owner: "Find what the request waits on (slow query, lock, slow dependency); make long work asynchronous (202 + status URL) or raise the proxy timeout to match.",
        },
    }
}

impl Rule for GatewayUpstreamTimeout {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        // A bare body pasted without its status (0) counts when its own words say timeout.
        let account = gateway::account(cx, Upstream::Timeout)
            .filter(|_| response.status >= 500 || response.status == 0);
        // A 504/522/524 says "timeout" by itself, unless the proxy's words say otherwise.
        let by_status = matches!(response.status, 504 | 522 | 524)
            && cx.upstream().is_none_or(|(k, _)| k == Upstream::Timeout);
        if account.is_none() && !by_status {
            return;
        }
        let who = account.as_ref().map_or_else(
            || cx.responder().map_or("A proxy or gateway", |(r, _)| r.name),
            |a| a.who,
        );
        let elapsed = cx
            .exchange
            .timings
            .as_ref()
            .and_then(|t| t.total_ms)
            .map(|ms| format!(" after {:.1} s", ms / 1000.0))
            .unwrap_or_default();
        let general = format!(
            "{who} forwarded the request and the application did not answer within the proxy's timeout (nginx proxy_read_timeout 60 s by default, API Gateway 29 s, Heroku 30 s, Cloudflare 100–120 s). The application may still be working on it — a retry can run the operation twice."
        );
        let (evidence, explanation) = match &account {
            // The status first: a 504 says "timeout" by itself, the words say why.
            Some(a) => (
                cx.status_evidence()
                    .into_iter()
                    .chain(
                        a.evidence
                            .iter()
                            .filter(|e| e.location != "response status")
                            .cloned(),
                    )
                    .collect::<Vec<_>>(),
                gateway::explain(a, &general),
            ),
            None => (cx.status_evidence().into_iter().collect(), general),
        };
        out.extend(
            self.meta()
                .finding_from(
                    format!(
                        "{who} gave up waiting for the application{elapsed} ({})",
                        response.status
                    ),
                    evidence,
                )
                .map(|f| f.explain(explanation)),
        );
    }
}
