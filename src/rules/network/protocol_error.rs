use crate::knowledge::transport::Failure;
use crate::report::Finding;
use crate::rules::{Cx, Rule, network};

rule! {
    /// The response broke the protocol below the API: HTTP/2 or HTTP/3 stream and framing
    /// errors (`ERR_HTTP2_PROTOCOL_ERROR`, curl (16)/(92) `stream … was not closed cleanly`,
    /// `ERR_QUIC_PROTOCOL_ERROR`), content-decoding failures (curl (61),
    /// `ERR_CONTENT_DECODING_FAILED`) and chunked-encoding errors. Fires on a HAR entry with a
    /// 200 status too when the browser recorded such a failure for its body.
    NetworkProtocolError {
        id: "network.protocol-error",
        severity: Error,
        title: "The response broke the HTTP protocol",
        reference: Some("https://www.rfc-editor.org/rfc/rfc9113#name-error-codes"),
        fixtures: [
            "transport/http2-protocol-error.txt",
            "transport/bad-chunked-encoding.txt",
            "transport/bad-gzip.txt",
            "transport/chromium-broken-bodies.har",
            "transport/chromium-http2-protocol-error.har",
            "transport/chromium-broken-bodies-console.txt",
        ],
        explanation: "The connection worked and the server (or a proxy in front of it) started answering, but what it sent could not be read as HTTP: an HTTP/2 stream was reset or framed wrongly, a chunked body had a bad chunk size, or a body announced as compressed (Content-Encoding) was not. This is a defect of the server or of a proxy between, not of the request.",
        fix: {
            caller: "Retry once; if it repeats, try HTTP/1.1 (`curl --http1.1`) and without compression (no `Accept-Encoding`) to see which layer breaks, and send the server's owner the exact error.",
            owner: "Look for the proxy or server that resets the stream (invalid headers such as `Connection` in HTTP/2, a response larger than a buffer, a crash mid-body); never set `Content-Encoding` on a body that is not encoded, and let the server, not the application, do chunking.",
        },
    }
}

impl Rule for NetworkProtocolError {
    fn check_exchange(&self, cx: &Cx, out: &mut Vec<Finding>) {
        let Some(error) = cx.transport_error() else {
            return;
        };
        let message = error.message.as_str();
        // curl (18), a body shorter than announced, is as often the client's doing (`-X
        // HEAD` waits for a body that never comes) as a broken server.
        if error.code == "curl 18" || message.contains("transfer closed with") {
            return;
        }
        let what = if message.contains("DECODING") || message.contains("unencoding") {
            "its compressed body could not be decoded"
        } else if message.contains("CHUNKED") || message.contains("chunked") {
            "its chunked body was malformed"
        } else if message.contains("QUIC") {
            "the HTTP/3 (QUIC) connection failed"
        } else if message.contains("HTTP2") || message.contains("HTTP/2") {
            "the HTTP/2 stream was broken off"
        } else {
            "it broke the protocol"
        };
        let received = cx.status().is_some();
        if let Some(f) = network::finding(cx, self.meta(), Failure::Protocol, |host| {
            if received {
                format!("The response from {host} arrived but {what}")
            } else {
                format!("The response from {host} could not be read: {what}")
            }
        }) {
            let f = match cx.status_evidence().filter(|_| received) {
                Some(status) => f.with_evidence(status),
                None => f,
            };
            out.push(f);
        }
    }
}
