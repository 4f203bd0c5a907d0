use crate::knowledge::url;
use crate::model::HasHeaders;
use crate::report::{Finding, input};
use crate::rules::{Cx, Rule, Side, redirect};

rule! {
    /// A redirect crossed to another host or origin, and the request that followed it no
    /// longer carries the Authorization or Cookie header the first one had — curl `-L`
    /// drops Authorization (and `-H` cookies) on a host or port change, fetch drops
    /// Authorization on a cross-origin redirect, Python requests strips it on a new host —
    /// so the final answer is 401 or 403.
    AuthCredentialsDroppedByRedirect {
        id: "auth.credentials-dropped-by-redirect",
        severity: Error,
        title: "A redirect to another host dropped the credentials",
        reference: Some("https://fetch.spec.whatwg.org/#http-redirect-fetch"),
        fixtures: [
            "redirect/authorization-dropped-cross-host.txt",
            "redirect/cookie-header-dropped-cross-host.txt",
        ],
        restates: ["auth.header-missing"],
        explanation: "Clients do not forward credentials to a host they were not sent to: following a redirect to another host, origin or port, curl (since 7.58, CVE-2018-1000007), fetch, Python requests and Go's net/http remove the Authorization header — and curl a Cookie header given with `-H` — so a token meant for the first URL is not handed to the second. The second server sees an anonymous request and refuses it.",
        fix: {
            caller: "Call the final URL directly (the `Location` of the redirect), or allow the credentials to follow when you trust the target (`curl --location-trusted`; a cookie jar `-b`/`-c` for cookies).",
            owner: "Do not redirect authenticated API calls to another host: serve the API on one canonical host, or redirect with 308 to the same origin.",
        },
    }
}

impl Rule for AuthCredentialsDroppedByRedirect {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if !matches!(cx.status(), Some(401 | 403)) || cx.index == 0 {
            return;
        }
        let exchanges = &cx.capture.exchanges;
        if !redirect::reached_by_redirect(exchanges, cx.index) {
            return;
        }
        // The chain's first request, and the hop that left its origin.
        let chain = redirect::chain_ending_at(cx, cx.index);
        let Some(first) = exchanges[*chain.start()].request.as_ref() else {
            return;
        };
        let Some(now) = cx.request() else { return };
        let (Some(from), Some(to)) = (url::origin(&first.url), url::origin(&now.url)) else {
            return;
        };
        if url::same_origin(from, to) {
            return;
        }
        let dropped: Vec<_> = ["authorization", "cookie"]
            .iter()
            .filter_map(|name| {
                let header = first.header(name)?;
                now.header(name).is_none().then_some(header)
            })
            .collect();
        if dropped.is_empty() {
            return;
        }
        let Some(crossing) = (*chain.start()..cx.index).find(|i| {
            exchanges[*i + 1]
                .request
                .as_ref()
                .and_then(|r| url::origin(&r.url))
                .is_some_and(|o| !url::same_origin(o, from))
        }) else {
            return;
        };
        let before = &exchanges[crossing];
        let Some((_, location)) = redirect::redirect_of(before) else {
            return;
        };
        let names: Vec<&str> = dropped.iter().map(|h| h.name.as_ref()).collect();
        let status = cx.status().unwrap_or_default();
        let title = format!(
            "The redirect from {} to {} dropped the {} header, so the followed request got {status}",
            input(from),
            input(to),
            names
                .iter()
                .map(|n| input(n))
                .collect::<Vec<_>>()
                .join(" and ")
        );
        let mut evidence: Vec<_> = dropped
            .iter()
            .map(|h| {
                let mut e = cx.header_evidence(Side::Request, h);
                "first request's header".clone_into(&mut e.location);
                e
            })
            .collect();
        evidence.push(cx.header_evidence(Side::Response, location));
        if let Some(line) = cx.request_line_evidence() {
            evidence.push(line);
        }
        evidence.extend(cx.status_evidence());
        for note in &before.notes {
            if note.text.contains("Clear auth") {
                evidence.push(cx.note_evidence(note));
            }
        }
        if let Some(finding) = self.meta().finding_from(title, evidence) {
            out.push(finding);
        }
    }
}
