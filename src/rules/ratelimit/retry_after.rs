use crate::knowledge::time;
use crate::report::Finding;
use crate::rules::{ClockSource, Cx, Rule, ratelimit};

rule! {
    /// Retry-After (delta seconds or an HTTP-date) on a 429, 503 or redirect: says how long
    /// to wait and until when, measured from the response's Date.
    RatelimitRetryAfter {
        id: "ratelimit.retry-after",
        severity: Info,
        title: "The server says when to retry",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-retry-after"),
        fixtures: ["express/429-rate-limit.txt", "flask/503-maintenance.txt"],
        explanation: "Retry-After tells the client how long to wait before trying again. Retrying earlier is refused again and may extend the block.",
        fix: {
            caller: "Wait at least this long before the next attempt, then resume at a lower rate; honour Retry-After in the HTTP client's retry policy.",
            owner: "Keep sending Retry-After on 429 and 503.",
        },
    }
}

/// The longest wait a fixed request spells out (a day).
const MAX_WAIT: u64 = 24 * 3600;

impl Rule for RatelimitRetryAfter {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if response.status < 300 {
            return;
        }
        let now = cx.now();
        let Some((wait, header)) = ratelimit::retry_after(response, now.as_ref().map(|c| c.secs))
        else {
            return;
        };
        let until = now
            .as_ref()
            .map(|c| {
                format!(
                    " — not before {}",
                    time::format_utc(c.secs.saturating_add(wait.max(0)))
                )
            })
            .unwrap_or_default();
        let title = if wait <= 0 {
            "Retry-After has already passed: the request may be retried now".to_owned()
        } else {
            format!("Retry after {}{until}", time::format_duration(wait))
        };
        let mut finding = self.meta().finding(
            title,
            cx.header_evidence(crate::rules::Side::Response, header),
        );
        if let Some(clock) = now.filter(|c| c.source == ClockSource::ResponseDate) {
            finding = finding.with_evidence(clock.evidence(cx));
        }
        let severity = if response.status == 429 {
            crate::report::Severity::Warning
        } else {
            crate::report::Severity::Info
        };
        // Waiting and sending the same request again is the fix for a refusal that says
        // when to come back; a wait of more than a day is no command to run.
        if matches!(response.status, 429 | 503)
            && let Ok(secs) = u64::try_from(wait)
            && (1..=MAX_WAIT).contains(&secs)
        {
            finding = finding.edit(crate::fix::RequestEdit::Wait(secs));
        }
        out.push(finding.severity(severity));
    }
}
