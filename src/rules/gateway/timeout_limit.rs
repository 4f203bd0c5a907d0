use crate::knowledge::text::Needles;
use crate::model::Span;
use crate::report::{Evidence, Finding};
use crate::rules::{Cx, Rule};

rule! {
    /// The failed call lasted as long as a known hard limit of the platform in front of the
    /// API, measured from the HAR entry's `time` or curl's own times (the progress meter's
    /// Time Spent, `-w '%{time_total}'`): API Gateway's 29 s integration timeout, Heroku's
    /// 30 s router timeout (H12), nginx's default `proxy_read_timeout` and an ALB's default
    /// idle timeout (60 s), Cloudflare's 100 s (524). Without timings, the platforms' own
    /// timeout signatures name their limit (API Gateway `Endpoint request timed out`, Heroku
    /// `H12`, Cloudflare 524, Vercel `FUNCTION_INVOCATION_TIMEOUT`, Lambda's `Task timed out
    /// after`).
    GatewayTimeoutLimit {
        id: "gateway.timeout-limit",
        severity: Warning,
        title: "The call ran into a platform's hard time limit",
        reference: Some("https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html"),
        fixtures: [
            "timeouts/nginx-504-after-60s.txt",
            "timeouts/nginx-504-after-60s.har",
            "hand-beyond/apigateway-504-integration-timeout.txt",
            "hand-beyond/cloudflare-524-timeout-occurred.txt",
            "hand-clients/vercel-function-invocation-timeout.txt",
        ],
        restates: ["gateway.upstream-timeout"],
        explanation: "A layer in front of the application stops waiting after a fixed time, whatever the application is doing: the call failed because the work takes longer than that limit, not because of anything in the request. Some limits cannot be raised (API Gateway REST's 29 s by default, Heroku's 30 s, Cloudflare's 100 s below Enterprise); others are configuration (nginx, load balancers).",
        fix: {
            caller: "Retrying will hit the same wall: ask for less per call (smaller pages or batches), or use the API's asynchronous variant. Check whether the operation happened before retrying a write.",
            owner: "Make work that can exceed the limit asynchronous (202 Accepted + a status URL, a job queue, webhooks), speed up the slow path, or raise the limit where it is configurable (nginx `proxy_read_timeout`, the ALB's idle timeout, API Gateway's integration timeout for regional REST APIs).",
        },
    }
}

/// Known hard limits: seconds, whose, and the responder it belongs to ("" when common enough
/// to name without knowing who answered).
const LIMITS: &[(f64, &str, &str)] = &[
    (
        10.0,
        "Vercel's default function duration on the Hobby plan (10 s)",
        "Vercel",
    ),
    (
        10.0,
        "Netlify's synchronous function limit (10 s)",
        "Netlify",
    ),
    (29.0, "API Gateway's 29-second integration timeout", ""),
    (
        30.0,
        "Heroku's 30-second router timeout (H12)",
        "Heroku router",
    ),
    (
        30.0,
        "a 30-second limit: Heroku's router timeout (H12), CloudFront's origin response timeout",
        "",
    ),
    (
        30.0,
        "CloudFront's default origin response timeout (30 s)",
        "AWS CloudFront",
    ),
    (
        60.0,
        "a 60-second limit: nginx's default proxy_read_timeout, an AWS ALB's default idle timeout",
        "",
    ),
    (
        100.0,
        "Cloudflare's 100-second proxy read timeout (524)",
        "",
    ),
    (
        120.0,
        "Cloudflare's 120-second proxy read timeout",
        "Cloudflare",
    ),
    (
        300.0,
        "Vercel's default function duration on the Pro plan (300 s)",
        "Vercel",
    ),
];

/// A platform's own words for its time limit, when the paste has no timings.
static SIGNATURES: Needles = Needles::labeled(&[
    (
        "API Gateway's 29-second integration timeout",
        "Endpoint request timed out",
    ),
    ("Heroku's 30-second router timeout (H12)", "code=H12"),
    (
        "Heroku's 30-second router timeout (H12)",
        "H12 - Request timeout",
    ),
    // The more specific code first: it contains the other.
    (
        "Vercel's Edge Function limit (the response must begin within 25 s)",
        "EDGE_FUNCTION_INVOCATION_TIMEOUT",
    ),
    (
        "Vercel's maximum function duration (the project's `maxDuration`, capped by the plan)",
        "FUNCTION_INVOCATION_TIMEOUT",
    ),
    (
        "the function's configured timeout (AWS Lambda; Netlify Functions run 10 s by default)",
        "Task timed out after",
    ),
]);

impl Rule for GatewayTimeoutLimit {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let status = cx.status();
        // A failed call only: a success or a client error that took long is not a limit.
        let failed = status.is_some_and(|s| s >= 500 || s == 408)
            || (status.is_none() && cx.transport_error().is_some());
        if !failed {
            return;
        }
        let responder = cx.responder().map(|(r, _)| r.name);
        // The closest limit the time sits at; one of the layer that answered first.
        let at_limit = |seconds: f64| {
            let mut near: Vec<&(f64, &str, &str)> = LIMITS
                .iter()
                .filter(|(limit, _, who)| {
                    seconds >= limit - 0.5
                        && seconds <= limit + 1.5
                        && (who.is_empty() || responder == Some(*who))
                })
                .collect();
            near.sort_by(|a, b| {
                (a.2.is_empty(), (seconds - a.0).abs())
                    .partial_cmp(&(b.2.is_empty(), (seconds - b.0).abs()))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            near.first().copied()
        };
        // The platform's own words for its limit.
        let signature = cx.response_body_first(&SIGNATURES).or_else(|| {
            if status == Some(524) && responder == Some("Cloudflare") {
                cx.status_evidence()
                    .map(|e| ("Cloudflare's 100-second proxy read timeout (524)", e))
            } else {
                None
            }
        });
        if let Some((seconds, evidence)) = elapsed(cx)
            && let Some((_, whose, _)) = at_limit(seconds)
        {
            // A platform's own words name it among the layers with this limit.
            let whose = match &signature {
                Some((named, _)) if whose.starts_with("a ") => *named,
                _ => *whose,
            };
            let what = status.map_or_else(
                || "the connection failed".to_owned(),
                |s| format!("the answer was {s}"),
            );
            out.extend(
                self.meta()
                    .finding_from(
                        format!("The call failed after {seconds:.1} s, at {whose}"),
                        cx.status_evidence().into_iter().chain([evidence]),
                    )
                    .map(|f| {
                        f.explain(format!(
                            "The request lasted {seconds:.1} s and {what}: that is {whose}. {}",
                            self.meta().explanation
                        ))
                    }),
            );
            return;
        }
        if let Some((whose, evidence)) = signature {
            out.extend(
                self.meta()
                    .finding_from(
                        format!("The call ran into {whose}"),
                        cx.status_evidence().into_iter().chain([evidence]),
                    )
                    .map(|mut f| {
                        f.dedup_evidence();
                        f.explain(format!(
                            "The platform's own words say its time limit ended the call: {whose}. {}",
                            self.meta().explanation
                        ))
                    }),
            );
        }
    }
}

/// How long the call took, in seconds, and where that is written.
fn elapsed(cx: &Cx) -> Option<(f64, Evidence)> {
    if let Some(ms) = cx.exchange.timings.as_ref().and_then(|t| t.total_ms) {
        let evidence = if cx.exchange.entry.is_some() {
            Evidence::new("HAR entry time (ms)", format!("\"time\": {ms}"), None)
        } else {
            Evidence::new("elapsed time", format!("{ms} ms"), None)
        };
        return Some((ms / 1000.0, evidence));
    }
    // curl: `-w 'time_total: %{time_total}'` and the progress meter's Time Spent column.
    // Of several exchanges, this one's text: up to where the next one starts.
    let next = cx
        .capture
        .exchanges
        .get(cx.index + 1)
        .and_then(|e| e.span)
        .map_or(cx.input.len(), |s| s.start);
    let region = cx
        .exchange
        .span
        .and_then(|s| cx.input.get(s.start..next.max(s.start)))
        .filter(|_| cx.capture.exchanges.len() > 1)
        .unwrap_or(cx.input);
    let offset = region.as_ptr() as usize - cx.input.as_ptr() as usize;
    let mut found = None;
    let mut at = 0;
    for line in region.split(['\n', '\r']) {
        let start = offset + at;
        at += line.len() + 1;
        if let Some(rest) = line.split("time_total").nth(1) {
            let number: String = rest
                .trim_start_matches([':', '=', ' '])
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if let Ok(seconds) = number.parse::<f64>() {
                found = Some((seconds, line, start));
            }
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() == 12
            && words[0] == "100"
            && let Some(seconds) = clock_seconds(words[9])
        {
            found = Some((seconds, line, start));
        }
    }
    let (seconds, line, start) = found?;
    let quote = line.trim();
    let lead = line.len() - line.trim_start().len();
    let span = Span::new(start + lead, start + lead + quote.len());
    Some((
        seconds,
        Evidence::new("curl's elapsed time", quote, Some(span)),
    ))
}

/// curl's `H:MM:SS` meter time in seconds.
fn clock_seconds(text: &str) -> Option<f64> {
    let mut parts = text.split(':');
    let h: f64 = parts.next()?.parse().ok()?;
    let m: f64 = parts.next()?.parse().ok()?;
    let s: f64 = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some(h * 3600.0 + m * 60.0 + s)
}
