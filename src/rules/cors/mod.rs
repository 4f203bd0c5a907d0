//! What the CORS rules share: who is asking from where, and what the browser said.

use crate::knowledge::transport::{Failure, classify};
use crate::knowledge::url;
use crate::model::{Exchange, HasHeaders};
use crate::report::Evidence;
use crate::rules::{Cx, Side};

/// Which CORS check failed, as the browser's console message names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Broken {
    MissingAllowOrigin,
    OriginMismatch,
    CredentialsWildcard,
    CredentialsNotTrue,
    PreflightRejected,
    HeaderNotAllowed,
    MethodNotAllowed,
    PreflightRedirect,
}

/// Message fragments of Chromium (current and before 2019), Firefox (current and older, and
/// its zh-CN wording), Safari and IE, per broken rule, matched against the message with its
/// quotes made ASCII. Safari's `Origin X is not allowed by Access-Control-Allow-Origin` is
/// not here: Safari prints it both when the header is missing and when it names another
/// origin, so it proves only that CORS failed.
const REASONS: &[(Broken, &str)] = &[
    (
        Broken::CredentialsWildcard,
        "when the credentials flag is true",
    ),
    (
        Broken::CredentialsWildcard,
        "Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true",
    ),
    (
        Broken::CredentialsNotTrue,
        "but the 'Access-Control-Allow-Credentials' header is",
    ),
    (
        Broken::CredentialsNotTrue,
        "but Access-Control-Allow-Credentials is not",
    ),
    (
        Broken::OriginMismatch,
        "Multiple CORS header 'Access-Control-Allow-Origin' not allowed",
    ),
    (
        Broken::OriginMismatch,
        "Multiple CORS headers 'Access-Control-Allow-Origin' not allowed",
    ),
    (
        Broken::OriginMismatch,
        "Access-Control-Allow-Origin cannot contain more than one origin",
    ),
    (
        Broken::MissingAllowOrigin,
        "CORS 头缺少 'Access-Control-Allow-Origin'",
    ),
    (
        Broken::HeaderNotAllowed,
        "according to header 'Access-Control-Allow-Headers'",
    ),
    (
        Broken::PreflightRedirect,
        "Response for preflight is invalid (redirect)",
    ),
    (
        Broken::PreflightRedirect,
        "Redirection is not allowed for preflight",
    ),
    (
        Broken::PreflightRejected,
        "Response for preflight has invalid HTTP status code",
    ),
    (
        Broken::PreflightRejected,
        "Preflight response is not successful",
    ),
    (
        Broken::PreflightRejected,
        "CORS preflight channel did not succeed",
    ),
    (Broken::PreflightRejected, "CORS preflight response failed"),
    (Broken::PreflightRejected, "CORS 预检通道未成功"),
    (
        Broken::CredentialsWildcard,
        "must not be the wildcard '*' when the request's credentials mode is 'include'",
    ),
    (
        Broken::CredentialsWildcard,
        "Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '*'",
    ),
    (
        Broken::CredentialsNotTrue,
        "'Access-Control-Allow-Credentials' header in the response is",
    ),
    (
        Broken::CredentialsNotTrue,
        "expected 'true' in CORS header 'Access-Control-Allow-Credentials'",
    ),
    (
        Broken::MissingAllowOrigin,
        "No 'Access-Control-Allow-Origin' header is present",
    ),
    (
        Broken::MissingAllowOrigin,
        "CORS header 'Access-Control-Allow-Origin' missing",
    ),
    (
        Broken::OriginMismatch,
        "that is not equal to the supplied origin",
    ),
    (
        Broken::OriginMismatch,
        "CORS header 'Access-Control-Allow-Origin' does not match",
    ),
    (Broken::OriginMismatch, "contains multiple values"),
    (
        Broken::HeaderNotAllowed,
        "is not allowed by Access-Control-Allow-Headers",
    ),
    (
        Broken::HeaderNotAllowed,
        "in CORS header 'Access-Control-Allow-Headers'",
    ),
    (
        Broken::MethodNotAllowed,
        "is not allowed by Access-Control-Allow-Methods",
    ),
    (
        Broken::MethodNotAllowed,
        "Did not find method in CORS header 'Access-Control-Allow-Methods'",
    ),
    (
        Broken::PreflightRedirect,
        "Redirect is not allowed for a preflight request",
    ),
    (Broken::PreflightRejected, "It does not have HTTP ok status"),
    (
        Broken::PreflightRejected,
        "CORS preflight response did not succeed",
    ),
    (
        Broken::PreflightRejected,
        "Response to preflight request doesn't pass access control check",
    ),
];

/// The browser's CORS message about an exchange: what it says broke, its text, and the
/// evidence quoting it.
pub(super) struct ConsoleReason<'a> {
    pub broken: Broken,
    pub message: &'a str,
    pub evidence: Evidence,
}

/// The browser's CORS message for this exchange, when it says what broke.
pub(super) fn console_reason<'a>(cx: &Cx<'a>) -> Option<ConsoleReason<'a>> {
    let error = cx.transport_error().filter(|e| e.code == "cors")?;
    let message = plain_quotes(&error.message);
    let broken = REASONS
        .iter()
        .find(|(_, fragment)| message.contains(fragment))
        .map(|(broken, _)| *broken)?;
    Some(ConsoleReason {
        broken,
        message: error.message.as_str(),
        evidence: cx.transport_evidence()?,
    })
}

/// The message as the browser wrote it: typographic quotes (a forum's or Firefox's own `‘…’`)
/// back to ASCII, and the space a line wrap put after a hyphen (`Access-Control- Allow-Origin`)
/// taken out.
pub(super) fn plain_quotes(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '‘' | '’' => out.push('\''),
            '“' | '”' => out.push('"'),
            '-' => {
                out.push('-');
                let mut spaces = 0;
                while chars.peek() == Some(&' ') {
                    chars.next();
                    spaces += 1;
                }
                if spaces > 0 && !chars.peek().is_some_and(char::is_ascii_uppercase) {
                    out.push(' ');
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The console message when any of its fragments says `broken` broke, also when another
/// fragment comes first (Chromium's `Response to preflight request doesn't pass access
/// control check: No 'Access-Control-Allow-Origin' header …` says two things).
pub(super) fn console_mentions<'a>(cx: &Cx<'a>, broken: Broken) -> Option<ConsoleReason<'a>> {
    let error = cx.transport_error().filter(|e| e.code == "cors")?;
    let message = plain_quotes(&error.message);
    REASONS
        .iter()
        .any(|(b, fragment)| *b == broken && message.contains(fragment))
        .then_some(())?;
    Some(ConsoleReason {
        broken,
        message: error.message.as_str(),
        evidence: cx.transport_evidence()?,
    })
}

/// The console message when it says `broken` broke.
pub(super) fn console_says<'a>(cx: &Cx<'a>, broken: Broken) -> Option<ConsoleReason<'a>> {
    console_reason(cx).filter(|reason| reason.broken == broken)
}

/// The origin a cross-origin request came from, with its evidence: the request's Origin
/// header, or the page's origin when it differs from the request URL's. `None` for requests
/// CORS does not govern: an image, script or beacon (`Sec-Fetch-Mode: no-cors`), a
/// navigation, and a recorded request that got a response without sending Origin (browsers
/// send it with every CORS request).
pub(super) fn requesting_origin(cx: &Cx) -> Option<(String, Evidence)> {
    let request = cx.request()?;
    if request
        .header("sec-fetch-mode")
        .is_some_and(|m| !m.value.trim().eq_ignore_ascii_case("cors"))
    {
        return None;
    }
    let target = url::origin(&request.url);
    if let Some(origin) = request.header("origin").filter(|h| h.value != "null")
        && target.is_none_or(|t| !url::same_origin(t, &origin.value))
    {
        return Some((
            origin.value.clone(),
            cx.header_evidence(Side::Request, origin),
        ));
    }
    // Without Origin, the page's origin is a guess worth making only when the request's
    // headers were not recorded or it got no response (a blocked fetch).
    if !request.headers.is_empty() && cx.status().is_some() {
        return None;
    }
    let page = cx.exchange.page_origin.as_deref()?;
    let target = target?;
    (!url::same_origin(page, target)).then(|| {
        (
            page.to_owned(),
            Evidence::new(
                "page origin",
                format!("page at {page} requested {target}"),
                None,
            ),
        )
    })
}

/// A response the browser could read headers from (a HAR entry or raw response with headers).
pub(super) fn readable_response(cx: &Cx) -> bool {
    cx.response().is_some_and(|r| !r.headers.is_empty())
}

/// The preflight (OPTIONS with Access-Control-Request-Method) for this exchange's URL, if
/// the capture holds one: either this exchange or an earlier one.
pub(super) fn is_preflight(exchange: &Exchange) -> bool {
    exchange.request.as_ref().is_some_and(|r| {
        r.method_is("OPTIONS") && r.header("access-control-request-method").is_some()
    })
}

/// Whether the browser blocked this exchange for CORS (console message or HAR failure).
pub(super) fn blocked(cx: &Cx) -> bool {
    cx.transport_error().is_some_and(|e| {
        classify(e) == Failure::Cors
            || (e.code == "net::ERR_FAILED" && requesting_origin(cx).is_some())
    })
}

pub(super) mod blocked;
pub(super) mod credentials_wildcard;
pub(super) mod header_not_allowed;
pub(super) mod method_not_allowed;
pub(super) mod missing_allow_origin;
pub(super) mod origin_mismatch;
pub(super) mod preflight_rejected;
