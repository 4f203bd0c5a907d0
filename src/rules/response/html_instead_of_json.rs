use crate::knowledge::responders;
use crate::knowledge::url;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// The caller expected JSON — it sent `Accept: application/json`, a JSON body, or called
    /// an API-looking path — and got an HTML page. The answer came from a proxy's or
    /// framework's error page (or a login page, or the SPA's index.html), not from the API,
    /// and a JSON parser in the client will fail on its first `<`.
    ResponseHtmlInsteadOfJson {
        id: "response.html-instead-of-json",
        severity: Warning,
        title: "HTML came back where JSON was expected",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#name-accept"),
        fixtures: ["nginx/502-dead-upstream.txt", "django/404-debug.txt"],
        explanation: "An API answers in JSON, even for errors. An HTML page means something else answered: a proxy or CDN error page, the framework's debug page, a login redirect, or a frontend server returning index.html for an unknown path. In the client this shows up as `Unexpected token '<'` when the body is parsed as JSON.",
        fix: {
            caller: "Check the status and Content-Type before parsing the body as JSON, and check the base URL (is it the API host, or the frontend's?).",
            owner: "Return JSON errors from every layer clients reach: configure the proxy's error pages (nginx `error_page` + a JSON body) and the framework's handlers for API paths.",
        },
    }
}

impl Rule for ResponseHtmlInsteadOfJson {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let (Some(request), Some(response)) = (cx.request(), cx.response()) else {
            return;
        };
        let body = response.body_text().trim_start();
        let html = body.starts_with('<')
            && (response.media_type().is_some_and(|m| m == "text/html")
                || body
                    .get(..9)
                    .is_some_and(|s| s.eq_ignore_ascii_case("<!doctype"))
                || body.starts_with("<html"));
        if !html || body.is_empty() {
            return;
        }
        let accept = request
            .header("accept")
            .filter(|h| h.value.contains("json"));
        let json_body = request
            .header("content-type")
            .filter(|h| h.value.contains("json"));
        let path = url::path_of(&request.url);
        let api_path = path.starts_with("/api")
            || crate::rules::url::version_mismatch::version_of(path).is_some()
            // A `/graphql` endpoint, not a page such as `/graphql.html`.
            || path.split(['/', '?']).any(|s| s.eq_ignore_ascii_case("graphql"));
        if accept.is_none() && json_body.is_none() && !api_path {
            return;
        }
        let source = cx
            .responder()
            .filter(|(r, _)| responders::is_stock_error_page(r, response))
            .map(|(r, _)| format!("{}'s error page", r.name));
        let title_tag = body
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
        let what = source
            .or_else(|| title_tag.map(|t| format!("an HTML page titled {}", input(&t))))
            .unwrap_or_else(|| "an HTML page".to_owned());
        let mut evidence = Vec::new();
        if let Some(h) = accept.or(json_body) {
            evidence.push(cx.header_evidence(Side::Request, h));
        } else {
            evidence.extend(cx.request_line_evidence());
        }
        if let Some(ct) = response.header("content-type") {
            evidence.push(cx.header_evidence(Side::Response, ct));
        }
        if let Some(response_body) = response.body.as_ref() {
            let lead = response_body.text.len() - response_body.text.trim_start().len();
            evidence.push(cx.body_line_evidence(Side::Response, response_body, lead));
        }
        out.extend(self.meta().finding_from(
            format!(
                "The client expected JSON from {} but got {what}",
                input(path)
            ),
            evidence,
        ));
    }
}
