use crate::report::Finding;
use crate::rules::{Cx, Rule, ratelimit};

rule! {
    /// A 429 with no Retry-After and no reset time: the client cannot know how long to
    /// wait, so it should back off exponentially with jitter.
    RatelimitNoHint {
        id: "ratelimit.no-hint",
        severity: Warning,
        title: "A 429 without any hint of when to retry",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6585#section-4"),
        fixtures: ["nginx/429-limit-req.txt"],
        explanation: "The server refused for rate but did not say when to come back. Retrying at once will be refused again; many clients retrying in step make it worse.",
        fix: {
            caller: "Back off exponentially with jitter: wait about 1 s, then 2, 4, 8 … (each times a random factor between 0.5 and 1.5), capped at a minute or so, and reduce the request rate.",
            owner: "Send Retry-After (and RateLimit headers) with every 429.",
        },
    }
}

impl Rule for RatelimitNoHint {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if response.status != 429 || response.headers.is_empty() {
            return;
        }
        let quota = ratelimit::read(response);
        if ratelimit::retry_after(response, None).is_some()
            || response
                .headers
                .iter()
                .any(|h| h.name.eq_ignore_ascii_case("retry-after"))
            || quota.reset.is_some()
        {
            return;
        }
        out.extend(self.meta().finding_from(
            "429 Too Many Requests, with no Retry-After or reset time",
            cx.status_evidence(),
        ));
    }
}
