use crate::model::HasHeaders;
use crate::report::Finding;
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A CDN's own code for a failure between the CDN and the origin: Cloudflare 520–526
    /// and 530 (with its `error code: 1xxx`), CloudFront's `X-Cache: Error from cloudfront`
    /// 502/503/504 pages with their reason, Akamai's `Reference #` 5xx pages. Says which side
    /// of the CDN failed: the edge answered, the origin did not (or not properly).
    GatewayCdnOriginError {
        id: "gateway.cdn-origin-error",
        severity: Error,
        title: "The CDN could not get an answer from the origin",
        reference: Some("https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/"),
        fixtures: [
            "hand-beyond/cloudflare-521-web-server-down.txt",
            "hand-beyond/cloudflare-522-connection-timed-out.txt",
            "hand-beyond/cloudflare-523-origin-unreachable.txt",
            "hand-beyond/cloudflare-524-timeout-occurred.txt",
            "hand-beyond/cloudflare-525-ssl-handshake-failed.txt",
            "hand-beyond/cloudflare-526-invalid-ssl-certificate.txt",
            "hand-beyond/cloudflare-530-1016-origin-dns.txt",
            "hand-beyond/cloudfront-502-error-from-cloudfront.txt",
            "hand-beyond/cloudfront-504-origin-timeout.txt",
        ],
        restates: ["gateway.upstream-unreachable", "gateway.upstream-timeout", "gateway.upstream-bad-response"],
        explanation: "The request reached the CDN's edge, which works; the edge then failed to get a proper answer from the origin server behind it, and wrote this error itself. The cause sits between the CDN and the origin (the origin down, firewalled against the CDN's addresses, slow, or its TLS set up wrongly), so the API's code may never have run.",
        fix: {
            caller: "Nothing in the request causes this; retry later, and give the API's owner the CDN's request ID (cf-ray, x-amz-cf-id, the Reference #).",
            owner: "Check the origin from outside the CDN (is it up, does it accept the CDN's IP ranges, does its certificate match the host name the CDN uses); the code below says which of these failed. The CDN's logs find the request by its ID.",
        },
    }
}

/// Cloudflare's 5xx codes and the 1xxx codes of a 530: which side failed.
const CLOUDFLARE: &[(u16, &str)] = &[
    (
        520,
        "the origin answered with something empty, unknown or invalid, or reset the connection",
    ),
    (
        521,
        "the origin refused Cloudflare's connection: the web server is down or blocks Cloudflare's IP ranges",
    ),
    (
        522,
        "the origin did not complete the TCP handshake with Cloudflare in time (overloaded, or a firewall dropping Cloudflare's packets)",
    ),
    (
        523,
        "Cloudflare has no route to the origin: its DNS record points to a wrong or unreachable address",
    ),
    (
        524,
        "the origin accepted the connection but sent no response before Cloudflare's proxy read timeout (100 s by default)",
    ),
    (
        525,
        "the TLS handshake between Cloudflare and the origin failed (no certificate on the origin, or no cipher in common)",
    ),
    (
        526,
        "the origin's certificate is not valid (expired, self-signed or for another host name) and the zone's SSL mode is Full (strict)",
    ),
    (
        527,
        "the connection between Cloudflare's Railgun listener and the origin failed",
    ),
];

const CLOUDFLARE_1XXX: &[(&str, &str)] = &[
    (
        "1016",
        "the origin's host name (the DNS record Cloudflare proxies to) does not resolve",
    ),
    (
        "1033",
        "the Cloudflare Tunnel that serves this host is not connected (cloudflared is not running)",
    ),
    ("1000", "the DNS record points to a Cloudflare IP address"),
    (
        "1001",
        "the host name is not set up on Cloudflare (a DNS resolution error at the edge)",
    ),
    (
        "1014",
        "a CNAME crosses Cloudflare accounts, which is not allowed",
    ),
    ("1018", "the host is not configured on Cloudflare"),
];

impl Rule for GatewayCdnOriginError {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        // Every error told here is a 5xx: the rest of a large capture skips the search
        // for who answered.
        if response.status < 500 {
            return;
        }
        let Some((responder, _)) = cx.responder() else {
            return;
        };
        let status = response.status;
        let (title, meaning, evidence) = match responder.name {
            "Cloudflare" if (520..=527).contains(&status) => {
                let Some((_, means)) = CLOUDFLARE.iter().find(|(c, _)| *c == status) else {
                    return;
                };
                let mut evidence: Vec<_> = cx.status_evidence().into_iter().collect();
                evidence.extend(
                    cx.response_body_match(&format!("Error code {status}"))
                        .or_else(|| cx.response_body_match(&format!("{status}:"))),
                );
                (
                    format!("Cloudflare {status}: {means}"),
                    format!("Cloudflare {status}: {means}."),
                    evidence,
                )
            }
            "Cloudflare" if status == 530 => {
                let body = response.body_text();
                let code = body
                    .split("error code: ")
                    .nth(1)
                    .or_else(|| body.split("Error code ").nth(1))
                    .map(|rest| {
                        rest.chars()
                            .take_while(char::is_ascii_digit)
                            .collect::<String>()
                    })
                    .filter(|c| !c.is_empty());
                let mut evidence: Vec<_> = cx.status_evidence().into_iter().collect();
                let means = match code.as_deref() {
                    Some(code) => {
                        evidence.extend(
                            cx.response_body_match(&format!("error code: {code}"))
                                .or_else(|| cx.response_body_match(&format!("Error code {code}"))),
                        );
                        CLOUDFLARE_1XXX
                            .iter()
                            .find(|(c, _)| *c == code)
                            .map_or_else(|| format!("error {code}: Cloudflare could not serve the origin (see Cloudflare's 1xxx error list)"), |(c, m)| format!("error {c}: {m}"))
                    }
                    None => {
                        "Cloudflare could not reach the origin (the 1xxx code in the body says why)"
                            .to_owned()
                    }
                };
                (
                    format!("Cloudflare 530, {means}"),
                    format!(
                        "Cloudflare answers 530 when it cannot serve the origin at all, with a 1xxx code naming why; here {means}."
                    ),
                    evidence,
                )
            }
            "AWS CloudFront" if status >= 500 => {
                let Some(cache) = response.header("x-cache").filter(|h| {
                    h.value
                        .to_ascii_lowercase()
                        .contains("error from cloudfront")
                }) else {
                    return;
                };
                let mut evidence: Vec<_> = cx.status_evidence().into_iter().collect();
                evidence.push(cx.header_evidence(Side::Response, cache));
                let reasons = [
                    (
                        "wasn't able to connect to the origin",
                        "CloudFront could not connect to the origin (refused, unreachable, or a TLS handshake failure)",
                    ),
                    (
                        "attempted to establish a connection with the origin",
                        "CloudFront's connection to the origin failed or the origin closed it",
                    ),
                    (
                        "could not be satisfied",
                        "CloudFront could not get a response from the origin",
                    ),
                ];
                let (means, line) = reasons
                    .iter()
                    .find_map(|(text, means)| Some((*means, cx.response_body_match(text)?)))
                    .map_or(
                        (
                            "CloudFront generated this error itself, not the origin",
                            None,
                        ),
                        |(m, l)| (m, Some(l)),
                    );
                evidence.extend(line);
                (
                    format!("CloudFront {status}: {means}"),
                    format!(
                        "`X-Cache: Error from cloudfront` says CloudFront wrote this {status} itself: {means}. Origin timeouts default to 30 s (origin response timeout)."
                    ),
                    evidence,
                )
            }
            "Akamai" if status >= 500 => {
                let Some(reference) = cx.response_body_match("Reference") else {
                    return;
                };
                let evidence: Vec<_> = cx
                    .status_evidence()
                    .into_iter()
                    .chain([reference])
                    .collect();
                (
                    format!("Akamai's edge answered {status} for the origin"),
                    format!(
                        "Akamai wrote this {status} page itself: its edge could not get a valid answer from the origin. The Reference # decodes, with Akamai's tools, into the exact reason."
                    ),
                    evidence,
                )
            }
            _ => return,
        };
        let general = self.meta().explanation;
        out.extend(
            self.meta()
                .finding_from(title, evidence)
                .map(|f| f.explain(format!("{meaning} {general}"))),
        );
    }
}
