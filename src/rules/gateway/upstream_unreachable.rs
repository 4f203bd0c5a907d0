use crate::knowledge::responders;
use crate::knowledge::text::Signatures;
use crate::report::Finding;
use crate::rules::{Cx, Rule};

rule! {
    /// A proxy could not connect to the origin: nginx's own 502 page, Envoy `connection
    /// failure` / `no healthy upstream`, Cloudflare 521/523, HAProxy `No server is available`,
    /// an ALB 503 with no healthy targets, Heroku H10/H14.
    GatewayUpstreamUnreachable {
        id: "gateway.upstream-unreachable",
        severity: Error,
        title: "The proxy could not reach the application",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-502-bad-gateway"),
        fixtures: ["nginx/502-dead-upstream.txt", "handmade/envoy-no-healthy-upstream.txt"],
        explanation: "A proxy or gateway accepted the request but could not get an answer from the application it forwards to: the application is down or restarting, listens on another port or address, or the proxy's upstream points to the wrong place.",
        fix: {
            caller: "Retry with back-off; nothing in the request causes this. Report the time and any request ID.",
            owner: "Check that the application process is running and listening on the address in the proxy's upstream (`ss -ltnp`), and read the proxy's error log for the exact failure.",
        },
    }
}

static BODY_SIGNS: Signatures = Signatures::new(&[
    "reset reason: connection failure",
    "no healthy upstream",
    "No server is available to handle this request",
    "Error 521",
    "Error 523",
    "Web server is down",
    "Origin is unreachable",
    "H10",
    "H14",
    "connect() failed",
    "Connection refused",
]);

impl Rule for GatewayUpstreamUnreachable {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if !matches!(response.status, 502 | 503 | 521 | 523 | 530) {
            return;
        }
        let sign = cx.response_signature(&BODY_SIGNS).map(|(_, e)| e);
        let identified = responders::identify(response).map(|(r, _)| r);
        if identified.is_some_and(|r| !r.is_proxy) {
            return; // the application itself answered; it was reached
        }
        let stock_502 = response.status == 502
            && identified.is_some_and(|r| {
                r.is_proxy
                    && responders::is_stock_error_page(r, response)
                    && matches!(
                        r.name,
                        "nginx" | "AWS Application Load Balancer" | "Caddy" | "Traefik"
                    )
            });
        let Some(evidence) = sign.or_else(|| cx.status_evidence().filter(|_| stock_502)) else {
            return;
        };
        let who = identified.map_or("The proxy", |r| r.name);
        let mut finding = self.meta().finding(
            format!(
                "{who} could not reach the application behind it ({})",
                response.status
            ),
            evidence,
        );
        if let Some(body_sign) = cx.response_body_match("<hr><center>") {
            finding = finding.with_evidence(body_sign);
        }
        finding.dedup_evidence();
        out.push(finding
            .explain(format!("{who} accepted the request but could not get an answer from the application it forwards to: the application is down or restarting, listens on another port or address, or the proxy's upstream points to the wrong place. For nginx, the error log line (`connect() failed (111: Connection refused) while connecting to upstream`) names the address it tried."))
            );
    }
}
