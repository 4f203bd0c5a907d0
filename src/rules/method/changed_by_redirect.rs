use crate::knowledge::url;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A 301, 302 or 303 redirect turned the request's method into GET (and dropped its
    /// body) before the failure: `curl -L` printing `Switch from POST to GET`, or an
    /// exchange chain POST → 301 → GET. Typical for http→https and trailing-slash redirects.
    MethodChangedByRedirect {
        id: "method.changed-by-redirect",
        severity: Error,
        title: "A redirect turned the request into a GET",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-301-moved-permanently"),
        fixtures: ["curl/post-redirect-get.txt"],
        restates: ["method.not-allowed"],
        explanation: "For 301, 302 and 303, clients (curl -L, browsers, most libraries) repeat the request to the new location as GET without a body. The second request is then not the one intended, and fails with 405, 404 or a missing-body error. Only 307 and 308 keep the method and body.",
        fix: {
            caller: "Send the request straight to the final URL (e.g. https:// instead of http://, or with the trailing slash the server wants), or make the client keep the method (curl `--post301`/`--post302`, or `-X POST` with `-L`).",
            owner: "Redirect with 308 (permanent) or 307 (temporary) where non-GET requests may arrive.",
        },
    }
}

impl Rule for MethodChangedByRedirect {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(previous) = cx.previous().last() else {
            return;
        };
        let (Some(before), Some(redirect), Some(after)) = (
            previous.request.as_ref(),
            previous.response.as_ref(),
            cx.request(),
        ) else {
            return;
        };
        let was = before.method.as_deref().unwrap_or("");
        if !matches!(redirect.status, 301..=303)
            || was.is_empty()
            || matches!(was, "GET" | "HEAD")
            || !after.method_is("GET")
        {
            return;
        }
        let status = cx.status();
        if status.is_some_and(|s| s < 400) {
            return;
        }
        let mut finding = self.meta().finding(
            format!(
                "The {} redirect turned {} into {}{}",
                redirect.status,
                input(&format!("{was} {}", url::path_of(&before.url))),
                input(&format!("GET {}", url::path_of(&after.url))),
                status
                    .map(|s| format!(", which got {s}"))
                    .unwrap_or_default()
            ),
            crate::report::Evidence::new(
                "first request",
                format!("{was} {}", before.url),
                before.span.and_then(|s| {
                    crate::input::lines::lines(&cx.input[s.start..s.end])
                        .find(|l| l.text.contains(was))
                        .map(|l| {
                            crate::model::Span::new(
                                s.start + l.start,
                                s.start + l.start + l.text.len(),
                            )
                        })
                }),
            ),
        );
        let switch = cx
            .exchange
            .notes
            .iter()
            .chain(previous.notes.iter())
            .find(|n| n.text.starts_with("Switch from"));
        if let Some(note) = switch {
            finding = finding.with_evidence(cx.note_evidence(note));
        }
        if let Some(location) = redirect.header("location") {
            finding = finding.with_evidence(cx.header_evidence(Side::Response, location));
        }
        finding = finding.edit(crate::fix::RequestEdit::Resend(Box::new(before.clone())));
        out.push(finding.caller_fix(format!("Send the {} straight to the final URL ({}), e.g. https:// instead of http://, or with the trailing slash the server wants.", input(was), redirect.header_value("location").map_or_else(|| "the Location above".to_owned(), input)))
            );
    }
}
