use crate::fix::RequestEdit;
use crate::knowledge::text::Needles;
use crate::knowledge::url;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// The path's trailing slash differs from what the API routes: the framework redirects
    /// to the other form (Django APPEND_SLASH, FastAPI/Starlette `redirect_slashes`, Flask's
    /// 308) — which drops a POST body or turns POST into GET on 301/302 — or it refuses, or
    /// the other exchanges in the input use the other form.
    UrlTrailingSlash {
        id: "url.trailing-slash",
        severity: Warning,
        title: "The trailing slash differs from the API's routes",
        reference: Some("https://docs.djangoproject.com/en/stable/ref/settings/#append-slash"),
        fixtures: ["fastapi/307-slash-redirect.txt", "django/500-append-slash.txt"],
        restates: ["url.route-not-found", "url.resource-not-found", "server.unhandled-exception"],
        explanation: "The framework redirects to the canonical form of the path. Every call pays an extra round trip; a client that does not follow redirects fails; a 301/302 makes clients resend POST as GET without its body; and Authorization is dropped if the redirect changes host or scheme.",
        fix: {
            caller: "Call the path in the form the API routes (with or without the trailing slash, as its other calls and redirects show).",
            owner: "Document one form and accept both, or redirect with 308 so the method and body survive.",
        },
    }
}

fn toggled(path: &str) -> String {
    match path.strip_suffix('/') {
        Some(p) => p.to_owned(),
        None => format!("{path}/"),
    }
}

/// Django's error for a POST to a path without its trailing slash.
static APPEND_SLASH: Needles = Needles::new(&["end in a slash and you have APPEND_SLASH set"]);

impl Rule for UrlTrailingSlash {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let (Some(request), Some(response)) = (cx.request(), cx.response()) else {
            return;
        };
        let path = url::path_of(&request.url);
        if path == "/" {
            return;
        }
        // A redirect to the same path with the slash toggled.
        if let Some(location) = response
            .header("location")
            .filter(|_| (300..400).contains(&response.status))
            && url::path_of(&location.value) == toggled(path)
        {
            let method = request.method.as_deref().unwrap_or("GET");
            let severity = if method != "GET" && matches!(response.status, 301 | 302) {
                crate::report::Severity::Error
            } else {
                crate::report::Severity::Warning
            };
            out.extend(
                self.meta()
                    .finding_from(
                        format!(
                            "{} redirects to {}: the API's route has {} trailing slash",
                            input(path),
                            input(&toggled(path)),
                            if path.ends_with('/') { "no" } else { "a" }
                        ),
                        cx.request_line_evidence()
                            .into_iter()
                            .chain(cx.status_evidence())
                            .chain([cx.header_evidence(Side::Response, location)]),
                    )
                    .map(|f| {
                        f.severity(severity)
                            .caller_fix(format!("Call {} directly.", input(&toggled(path))))
                            .edit(RequestEdit::Url(url::with_path(
                                &request.url,
                                &toggled(path),
                            )))
                    }),
            );
            return;
        }
        // Django's refusal to redirect a POST.
        if let Some((_, e)) = cx.response_body_first(&APPEND_SLASH) {
            out.push(self.meta()
                .finding(format!("{} needs a trailing slash, and Django cannot redirect a {} to add it", input(path), input(request.method.as_deref().unwrap_or("POST"))), e)
                .severity(crate::report::Severity::Error)
                .with_all_evidence(cx.request_line_evidence())
                .explain("With APPEND_SLASH, Django redirects GETs to the path with a slash, but for POST (and other methods with a body) it raises an error instead, because the redirect would lose the body.")
                .caller_fix(format!("Call {} with the trailing slash.", input(&format!("{}/", path.trim_end_matches('/')))))
                .owner_fix("Accept both forms in the URL patterns (`re_path(r'^items/?$')`), or document the slash.")
                .edit(RequestEdit::Url(url::with_path(&request.url, &format!("{}/", path.trim_end_matches('/'))))));
            return;
        }
        // The other exchanges to this host use the other form of the same path.
        if !matches!(response.status, 404 | 405) {
            return;
        }
        let other = toggled(path);
        let host = url::origin(&request.url);
        if let Some(e) = cx
            .lookup
            .working_at(&cx.capture.exchanges, host, &other)
            .and_then(|i| cx.capture.exchanges[i].request.as_ref())
        {
            let another = crate::report::Evidence::new(
                "another exchange",
                format!("{} {}", e.method.as_deref().unwrap_or(""), e.url),
                e.span.filter(|s| cx.input[s.start..s.end].contains(&other)),
            );
            let evidence = cx
                .request_line_evidence()
                .into_iter()
                .chain(cx.status_evidence())
                .chain([another]);
            out.extend(self.meta()
                .finding_from(format!("{} failed, but {} works elsewhere in this input", input(path), input(&other)), evidence)
                .map(|f| f.explain("The two paths differ only in the trailing slash, and the server routes them differently.")
                .caller_fix(format!("Call {}.", input(&other)))
                .owner_fix("Accept both forms, or redirect with 308.")
                .edit(RequestEdit::Url(url::with_path(&request.url, &other)))));
        }
    }
}
