use crate::model::HasHeaders;
use crate::report::{Evidence, Finding, input};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// 407 Proxy Authentication Required, a `Proxy-Authenticate` challenge, or curl's
    /// `CONNECT tunnel failed, response 407`: a forward proxy between the client and the API
    /// wants credentials before it passes the request on. Says whether the request sent
    /// `Proxy-Authorization` (then it was refused) and which scheme the proxy asks for.
    ProxyAuthRequired {
        id: "proxy.auth-required",
        severity: Error,
        title: "A proxy between the client and the API requires credentials",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.8"),
        fixtures: ["proxy/squid-connect-407.txt", "proxy/squid-http-407.txt"],
        restates: ["network.proxy-failure"],
        explanation: "The answer came from a forward proxy (a corporate proxy, squid, Zscaler), not from the API: the client is configured to go through it (`HTTPS_PROXY`, `-x`, the system settings) and the proxy allows only authenticated users. For https the refusal comes in answer to CONNECT, so the API was never reached.",
        fix: {
            caller: "Give the proxy its credentials (`curl -x http://proxy:3128 -U user:password`, `HTTPS_PROXY=http://user:password@proxy:3128`, `--proxy-ntlm`/`--proxy-negotiate` for Windows proxies), or bypass the proxy for this host (`NO_PROXY`).",
            owner: "Nothing on the API side: the proxy's administrators decide who may pass; allow-list the API host for service accounts if calls come from servers.",
        },
    }
}

impl Rule for ProxyAuthRequired {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let response = cx.response();
        let challenge = response.and_then(|r| r.header("proxy-authenticate"));
        // curl `(56) CONNECT tunnel failed, response 407`, Python `Tunnel connection failed:
        // 407 Proxy Authentication Required`, Node and Java clients quoting the 407.
        let tunnel = cx.transport_error().filter(|e| {
            let lower = e.message.to_ascii_lowercase();
            lower.contains("407") && (lower.contains("tunnel") || lower.contains("proxy"))
        });
        if cx.status() != Some(407) && challenge.is_none() && tunnel.is_none() {
            return;
        }
        let mut evidence: Vec<Evidence> = cx.status_evidence().into_iter().collect();
        if let Some(h) = challenge {
            evidence.push(cx.header_evidence(Side::Response, h));
        }
        if let Some(h) = response.and_then(|r| r.header("x-squid-error")) {
            evidence.push(cx.header_evidence(Side::Response, h));
        }
        let sent = cx.request().and_then(|r| r.header("proxy-authorization"));
        if let Some(h) = sent {
            evidence.push(cx.header_evidence(Side::Request, h));
        }
        evidence.extend(tunnel.and_then(|_| cx.transport_evidence()));
        let scheme = challenge
            .map(|h| h.value.split([' ', ',']).next().unwrap_or("").to_owned())
            .filter(|s| !s.is_empty());
        let realm = challenge.and_then(|h| crate::rules::auth::challenge_param(&h.value, "realm"));
        let proxy = match realm {
            Some(r) => format!("The proxy {}", input(&r)),
            None => "A proxy between the client and the API".to_owned(),
        };
        let how = scheme.map_or(String::new(), |s| format!(" ({})", input(&s)));
        let connect = if tunnel.is_some() || cx.request().is_some_and(|r| r.method_is("CONNECT")) {
            " and refused to open the tunnel to the API"
        } else {
            ""
        };
        let headers_seen = cx.request().is_some_and(|r| !r.headers.is_empty());
        let title = if sent.is_some() {
            format!("{proxy} refused the Proxy-Authorization the request sent{how}{connect}")
        } else if headers_seen {
            format!("{proxy} requires credentials{how}{connect}; the request sent none")
        } else {
            format!("{proxy} requires credentials{how}{connect}")
        };
        if let Some(finding) = self.meta().finding_from(title, evidence) {
            out.push(finding);
        }
    }
}
