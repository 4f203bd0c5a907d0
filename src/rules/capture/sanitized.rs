use crate::input::Format;
use crate::knowledge::{secrets, url};
use crate::model::{Capture, Exchange, HasHeaders};
use crate::report::{Evidence, Finding, input};
use crate::rules::{CaptureCx, Rule};

rule! {
    /// The HAR was exported with its credentials removed: Chromium's default "Export HAR
    /// (sanitized)" drops `Authorization`, `Cookie` and `Set-Cookie` and empties the
    /// `cookies` arrays. Fires when no request in the file carries credentials although a
    /// response shows one was sent: a 401 whose `WWW-Authenticate` judges a token
    /// (`error="invalid_token"`: the server read one), or a response body that says the token
    /// expired or is invalid. Auth findings cannot be judged from such a file.
    CaptureSanitized {
        id: "capture.sanitized",
        severity: Warning,
        title: "The HAR was exported without its credentials",
        reference: Some("https://developer.chrome.com/docs/devtools/network/reference#save-as-har"),
        fixtures: ["browser/token-refresh-failed-sanitized.har"],
        explanation: "Browsers strip credentials from HAR exports by default (Chromium's DevTools since late 2024: `Authorization`, `Cookie`, `Set-Cookie`), so a file can be shared safely. The server's answers show that credentials were sent, but the file no longer holds them: whether a token was missing, malformed or expired cannot be judged from it, and findings about missing credentials would be wrong.",
        fix: {
            caller: "To diagnose authentication, export again with credentials: in Chromium's DevTools, enable Settings → Preferences → Network → \"Allow to generate HAR (with sensitive data)\", then use \"Export HAR (with sensitive data)\" on the Network panel's download menu. Or paste the failing call's `curl -v` output (Copy as cURL, then run it with `-v`). httpdx redacts secrets before sharing.",
        },
    }
}

/// Whether the request carries a credential header (what a sanitized export removes).
fn has_credential_header(e: &Exchange) -> bool {
    e.request.as_ref().is_some_and(|r| {
        r.headers.iter().any(|h| {
            secrets::is_credential_header(&h.name) && !h.name.eq_ignore_ascii_case("set-cookie")
        })
    })
}

/// Whether the URL carries a credential (`?access_token=`), which an export keeps.
fn has_credential_parameter(e: &Exchange) -> bool {
    e.request
        .as_ref()
        .is_some_and(|r| url::query_pairs(&r.url).any(|(n, _)| secrets::is_secret_name(n)))
}

/// A response that shows the server judged a credential: a challenge with
/// `error="invalid_token"`, or a body saying the token expired or is invalid.
fn judged_credential(e: &Exchange) -> Option<(String, &'static str)> {
    let response = e.response.as_ref()?;
    if !matches!(response.status, 401 | 403) {
        return None;
    }
    if let Some(h) = response
        .headers_named("www-authenticate")
        .find(|h| h.value.to_ascii_lowercase().contains("invalid_token"))
    {
        return Some((format!("{}: {}", h.name, h.value), "response header"));
    }
    let body = response.body_text();
    let lower = body.to_ascii_lowercase();
    [
        "token expired",
        "token has expired",
        "jwt expired",
        "access token expired",
        "invalid_token",
    ]
    .iter()
    .find(|p| lower.contains(*p))
    .map(|_| {
        (
            crate::knowledge::text::clip(body.trim(), 200),
            "response body",
        )
    })
}

type Judged<'a> = Vec<(&'a Exchange, (String, &'static str))>;

/// The responses that judged a credential no request in this HAR carries, when it is a HAR
/// exported without credentials.
pub(crate) fn stripped(capture: &Capture) -> Option<Judged<'_>> {
    let exchanges = &capture.exchanges;
    // HAR entries only (they know their place in the file).
    if exchanges.first().is_none_or(|e| e.entry.is_none()) {
        return None;
    }
    // The responses that judged a credential first: they are few (a 401 or 403 only), and
    // most captures have none, which spares the pass over every request header (it was
    // most of the capture-wide indexes' cost, built before any exchange is checked).
    let judged: Judged = exchanges
        .iter()
        .filter_map(|e| Some((e, judged_credential(e)?)))
        .filter(|(e, _)| !has_credential_parameter(e))
        .collect();
    if judged.is_empty() || exchanges.iter().any(has_credential_header) {
        return None;
    }
    Some(judged)
}

impl Rule for CaptureSanitized {
    fn check_capture(&self, cx: &CaptureCx, out: &mut Vec<Finding>) {
        // The indexes know already whether the capture was stripped (most are not): the
        // pass over every header of every entry is made again only to quote them.
        if cx.format != Format::Har || !cx.lookup.credentials_stripped {
            return;
        }
        let exchanges = &cx.capture.exchanges;
        let Some(judged) = stripped(cx.capture) else {
            return;
        };
        let Some((first, _)) = judged.first() else {
            return;
        };
        let url = first.request.as_ref().map_or("", |r| r.url.as_str());
        let mut evidence = Vec::new();
        for (e, (quote, location)) in judged.iter().take(3) {
            let request = e.request.as_ref().map_or("", |r| r.url.as_str());
            evidence.push(Evidence::new(
                format!("{location} of {request}"),
                quote.clone(),
                None,
            ));
        }
        evidence.push(Evidence::new(
            "request headers",
            format!(
                "no Authorization or Cookie header in any of the {} requests",
                exchanges.len()
            ),
            None,
        ));
        let title = format!(
            "The HAR was exported without credentials: the server judged a token on {}, yet no request in the file carries one",
            input(url)
        );
        out.extend(self.meta().finding_from(title, evidence));
    }
}
