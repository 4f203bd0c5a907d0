//! The `client.*` findings: failures the client caused itself.

pub(super) mod closed_request;
