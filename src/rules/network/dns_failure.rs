use crate::knowledge::transport::Failure;
use crate::report::Finding;
use crate::rules::{Cx, Rule, network};

rule! {
    /// The host name could not be resolved to an address: curl (6), Chromium's
    /// `ERR_NAME_NOT_RESOLVED`, Node's `getaddrinfo ENOTFOUND`. No connection was attempted,
    /// so the server never saw the request.
    NetworkDnsFailure {
        id: "network.dns-failure",
        severity: Error,
        title: "The host name does not resolve",
        reference: Some("https://curl.se/libcurl/c/libcurl-errors.html#CURLECOULDNTRESOLVEHOST"),
        fixtures: ["curl/unknown-host.txt", "node/enotfound.txt"],
        explanation: "The client asked DNS for the host's address and got none, so no request was sent. Typical causes: a typo in the host, a missing environment variable that left a placeholder, an internal name used outside its network or VPN, or a record that does not exist yet.",
        fix: {
            caller: "Check the host for typos and placeholders; run `dig HOST` or `nslookup HOST`; connect to the VPN if it is an internal name.",
            owner: "Create or fix the DNS record, and check it from outside your network.",
        },
    }
}

impl Rule for NetworkDnsFailure {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        if let Some(f) = network::finding(cx, self.meta(), Failure::Dns, |host| {
            format!("{host} does not resolve: DNS has no address for it")
        }) {
            out.push(f);
        }
    }
}
