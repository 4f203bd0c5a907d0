//! The `grpc.*` findings.

pub(crate) mod status;

/// gRPC's status codes: number, name, Connect's name, and what each means.
pub(super) const CODES: &[(u8, &str, &str, &str)] = &[
    (0, "OK", "ok", "success"),
    (
        1,
        "CANCELLED",
        "canceled",
        "the call was cancelled, usually by the caller",
    ),
    (
        2,
        "UNKNOWN",
        "unknown",
        "the server failed with an error it did not classify (often an unhandled exception)",
    ),
    (
        3,
        "INVALID_ARGUMENT",
        "invalid_argument",
        "the request's fields are invalid, whatever the server's state",
    ),
    (
        4,
        "DEADLINE_EXCEEDED",
        "deadline_exceeded",
        "the call's deadline passed before it completed (the client's timeout, or a deadline propagated to a slow dependency)",
    ),
    (
        5,
        "NOT_FOUND",
        "not_found",
        "the requested entity does not exist",
    ),
    (
        6,
        "ALREADY_EXISTS",
        "already_exists",
        "the entity the call would create already exists",
    ),
    (
        7,
        "PERMISSION_DENIED",
        "permission_denied",
        "the caller is known but not allowed to call this method or touch this resource",
    ),
    (
        8,
        "RESOURCE_EXHAUSTED",
        "resource_exhausted",
        "a quota or rate limit is used up, or the message is larger than the receiver accepts",
    ),
    (
        9,
        "FAILED_PRECONDITION",
        "failed_precondition",
        "the system is not in the state the call requires",
    ),
    (
        10,
        "ABORTED",
        "aborted",
        "the call was aborted by a concurrency conflict (a transaction abort); retry at a higher level",
    ),
    (
        11,
        "OUT_OF_RANGE",
        "out_of_range",
        "a value is past the valid range (reading past the end)",
    ),
    (
        12,
        "UNIMPLEMENTED",
        "unimplemented",
        "the server does not implement this method (wrong service or method name, an older server, or the wrong port)",
    ),
    (
        13,
        "INTERNAL",
        "internal",
        "an internal error of the server or of the gRPC runtime (a broken invariant, a framing problem)",
    ),
    (
        14,
        "UNAVAILABLE",
        "unavailable",
        "the service cannot be reached or is not serving right now (down, restarting, overloaded, or no connection could be made); safe to retry with back-off",
    ),
    (
        15,
        "DATA_LOSS",
        "data_loss",
        "unrecoverable data loss or corruption",
    ),
    (
        16,
        "UNAUTHENTICATED",
        "unauthenticated",
        "the call carries no valid credentials (missing, expired or malformed token metadata)",
    ),
];

/// A code by its number, its name (`PERMISSION_DENIED`, `StatusCode.PERMISSION_DENIED`,
/// grpc-go's `PermissionDenied`) or Connect's name (`permission_denied`).
pub(super) fn code(text: &str) -> Option<&'static (u8, &'static str, &'static str, &'static str)> {
    let text = text.trim().trim_start_matches("StatusCode.");
    if let Ok(n) = text.parse::<u8>() {
        return CODES.iter().find(|c| c.0 == n);
    }
    let squashed: String = text
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    CODES.iter().find(|c| {
        c.1 == text || c.2 == text || c.1.replace('_', "").to_ascii_lowercase() == squashed
    })
}
