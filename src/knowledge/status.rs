//! What each error status means, its usual causes, how to debug it and how to fix it.
//!
//! The engine holds the table; a report carries the chosen entry's texts, so a reader of the
//! report (the page, from the worker) shows them without a table of its own.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A text of the table, or the same text read back from a report.
pub(crate) type Text = Cow<'static, str>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusExplanation {
    pub code: u16,
    pub name: Text,
    pub meaning: Text,
    pub causes: Cow<'static, [Text]>,
    pub debug: Cow<'static, [Text]>,
    pub fix_caller: Text,
    pub fix_owner: Text,
    pub reference: Text,
}

/// The explanation an exchange report carries: the engine's table entry (no copy), or the
/// one read back from a report's JSON. Two are equal when their texts are.
#[derive(Debug, Clone)]
pub enum StatusRef {
    Table(&'static StatusExplanation),
    Read(Box<StatusExplanation>),
}

impl std::ops::Deref for StatusRef {
    type Target = StatusExplanation;
    fn deref(&self) -> &StatusExplanation {
        match self {
            StatusRef::Table(entry) => entry,
            StatusRef::Read(entry) => entry,
        }
    }
}

impl PartialEq for StatusRef {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Serialize for StatusRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for StatusRef {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<StatusExplanation>::deserialize(deserializer).map(StatusRef::Read)
    }
}

const RFC9110: &str = "https://www.rfc-editor.org/rfc/rfc9110#name-status-codes";

macro_rules! status {
    ($code:literal, $name:literal, $meaning:literal, [$($cause:literal),*], [$($debug:literal),*], $caller:literal, $owner:literal, $reference:expr) => {
        StatusExplanation {
            code: $code,
            name: Cow::Borrowed($name),
            meaning: Cow::Borrowed($meaning),
            causes: Cow::Borrowed(&[$(Cow::Borrowed($cause)),*]),
            debug: Cow::Borrowed(&[$(Cow::Borrowed($debug)),*]),
            fix_caller: Cow::Borrowed($caller),
            fix_owner: Cow::Borrowed($owner),
            reference: Cow::Borrowed($reference),
        }
    };
}

pub(crate) static STATUSES: &[StatusExplanation] = &[
    status!(
        400,
        "Bad Request",
        "The server could not make sense of the request as sent, so it did not try to act on it.",
        [
            "The body is not valid JSON (trailing comma, single quotes, a comment, an unescaped newline)",
            "The body is JSON but Content-Type says otherwise, or is missing",
            "A required field, header or query parameter is missing or has the wrong type",
            "Invisible characters copied from a document or chat into a header, URL or body",
            "A plain-HTTP request sent to an HTTPS port"
        ],
        [
            "Read the response body: most APIs name the field or position they could not parse",
            "Validate the request body with a JSON linter, at the exact bytes that were sent",
            "Compare the Content-Type header with what the body really is",
            "Replay the request with curl -v and diff it against a request that works"
        ],
        "Fix the request the body complains about; send valid JSON with `Content-Type: application/json`, and only the fields the API documents.",
        "Say precisely what was wrong: the field, the position, the expected type. A 400 without a reason costs every caller a debugging session.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-400-bad-request"
    ),
    status!(
        401,
        "Unauthorized",
        "The request carried no valid credentials: the server does not know who is calling.",
        [
            "No Authorization header at all, or it was dropped by a redirect or a proxy",
            "A bare token without the `Bearer ` scheme, or a malformed header",
            "An expired, revoked or not-yet-valid token (clock skew)",
            "A token from another environment, issuer or audience",
            "The wrong authentication scheme (Basic where Bearer is expected)"
        ],
        [
            "Check that the request really carries Authorization (curl -v shows `> Authorization:`)",
            "Read WWW-Authenticate: it names the scheme and often the error (`invalid_token`)",
            "Decode the JWT (header and claims only) and compare exp, nbf, iss and aud with the server's clock and host",
            "Try the same token against a simple authenticated endpoint"
        ],
        "Send `Authorization: Bearer <token>` with a fresh token for this environment; refresh it when it expires, before calling.",
        "Return WWW-Authenticate with an RFC 6750 error and description, so callers can tell a missing token from an expired or rejected one.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-401-unauthorized"
    ),
    status!(
        403,
        "Forbidden",
        "The server understood who is calling (or does not care) and refuses this request.",
        [
            "The token lacks a required scope, role or permission",
            "A WAF, CDN or bot protection blocked the request",
            "An IP allow-list or geo restriction",
            "A CSRF check failed (cookie-authenticated form or API call)",
            "On some gateways: a wrong path, stage or missing API key reported as 403"
        ],
        [
            "Read the body and headers for the layer that refused: the app's JSON, a CDN page, a gateway message",
            "Compare the token's scopes or roles with what the endpoint requires",
            "Check whether the request works from another network or without a VPN",
            "For CSRF: check that the CSRF cookie and header or form field are both sent"
        ],
        "Request a token with the missing scope or role, or ask for access; for a WAF block, contact the site with the reference ID instead of retrying.",
        "Say which permission is missing (`insufficient_scope` with `scope=`), and keep WAF rules from blocking legitimate API clients.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-403-forbidden"
    ),
    status!(
        404,
        "Not Found",
        "Nothing answers at this URL: either the route does not exist or the resource it names does not.",
        [
            "A typo, a wrong API version or a missing/extra trailing slash in the path",
            "A placeholder that was never filled in (`/users/undefined`, `{id}`)",
            "The right route but an ID that does not exist, or belongs to someone else (some APIs hide 403 as 404)",
            "The request went to the wrong host, port or base path (proxy prefix, stage name)"
        ],
        [
            "Tell the two cases apart: a framework's 'no route' page means the path is wrong; the API's own JSON error means the ID is",
            "Compare the path, character by character, with the documentation and with a request that works",
            "List the collection (`GET /items`) to see which IDs exist"
        ],
        "Fix the path (version, slashes, placeholders) or use an ID that exists and is visible to this caller.",
        "Answer unknown routes and unknown resources differently, in the API's own error format, so callers can tell a typo from missing data.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-404-not-found"
    ),
    status!(
        405,
        "Method Not Allowed",
        "The URL exists but does not accept this method.",
        [
            "POST to a URL that only takes GET, or the reverse",
            "A redirect (301/302) turned a POST into a GET",
            "A missing or extra trailing slash routed to a different handler",
            "A reverse proxy serving static files refuses anything but GET"
        ],
        [
            "Read the Allow header: it lists the methods the URL takes",
            "Check whether a redirect happened before the failure (curl -v shows `Switch from POST to GET`)",
            "Send OPTIONS to the URL to see what it allows"
        ],
        "Use one of the methods in Allow, at the exact URL (scheme, host and slash) that does not redirect.",
        "Always send Allow with a 405 (RFC 9110 requires it) and use 307/308 for redirects that must keep the method.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-405-method-not-allowed"
    ),
    status!(
        422,
        "Unprocessable Content",
        "The body was well-formed but its content failed validation.",
        [
            "A required field is missing",
            "A field has the wrong type or format (a string for a number, a bad email or date)",
            "A value is out of range or not one of the allowed values",
            "The body was sent as form data, so the server saw no JSON object at all"
        ],
        [
            "Read each field error: the path tells which field, the message tells why",
            "Compare the body with the API's schema (OpenAPI), field by field",
            "Check Content-Type: with curl `-d` it is form-encoded unless set"
        ],
        "Correct the named fields and resend; validate against the schema before sending.",
        "Return every field error at once with a machine-readable path (problem+json or a documented shape).",
        "https://www.rfc-editor.org/rfc/rfc9110#name-422-unprocessable-content"
    ),
    status!(
        429,
        "Too Many Requests",
        "The caller sent more requests than the server allows in a time window.",
        [
            "A loop, retry storm or parallel burst",
            "A shared key or IP hitting a per-account quota",
            "Retrying immediately after a 429 without waiting"
        ],
        [
            "Read Retry-After and the rate-limit headers: limit, remaining, reset",
            "Count requests per second from the client's logs or the HAR",
            "Check whether other clients share the same key or egress IP"
        ],
        "Wait until Retry-After or the reset time, then retry with exponential back-off and jitter; throttle and cache on the client.",
        "Send Retry-After and the RateLimit headers so clients can back off precisely.",
        "https://www.rfc-editor.org/rfc/rfc6585#section-4"
    ),
    status!(
        500,
        "Internal Server Error",
        "The server failed while handling the request: a bug or an unhandled condition on its side.",
        [
            "An unhandled exception (null/undefined access, key error, division by zero)",
            "A database error (missing table, constraint violation, lost connection)",
            "Input the server did not expect and did not validate",
            "A misconfiguration after a deploy"
        ],
        [
            "Find the server log entry for this request, using the request ID if the response has one",
            "Read any exception type and message in the body",
            "Reduce the request to the smallest one that still fails"
        ],
        "Nothing in the request is known to be wrong; retry once if the call is idempotent, and report the request ID and time to the API owner.",
        "Fix the exception in the logs, validate input to return a 4xx instead, and never send stack traces to clients.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-500-internal-server-error"
    ),
    status!(
        502,
        "Bad Gateway",
        "A proxy or gateway could not get a valid response from the server behind it.",
        [
            "The origin app is down, crashed or not listening (connection refused)",
            "The proxy points at the wrong host or port",
            "The origin closed the connection or sent a malformed response",
            "A serverless function returned something the gateway could not use"
        ],
        [
            "Identify who answered (Server header, error page style): the proxy wrote this page, not the app",
            "Check the proxy's error log for 'connect() failed' or 'upstream prematurely closed'",
            "Call the origin directly, bypassing the proxy"
        ],
        "Retry later with back-off; report the time and any request ID to the API owner.",
        "Start the origin or fix the proxy's upstream address; look at the proxy error log for the exact reason.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-502-bad-gateway"
    ),
    status!(
        503,
        "Service Unavailable",
        "The server is temporarily unable to handle the request: overload, maintenance or no healthy backend.",
        [
            "Maintenance mode",
            "Overload or a rate limit expressed as 503 (nginx limit_req)",
            "No healthy instances behind the load balancer",
            "A dependency (database, cache) is down"
        ],
        [
            "Read Retry-After and the body for maintenance or overload wording",
            "Identify which layer answered",
            "Check the service's status page"
        ],
        "Wait for Retry-After (or back off exponentially) and retry; do not hammer a struggling service.",
        "Send Retry-After, make health checks reflect real readiness, and add capacity or shed load gracefully.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-503-service-unavailable"
    ),
    status!(
        504,
        "Gateway Timeout",
        "A proxy or gateway gave up waiting for the server behind it.",
        [
            "The origin is slow: a long query, a lock, a slow dependency",
            "The proxy's timeout is shorter than the work (API Gateway 29 s, Heroku 30 s, ALB 60 s idle, nginx 60 s)",
            "Network trouble between proxy and origin"
        ],
        [
            "Find how long the request ran before the 504, and compare with the proxy's timeout",
            "Look at the origin's logs: did the request arrive, and when did it finish?"
        ],
        "Retry later; for long operations, use the API's asynchronous variant or smaller batches.",
        "Make the endpoint fast or asynchronous (202 + polling), or raise the proxy timeout to match the real work.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-504-gateway-timeout"
    ),
    status!(
        408,
        "Request Timeout",
        "The server gave up waiting for the client to finish sending the request.",
        [
            "A slow or stalled upload",
            "An idle keep-alive connection closed by the server"
        ],
        ["Check upload size and network speed"],
        "Retry; send the body promptly.",
        "Tune the request-read timeout.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-408-request-timeout"
    ),
    status!(
        409,
        "Conflict",
        "The request conflicts with the current state of the resource.",
        [
            "Creating something that already exists",
            "An edit based on a stale version"
        ],
        ["Read the body for the conflicting field or version"],
        "Fetch the current state, resolve the conflict and retry.",
        "Explain the conflict and how to resolve it.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-409-conflict"
    ),
    status!(
        410,
        "Gone",
        "The resource existed but was removed on purpose and will not return.",
        ["A retired API version or endpoint", "A deleted resource"],
        ["Check the API's changelog or deprecation notices"],
        "Move to the replacement endpoint.",
        "Point to the replacement in the body or a Link header.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-410-gone"
    ),
    status!(
        411,
        "Length Required",
        "The server requires a Content-Length header.",
        ["A chunked upload to a server that does not accept it"],
        ["Check whether the request had Content-Length"],
        "Send Content-Length (buffer the body).",
        "Accept chunked bodies where possible.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-411-length-required"
    ),
    status!(
        412,
        "Precondition Failed",
        "A condition in the request (If-Match, If-Unmodified-Since) did not hold.",
        ["The resource changed since the ETag was read"],
        ["Compare the If-Match ETag with the current one"],
        "Re-read the resource and retry with the new ETag.",
        "Return the current ETag.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-412-precondition-failed"
    ),
    status!(
        413,
        "Content Too Large",
        "The request body is larger than the server or a proxy in front of it accepts.",
        ["An upload above nginx's client_max_body_size (1 MB by default) or a platform limit"],
        [
            "Compare Content-Length with the documented limit",
            "Check which layer answered: nginx answers 413 itself"
        ],
        "Send smaller bodies, compress, or use the API's multipart or resumable upload.",
        "Raise the limit where large uploads are legitimate (client_max_body_size) and document it.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-413-content-too-large"
    ),
    status!(
        414,
        "URI Too Long",
        "The URL is longer than the server accepts.",
        ["Huge query strings, often data that belongs in a body"],
        ["Measure the URL length"],
        "Move the data into a POST body.",
        "Offer a POST search endpoint.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-414-uri-too-long"
    ),
    status!(
        415,
        "Unsupported Media Type",
        "The server does not accept the body's media type.",
        [
            "Content-Type missing or wrong (form data where JSON is expected)",
            "A charset or encoding the server rejects"
        ],
        ["Compare Content-Type with the API's documented type"],
        "Send the body with the expected Content-Type, usually `application/json`.",
        "Say which media types are accepted (Accept-Post or the body).",
        "https://www.rfc-editor.org/rfc/rfc9110#name-415-unsupported-media-type"
    ),
    status!(
        416,
        "Range Not Satisfiable",
        "The requested byte range lies outside the resource.",
        ["Resuming a download of a file that changed"],
        ["Compare Range with the resource's size"],
        "Request a valid range or the whole resource.",
        "Return Content-Range with the real size.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-416-range-not-satisfiable"
    ),
    status!(
        417,
        "Expectation Failed",
        "The server cannot meet the Expect header (usually `100-continue`).",
        ["A proxy that does not support Expect: 100-continue"],
        ["Look for `Expect: 100-continue` in the request"],
        "Send the request without Expect (curl: `-H 'Expect:'`).",
        "Support 100-continue or ignore it.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-417-expectation-failed"
    ),
    status!(
        418,
        "I'm a teapot",
        "A joke status some servers use to refuse requests they do not want to serve, often bots.",
        ["Bot protection or an easter egg"],
        ["Read the body"],
        "Check that the client identifies itself properly.",
        "Use a standard status instead.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-418-unused"
    ),
    status!(
        419,
        "Page Expired (Laravel)",
        "Laravel's status for a failed CSRF check or an expired session.",
        [
            "A form or AJAX call without a valid CSRF token",
            "An expired session"
        ],
        ["Check the X-CSRF-TOKEN header or _token field and the session cookie"],
        "Reload the page to get a fresh token and send it with the request.",
        "Exclude token-authenticated API routes from CSRF checks.",
        "https://laravel.com/docs/csrf"
    ),
    status!(
        420,
        "Enhance Your Calm",
        "A non-standard rate-limit status (old Twitter API and some others).",
        ["Too many requests"],
        ["Read rate-limit headers"],
        "Back off and retry later.",
        "Use 429 instead.",
        "https://www.rfc-editor.org/rfc/rfc6585#section-4"
    ),
    status!(
        421,
        "Misdirected Request",
        "The request reached a server that cannot answer for this host, typically over a reused HTTP/2 connection.",
        ["Connection coalescing across hosts with a shared certificate"],
        ["Check the Host/:authority and the certificate's names"],
        "Retry on a new connection.",
        "Configure certificates and virtual hosts consistently.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-421-misdirected-request"
    ),
    status!(
        423,
        "Locked",
        "The resource is locked (WebDAV and some APIs).",
        ["Another operation holds a lock"],
        ["Read the body for the lock owner"],
        "Retry after the lock is released.",
        "Document lock lifetimes.",
        "https://www.rfc-editor.org/rfc/rfc4918#section-11.3"
    ),
    status!(
        424,
        "Failed Dependency",
        "The request failed because another action it depended on failed.",
        ["A batch where an earlier step failed"],
        ["Find the first failed step"],
        "Fix the first failure and resend.",
        "Report which dependency failed.",
        "https://www.rfc-editor.org/rfc/rfc4918#section-11.4"
    ),
    status!(
        425,
        "Too Early",
        "The server will not process a request sent in TLS early data, which could be replayed.",
        ["0-RTT requests"],
        ["Check whether early data was used"],
        "Retry after the handshake completes.",
        "—",
        "https://www.rfc-editor.org/rfc/rfc8470#section-5.2"
    ),
    status!(
        426,
        "Upgrade Required",
        "The server requires a different protocol (e.g. TLS or HTTP/2).",
        ["http:// where https:// is required"],
        ["Read the Upgrade header"],
        "Use the protocol named in Upgrade.",
        "Redirect or document the required protocol.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-426-upgrade-required"
    ),
    status!(
        428,
        "Precondition Required",
        "The server requires a conditional request (If-Match) to prevent lost updates.",
        ["An update without If-Match"],
        ["Check for an ETag on the resource"],
        "GET the resource, then send If-Match with its ETag.",
        "Document the requirement.",
        "https://www.rfc-editor.org/rfc/rfc6585#section-3"
    ),
    status!(
        431,
        "Request Header Fields Too Large",
        "The request headers are larger than the server accepts.",
        [
            "Too many or too large cookies",
            "A huge Authorization token"
        ],
        ["Measure the Cookie header"],
        "Clear cookies for the domain or shrink the token.",
        "Raise header limits or keep cookies small.",
        "https://www.rfc-editor.org/rfc/rfc6585#section-5"
    ),
    status!(
        444,
        "No Response (nginx)",
        "nginx closed the connection without answering; it appears only in nginx logs and some tools.",
        ["A `return 444` rule for unwanted requests"],
        ["Check the nginx configuration for return 444"],
        "Check that the Host and path are ones the server serves.",
        "—",
        "https://nginx.org/en/docs/http/ngx_http_rewrite_module.html#return"
    ),
    status!(
        451,
        "Unavailable For Legal Reasons",
        "The resource is withheld for legal reasons.",
        ["Geo or legal blocking"],
        ["Read the body and Link header"],
        "—",
        "Name the blocking authority.",
        "https://www.rfc-editor.org/rfc/rfc7725"
    ),
    status!(
        460,
        "Client Closed Connection (AWS ALB)",
        "The client closed the connection before the load balancer could answer.",
        ["A client timeout shorter than the backend's response time"],
        ["Compare client timeout with server latency"],
        "Raise the client timeout.",
        "Speed up the endpoint.",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html"
    ),
    status!(
        463,
        "Too Many Forwarded IPs (AWS ALB)",
        "The load balancer got an X-Forwarded-For with more than 30 addresses.",
        ["A proxy loop"],
        ["Inspect X-Forwarded-For"],
        "—",
        "Break the proxy loop.",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html"
    ),
    status!(
        494,
        "Request Header Too Large (nginx)",
        "nginx rejected headers larger than its buffers.",
        ["Large cookies or tokens"],
        ["Measure the headers"],
        "Shrink cookies or tokens.",
        "Raise large_client_header_buffers.",
        "https://nginx.org/en/docs/http/ngx_http_core_module.html#large_client_header_buffers"
    ),
    status!(
        495,
        "SSL Certificate Error (nginx)",
        "The client certificate was invalid.",
        ["An expired or untrusted client certificate"],
        ["Check the client certificate"],
        "Send a valid client certificate.",
        "Check ssl_client_certificate.",
        "https://nginx.org/en/docs/http/ngx_http_ssl_module.html#errors"
    ),
    status!(
        496,
        "SSL Certificate Required (nginx)",
        "The server requires a client certificate and none was sent.",
        ["mTLS endpoint called without a certificate"],
        ["Check client TLS settings"],
        "Send the client certificate.",
        "Document mTLS.",
        "https://nginx.org/en/docs/http/ngx_http_ssl_module.html#errors"
    ),
    status!(
        497,
        "HTTP Request Sent to HTTPS Port (nginx)",
        "A plain-HTTP request reached an HTTPS port.",
        ["http:// used with an HTTPS port"],
        ["Check the scheme and port"],
        "Use https://.",
        "Redirect 497 to https.",
        "https://nginx.org/en/docs/http/ngx_http_ssl_module.html#errors"
    ),
    status!(
        499,
        "Client Closed Request (nginx)",
        "The client gave up before nginx answered; logged by nginx, rarely seen by clients.",
        ["A client timeout"],
        ["Compare client timeout with latency"],
        "Raise the client timeout.",
        "Speed up the endpoint.",
        "https://nginx.org/en/docs/"
    ),
    status!(
        501,
        "Not Implemented",
        "The server does not support the functionality the request needs, often the method.",
        ["An unusual method (PATCH, PROPFIND) on a server that lacks it"],
        ["Check the method"],
        "Use a supported method.",
        "Implement it or answer 405 with Allow.",
        "https://www.rfc-editor.org/rfc/rfc9110#name-501-not-implemented"
    ),
    status!(
        505,
        "HTTP Version Not Supported",
        "The server does not support the request's HTTP version.",
        ["A malformed request line"],
        ["Check the request line"],
        "Use HTTP/1.1.",
        "—",
        "https://www.rfc-editor.org/rfc/rfc9110#name-505-http-version-not-suppor"
    ),
    status!(
        507,
        "Insufficient Storage",
        "The server cannot store what the request needs.",
        ["A full disk or quota"],
        ["Check quotas"],
        "Free space or raise the quota.",
        "Add storage.",
        "https://www.rfc-editor.org/rfc/rfc4918#section-11.5"
    ),
    status!(
        508,
        "Loop Detected",
        "The server found an infinite loop while processing.",
        ["Recursive bindings (WebDAV) or a proxy loop"],
        ["Check for loops"],
        "—",
        "Break the loop.",
        "https://www.rfc-editor.org/rfc/rfc5842#section-7.2"
    ),
    status!(
        511,
        "Network Authentication Required",
        "A captive portal (hotel or airport Wi-Fi) intercepted the request.",
        ["An unauthenticated network"],
        ["Open any page in a browser to see the portal"],
        "Log in to the network.",
        "—",
        "https://www.rfc-editor.org/rfc/rfc6585#section-6"
    ),
    status!(
        520,
        "Web Server Returned an Unknown Error (Cloudflare)",
        "The origin answered Cloudflare with something empty, unknown or invalid.",
        [
            "The origin crashed or reset the connection",
            "Headers too large"
        ],
        ["Check origin logs at the CF-RAY time"],
        "Retry later.",
        "Look at origin logs and response headers size.",
        "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/"
    ),
    status!(
        521,
        "Web Server Is Down (Cloudflare)",
        "The origin refused Cloudflare's connection.",
        ["The origin is down or blocks Cloudflare IPs"],
        ["Check that the origin listens and allows Cloudflare"],
        "Retry later.",
        "Start the origin; allow Cloudflare's IP ranges.",
        "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/"
    ),
    status!(
        522,
        "Connection Timed Out (Cloudflare)",
        "Cloudflare could not complete a TCP connection to the origin.",
        ["Firewall drops, overloaded origin"],
        ["Check origin reachability"],
        "Retry later.",
        "Fix firewall or capacity.",
        "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/"
    ),
    status!(
        523,
        "Origin Is Unreachable (Cloudflare)",
        "Cloudflare cannot route to the origin.",
        ["Wrong DNS record for the origin"],
        ["Check DNS"],
        "—",
        "Fix the origin's DNS.",
        "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/"
    ),
    status!(
        524,
        "A Timeout Occurred (Cloudflare)",
        "The origin accepted the connection but did not answer within Cloudflare's proxy read timeout (120 s by default in current docs, 100 s in older ones).",
        ["A long-running request"],
        ["Measure the origin's processing time"],
        "Use an asynchronous variant.",
        "Make the work asynchronous or faster.",
        "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/"
    ),
    status!(
        525,
        "SSL Handshake Failed (Cloudflare)",
        "Cloudflare could not complete TLS with the origin.",
        ["Origin TLS misconfiguration"],
        ["Check the origin certificate"],
        "—",
        "Fix origin TLS.",
        "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/"
    ),
    status!(
        526,
        "Invalid SSL Certificate (Cloudflare)",
        "The origin's certificate is not valid for Full (strict) mode.",
        ["Expired or self-signed origin certificate"],
        ["Check the origin certificate"],
        "—",
        "Install a valid certificate.",
        "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/"
    ),
    status!(
        530,
        "Origin Error (Cloudflare)",
        "Cloudflare returns 530 together with a 1xxx error (such as 1016, origin DNS error).",
        ["Origin DNS or configuration"],
        ["Read the 1xxx code in the body"],
        "—",
        "Fix the issue the 1xxx code names.",
        "https://developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/"
    ),
];

static GENERIC_CLIENT: StatusExplanation = status!(
    499,
    "Client Error",
    "The server says the request was at fault, with a status it did not explain further.",
    ["Something in the request the server refuses"],
    ["Read the body and headers for a reason"],
    "Fix the request as the body describes.",
    "Use a standard status and explain the reason.",
    RFC9110
);
static GENERIC_SERVER: StatusExplanation = status!(
    599,
    "Server Error",
    "The server says it failed, with a status it did not explain further.",
    ["A failure on the server or a proxy"],
    ["Identify the layer that answered and read its logs"],
    "Retry later with back-off.",
    "Use a standard status and log the cause.",
    RFC9110
);

/// The explanation for `code`, or a generic one for other 4xx/5xx codes.
pub(crate) fn explain(code: u16) -> Option<&'static StatusExplanation> {
    if code < 400 {
        return None;
    }
    STATUSES
        .iter()
        .find(|s| s.code == code)
        .or(Some(if code < 500 {
            &GENERIC_CLIENT
        } else {
            &GENERIC_SERVER
        }))
}

/// The registered name of `code`, for a summary when the input gave no reason phrase.
pub(crate) fn name(code: u16) -> Option<&'static str> {
    const OTHER: &[(u16, &str)] = &[
        (200, "OK"),
        (201, "Created"),
        (202, "Accepted"),
        (204, "No Content"),
        (301, "Moved Permanently"),
        (302, "Found"),
        (303, "See Other"),
        (304, "Not Modified"),
        (307, "Temporary Redirect"),
        (308, "Permanent Redirect"),
    ];
    STATUSES
        .iter()
        .find(|s| s.code == code)
        .map(|s| &*s.name)
        .or_else(|| OTHER.iter().find(|(c, _)| *c == code).map(|(_, n)| *n))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report read back (the page, from the worker) carries the engine's texts, including
    /// the generic one for a status the table does not list (its code, 499, is nginx's).
    #[test]
    fn explanations_travel_with_the_report() {
        for code in [401, 436, 503, 599] {
            let Some(entry) = explain(code) else {
                panic!("no explanation for {code}");
            };
            let json = serde_json::to_string(&StatusRef::Table(entry)).unwrap_or_default();
            let read: Option<StatusRef> = serde_json::from_str(&json).ok();
            assert_eq!(read.as_deref(), Some(entry), "{code}");
            assert_eq!(read, Some(StatusRef::Table(entry)), "{code}");
        }
        let unlisted = explain(436).map(|s| &*s.name);
        assert_eq!(unlisted, Some("Client Error"));
    }
}
