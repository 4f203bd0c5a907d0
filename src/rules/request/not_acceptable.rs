use crate::fix::RequestEdit;
use crate::model::HasHeaders;
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// 406 Not Acceptable: the request's `Accept` (or `Accept-Language`, `Accept-Charset`,
    /// `Accept-Encoding`) excludes every representation the server can produce. Quotes the
    /// header sent and what the server says it offers.
    RequestNotAcceptable {
        id: "request.not-acceptable",
        severity: Error,
        title: "The Accept header excludes what the server can produce",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.7"),
        fixtures: [
            "limits/express-406-not-acceptable.txt",
            "limits/drf-406-not-acceptable.txt",
        ],
        explanation: "The server negotiates the response format from the request's Accept header and has nothing in the types listed: a client asking for `application/xml` from a JSON-only API, a vendor media type with the wrong version (`application/vnd.api.v2+json`), or an HTTP library sending an unusual default.",
        fix: {
            caller: "Ask for a type the API produces — `Accept: application/json`, or `*/*` — or drop the Accept header.",
            owner: "List the available types in the 406 body (RFC 9110 suggests it), or answer with the default representation instead of 406.",
        },
    }
}

impl Rule for RequestNotAcceptable {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if cx.status() != Some(406) {
            return;
        }
        let mut evidence: Vec<Evidence> = cx.status_evidence().into_iter().collect();
        let accept = cx.request().and_then(|r| {
            ["accept", "accept-language", "accept-charset"]
                .iter()
                .find_map(|n| r.header(n))
        });
        if let Some(h) = accept {
            evidence.push(cx.header_evidence(Side::Request, h));
        }
        let message = cx.response_message().filter(|m| m.len() < 300);
        if let Some(m) = &message
            && let Some(e) = cx.response_body_match(m)
        {
            evidence.push(e);
        }
        let title = match (accept, &message) {
            (Some(h), Some(m)) => format!(
                "The server has nothing matching {}: {}",
                input(&format!("{}: {}", h.name, h.value)),
                input(m)
            ),
            (Some(h), None) => format!(
                "The server has nothing matching {}",
                input(&format!("{}: {}", h.name, h.value))
            ),
            (None, Some(m)) => format!(
                "The server has no representation the request accepts: {}",
                input(m)
            ),
            (None, None) => "The server has no representation the request accepts (406)".to_owned(),
        };
        if let Some(mut finding) = self.meta().finding_from(title, evidence) {
            if let Some(h) = accept.filter(|h| h.name.eq_ignore_ascii_case("accept")) {
                finding = finding.edit(RequestEdit::SetHeader {
                    name: h.name.to_string(),
                    value: offered(cx, &h.value),
                });
            }
            out.push(finding);
        }
    }
}

/// What to accept instead of `asked`: the type the server answered its refusal in, when it
/// is an API's (JSON, XML …) and not the one refused; else `*/*`, which takes the server's
/// default representation.
fn offered(cx: &Cx, asked: &str) -> String {
    let answered = cx
        .response()
        .and_then(|r| r.header_value("content-type"))
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|t| {
            let api = t.contains("json") || t.contains("xml") || t.starts_with("application/");
            api && !t.contains("html") && !asked.to_ascii_lowercase().contains(t.as_str())
        });
    answered.unwrap_or_else(|| "*/*".to_owned())
}
