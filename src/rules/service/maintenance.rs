use crate::knowledge::frameworks;
use crate::report::Finding;
use crate::rules::{Cx, Rule};

rule! {
    /// A maintenance-mode response: a 503 whose body says maintenance (Laravel `php artisan
    /// down`, Rails/Heroku maintenance pages, H80).
    ServiceMaintenance {
        id: "service.maintenance",
        severity: Error,
        title: "The service is in maintenance",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-503-service-unavailable"),
        fixtures: ["flask/503-maintenance.txt"],
        explanation: "The operators took the service down on purpose. Nothing is wrong with the request.",
        fix: {
            caller: "Wait for the maintenance window to end (see Retry-After or the status page), then retry.",
            owner: "Send Retry-After with the expected end and announce the window on a status page.",
        },
    }
}

impl Rule for ServiceMaintenance {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if !matches!(response.status, 503 | 0) {
            return;
        }
        let Some(body) = &response.body else { return };
        let Some(at) = frameworks::MAINTENANCE
            .first_in(&body.text)
            .map(|(_, at)| at)
        else {
            return;
        };
        let retry = crate::rules::ratelimit::retry_after(response, cx.now().map(|c| c.secs));
        let when = retry
            .map(|(s, _)| {
                format!(
                    "; it asks to retry in {}",
                    crate::knowledge::time::format_duration(s)
                )
            })
            .unwrap_or_default();
        out.push(
            self.meta()
                .finding(
                    format!("The service is down for maintenance{when}"),
                    cx.body_line_evidence(crate::rules::Side::Response, body, at),
                )
                .with_all_evidence(
                    retry.map(|(_, h)| cx.header_evidence(crate::rules::Side::Response, h)),
                ),
        );
    }
}
