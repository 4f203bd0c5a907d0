use crate::knowledge::responders::Upstream;
use crate::report::Finding;
use crate::rules::gateway;
use crate::rules::{Cx, Rule};

rule! {
    /// A proxy could not connect to the origin: nginx's own 502 page, Envoy `connection
    /// failure` / `no healthy upstream`, Cloudflare 521/523/525/526 and 1016, HAProxy `No
    /// server is available`, Kong `The upstream server is currently unavailable`, an ALB or
    /// Application Gateway 502/503 page, the Classic Load Balancer's `Back-end server is at
    /// capacity`, CloudFront `wasn't able to connect to the origin`, Varnish `Backend fetch
    /// failed`, Railway `Application failed to respond`, Traefik `no available server`,
    /// Application Gateway v1 / IIS ARR `502 - Web server received an invalid response`,
    /// Heroku H10/H14.
    GatewayUpstreamUnreachable {
        id: "gateway.upstream-unreachable",
        severity: Error,
        title: "The proxy could not reach the application",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-502-bad-gateway"),
        fixtures: [
            "nginx/502-dead-upstream.txt",
            "handmade/envoy-no-healthy-upstream.txt",
            "vendors/aws-classic-elb-503.txt",
            "vendors/aws-alb-502.txt",
            "vendors/envoy-connection-failure.txt",
            "vendors/haproxy-503.txt",
            "vendors/varnish-backend-fetch-failed.txt",
            "vendors/cloudfront-502.txt",
            "vendors/kong-upstream-unavailable.txt",
            "vendors/railway-application-failed.txt",
            "vendors/traefik-bad-gateway.txt",
            "vendors/cloudflare-521.txt",
            "vendors/azure-app-gateway-502.txt",
        ],
        explanation: "A proxy or gateway accepted the request but could not get an answer from the application it forwards to: the application is down or restarting, listens on another port or address, or the proxy's upstream points to the wrong place.",
        fix: {
            caller: "Retry with back-off; nothing in the request causes this. Report the time and any request ID.",
            owner: "Check that the application process is running and listening on the address in the proxy's upstream (`ss -ltnp`), and read the proxy's error log for the exact failure.",
        },
    }
}

impl Rule for GatewayUpstreamUnreachable {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if !matches!(
            response.status,
            502 | 503 | 504 | 521 | 523 | 525 | 526 | 530
        ) {
            return;
        }
        if cx.responder().is_some_and(|(r, _)| !r.is_proxy) {
            return; // the application itself answered; it was reached
        }
        let Some(account) = gateway::account(cx, Upstream::Unreachable) else {
            return;
        };
        let who = account.who;
        let explanation = gateway::explain(
            &account,
            &format!(
                "{who} accepted the request but could not get an answer from the application it forwards to: the application is down or restarting, listens on another port or address, or the proxy's upstream points to the wrong place."
            ),
        );
        out.extend(
            self.meta()
                .finding_from(
                    format!(
                        "{who} could not reach the application behind it ({})",
                        response.status
                    ),
                    account.evidence,
                )
                .map(|f| f.explain(explanation)),
        );
    }
}
