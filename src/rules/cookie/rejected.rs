use crate::knowledge::url;
use crate::model::HasHeaders;
use crate::report::{Evidence, Finding, Severity, input};
use crate::rules::{Cx, Rule};

rule! {
    /// A `Set-Cookie` the browser will not store: `SameSite=None` without `Secure`, `Secure`
    /// set by an `http://` response (other than localhost), a `Domain` the host does not
    /// belong to, a `__Host-` cookie without `Secure`, with a `Domain` or with a `Path`
    /// other than `/`, a `__Secure-` cookie without `Secure`. The response may well be a
    /// 200: the failure shows on the next request, which goes without the cookie (the
    /// finding names a later 401 or 403 that carried none).
    CookieRejected {
        id: "cookie.rejected",
        severity: Warning,
        title: "The browser will not store a cookie this response sets",
        reference: Some("https://httpwg.org/http-extensions/draft-ietf-httpbis-rfc6265bis.html#name-storage-model"),
        fixtures: ["browser/cookie-rejected.har", "redirect/login-set-cookie-rejected.txt"],
        explanation: "Browsers check every Set-Cookie against the cookie rules (RFC 6265bis) and silently drop the ones that break them: Chromium-based browsers refuse `SameSite=None` without `Secure`; a `Secure` cookie can only be set over https (localhost excepted); `Domain` must be the host or a parent of it; the `__Host-` prefix requires `Secure`, `Path=/` and no `Domain`, and `__Secure-` requires `Secure`. The response succeeds, but the next request carries no cookie and the session seems lost.",
        fix: {
            caller: "Serve the app over https (or use `localhost`) when cookies are `Secure`; look at DevTools → Network → the response's Cookies tab, which names why each cookie was blocked.",
            owner: "Set cross-site cookies with `SameSite=None; Secure` over https, drop `Domain` (or set it to the host's own domain), and give `__Host-` cookies `Secure; Path=/` without `Domain`.",
        },
    }
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.ends_with(".localhost") || host.starts_with("127.") || host == "::1"
}

/// Why a Set-Cookie value is refused for a response from `request_url`, if it is.
fn refusal(value: &str, request_url: &str) -> Option<String> {
    let mut parts = value.split(';');
    let name = parts.next()?.split('=').next()?.trim().to_owned();
    let mut secure = false;
    let mut same_site_none = false;
    let mut domain: Option<String> = None;
    let mut path: Option<String> = None;
    for attribute in parts {
        let (key, val) = attribute.split_once('=').unwrap_or((attribute, ""));
        match key.trim().to_ascii_lowercase().as_str() {
            "secure" => secure = true,
            "samesite" => same_site_none = val.trim().eq_ignore_ascii_case("none"),
            "domain" => domain = Some(val.trim().trim_start_matches('.').to_ascii_lowercase()),
            "path" => path = Some(val.trim().to_owned()),
            _ => {}
        }
    }
    let host = url::host(request_url).unwrap_or("").to_ascii_lowercase();
    let over_http = request_url.starts_with("http://");
    if let Some(prefixed) = ["__Host-", "__Secure-"]
        .iter()
        .find(|p| name.starts_with(*p))
    {
        if !secure {
            return Some(format!(
                "{}: the `{prefixed}` prefix requires Secure",
                input(&name)
            ));
        }
        if *prefixed == "__Host-" && domain.is_some() {
            return Some(format!(
                "{}: the `__Host-` prefix forbids `Domain`",
                input(&name)
            ));
        }
        if *prefixed == "__Host-" && path.as_deref() != Some("/") {
            return Some(format!(
                "{}: the `__Host-` prefix requires `Path=/`",
                input(&name)
            ));
        }
    }
    if same_site_none && !secure {
        return Some(format!(
            "{}: `SameSite=None` without `Secure`",
            input(&name)
        ));
    }
    if secure && over_http && !host.is_empty() && !is_loopback(&host) {
        return Some(format!("{}: `Secure`, but set over http://", input(&name)));
    }
    if let Some(domain) = domain
        && !host.is_empty()
    {
        let ip = host.parse::<std::net::IpAddr>().is_ok() || host.contains(':');
        let matches = host == domain || (!ip && host.ends_with(&format!(".{domain}")));
        if !matches {
            return Some(format!(
                "{}: {} does not match the host {}",
                input(&name),
                input(&format!("Domain={domain}")),
                input(&host)
            ));
        }
    }
    None
}

impl Rule for CookieRejected {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let (Some(request), Some(response)) = (cx.request(), cx.response()) else {
            return;
        };
        if !request.url.contains("://") {
            return;
        }
        let mut reasons = Vec::new();
        let mut evidence: Vec<Evidence> = Vec::new();
        for header in response.headers_named("set-cookie") {
            // A HAR may fold several cookies into one header, one per line.
            for value in header.value.lines() {
                if let Some(reason) = refusal(value, &request.url) {
                    reasons.push(reason);
                    // The value stays hidden; the attributes are the evidence.
                    let (pair, attributes) = value.split_once(';').unwrap_or((value, ""));
                    let name = pair.split('=').next().unwrap_or(pair).trim();
                    let semicolon = if attributes.is_empty() { "" } else { ";" };
                    evidence.push(Evidence::new(
                        "response header",
                        format!("{}: {name}=…{semicolon}{attributes}", header.name),
                        header.span,
                    ));
                }
            }
        }
        if reasons.is_empty() {
            return;
        }
        let count = reasons.len();
        let title = format!(
            "The browser will not store {} this response sets: {}",
            if count == 1 {
                "a cookie".to_owned()
            } else {
                format!("{count} cookies")
            },
            reasons.join("; ")
        );
        evidence.dedup();
        let Some(mut finding) = self.meta().finding_from(title, evidence) else {
            return;
        };
        // The next call to the same origin that went without a cookie and was refused.
        let origin = url::origin(&request.url).unwrap_or("");
        if let Some(later) = cx
            .lookup
            .refused_without_cookie_after(origin, cx.index)
            .and_then(|i| cx.capture.exchanges.get(i))
            && let (Some(r), Some(s)) = (later.request.as_ref(), later.response.as_ref())
        {
            finding = finding
                .with_evidence(Evidence::new(
                    "a later exchange",
                    format!(
                        "{} {} → {} {} (sent without a Cookie header)",
                        r.method.as_deref().unwrap_or("GET"),
                        r.url,
                        s.status,
                        s.reason
                    ),
                    None,
                ))
                .severity(Severity::Warning);
        }
        out.push(finding);
    }
}
