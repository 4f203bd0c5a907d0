use crate::knowledge::url;
use crate::report::{Evidence, Finding, input};
use crate::rules::{CaptureCx, Rule, ratelimit};

rule! {
    /// Several exchanges in the input hit one host faster than its stated limit, or in
    /// parallel, and some got 429: the client's own request pattern caused the rate limit.
    RatelimitBurst {
        id: "ratelimit.burst",
        severity: Warning,
        title: "A burst of requests hit the rate limit",
        reference: Some("https://www.rfc-editor.org/rfc/rfc6585#section-4"),
        fixtures: ["chromium/rate-limit-burst.har", "curl/rate-limit-burst.txt"],
        explanation: "The requests were sent faster than the server's limit allows, so the later ones were refused. Parallel fetches on page load, retry loops without delay, and polling are the usual sources.",
        fix: {
            caller: "Limit concurrency, queue the requests, batch them if the API allows, and back off on 429 using Retry-After.",
            owner: "State the limit in RateLimit headers and offer batch endpoints for clients that need many items.",
        },
    }
}

impl Rule for RatelimitBurst {
    fn check_capture(&self, cx: &CaptureCx, out: &mut Vec<Finding>) {
        let exchanges = &cx.capture.exchanges;
        let limited: Vec<usize> = (0..exchanges.len())
            .filter(|&i| {
                exchanges[i].response.as_ref().is_some_and(|r| {
                    r.status == 429 || (r.status == 503 && r.body_text().contains("limit"))
                })
            })
            .collect();
        let Some(&first_limited) = limited.first() else {
            return;
        };
        let host = exchanges[first_limited]
            .request
            .as_ref()
            .and_then(|r| url::origin(&r.url))
            .map(str::to_owned);
        let same_host: Vec<usize> = (0..exchanges.len())
            .filter(|&i| {
                exchanges[i]
                    .request
                    .as_ref()
                    .and_then(|r| url::origin(&r.url))
                    == host.as_deref()
            })
            .collect();
        if same_host.len() < 3 {
            return;
        }
        let starts: Vec<i64> = same_host
            .iter()
            .filter_map(|&i| exchanges[i].timings.as_ref()?.started_ms)
            .collect();
        let span_ms = match (starts.iter().min(), starts.iter().max()) {
            (Some(a), Some(b)) if starts.len() == same_host.len() => Some(b - a),
            _ => None,
        };
        let quota = exchanges[first_limited]
            .response
            .as_ref()
            .map(ratelimit::read);
        let stated = quota.as_ref().and_then(|q| Some((q.limit?, q.window?)));
        let host_name = host
            .as_deref()
            .map_or_else(|| "the server".to_owned(), input);
        let pace = match span_ms {
            Some(ms) if ms < 1000 => {
                format!("{} requests to {host_name} within {ms} ms", same_host.len())
            }
            Some(ms) => format!(
                "{} requests to {host_name} within {:.1} s",
                same_host.len(),
                crate::knowledge::number::seconds(ms) / 1000.0
            ),
            None => format!("{} requests to {host_name} in a row", same_host.len()),
        };
        let title = match stated {
            Some((limit, window)) => format!(
                "{pace}; the server allows {limit} per {window} s, and {} got 429",
                limited.len()
            ),
            None => format!("{pace}, and {} of them got 429", limited.len()),
        };
        let first_ok = exchanges[first_limited]
            .request
            .as_ref()
            .map(|r| format!("{} {}", r.method.as_deref().unwrap_or(""), r.url))
            .unwrap_or_default();
        let mut finding = self.meta().finding(
            title,
            Evidence::new(
                format!("exchange {first_limited}, the first 429"),
                first_ok,
                exchanges[first_limited]
                    .response
                    .as_ref()
                    .and_then(|r| r.span),
            ),
        );
        if let Some(q) = &quota {
            for h in q.headers.iter().take(3) {
                finding = finding.with_evidence(Evidence::new(
                    "response header",
                    format!("{}: {}", h.name, h.value),
                    h.span,
                ));
            }
        }
        out.push(finding);
    }
}
