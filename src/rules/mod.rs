//! The rule registry. Rules live in one folder per area (`auth/`, `cors/` …), one file per
//! finding named after its ID (`auth.token-expired` is `auth/token_expired.rs`); each declares
//! its metadata once with [`rule!`] and documents itself in its doc comment.

#[macro_use]
mod rule;
mod cx;
pub(crate) mod lookup;

mod access;
mod auth;
#[cfg(test)]
mod beyond_tests;
mod body;
mod browser;
pub(crate) mod capture;
pub mod cards;
mod client;
mod cookie;
mod cors;
mod gateway;
pub(crate) mod graphql;
pub(crate) mod grpc;
mod input;
mod method;
mod network;
mod oauth;
mod proxy;
mod ratelimit;
pub(crate) mod redirect;
mod request;
mod response;
mod server;
mod service;
mod share;
mod tls;
mod url;
mod validation;

pub use cx::{CaptureCx, Clock, ClockSource, Cx, Side};
pub use lookup::Lookup;
pub use rule::{Described, Rule, RuleMeta};
pub(crate) use share::entries_left_out::ShareEntriesLeftOut;
pub(crate) use share::evidence_redacted::ShareEvidenceRedacted;

/// The JWTs of an exchange, decoded for people, with the claims `findings` read.
pub(crate) fn decoded_tokens(
    cx: &Cx,
    findings: &[crate::report::Finding],
) -> Vec<crate::report::DecodedToken> {
    auth::tokens::decoded_tokens(cx, findings)
}

/// The first failure of the capture that explains later ones (`capture.failure-cascade`).
pub(crate) fn root_failure(capture: &crate::model::Capture) -> Option<crate::report::RootFailure> {
    capture::failure_cascade::detect(capture)
}

/// Every rule, in the order their findings are listed when severities tie.
pub static RULES: &[&dyn Rule] = &[
    &input::unrecognized::InputUnrecognized,
    &input::truncated::InputTruncated,
    &input::secrets_present::InputSecretsPresent,
    &input::skipped_part::InputSkippedPart,
    &proxy::auth_required::ProxyAuthRequired,
    &capture::failure_cascade::CaptureFailureCascade,
    &capture::sanitized::CaptureSanitized,
    &network::dns_failure::NetworkDnsFailure,
    &network::connection_refused::NetworkConnectionRefused,
    &network::timeout::NetworkTimeout,
    &network::connection_reset::NetworkConnectionReset,
    &tls::certificate_problem::TlsCertificateProblem,
    &network::blocked_by_client::NetworkBlockedByClient,
    &network::proxy_failure::NetworkProxyFailure,
    &network::protocol_error::NetworkProtocolError,
    &client::closed_request::ClientClosedRequest,
    &browser::mixed_content::BrowserMixedContent,
    &browser::csp_blocked::BrowserCspBlocked,
    &browser::private_network_blocked::BrowserPrivateNetworkBlocked,
    &network::fetch_failed::NetworkFetchFailed,
    &cors::blocked::CorsBlocked,
    &cors::missing_allow_origin::CorsMissingAllowOrigin,
    &cors::origin_mismatch::CorsOriginMismatch,
    &cors::credentials_wildcard::CorsCredentialsWildcard,
    &cors::preflight_rejected::CorsPreflightRejected,
    &cors::header_not_allowed::CorsHeaderNotAllowed,
    &cors::method_not_allowed::CorsMethodNotAllowed,
    &body::json_syntax::BodyJsonSyntax,
    &body::invisible_character::BodyInvisibleCharacter,
    &body::content_type_mismatch::BodyContentTypeMismatch,
    &validation::field_errors::ValidationFieldErrors,
    &body::problem_details::BodyProblemDetails,
    &redirect::r#loop::RedirectLoop,
    &request::too_large::RequestTooLarge,
    &request::headers_too_large::RequestHeadersTooLarge,
    &request::uri_too_long::RequestUriTooLong,
    &request::media_type_unsupported::RequestMediaTypeUnsupported,
    &request::not_acceptable::RequestNotAcceptable,
    &request::precondition_failed::RequestPreconditionFailed,
    &request::conflict::RequestConflict,
    &url::gone_or_deprecated::UrlGoneOrDeprecated,
    &oauth::token_request_malformed::OauthTokenRequestMalformed,
    &oauth::redirect_uri_mismatch::OauthRedirectUriMismatch,
    &oauth::invalid_grant::OauthInvalidGrant,
    &oauth::invalid_client::OauthInvalidClient,
    &oauth::invalid_scope::OauthInvalidScope,
    &oauth::grant_not_allowed::OauthGrantNotAllowed,
    &auth::credentials_dropped_by_redirect::AuthCredentialsDroppedByRedirect,
    &auth::redirected_to_login::AuthRedirectedToLogin,
    &redirect::not_followed::RedirectNotFollowed,
    &cookie::rejected::CookieRejected,
    &graphql::query_invalid::GraphqlQueryInvalid,
    &graphql::errors::GraphqlErrors,
    &grpc::status::GrpcStatus,
    &auth::header_missing::AuthHeaderMissing,
    &auth::scheme_missing::AuthSchemeMissing,
    &auth::malformed_header::AuthMalformedHeader,
    &auth::scheme_mismatch::AuthSchemeMismatch,
    &auth::token_expired::AuthTokenExpired,
    &auth::token_not_yet_valid::AuthTokenNotYetValid,
    &auth::token_rejected::AuthTokenRejected,
    &auth::environment_mismatch::AuthEnvironmentMismatch,
    &auth::insufficient_scope::AuthInsufficientScope,
    &access::permission_denied::AccessPermissionDenied,
    &access::waf_blocked::AccessWafBlocked,
    &access::ip_restricted::AccessIpRestricted,
    &access::csrf_failed::AccessCsrfFailed,
    &url::route_not_found::UrlRouteNotFound,
    &url::resource_not_found::UrlResourceNotFound,
    &url::trailing_slash::UrlTrailingSlash,
    &url::version_mismatch::UrlVersionMismatch,
    &url::suspicious_path::UrlSuspiciousPath,
    &method::not_allowed::MethodNotAllowed,
    &method::allow_missing::MethodAllowMissing,
    &method::changed_by_redirect::MethodChangedByRedirect,
    &ratelimit::retry_after::RatelimitRetryAfter,
    &ratelimit::quota::RatelimitQuota,
    &ratelimit::burst::RatelimitBurst,
    &ratelimit::no_hint::RatelimitNoHint,
    &server::stack_trace_exposed::ServerStackTraceExposed,
    &server::unhandled_exception::ServerUnhandledException,
    &server::database_error::ServerDatabaseError,
    &gateway::upstream_unreachable::GatewayUpstreamUnreachable,
    &gateway::upstream_timeout::GatewayUpstreamTimeout,
    &gateway::upstream_bad_response::GatewayUpstreamBadResponse,
    &gateway::cdn_origin_error::GatewayCdnOriginError,
    &gateway::timeout_limit::GatewayTimeoutLimit,
    &service::maintenance::ServiceMaintenance,
    &service::overloaded::ServiceOverloaded,
    &service::dependency_down::ServiceDependencyDown,
    &response::html_instead_of_json::ResponseHtmlInsteadOfJson,
    &gateway::responder_identified::GatewayResponderIdentified,
    &response::request_id::ResponseRequestId,
    &share::evidence_redacted::ShareEvidenceRedacted,
    &share::entries_left_out::ShareEntriesLeftOut,
];
