use crate::knowledge::transport::Failure;
use crate::report::Finding;
use crate::rules::{Cx, Rule, network};

rule! {
    /// The TLS handshake failed on the certificate: self-signed, an unknown issuer, expired,
    /// or issued for another host name. curl (60), (51), (35); Chromium `ERR_CERT_*`; Node
    /// `CERT_HAS_EXPIRED`, `DEPTH_ZERO_SELF_SIGNED_CERT`.
    TlsCertificateProblem {
        id: "tls.certificate-problem",
        severity: Error,
        title: "The server's TLS certificate was rejected",
        reference: Some("https://curl.se/docs/sslcerts.html"),
        fixtures: ["curl/self-signed.txt"],
        explanation: "The client refused the TLS connection because it could not verify the server's certificate, so no HTTP request was sent. This protects against interception; turning verification off (`curl -k`) hides the problem instead of fixing it.",
        fix: {
            caller: "For a private CA, pass its certificate (`curl --cacert ca.pem`, NODE_EXTRA_CA_CERTS); make sure the host name matches the certificate; check the machine's clock.",
            owner: "Serve a certificate from a trusted CA for this exact host name, with the full intermediate chain, and renew it before it expires.",
        },
    }
}

impl Rule for TlsCertificateProblem {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let message = cx
            .transport_error()
            .map_or(String::new(), |e| format!("{} {}", e.code, e.message))
            .to_ascii_lowercase();
        let why = if message.contains("self-signed")
            || message.contains("self signed")
            || message.contains("self_signed")
        {
            "is self-signed"
        } else if message.contains("expired") || message.contains("date_invalid") {
            "has expired"
        } else if message.contains("subject name")
            || message.contains("common_name")
            || message.contains("altname")
        {
            "was issued for another host name"
        } else if message.contains("local issuer")
            || message.contains("authority_invalid")
            || message.contains("leaf_signature")
        {
            "is signed by an issuer this client does not trust"
        } else {
            "was not accepted"
        };
        if let Some(mut f) = network::finding(cx, self.meta(), Failure::Tls, |host| {
            format!("The certificate of {host} {why}")
        }) {
            for note in cx
                .exchange
                .notes
                .iter()
                .filter(|n| {
                    n.text.starts_with("subject:")
                        || n.text.starts_with("issuer:")
                        || n.text.starts_with("expire date:")
                })
                .take(3)
            {
                f = f.with_evidence(cx.note_evidence(note));
            }
            out.push(f);
        }
    }
}
