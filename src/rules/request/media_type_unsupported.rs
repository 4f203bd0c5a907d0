use crate::fix::RequestEdit;
use crate::model::HasHeaders;
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// 415 Unsupported Media Type: the body's Content-Type is not one the endpoint reads.
    /// Quotes the Content-Type sent (or says none was sent, or that curl's `-d` sent
    /// `application/x-www-form-urlencoded`), and the types the server accepts when it names
    /// them (`Accept-Post`, `Accept-Patch`, or its message).
    RequestMediaTypeUnsupported {
        id: "request.media-type-unsupported",
        severity: Error,
        title: "The server does not accept the body's Content-Type",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16"),
        fixtures: [
            "limits/express-415-unsupported-media-type.txt",
            "limits/drf-415-unsupported-media-type.txt",
        ],
        explanation: "The server chooses its body parser by the request's Content-Type and has none for the one sent: JSON APIs refuse `text/plain` or `application/x-www-form-urlencoded` (what `curl -d` and HTML forms send by default), a missing Content-Type, or a charset or vendor type they do not know.",
        fix: {
            caller: "Send the type the endpoint reads, usually `Content-Type: application/json` with a JSON body (`curl --json`, `fetch(…, { headers: { 'Content-Type': 'application/json' } })`).",
            owner: "Name the accepted types in the error and in `Accept-Post`/`Accept-Patch` (RFC 5789, RFC 9110 §15.5.16).",
        },
    }
}

impl Rule for RequestMediaTypeUnsupported {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if cx.status() != Some(415) {
            return;
        }
        let Some(response) = cx.response() else {
            return;
        };
        let mut evidence: Vec<Evidence> = cx.status_evidence().into_iter().collect();
        let sent = cx.request().and_then(|r| r.header("content-type"));
        // A JSON body labelled as something else is `body.content-type-mismatch`'s to say.
        let json_body = cx.request().and_then(|r| r.body.as_ref()).is_some_and(|b| {
            serde_json::from_str::<serde_json::Value>(b.text.trim())
                .is_ok_and(|v| v.is_object() || v.is_array())
        });
        if json_body && sent.is_none_or(|h| !h.value.to_ascii_lowercase().contains("json")) {
            return;
        }
        let sent_words = match sent {
            Some(h) => {
                evidence.push(cx.header_evidence(Side::Request, h));
                let implicit = h.span.is_none() && h.value == "application/x-www-form-urlencoded";
                if implicit {
                    format!("{} (curl's default for `-d`)", input(&h.value))
                } else {
                    input(&h.value)
                }
            }
            None if cx.request().is_some_and(|r| r.body.is_some()) => "no Content-Type".to_owned(),
            None => String::new(),
        };
        let accepted = response
            .header("accept-post")
            .or_else(|| response.header("accept-patch"));
        if let Some(h) = accepted {
            evidence.push(cx.header_evidence(Side::Response, h));
        }
        let message = cx.response_message();
        if let Some(m) = &message
            && let Some(e) = cx.response_body_match(m.split('"').next().unwrap_or(m))
        {
            evidence.push(e);
        }
        let title = match (sent_words.is_empty(), accepted) {
            (false, Some(h)) => format!(
                "The server does not read a body sent as {sent_words}; it accepts {}",
                input(&h.value)
            ),
            (false, None) => match &message {
                Some(m) => format!(
                    "The server does not read a body sent as {sent_words}: {}",
                    input(&crate::knowledge::text::clip(m, 160))
                ),
                None => format!("The server does not read a body sent as {sent_words}"),
            },
            (true, Some(h)) => format!(
                "The server does not accept the body's Content-Type; it accepts {}",
                input(&h.value)
            ),
            (true, None) => "The server does not accept the body's Content-Type (415)".to_owned(),
        };
        evidence.dedup();
        if let Some(mut finding) = self.meta().finding_from(title, evidence) {
            if let Some(media) = accepted.and_then(|h| fitting_type(&h.value, cx)) {
                finding = finding.edit(RequestEdit::SetHeader {
                    name: "Content-Type".to_owned(),
                    value: media,
                });
            }
            out.push(finding);
        }
    }
}

/// The one type the server names (`Accept-Post: application/json`) when the body is of
/// that kind: a JSON body and a JSON type, a form body and the form type. Any other case
/// needs a new body, not a new label.
fn fitting_type(accepted: &str, cx: &Cx) -> Option<String> {
    let mut types = accepted.split(',').map(str::trim).filter(|t| !t.is_empty());
    let media = types.next()?;
    if types.next().is_some() {
        return None;
    }
    let body = cx.request()?.body.as_ref()?.text.trim();
    let lower = media.to_ascii_lowercase();
    let json =
        serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok() && body.starts_with(['{', '[']);
    let form = !body.is_empty()
        && body.contains('=')
        && !body.starts_with(['{', '[', '"', '<'])
        && !body.contains(char::is_whitespace);
    let fits = (json && lower.contains("json"))
        || (form && lower.starts_with("application/x-www-form-urlencoded"));
    fits.then(|| media.to_owned())
}
