use crate::knowledge::frameworks;
use crate::model::HasHeaders;
use crate::report::Finding;
use crate::rules::{Cx, Rule, Side, ratelimit};

rule! {
    /// A 503 that signals overload or no capacity: nginx's `Service Temporarily
    /// Unavailable` page (also its default answer to `limit_req`), HAProxy `No server is
    /// available`, Envoy `x-envoy-overloaded`, Heroku H10/H13/H14, "over capacity" bodies.
    /// With Retry-After when given.
    ServiceOverloaded {
        id: "service.overloaded",
        severity: Error,
        title: "The service is overloaded",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-503-service-unavailable"),
        fixtures: ["nginx/503-limit-req.txt"],
        explanation: "The server, or the proxy in front of it, is refusing work it has no capacity for. Nothing specific to this request is wrong.",
        fix: {
            caller: "Back off exponentially with jitter (or wait for Retry-After) and lower your request rate; do not retry in a tight loop.",
            owner: "Add capacity or shed load gracefully; for a rate limit, answer 429 (`limit_req_status 429;`) with Retry-After so clients can tell the difference.",
        },
    }
}

impl Rule for ServiceOverloaded {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if response.status != 503 {
            return;
        }
        let body = response.body.as_ref();
        let header = response.header("x-envoy-overloaded");
        let sign = body.and_then(|b| {
            frameworks::OVERLOAD
                .first_in(&b.text)
                .map(|(_, at)| at)
                .map(|at| cx.body_line_evidence(Side::Response, b, at))
        });
        if header.is_none() && sign.is_none() {
            return;
        }
        let nginx_limit = body.is_some_and(|b| {
            b.text.contains("503 Service Temporarily Unavailable")
                && b.text.contains("<center>nginx")
        });
        let retry = ratelimit::retry_after(response, cx.now().map(|c| c.secs));
        let mut explanation = "The server, or the proxy in front of it, is refusing work it has no capacity for. Nothing specific to this request is wrong.".to_owned();
        if nginx_limit {
            explanation.push_str(" nginx also answers exactly this 503 page when a `limit_req` rate limit rejects a request (unless `limit_req_status` is set): if requests came quickly, this is a rate limit in disguise.");
        }
        let evidence = header
            .map(|h| cx.header_evidence(Side::Response, h))
            .into_iter()
            .chain(sign)
            .chain(retry.map(|(_, h)| cx.header_evidence(Side::Response, h)));
        let title = format!(
            "The service is refusing requests for lack of capacity{}",
            retry
                .map(|(s, _)| format!("; retry in {}", crate::knowledge::time::format_duration(s)))
                .unwrap_or_default()
        );
        if let Some(finding) = self.meta().finding_from(title, evidence) {
            out.push(finding.explain(explanation));
        }
    }
}
