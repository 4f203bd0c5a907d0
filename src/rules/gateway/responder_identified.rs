use crate::knowledge::responders;
use crate::report::Finding;
use crate::rules::gateway;
use crate::rules::{Cx, Rule};

rule! {
    /// Which layer produced the error response — a proxy, CDN or platform (nginx, Apache,
    /// Cloudflare, AWS ALB/Classic ELB/API Gateway/CloudFront, Google, Azure Front Door and
    /// Application Gateway, IIS/ARR, Heroku, Vercel, Netlify, Railway, Fly.io, Fastly, Akamai,
    /// Varnish, HAProxy, Envoy, Kong, Traefik, Caddy) or the application server — whether
    /// the application was reached at all, and where that layer's operator finds the reason.
    GatewayResponderIdentified {
        id: "gateway.responder-identified",
        severity: Info,
        title: "The layer that answered",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-server"),
        fixtures: [
            "nginx/502-dead-upstream.txt",
            "fastapi/422-missing-field.txt",
            "vendors/gcp-load-balancer-502.txt",
            "vendors/heroku-application-error.txt",
            "vendors/azure-front-door-503.txt",
        ],
        explanation: "Error pages and headers name the layer that produced a response: a CDN, load balancer, API gateway, reverse proxy or the application's framework. Knowing which layer answered tells whether the application was reached at all and whose logs to read.",
        fix: {
            caller: "Read the logs of the layer that answered, and quote its request ID when you ask its operator.",
            owner: "Make error responses say which layer produced them, and pass a request ID through every layer.",
        },
    }
}

impl Rule for GatewayResponderIdentified {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if response.status < 400 {
            return;
        }
        let Some((responder, matched)) = cx.responder() else {
            return;
        };
        let Some(evidence) = gateway::match_evidence(cx, &matched) else {
            return;
        };
        let stock = responders::is_stock_error_page(responder, response);
        let (title, mut explanation) = if responder.is_proxy && stock {
            (
                format!(
                    "{} wrote this {} page itself: the application's answer is not in it",
                    responder.name, response.status
                ),
                format!(
                    "The body is {}'s own error page, not the application's. For a 5xx this usually means the application was not reached or did not answer properly; for a 4xx, the proxy refused the request before passing it on. The proxy's error log has the exact reason.",
                    responder.name
                ),
            )
        } else if responder.is_proxy {
            (
                format!(
                    "The response passed through {}, which forwarded the application's {}",
                    responder.name, response.status
                ),
                format!(
                    "{} is in the path, but the body looks like the application's own answer, so the application was reached.",
                    responder.name
                ),
            )
        } else {
            (
                format!("The application server, {}, answered {} itself", responder.name, response.status),
                "The response comes from the application, not from a proxy in front of it: the request reached the code, and its own logs have this request.".to_owned(),
            )
        };
        let mut finding = self.meta().finding(title, evidence);
        if stock
            && let Some(page) = responders::stock_match(responder, response)
                .and_then(|m| gateway::match_evidence(cx, &m))
        {
            finding = finding.with_evidence(page);
            finding.dedup_evidence();
        }
        if stock && !responder.hint.is_empty() {
            explanation.push(' ');
            explanation.push_str(responder.hint);
        }
        out.push(finding.explain(explanation));
    }
}
