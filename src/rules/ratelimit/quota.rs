use crate::knowledge::number;
use crate::knowledge::time;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, ratelimit};

rule! {
    /// Rate-limit headers read and explained: X-RateLimit-Limit/-Remaining/-Reset, the IETF
    /// `RateLimit`/`RateLimit-Policy` drafts, GitHub, Shopify, Discord. Whether the reset is an
    /// epoch timestamp or seconds from now is decided against the response's Date.
    RatelimitQuota {
        id: "ratelimit.quota",
        severity: Info,
        title: "The rate-limit quota",
        reference: Some("https://datatracker.ietf.org/doc/draft-ietf-httpapi-ratelimit-headers/"),
        fixtures: ["express/429-rate-limit.txt", "handmade/github-rate-limit.txt"],
        explanation: "Rate-limit headers state the quota the server enforces for this client: the limit, what remains and when it resets. When remaining reaches 0, further requests get 429 until the reset.",
        fix: {
            caller: "Pace requests to stay within the limit: read remaining/reset from every response, and pause when remaining reaches 0 until the reset time.",
            owner: "Document the headers' units (epoch or seconds) — or use the IETF RateLimit headers, whose reset is always in seconds.",
        },
    }
}

impl Rule for RatelimitQuota {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        let quota = ratelimit::read(response);
        if quota.headers.is_empty() || (quota.remaining.is_none() && quota.reset.is_none()) {
            return;
        }
        if response.status < 400 {
            return;
        }
        let now = cx.now().map(|c| c.secs);
        let mut parts: Vec<String> = Vec::new();
        match (quota.remaining, quota.limit) {
            (Some(r), Some(l)) => parts.push(format!("{r} of {l} requests left")),
            (Some(r), None) => parts.push(format!("{r} requests left")),
            (None, Some(l)) => parts.push(format!("limit {l}")),
            _ => {}
        }
        if let Some(w) = quota.window {
            parts.push(format!(
                "per {}",
                time::format_duration(i64::try_from(w).unwrap_or(i64::MAX))
            ));
        }
        let mut reading = String::new();
        if let Some((raw, header)) = quota.reset {
            let (secs, kind) = ratelimit::seconds_until_reset(raw, now);
            if secs.is_finite() {
                let at = now
                    .map(|n| {
                        format!(
                            " (at {})",
                            time::format_utc(n.saturating_add(number::whole(secs.max(0.0))))
                        )
                    })
                    .unwrap_or_default();
                parts.push(format!(
                    "resets in {}{at}",
                    time::format_duration(number::whole(secs.max(0.0).round()))
                ));
            }
            reading = format!(
                " The value {} of {} was read as {kind}.",
                input(&raw.to_string()),
                input(&header.name)
            );
        }
        let Some(finding) = self.meta().finding_from(
            format!("Rate limit: {}", parts.join(", ")),
            ratelimit::evidence(cx, &quota.headers),
        ) else {
            return;
        };
        out.push(finding
            .severity(if response.status == 429 { crate::report::Severity::Warning } else { crate::report::Severity::Info })
            .explain(format!("These headers state the quota the server enforces for this client.{reading} When remaining reaches 0, further requests get 429 until the reset.")));
    }
}
