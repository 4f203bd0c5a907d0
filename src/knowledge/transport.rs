//! How clients name the failures below HTTP: curl's exit codes and messages, Chromium's and
//! Firefox's `net::ERR_…`, Node's error codes, wget's words, Python's, Go's, Java's, .NET's
//! and PowerShell's exceptions. One table, read by every reader and rule.

use crate::model::TransportError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    Dns,
    Refused,
    Timeout,
    Reset,
    Tls,
    /// The client's proxy failed or refused the tunnel.
    Proxy,
    /// HTTP/2 or HTTP/3 framing, chunked encoding or content decoding broke.
    Protocol,
    /// The client gave up or was told to stop (`ERR_ABORTED`, `AbortError`).
    Aborted,
    /// A redirect chain that never ends.
    TooManyRedirects,
    BlockedByClient,
    /// The machine had no network connection (`ERR_INTERNET_DISCONNECTED`).
    Offline,
    /// The browser's own blocks.
    MixedContent,
    Csp,
    PrivateNetwork,
    Cors,
    /// `Failed to fetch` with nothing more.
    FetchFailed,
    Other,
}

impl Failure {
    /// The code a reader records for a failure it recognised by its wording.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Failure::Dns => "dns failure",
            Failure::Refused => "connection refused",
            Failure::Timeout => "timeout",
            Failure::Reset => "connection reset",
            Failure::Tls => "tls failure",
            Failure::Proxy => "proxy failure",
            Failure::Protocol => "protocol error",
            Failure::Aborted => "aborted",
            Failure::TooManyRedirects => "too many redirects",
            Failure::BlockedByClient => "blocked by client",
            Failure::Offline => "offline",
            Failure::MixedContent => "mixed content",
            Failure::Csp => "csp",
            Failure::PrivateNetwork => "private network",
            Failure::Cors => "cors",
            Failure::FetchFailed => "fetch",
            Failure::Other => "client error",
        }
    }

    /// What happened, in a few words and in a sentence: the summary of an exchange that got
    /// no response.
    pub(crate) fn describe(self) -> (&'static str, &'static str) {
        match self {
            Failure::Dns => (
                "DNS lookup failed",
                "The host name could not be resolved; no request was sent.",
            ),
            Failure::Refused => (
                "Connection refused",
                "Nothing listens at that address and port; no request was sent.",
            ),
            Failure::Timeout => (
                "Timed out",
                "No answer arrived within the client's time limit.",
            ),
            Failure::Reset => (
                "Connection reset",
                "The connection closed before a complete response arrived.",
            ),
            Failure::Tls => (
                "TLS certificate rejected",
                "The client refused the server's certificate; no request was sent.",
            ),
            Failure::Proxy => (
                "Proxy failed",
                "The proxy between the client and the API refused or failed the connection.",
            ),
            Failure::Protocol => (
                "Protocol error",
                "The response broke the HTTP protocol (framing, chunking or compression).",
            ),
            Failure::Aborted => (
                "Aborted by the client",
                "The client stopped waiting and cancelled the request.",
            ),
            Failure::TooManyRedirects => (
                "Too many redirects",
                "The redirects never reached a final answer.",
            ),
            Failure::BlockedByClient => (
                "Blocked by the browser",
                "An extension blocked the request before it left the browser.",
            ),
            Failure::Offline => (
                "Offline",
                "The computer had no network connection, so nothing was sent.",
            ),
            Failure::MixedContent => (
                "Blocked: mixed content",
                "An https page may not call an http:// address; the browser did not send it.",
            ),
            Failure::Csp => (
                "Blocked by the page's CSP",
                "The page's Content-Security-Policy forbids connecting there.",
            ),
            Failure::PrivateNetwork => (
                "Blocked: private network",
                "The browser refused a request from a public page to a private or local address.",
            ),
            Failure::Cors => (
                "Blocked by CORS",
                "The browser withheld the response from the page.",
            ),
            Failure::FetchFailed => (
                "fetch() failed",
                "The browser reports a network error without its cause.",
            ),
            Failure::Other => ("No response", "The client recorded no response."),
        }
    }
}

/// Per failure: the codes readers record (exact, or a prefix ending in `_`), and the phrases
/// clients print (anywhere in the message). The first failure with a match wins, so the
/// specific come before the general.
const SIGNATURES: &[(Failure, &[&str], &[&str])] = &[
    (
        Failure::Cors,
        &["cors"],
        &[
            "blocked by CORS policy",
            "Cross-Origin Request Blocked",
            "due to access control checks",
            "is not allowed by Access-Control-Allow-Origin",
        ],
    ),
    (
        Failure::PrivateNetwork,
        &[
            "private network",
            "net::ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS",
        ],
        &[
            "ERR_BLOCKED_BY_PRIVATE_NETWORK_ACCESS_CHECKS",
            "more-private address space",
            "Private Network Access",
            "address space `",
            "` address space",
        ],
    ),
    (
        Failure::MixedContent,
        &["mixed content", "mixed-content"],
        &["Mixed Content:", "blocked:mixed-content", "mixed-content"],
    ),
    (
        Failure::Csp,
        &["csp"],
        &[
            "blocked:csp",
            "Content Security Policy directive",
            "Refused to connect to",
        ],
    ),
    (
        Failure::BlockedByClient,
        &["blocked by client", "net::ERR_BLOCKED_BY_CLIENT"],
        &["net::ERR_BLOCKED_BY_CLIENT"],
    ),
    (
        Failure::Offline,
        &["offline", "net::ERR_INTERNET_DISCONNECTED"],
        &[
            "net::ERR_INTERNET_DISCONNECTED",
            "NSURLErrorNotConnectedToInternet",
            "The Internet connection appears to be offline",
        ],
    ),
    (
        Failure::TooManyRedirects,
        &[
            "too many redirects",
            "curl 47",
            "net::ERR_TOO_MANY_REDIRECTS",
        ],
        &[
            "net::ERR_TOO_MANY_REDIRECTS",
            "redirects followed",
            "TooManyRedirects",
            "Exceeded 30 redirects",
            "stopped after 10 redirects",
            "redirect count exceeded",
            "too many redirects",
        ],
    ),
    (
        Failure::Proxy,
        &[
            "proxy failure",
            "curl 5",
            "net::ERR_PROXY_",
            "net::ERR_TUNNEL_CONNECTION_FAILED",
        ],
        &[
            "net::ERR_PROXY_",
            "net::ERR_TUNNEL_CONNECTION_FAILED",
            "Could not resolve proxy",
            "CONNECT tunnel failed",
            "ProxyError",
            "Proxy CONNECT aborted",
            "Unable to connect to proxy",
        ],
    ),
    (
        Failure::Dns,
        &[
            "dns failure",
            "wget dns",
            "curl 6",
            "net::ERR_NAME_NOT_RESOLVED",
            "net::ERR_NAME_RESOLUTION_FAILED",
            "ENOTFOUND",
            "EAI_AGAIN",
        ],
        &[
            "net::ERR_NAME_NOT_RESOLVED",
            "net::ERR_NAME_RESOLUTION_FAILED",
            "ENOTFOUND",
            "EAI_AGAIN",
            "Could not resolve host",
            "Name or service not known",
            "nodename nor servname",
            "NameResolutionError",
            "getaddrinfo failed",
            "Temporary failure in name resolution",
            "no such host",
            "UnknownHostException",
            "UnresolvedAddressException",
            "No such host is known",
            "The remote name could not be resolved",
            "unable to resolve host address",
            "gaierror",
            "Failed to resolve",
        ],
    ),
    (
        Failure::Refused,
        &[
            "connection refused",
            "wget connect",
            "curl 7",
            "net::ERR_CONNECTION_REFUSED",
            "ECONNREFUSED",
        ],
        &[
            "net::ERR_CONNECTION_REFUSED",
            "ECONNREFUSED",
            "Connection refused",
            "ConnectionRefusedError",
            "actively refused it",
            "Connect call failed",
            "Unable to connect to the remote server",
            "Failed to establish a new connection",
            "connection refused",
            "Couldn't connect to server",
        ],
    ),
    (
        Failure::Tls,
        &[
            "tls failure",
            "wget tls",
            "curl 35",
            "curl 51",
            "curl 58",
            "curl 60",
            "curl 77",
            "curl 83",
            "net::ERR_CERT_",
            "net::ERR_SSL_",
            "net::ERR_INSECURE_RESPONSE",
            "CERT_HAS_EXPIRED",
            "DEPTH_ZERO_SELF_SIGNED_CERT",
            "SELF_SIGNED_CERT_IN_CHAIN",
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            "ERR_TLS_CERT_ALTNAME_INVALID",
        ],
        &[
            "net::ERR_CERT_",
            "net::ERR_SSL_",
            "net::ERR_INSECURE_RESPONSE",
            "net::ERR_BAD_SSL_CLIENT_AUTH_CERT",
            "CERT_HAS_EXPIRED",
            "DEPTH_ZERO_SELF_SIGNED_CERT",
            "SELF_SIGNED_CERT_IN_CHAIN",
            "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
            "UNABLE_TO_GET_ISSUER_CERT",
            "ERR_TLS_CERT_ALTNAME_INVALID",
            "SSL certificate problem",
            "certificate subject name",
            "CERTIFICATE_VERIFY_FAILED",
            "SSLCertVerificationError",
            "SSLError",
            "x509: certificate",
            "tls: failed to verify certificate",
            "SSLHandshakeException",
            "PKIX path building failed",
            "SEC_E_",
            "schannel:",
            "Could not establish trust relationship",
            "The SSL connection could not be established",
            "is not trusted",
            "doesn't have a known issuer",
            "cannot verify",
            "self-signed certificate",
            "self signed certificate",
            "certificate has expired",
            "certificate verify failed",
            "WRONG_VERSION_NUMBER",
            "wrong version number",
            "sslv3 alert handshake failure",
        ],
    ),
    (
        Failure::Timeout,
        &[
            "timeout",
            "wget timeout",
            "curl 28",
            "net::ERR_TIMED_OUT",
            "net::ERR_CONNECTION_TIMED_OUT",
            "ETIMEDOUT",
            "ECONNABORTED",
        ],
        &[
            "net::ERR_TIMED_OUT",
            "net::ERR_CONNECTION_TIMED_OUT",
            "ETIMEDOUT",
            "timed out",
            "ReadTimeout",
            "ConnectTimeout",
            "TimeoutError",
            "context deadline exceeded",
            "Client.Timeout exceeded",
            "HttpTimeoutException",
            "SocketTimeoutException",
            "The operation has timed out",
            "TaskCanceledException",
            "Request timed out",
            "ECONNABORTED",
            "timeout of ",
            "ERR_SOCKET_CONNECTION_TIMEOUT",
            "UND_ERR_CONNECT_TIMEOUT",
            "UND_ERR_HEADERS_TIMEOUT",
            "Operation timed out",
            "aborted due to timeout",
        ],
    ),
    (
        Failure::Protocol,
        &[
            "protocol error",
            "curl 16",
            "curl 92",
            "curl 61",
            "curl 18",
            "net::ERR_HTTP2_",
            "net::ERR_QUIC_PROTOCOL_ERROR",
            "net::ERR_CONTENT_DECODING_FAILED",
            "net::ERR_INCOMPLETE_CHUNKED_ENCODING",
            "net::ERR_INVALID_CHUNKED_ENCODING",
        ],
        &[
            "net::ERR_HTTP2_",
            "net::ERR_QUIC_PROTOCOL_ERROR",
            "net::ERR_CONTENT_DECODING_FAILED",
            "net::ERR_INCOMPLETE_CHUNKED_ENCODING",
            "net::ERR_INVALID_CHUNKED_ENCODING",
            "net::ERR_RESPONSE_HEADERS_TRUNCATED",
            "net::ERR_INVALID_HTTP_RESPONSE",
            "was not closed cleanly",
            "PROTOCOL_ERROR",
            "Illegal or missing hexadecimal sequence in chunked-encoding",
            "Error while processing content unencoding",
            "ContentDecodingError",
            "IncompleteRead",
            "InvalidChunkLength",
        ],
    ),
    (
        Failure::Reset,
        &[
            "connection reset",
            "wget empty reply",
            "curl 52",
            "curl 56",
            "net::ERR_CONNECTION_RESET",
            "net::ERR_EMPTY_RESPONSE",
            "net::ERR_CONNECTION_CLOSED",
            "ECONNRESET",
            "EPIPE",
        ],
        &[
            "net::ERR_CONNECTION_RESET",
            "net::ERR_EMPTY_RESPONSE",
            "net::ERR_CONNECTION_CLOSED",
            "ECONNRESET",
            "EPIPE",
            "socket hang up",
            "Empty reply from server",
            "Recv failure",
            "Connection reset by peer",
            "RemoteDisconnected",
            "Connection aborted",
            "ServerDisconnectedError",
            "Server disconnected",
            "other side closed",
            "UND_ERR_SOCKET",
            "No data received",
            "header parser received no bytes",
            "EOF reached",
            "An existing connection was forcibly closed",
            "\": EOF",
            "Connection reset",
            "unexpected EOF",
            "RemoteProtocolError",
        ],
    ),
    (
        Failure::Aborted,
        &["aborted", "net::ERR_ABORTED"],
        &[
            "net::ERR_ABORTED",
            "AbortError",
            "The user aborted a request",
            "signal is aborted",
            "context canceled",
        ],
    ),
    (
        Failure::FetchFailed,
        &["fetch"],
        &[
            "Failed to fetch",
            "NetworkError when attempting to fetch",
            "TypeError: Load failed",
            "fetch failed",
        ],
    ),
];

/// The failure an error records: by the code its reader gave it first (a reader that read
/// Firefox's "CORS request did not succeed" records a network failure, though the message
/// also says "Cross-Origin Request Blocked"), then by what the message says.
pub(crate) fn classify(error: &TransportError) -> Failure {
    let by_code = SIGNATURES.iter().find(|(_, codes, _)| {
        codes.iter().any(|c| {
            if c.ends_with('_') {
                error.code.starts_with(c)
            } else {
                error.code == *c
            }
        })
    });
    let found = by_code.map_or_else(
        || classify_message(&error.message),
        |(failure, _, _)| *failure,
    );
    // curl's (56) is any failure while receiving: its words say which (`CONNECT tunnel
    // failed`, `Illegal or missing hexadecimal sequence in chunked-encoding`).
    if found == Failure::Reset
        && let words @ (Failure::Proxy | Failure::Protocol) = classify_message(&error.message)
    {
        return words;
    }
    // Chromium words a Private Network Access refusal as a CORS block: "… has been blocked
    // by CORS policy: Permission was denied for this request to access the `loopback`
    // address space."
    if found == Failure::Cors && private_network_words(&error.message) {
        return Failure::PrivateNetwork;
    }
    refine_by_errno(found, &error.message)
}

/// The failure a message describes in words, when it does.
pub(crate) fn classify_message(message: &str) -> Failure {
    thread_local! {
        static ANSWERS: super::memo::Answers<Failure> = super::memo::Answers::default();
    }
    // A capture's failed entries mostly repeat one message; the search below tries every
    // phrase of every failure.
    super::memo::remember(&ANSWERS, message, || classify_message_uncached(message))
}

fn classify_message_uncached(message: &str) -> Failure {
    let found = SIGNATURES
        .iter()
        .find(|(_, _, phrases)| phrases.iter().any(|p| message.contains(p)))
        .map_or(Failure::Other, |(failure, _, _)| *failure);
    if found == Failure::Cors && private_network_words(message) {
        return Failure::PrivateNetwork;
    }
    refine_by_errno(found, message)
}

fn private_network_words(message: &str) -> bool {
    message.contains("address space `")
        || message.contains("` address space")
        || message.contains("Access-Control-Allow-Private-Network")
        || message.contains("more-private address space")
}

/// Python's generic words for a failed connection ("Connect call failed", "Failed to
/// establish a new connection") say only that connecting failed; the system error number
/// printed with them (`[Errno 60] Connect call failed`) says how. Only numbers that mean the
/// same for a socket on Linux, macOS and Windows (`[WinError 10060]`) are read.
fn refine_by_errno(found: Failure, message: &str) -> Failure {
    if !matches!(found, Failure::Refused | Failure::Other) {
        return found;
    }
    let number = ["[Errno ", "[WinError "].iter().find_map(|marker| {
        let at = message.find(marker)? + marker.len();
        message[at..].split(']').next()
    });
    match number.map(str::trim) {
        // ETIMEDOUT on macOS and Linux, WSAETIMEDOUT.
        Some("60" | "110" | "10060") => Failure::Timeout,
        // ECONNREFUSED, WSAECONNREFUSED.
        Some("61" | "111" | "10061") => Failure::Refused,
        // ECONNRESET, WSAECONNRESET.
        Some("54" | "104" | "10054") => Failure::Reset,
        _ => found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_number_says_how_a_connection_failed() {
        let timeout = "Multiple exceptions: [Errno 60] Connect call failed ('123.58.180.8', 80), [Errno 60] Connect call failed ('123.58.180.7', 80)";
        assert_eq!(classify_message(timeout), Failure::Timeout);
        assert_eq!(
            classify_message("[Errno 111] Connect call failed ('127.0.0.1', 1)"),
            Failure::Refused
        );
        assert_eq!(
            classify_message(
                "Failed to establish a new connection: [Errno 110] Connection timed out"
            ),
            Failure::Timeout
        );
        // A proxy failure stays one whatever the number under it.
        assert_eq!(
            classify_message("ProxyError('Cannot connect to proxy.', [Errno 60] timed out)"),
            Failure::Proxy
        );
        assert_eq!(
            classify_message("net::ERR_INTERNET_DISCONNECTED"),
            Failure::Offline
        );
    }
}
