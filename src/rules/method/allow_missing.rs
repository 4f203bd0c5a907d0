use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule};

rule! {
    /// A 405 without an Allow header. RFC 9110 requires a 405 to list the allowed methods;
    /// without it, the caller has to guess. nginx's own 405 (for anything but GET/HEAD on
    /// static files) is the classic example.
    MethodAllowMissing {
        id: "method.allow-missing",
        severity: Warning,
        title: "The 405 response has no Allow header",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6"),
        fixtures: ["nginx/405.txt"],
        explanation: "RFC 9110 requires a 405 to carry Allow, listing the methods the resource supports. Without it the caller cannot tell which method to use.",
        fix: {
            caller: "Try OPTIONS on the URL, or check the documentation for the methods it accepts; check the path really is the API's and not a static route.",
            owner: "Add an Allow header listing the supported methods to every 405.",
        },
    }
}

impl Rule for MethodAllowMissing {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if response.status != 405
            || response.header("allow").is_some()
            || response.headers.is_empty()
        {
            return;
        }
        let responder = cx.responder().map(|(r, _)| r.name);
        let static_files =
            responder == Some("nginx") && response.body_text().contains("<center>nginx");
        let method = cx
            .request()
            .and_then(|r| r.method.as_deref())
            .map_or_else(|| "this method".to_owned(), input);
        let mut explanation = "RFC 9110 requires a 405 to carry Allow, listing the methods the resource supports. Without it the caller cannot tell which method to use.".to_owned();
        if static_files {
            explanation.push_str(&format!(" This is nginx's own 405 page: nginx answers it when {method} reaches a location that serves static files, which accept only GET and HEAD. The request probably never reached the application: check the location/proxy_pass for this path."));
        }
        let Some(status) = cx.status_evidence() else {
            return;
        };
        out.push(
            self.meta()
                .finding(
                    format!(
                        "{method} got 405 without an Allow header{}",
                        if static_files {
                            " (nginx refused it for a static-file location)"
                        } else {
                            ""
                        }
                    ),
                    status,
                )
                .with_all_evidence(cx.request_line_evidence())
                .explain(explanation)
                .owner_fix(if static_files {
                    "Route this path to the application with proxy_pass, or add an Allow header."
                } else {
                    "Add an Allow header listing the supported methods to every 405."
                }),
        );
    }
}
