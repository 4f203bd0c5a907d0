//! How curl, Chromium, Firefox and Node name the failures below HTTP.

use crate::model::TransportError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    Dns,
    Refused,
    Timeout,
    Reset,
    Tls,
    BlockedByClient,
    Cors,
    /// `Failed to fetch` with nothing more.
    FetchFailed,
    Other,
}

/// Codes and message fragments per failure, first match wins.
const SIGNATURES: &[(Failure, &[&str])] = &[
    (
        Failure::Cors,
        &[
            "cors",
            "blocked by CORS policy",
            "Cross-Origin Request Blocked",
        ],
    ),
    (Failure::BlockedByClient, &["net::ERR_BLOCKED_BY_CLIENT"]),
    (
        Failure::Dns,
        &[
            "curl 6",
            "net::ERR_NAME_NOT_RESOLVED",
            "net::ERR_NAME_RESOLUTION_FAILED",
            "ENOTFOUND",
            "EAI_AGAIN",
            "Could not resolve host",
        ],
    ),
    (
        Failure::Refused,
        &[
            "curl 7",
            "net::ERR_CONNECTION_REFUSED",
            "ECONNREFUSED",
            "Connection refused",
        ],
    ),
    (
        Failure::Timeout,
        &[
            "curl 28",
            "net::ERR_TIMED_OUT",
            "net::ERR_CONNECTION_TIMED_OUT",
            "ETIMEDOUT",
            "timed out",
        ],
    ),
    (
        Failure::Reset,
        &[
            "curl 52",
            "curl 56",
            "net::ERR_CONNECTION_RESET",
            "net::ERR_EMPTY_RESPONSE",
            "net::ERR_CONNECTION_CLOSED",
            "ECONNRESET",
            "EPIPE",
            "socket hang up",
            "Empty reply from server",
            "Recv failure",
        ],
    ),
    (
        Failure::Tls,
        &[
            "curl 35",
            "curl 51",
            "curl 58",
            "curl 60",
            "net::ERR_CERT_",
            "net::ERR_SSL_",
            "CERT_HAS_EXPIRED",
            "DEPTH_ZERO_SELF_SIGNED_CERT",
            "SELF_SIGNED_CERT_IN_CHAIN",
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            "ERR_TLS_CERT_ALTNAME_INVALID",
            "SSL certificate problem",
            "certificate subject name",
        ],
    ),
    (Failure::FetchFailed, &["fetch"]),
];

pub(crate) fn classify(error: &TransportError) -> Failure {
    for (failure, needles) in SIGNATURES {
        let matches = |n: &&str| {
            let code_match = if n.ends_with('_') {
                error.code.starts_with(n)
            } else {
                error.code == *n
            };
            // Codes such as `curl 6` or `fetch` only match the code; phrases also match the message.
            code_match || (n.len() > 6 && !n.starts_with("curl ") && error.message.contains(n))
        };
        if needles.iter().any(matches) {
            return *failure;
        }
    }
    Failure::Other
}
