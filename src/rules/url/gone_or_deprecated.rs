use crate::knowledge::time;
use crate::model::HasHeaders;
use crate::report::{Evidence, Finding, Severity, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// 410 Gone, or a `Sunset` (RFC 8594) or `Deprecation` (RFC 9745) header on the
    /// exchange: the endpoint or API version is retired, or will be. Gives the date — past
    /// or to come, measured against the response's Date — and the successor the `Link`
    /// header names (`rel="successor-version"`, `rel="deprecation"`, `rel="sunset"`). On a
    /// success it is a warning: the call works today and will stop.
    UrlGoneOrDeprecated {
        id: "url.gone-or-deprecated",
        severity: Warning,
        title: "The endpoint is retired or deprecated",
        reference: Some("https://www.rfc-editor.org/rfc/rfc8594"),
        fixtures: ["limits/gone-410-sunset.txt", "limits/deprecated-200-sunset.txt"],
        explanation: "APIs retire old versions on a schedule: they announce it with a `Deprecation` header (the date from which the endpoint is deprecated) and a `Sunset` header (the date it stops answering), usually with a `Link` to the successor version and the migration guide, and answer 410 Gone once it has been removed.",
        fix: {
            caller: "Move to the successor version the `Link` header names before the Sunset date; log Deprecation and Sunset headers in your client so the next retirement is noticed before it breaks.",
            owner: "Announce retirements with `Deprecation`, `Sunset` and `Link: <…>; rel=\"successor-version\"` well ahead, and keep answering 410 with the successor after removal.",
        },
    }
}

/// `Link: </api/v3/orders>; rel="successor-version"` → `/api/v3/orders`.
fn successor(link: &str) -> Option<String> {
    for part in link.split(',') {
        let lower = part.to_ascii_lowercase();
        if lower.contains("successor-version")
            || lower.contains("latest-version")
            || lower.contains("alternate")
        {
            let start = part.find('<')? + 1;
            let end = part.find('>')?;
            return part.get(start..end).map(str::to_owned);
        }
    }
    None
}

impl Rule for UrlGoneOrDeprecated {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        let status = cx.status().unwrap_or_default();
        let sunset = response.header("sunset");
        let deprecation = response.header("deprecation");
        if status != 410 && sunset.is_none() && deprecation.is_none() {
            return;
        }
        let now = cx.now().map(|c| c.secs);
        let mut evidence: Vec<Evidence> = Vec::new();
        if status == 410 {
            evidence.extend(cx.status_evidence());
        }
        let when = |secs: i64| -> String {
            let date = time::format_utc(secs);
            let date = date.split(' ').next().unwrap_or(&date).to_owned();
            match now {
                Some(n) if secs <= n => {
                    format!("{date}, {} ago", time::format_duration_for_people(n - secs))
                }
                Some(n) => format!("{date}, in {}", time::format_duration_for_people(secs - n)),
                None => date,
            }
        };
        let sunset_at = sunset.and_then(|h| time::parse_http_date(&h.value));
        // RFC 9745: `Deprecation: @1788220800`; drafts used an HTTP date or `true`.
        let deprecated_at = deprecation.and_then(|h| {
            let v = h.value.trim();
            v.strip_prefix('@')
                .and_then(|n| n.parse::<i64>().ok())
                .or_else(|| time::parse_http_date(v))
        });
        for h in [sunset, deprecation].into_iter().flatten() {
            evidence.push(cx.header_evidence(Side::Response, h));
        }
        let link = response
            .headers_named("link")
            .find(|h| successor(&h.value).is_some());
        let next = link.and_then(|h| successor(&h.value));
        if let Some(h) = link {
            evidence.push(cx.header_evidence(Side::Response, h));
        }
        let instead = next.map_or(String::new(), |n| {
            format!("; its successor is {}", input(&n))
        });
        let path = cx.request().map_or("The endpoint".to_owned(), |r| {
            input(crate::knowledge::url::path_of(&r.url))
        });
        let title = if status == 410 {
            match sunset_at {
                Some(s) => format!("{path} is gone: it was retired on {}{instead}", when(s)),
                None => format!("{path} is gone (410){instead}"),
            }
        } else {
            let past = sunset_at.zip(now).is_some_and(|(s, n)| s <= n);
            match (sunset_at, deprecated_at) {
                (Some(s), _) if past => format!(
                    "{path} still answers, but its Sunset date has passed ({}){instead}",
                    when(s)
                ),
                (Some(s), Some(d)) => format!(
                    "{path} is deprecated since {} and will stop answering on {}{instead}",
                    when(d),
                    when(s)
                ),
                (Some(s), None) => format!("{path} will stop answering on {}{instead}", when(s)),
                (None, Some(d)) => format!("{path} is deprecated since {}{instead}", when(d)),
                (None, None) => format!("{path} is deprecated{instead}"),
            }
        };
        let Some(mut finding) = self.meta().finding_from(title, evidence) else {
            return;
        };
        if status == 410 {
            finding = finding.severity(Severity::Error);
        } else if status < 400 && sunset_at.zip(now).is_none_or(|(s, n)| s > n) {
            finding = finding.severity(Severity::Info);
        }
        out.push(finding);
    }
}
