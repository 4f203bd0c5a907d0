use crate::knowledge::text::Needles;
use crate::knowledge::url;
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule};

rule! {
    /// The path's API version (`/v1/`, `/api/v2/`, `/2023-10-16/`) differs from the version
    /// used by the successful calls to the same host in the input, or the server's answer
    /// names the versions it supports.
    UrlVersionMismatch {
        id: "url.version-mismatch",
        severity: Warning,
        title: "The API version in the path differs",
        reference: None,
        fixtures: ["chromium/mixed-page.har"],
        restates: ["url.route-not-found", "url.resource-not-found"],
        explanation: "The API has dropped this version, or never had it.",
        fix: {
            caller: "Use a version the API documents as current.",
            owner: "List the supported versions in the error.",
        },
    }
}

/// `/api/v2/items` → `v2`.
pub(crate) fn version_of(path: &str) -> Option<&str> {
    path.split('/').find(|s| {
        s.len() >= 2
            && s.len() <= 4
            && s.starts_with(['v', 'V'])
            && s[1..].chars().all(|c| c.is_ascii_digit() || c == '.')
            && s[1..].starts_with(|c: char| c.is_ascii_digit())
    })
}

/// The server's own words that the version is not (or no longer) supported.
fn unsupported_version(cx: &Cx) -> Option<Evidence> {
    static SAYS_UNSUPPORTED: Needles = Needles::new(&[
        "version is not supported",
        "Unsupported API version",
        "unsupported_api_version",
        "API version not supported",
        "version has been deprecated",
        "no longer supported",
    ]);
    cx.response_body_first(&SAYS_UNSUPPORTED).map(|(_, e)| e)
}

impl UrlVersionMismatch {
    fn unsupported(&self, evidence: Evidence) -> Finding {
        self.meta().finding(
            format!(
                "The server does not support the requested API version: {}",
                input(&evidence.quote)
            ),
            evidence,
        )
    }
}

impl Rule for UrlVersionMismatch {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let (Some(request), Some(status)) = (cx.request(), cx.status()) else {
            out.extend(unsupported_version(cx).map(|e| self.unsupported(e)));
            return;
        };
        if status < 400 {
            return;
        }
        let unsupported = unsupported_version(cx);
        let Some(used) = version_of(url::path_of(&request.url)) else {
            out.extend(unsupported.map(|e| self.unsupported(e)));
            return;
        };
        let host = url::origin(&request.url);
        let working = cx
            .lookup
            .working_other_version(host, used)
            .and_then(|i| cx.capture.exchanges[i].request.as_ref());
        let mut finding = match (working, unsupported) {
            (Some(ok), _) => {
                let good = version_of(url::path_of(&ok.url)).unwrap_or_default();
                let Some(request_line) = cx.request_line_evidence() else {
                    return;
                };
                self.meta()
                    .finding(
                        format!(
                            "This call uses {}, but the calls that work use {}",
                            input(used),
                            input(good)
                        ),
                        request_line,
                    )
                    .with_evidence(Evidence::new(
                        "a working exchange",
                        format!("{} {}", ok.method.as_deref().unwrap_or(""), ok.url),
                        None,
                    ))
                    .caller_fix(format!(
                        "Call {} instead.",
                        input(&url::path_of(&request.url).replacen(used, good, 1))
                    ))
                    .edit(crate::fix::RequestEdit::Url(url::with_path(
                        &request.url,
                        &url::path_of(&request.url).replacen(used, good, 1),
                    )))
            }
            (None, Some(e)) => self
                .meta()
                .finding(
                    format!(
                        "The server does not support API version {}: {}",
                        input(used),
                        input(&e.quote)
                    ),
                    e,
                )
                .with_all_evidence(cx.request_line_evidence())
                .caller_fix("Move to a version the API documents as current."),
            _ => return,
        };
        finding = finding.explain("APIs route each version separately; a path under a version that does not have this endpoint (or no longer exists) answers 404 even though the same endpoint exists under another version.").owner_fix("Answer unknown versions with a message listing the supported ones.");
        out.push(finding);
    }
}
