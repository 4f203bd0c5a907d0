use crate::knowledge::url;
use crate::report::{Finding, Severity, input};
use crate::rules::{Cx, Rule, Side, redirect};

rule! {
    /// An API call answered with a redirect (301, 302, 303, 307, 308) that the client did
    /// not follow — curl without `-L`, a client with redirects turned off — so what it got
    /// is a redirect page, not the API's answer, which is at `Location`. Says when the
    /// redirect goes from http to https or drops the port, and when following it would turn
    /// a POST into a GET. Browsers always follow, so HAR entries are left out, as are
    /// redirects to a login page (`auth.redirected-to-login`) and an authorization
    /// endpoint's redirect back to its client.
    RedirectNotFollowed {
        id: "redirect.not-followed",
        severity: Error,
        title: "The API answered with a redirect the client did not follow",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.4"),
        fixtures: ["redirect/moved-not-followed.txt", "redirect/https-redirect-not-followed.txt"],
        restates: ["response.html-instead-of-json"],
        explanation: "A 3xx is not the API's answer but a pointer to it: the resource moved (301/308), the server sends clients elsewhere for now (302/307), or to see the result of a POST (303). curl and several HTTP clients do not follow redirects unless told to (`-L`, `allow_redirects`, `redirect: 'follow'`), so the client reports the redirect itself — often an HTML page — as the response.",
        fix: {
            caller: "Call the URL in `Location` directly (update the base URL or version), or let the client follow redirects (`curl -L`; keep the method and body across a POST redirect with `--post301`/`--post302`, or call the new URL).",
            owner: "For moved APIs prefer 308 (keeps method and body) with a `Link` to the new version, or keep the old path working; redirect http to https only for browsers and refuse plain http API calls with a clear error.",
        },
    }
}

impl Rule for RedirectNotFollowed {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        // Browsers always follow; a HAR entry is one step of a chain.
        if cx.exchange.entry.is_some() || cx.exchange.page_origin.is_some() {
            return;
        }
        let Some((target, location)) = redirect::redirect_of(cx.exchange) else {
            return;
        };
        let Some(request) = cx.request() else { return };
        let Some(status) = cx.status() else { return };
        if !matches!(status, 301 | 302 | 303 | 307 | 308)
            || cx.transport_error().is_some()
            || redirect::followed(&cx.capture.exchanges, cx.index)
            || redirect::is_login_url(&target)
            || !redirect::is_api_call(request)
        {
            return;
        }
        // Only a trailing slash added or removed: `url.trailing-slash` says it better.
        if url::path_of(&request.url).trim_end_matches('/')
            == url::path_of(&target).trim_end_matches('/')
            && url::origin(&request.url) == url::origin(&target)
        {
            return;
        }
        // An authorization endpoint's answer goes back to its client: that is the flow.
        let path = url::path_of(&request.url).to_ascii_lowercase();
        if path.contains("authorize")
            || url::query_pairs(&target).any(|(k, _)| matches!(k, "code" | "error" | "state"))
        {
            return;
        }
        let Some(status_line) = cx.status_evidence() else {
            return;
        };
        let reason = cx.response().map_or("", |r| r.reason.as_str());
        let mut notes = Vec::new();
        if request.url.starts_with("http://") && target.starts_with("https://") {
            notes.push("it moves the call from http to https".to_owned());
        }
        let port = |u: &str| {
            let origin = url::origin(u).unwrap_or("");
            let host_port = origin.rsplit('/').next().unwrap_or("");
            host_port
                .rsplit_once(':')
                .filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit()))
                .map(|(_, p)| p.to_owned())
        };
        if let Some(p) = port(&request.url)
            && port(&target).is_none()
            && url::host(&request.url) == url::host(&target)
        {
            notes.push(format!("it drops port {p}"));
        }
        let method = request.method.as_deref().unwrap_or("GET");
        if matches!(status, 301..=303) && !matches!(method, "GET" | "HEAD") {
            notes.push(format!(
                "following it would turn the {} into a GET without its body",
                input(method)
            ));
        }
        let extra = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        let title = format!(
            "The API answered {status}{} and the client stopped there: the answer is at {}{extra}",
            if reason.is_empty() {
                String::new()
            } else {
                format!(" {}", input(reason))
            },
            input(&target)
        );
        let mut finding = self
            .meta()
            .finding(title, status_line)
            .with_evidence(cx.header_evidence(Side::Response, location));
        if let Some(line) = cx.request_line_evidence() {
            finding = finding.with_evidence(line);
        }
        if matches!(status, 302 | 303 | 307) {
            finding = finding.severity(Severity::Warning);
        }
        // A 303 points at the result of a request that was carried out: calling it again
        // is not the fix. Otherwise the answer is the same request at Location.
        if status != 303 {
            finding = finding.edit(crate::fix::RequestEdit::Url(target.clone()));
        }
        out.push(finding);
    }
}
