use crate::knowledge::frameworks;
use crate::knowledge::text::Needles;
use crate::knowledge::url;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule};

rule! {
    /// A framework's or gateway's own "no such route" answer — Express `Cannot GET /x`,
    /// Django's URLconf page, Flask's "requested URL was not found", FastAPI
    /// `{"detail":"Not Found"}`, Spring, Rails, Kong, API Gateway's `Missing Authentication
    /// Token`. The path is wrong, not the ID in it.
    UrlRouteNotFound {
        id: "url.route-not-found",
        severity: Error,
        title: "No route matches the path",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-404-not-found"),
        fixtures: ["express/404-cannot-get.txt", "flask/404.txt", "django/404-debug.txt", "fastapi/404-route.txt"],
        explanation: "A framework's own 404 page answers when no route matches the method and path, before any application code runs. The resource may well exist; the URL does not address it. Look for a missing prefix (/api, /v1), a typo, a trailing slash, or the wrong method.",
        fix: {
            caller: "Compare the path with the API documentation character by character: prefix, version, plural, trailing slash, and method.",
            owner: "Answer unknown routes in the API's JSON error format, and list valid routes only in development.",
        },
    }
}

/// Django's debug 404 page lists the URL patterns it tried.
static DJANGO_LISTING: Needles = Needles::new(&["Django tried these URL patterns"]);

impl Rule for UrlRouteNotFound {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(status) = cx.status() else { return };
        if !matches!(status, 404 | 403) {
            return;
        }
        let Some((framework, evidence)) = cx.response_signature(&frameworks::ROUTE_NOT_FOUND)
        else {
            return;
        };
        if status == 403 && framework != "AWS API Gateway" {
            return;
        }
        let path = cx
            .request()
            .map(|r| url::path_of(&r.url).to_owned())
            .or_else(|| {
                evidence
                    .quote
                    .split("Cannot ")
                    .nth(1)
                    .and_then(|r| r.split(' ').nth(1))
                    .map(|p| p.trim_end_matches("</pre>").to_owned())
            });
        let title = match &path {
            Some(p) => {
                format!(
                    "{framework} has no route for {}: the path is wrong, not the ID in it",
                    input(p)
                )
            }
            None => format!("{framework} has no route for this path"),
        };
        let mut finding = self
            .meta()
            .finding(title, evidence)
            .with_all_evidence(cx.request_line_evidence().filter(|e| e.span.is_some()));
        if let Some((_, listing)) = cx.response_body_first(&DJANGO_LISTING) {
            finding = finding.with_evidence(listing);
        }
        out.push(finding
            .explain(format!("This 404 page is the one {framework} produces when no route matches the method and path, before any application code runs. The resource may well exist; the URL does not address it. Look for a missing prefix (/api, /v1), a typo, a trailing slash, or the wrong method (some frameworks answer 404 rather than 405)."))
            );
    }
}
