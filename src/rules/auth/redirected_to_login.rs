use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side, redirect};

rule! {
    /// An API call was answered with a redirect to a login or single-sign-on page (`302 →
    /// /login`, `/oauth2/authorize`, an identity provider's host), or the redirects it
    /// followed ended on an HTML login page: the session expired, or the call carried no
    /// session the server accepts, and the server treated it like a browser page. A page
    /// navigation (a request for `text/html`) that lands on a login page is left alone.
    AuthRedirectedToLogin {
        id: "auth.redirected-to-login",
        severity: Error,
        title: "The API call was sent to a login page",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2"),
        fixtures: [
            "redirect/api-redirected-to-login.txt",
            "redirect/api-redirected-to-login-followed.txt",
            "redirect/chromium-redirects.har",
        ],
        restates: ["response.html-instead-of-json"],
        explanation: "Servers that protect pages with a login form (Spring Security, Django `login_required`, ASP.NET cookie auth, an SSO proxy such as oauth2-proxy) answer an unauthenticated request with a redirect to the login page instead of a 401. For an API call that means the session cookie or token was missing, expired or not accepted; the client then gets an HTML page where it expected JSON.",
        fix: {
            caller: "Send the session the API expects (the cookie with `credentials: 'include'`, or the bearer token), refresh it when it expires, and treat a redirect to the login page as a 401: log in again.",
            owner: "Answer API routes with 401 (and `WWW-Authenticate`) instead of a login redirect: Spring `HttpStatusEntryPoint`, ASP.NET `OnRedirectToLogin` returning 401 for `/api`, oauth2-proxy `--skip-auth-route`/API paths; keep the redirect for pages only.",
        },
    }
}

impl Rule for AuthRedirectedToLogin {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let exchanges = &cx.capture.exchanges;
        // The browser's console: a fetch redirected to an identity provider, which then
        // failed CORS (`Access to fetch at 'https://login…' (redirected from '…/api/…')`).
        if let Some(error) = cx.transport_error()
            && error.message.contains("(redirected from '")
            && cx.request().is_some_and(|r| redirect::is_login_url(&r.url))
            && let Some(evidence) = cx.transport_evidence()
        {
            let target = cx.request().map_or("", |r| r.url.as_str());
            let target = crate::knowledge::url::origin(target).unwrap_or(target);
            out.push(self.meta().finding(
                format!("The API call was redirected to the login page at {} (and the browser then blocked it): it carried no session the server accepts", input(target)),
                evidence,
            ));
            return;
        }
        let chain = redirect::chain_ending_at(cx, cx.index);
        let Some(first) = exchanges[*chain.start()].request.as_ref() else {
            return;
        };
        if !redirect::is_api_call(first) {
            return;
        }
        // A redirect to a login page the client did not follow (or followed to something
        // that is not recognisably a login page).
        if let Some((target, location)) = redirect::redirect_of(cx.exchange)
            && redirect::is_login_url(&target)
        {
            let next_is_login_page = redirect::followed(exchanges, cx.index)
                && exchanges[cx.index + 1]
                    .response
                    .as_ref()
                    .and_then(|r| redirect::login_page_at(r.body_text()))
                    .is_some();
            if next_is_login_page {
                return;
            }
            let status = cx.status().unwrap_or_default();
            let title = format!(
                "The API call was answered with {status}, a redirect to the login page {}: it carried no session the server accepts",
                input(&target)
            );
            let mut finding = self
                .meta()
                .finding(title, cx.header_evidence(Side::Response, location));
            if let Some(line) = cx.request_line_evidence() {
                finding = finding.with_evidence(line);
            }
            out.push(finding);
            return;
        }
        // The chain ended on a login page (a hop it went on from is not its end). Without a
        // redirect before it, only a request that asked for JSON says the page was not what
        // it wanted.
        if redirect::followed(exchanges, cx.index)
            || (cx.index == *chain.start() && !asks_for_json(first))
        {
            return;
        }
        let Some(response) = cx.response() else {
            return;
        };
        let Some(body) = response.body.as_ref() else {
            return;
        };
        let Some(at) = redirect::login_page_at(&body.text) else {
            return;
        };
        let page = cx.body_line_evidence(Side::Response, body, at);
        let mut evidence = Vec::new();
        for i in chain.clone() {
            if let Some((_, location)) = redirect::redirect_of(&exchanges[i]) {
                evidence.push(cx.header_evidence(Side::Response, location));
            }
        }
        let via = if evidence.is_empty() {
            String::new()
        } else {
            format!(
                " after {} redirect{}",
                evidence.len(),
                if evidence.len() == 1 { "" } else { "s" }
            )
        };
        let name =
            page_title(&body.text).map_or(String::new(), |t| format!(" (titled {})", input(&t)));
        let title = format!(
            "The API call ended on an HTML login page{via}{name}: it carried no session the server accepts"
        );
        let mut finding = self.meta().finding(title, page);
        finding = finding.with_all_evidence(evidence);
        out.push(finding);
    }
}

fn asks_for_json(request: &crate::model::Request) -> bool {
    use crate::model::HasHeaders;
    request
        .header_value("accept")
        .is_some_and(|a| a.to_ascii_lowercase().contains("json"))
        || request.header("x-requested-with").is_some()
}

/// The text of an HTML page's `<title>`.
fn page_title(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let start = start + lower[start..].find('>')? + 1;
    let end = start + lower[start..].find("</title>")?;
    let title = html.get(start..end)?.trim();
    (!title.is_empty()).then(|| crate::knowledge::text::clip(title, 80))
}
