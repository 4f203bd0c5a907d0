use crate::knowledge::text::Signatures;
use crate::model::HasHeaders;
use crate::report::{Evidence, Finding};
use crate::rules::{Cx, Rule, Side};

rule! {
    /// A CDN or web application firewall blocked the request before it reached the API:
    /// Cloudflare (`cf-mitigated`, error 1020/1010/1012 pages, "Sorry, you have been
    /// blocked"), AWS WAF (`x-amzn-waf-action`, "Request blocked" from CloudFront), Akamai
    /// ("Access Denied … Reference #"), Imperva, Sucuri, ModSecurity.
    AccessWafBlocked {
        id: "access.waf-blocked",
        severity: Error,
        title: "A firewall in front of the API blocked the request",
        reference: Some("https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-1xxx-errors/"),
        fixtures: ["handmade/cloudflare-1020.txt", "handmade/akamai-access-denied.txt"],
        explanation: "The block page came from the CDN/WAF layer, not from the application: a rule matched something about the request — its IP or country, its user agent (curl and scripts are common targets), its rate, or a pattern in the URL or body that looks like an attack.",
        fix: {
            caller: "Do not retry in a loop; send a normal User-Agent, check the body for content that looks like SQL or script, and give the site owner the reference or Ray ID.",
            owner: "Look the reference/Ray ID up in the firewall's event log to see which rule matched, and add an exception for legitimate API clients.",
        },
    }
}

static BODY_SIGNS: Signatures = Signatures::labeled(&[
    ("Cloudflare", "error code: 1020"),
    ("Cloudflare", "error code: 1010"),
    ("Cloudflare", "error code: 1012"),
    ("Cloudflare", "Sorry, you have been blocked"),
    ("Cloudflare", "Attention Required! | Cloudflare"),
    ("Cloudflare", "Error 1020"),
    ("AWS WAF", "Request blocked."),
    ("Akamai", "You don't have permission to access"),
    ("Imperva", "Incapsula incident ID"),
    ("Sucuri", "Sucuri WebSite Firewall"),
    ("ModSecurity", "ModSecurity"),
    ("ModSecurity", "Not Acceptable!"),
]);

impl Rule for AccessWafBlocked {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(response) = cx.response() else {
            return;
        };
        if !matches!(response.status, 403 | 406 | 429 | 503 | 0)
            && response.header("cf-mitigated").is_none()
        {
            return;
        }
        let mut evidence: Vec<Evidence> = Vec::new();
        let mut vendor = None;
        for name in ["cf-mitigated", "x-amzn-waf-action"] {
            if let Some(h) = response.header(name) {
                evidence.push(cx.header_evidence(Side::Response, h));
                vendor = Some(if name.starts_with("cf") {
                    "Cloudflare"
                } else {
                    "AWS WAF"
                });
            }
        }
        if let Some((v, e)) = cx.response_signature(&BODY_SIGNS) {
            evidence.push(e);
            vendor = vendor.or(Some(v));
        }
        let Some(vendor) = vendor else { return };
        for id in ["cf-ray", "x-amz-cf-id", "x-iinfo"] {
            if let Some(h) = response.header(id) {
                evidence.push(cx.header_evidence(Side::Response, h));
            }
        }
        if let Some(e) = cx
            .response_body_match("Reference #")
            .or_else(|| cx.response_body_match("Ray ID"))
        {
            evidence.push(e);
        }
        out.extend(self.meta().finding_from(
            format!("{vendor}'s firewall blocked the request before it reached the API"),
            evidence,
        ));
    }
}
