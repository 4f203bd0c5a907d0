use crate::knowledge::responders;
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A request or trace ID in the failed response (x-request-id, request-id, cf-ray,
    /// x-amzn-RequestId, x-amz-request-id with x-amz-id-2, x-amz-cf-id, apigw-requestid,
    /// twilio-request-id, x-github-request-id, x-slack-req-id, x-ms-request-id,
    /// x-ms-correlation-request-id, client-request-id, x-azure-ref, x-cloud-trace-context,
    /// fly-request-id, x-vercel-id, x-railway-request-id, traceparent, x-b3-traceid …, or in
    /// the body: Microsoft Graph's innerError, S3's RequestId and HostId): whom to quote it
    /// to, who can find the request in their logs with it.
    ResponseRequestId {
        id: "response.request-id",
        severity: Info,
        title: "A request ID to quote to the provider",
        reference: Some("https://www.w3.org/TR/trace-context/"),
        fixtures: [
            "fastapi/401-expired-jwt.txt",
            "handmade/github-rate-limit.txt",
            "vendors/twilio-invalid-to.txt",
            "vendors/aws-s3-invalid-argument.txt",
            "vendors/graph-authorization-denied.txt",
        ],
        explanation: "This ID identifies the request in the provider's logs and traces. With it (and the time), the owner can find the exact failure instead of guessing.",
        fix: {
            caller: "Include this ID and the response's Date in any bug report or support ticket.",
        },
    }
}

impl Rule for ResponseRequestId {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if response.status < 400 && !cx.hidden_failure() {
            return;
        }
        let headers = responders::request_ids(response);
        let error_body = cx.error_body();
        let vendor = error_body.as_ref().and_then(|e| e.vendor);
        let mut evidence: Vec<Evidence> = headers
            .iter()
            .map(|(_, h)| cx.header_evidence(Side::Response, h))
            .collect();
        // IDs the body carries, quoted from their line.
        let body_ids = error_body
            .as_ref()
            .map_or(&[][..], |e| e.request_ids.as_slice());
        if let Some(body) = response.body.as_ref() {
            for (_, value) in body_ids {
                if let Some(at) = body.text.find(value.as_str()) {
                    evidence.push(cx.body_line_evidence(Side::Response, body, at));
                }
            }
        }
        evidence.dedup();
        let title = if let Some((known, header)) = headers.first() {
            // A generic name (request-id, x-request-id) belongs to whoever's envelope this is.
            let tell = match vendor {
                Some(v) if known.by.starts_with("the ") => format!("{v} support"),
                _ => known.tell.to_owned(),
            };
            format!(
                "Quote {} {} to {tell}",
                input(&header.name),
                input(&header.value)
            )
        } else if let Some((place, value)) = body_ids.first() {
            let tell =
                vendor.map_or_else(|| "the API's owner".to_owned(), |v| format!("{v} support"));
            format!("Quote the body's `{place}` {} to {tell}", input(value))
        } else {
            return;
        };
        let who: Vec<String> = headers
            .iter()
            .map(|(known, header)| format!("{} by {}", input(&header.name), known.by))
            .collect();
        let mut explanation = "This ID identifies the request in the provider's logs and traces. With it (and the time), the owner can find the exact failure instead of guessing.".to_owned();
        if !who.is_empty() {
            explanation.push_str(&format!(
                " Set here: {}.",
                crate::knowledge::text::join_words(&who)
            ));
        }
        out.extend(
            self.meta()
                .finding_from(format!("{title} when reporting this failure"), evidence)
                .map(|f| f.explain(explanation)),
        );
    }
}
