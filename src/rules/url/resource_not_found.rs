use crate::knowledge::url;
use crate::knowledge::{frameworks, text};
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A 404 in the API's own JSON format (not a framework's no-route page): the route
    /// exists and the application looked the resource up, but the ID it addresses does not
    /// exist — or is not visible to this caller.
    UrlResourceNotFound {
        id: "url.resource-not-found",
        severity: Error,
        title: "The addressed resource does not exist",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-404-not-found"),
        fixtures: ["fastapi/404-item.txt"],
        explanation: "The answer is in the API's own error format, so the route matched and the application looked for the resource. The ID is wrong, the resource was deleted, it belongs to another account or environment, or the API hides resources the caller may not see behind a 404.",
        fix: {
            caller: "Check the ID (copy it from a list response), the environment and the account; create the resource first if it should exist.",
            owner: "Keep 404 for missing resources distinct from unknown routes; include the ID and type in the message.",
        },
    }
}

impl Rule for UrlResourceNotFound {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if cx.status() != Some(404) {
            return;
        }
        let Some(body) = cx.response().and_then(|r| r.body.as_ref()) else {
            return;
        };
        if frameworks::ROUTE_NOT_FOUND.contains_any(&body.text) {
            return;
        }
        let message = cx.response_message();
        let Some(message) = message else { return };
        let at = body.text.find(&message).unwrap_or(0);
        let id = cx.request().and_then(|r| {
            url::path_of(&r.url)
                .rsplit('/')
                .find(|s| !s.is_empty())
                .map(str::to_owned)
        });
        let title = match &id {
            Some(id) => format!(
                "The API answered that {} does not exist: {}",
                input(id),
                input(&text::clip(&message, 80))
            ),
            None => format!(
                "The API answered that the resource does not exist: {}",
                input(&text::clip(&message, 80))
            ),
        };
        out.push(
            self.meta()
                .finding(title, cx.body_line_evidence(Side::Response, body, at))
                .with_all_evidence(cx.request_line_evidence().filter(|e| e.span.is_some())),
        );
    }
}
