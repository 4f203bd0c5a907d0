use crate::model::HasHeaders;
use crate::report::Finding;
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A request or trace ID in the failed response's headers (x-request-id, cf-ray,
    /// x-amzn-requestid, x-amz-cf-id, traceparent, request-id …): quote it to the API's
    /// owner, who can find the request in their logs with it.
    ResponseRequestId {
        id: "response.request-id",
        severity: Info,
        title: "A request ID to quote to the provider",
        reference: Some("https://www.w3.org/TR/trace-context/"),
        fixtures: ["fastapi/401-expired-jwt.txt", "handmade/github-rate-limit.txt"],
        explanation: "This ID identifies the request in the provider's logs and traces. With it (and the time), the owner can find the exact failure instead of guessing.",
        fix: {
            caller: "Include this ID and the response's Date in any bug report or support ticket.",
        },
    }
}

const ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-correlation-id",
    "x-amzn-requestid",
    "x-amz-request-id",
    "x-amz-cf-id",
    "apigw-requestid",
    "x-amz-apigw-id",
    "cf-ray",
    "x-github-request-id",
    "x-ms-request-id",
    "x-azure-ref",
    "x-vercel-id",
    "x-nf-request-id",
    "x-cloud-trace-context",
    "traceparent",
    "x-b3-traceid",
    "x-trace-id",
    "x-datadog-trace-id",
    "x-kong-request-id",
    "fly-request-id",
    "x-railway-request-id",
];

impl Rule for ResponseRequestId {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if response.status < 400 {
            return;
        }
        let found: Vec<_> = ID_HEADERS
            .iter()
            .filter_map(|n| response.header(n))
            .collect();
        let Some(first) = found.first() else { return };
        out.extend(self.meta().finding_from(
            format!(
                "Quote {} {} when reporting this failure",
                first.name, first.value
            ),
            found.iter().map(|h| cx.header_evidence(Side::Response, h)),
        ));
    }
}
