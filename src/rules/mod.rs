//! The rule registry. Each rule lives in its own file named after its finding ID, declares
//! its metadata once with [`rule!`], and documents itself in its doc comment.

use crate::knowledge::text::{self, Signatures};
use crate::knowledge::time;
use crate::model::{
    Body, Capture, Exchange, HasHeaders, Header, Note, Request, Response, Span, TransportError,
};
use crate::report::{Evidence, Finding, Fix, Severity};
pub use lookup::Lookup;

/// What every rule declares about itself, once.
#[derive(Debug)]
pub struct RuleMeta {
    /// The stable finding ID (public API, never renamed).
    pub id: &'static str,
    pub severity: Severity,
    /// The generic title; findings carry a title written for the input.
    pub title: &'static str,
    pub reference: Option<&'static str>,
    /// The rule's documentation: its doc comment.
    pub doc: &'static str,
    /// Fixtures under `tests/fixtures/` on which the rule must fire.
    pub fixtures: &'static [&'static str],
}

impl RuleMeta {
    /// A finding of this rule with an input-specific title and no evidence yet.
    pub fn finding(&'static self, title: impl Into<String>) -> Finding {
        let mut title: String = title.into();
        if let Some(first) = title.chars().next().filter(|c| c.is_lowercase()) {
            title.replace_range(..first.len_utf8(), &first.to_uppercase().to_string());
        }
        Finding {
            id: self.id,
            severity: self.severity,
            title,
            evidence: Vec::new(),
            explanation: String::new(),
            fix: Fix::default(),
            reference: self.reference,
        }
    }
}

/// Declares a rule: a unit struct carrying its doc comment and metadata.
macro_rules! rule {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            id: $id:literal,
            severity: $severity:ident,
            title: $title:literal,
            reference: $reference:expr,
            fixtures: [$($fixture:literal),* $(,)?] $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub fn meta(&self) -> &'static $crate::rules::RuleMeta {
                static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                    id: $id,
                    severity: $crate::report::Severity::$severity,
                    title: $title,
                    reference: $reference,
                    // The page never shows rule docs: keep them out of the wasm.
                    doc: if cfg!(target_arch = "wasm32") { "" } else { concat!($($doc, "\n"),*) },
                    fixtures: &[$($fixture),*],
                };
                &META
            }
        }

        impl $crate::rules::Described for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                $name::meta(self)
            }
        }
    };
}

pub trait Described {
    fn meta(&self) -> &'static RuleMeta;
}

/// A rule looks at one exchange (with the others in view), or at the capture as a whole.
pub trait Rule: Described + Sync {
    fn check_exchange(&self, _cx: &Cx, _out: &mut Vec<Finding>) {}
    fn check_capture(&self, _cx: &CaptureCx, _out: &mut Vec<Finding>) {}
}

/// The whole input, for input-level and cross-exchange rules.
pub struct CaptureCx<'a> {
    pub input: &'a str,
    pub capture: &'a Capture,
    pub format: crate::input::Format,
    pub reference_time: Option<i64>,
}

/// One exchange, with the rest of the capture in view.
pub struct Cx<'a> {
    pub input: &'a str,
    pub capture: &'a Capture,
    pub lookup: &'a Lookup<'a>,
    pub index: usize,
    pub exchange: &'a Exchange,
    pub reference_time: Option<i64>,
    /// The response body parsed as JSON, once, for the rules that read it.
    pub json: std::cell::OnceCell<Option<serde_json::Value>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

impl Side {
    fn word(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

/// Keeps enough of a credential to recognise it, never the whole secret.
pub fn mask_credential(value: &str) -> String {
    let (scheme, token) = match value.split_once(' ') {
        Some((s, t)) if s.len() < 16 && !s.contains('.') => (format!("{s} "), t),
        _ => (String::new(), value),
    };
    let chars: Vec<char> = token.chars().collect();
    if chars.len() <= 12 {
        return format!("{scheme}{}", "•".repeat(chars.len().min(8)));
    }
    let head: String = chars[..8].iter().collect();
    format!("{scheme}{head}…")
}

impl<'a> Cx<'a> {
    pub fn request(&self) -> Option<&'a Request> {
        self.exchange.request.as_ref()
    }

    pub fn response(&self) -> Option<&'a Response> {
        self.exchange.response.as_ref()
    }

    pub fn status(&self) -> Option<u16> {
        self.response().map(|r| r.status).filter(|s| *s != 0)
    }

    pub fn transport_error(&self) -> Option<&'a TransportError> {
        self.exchange.transport_error.as_ref()
    }

    pub fn previous(&self) -> &'a [Exchange] {
        &self.capture.exchanges[..self.index]
    }

    pub fn header_evidence(&self, side: Side, header: &Header) -> Evidence {
        let value = if crate::knowledge::secrets::is_credential_header(&header.name) {
            mask_credential(&header.value)
        } else {
            text::clip(&header.value, 240)
        };
        Evidence::new(
            format!("{} header", side.word()),
            format!("{}: {}", header.name, value),
            header.span,
        )
    }

    /// A piece of a body, located by line.
    pub fn body_evidence(&self, side: Side, body: &Body, start: usize, end: usize) -> Evidence {
        let (line, _) = text::line_col(&body.text, start);
        let quote = text::clip(&body.text[start..end], 300);
        Evidence::new(
            format!("{} body, line {line}", side.word()),
            quote,
            body.span_of(start, end),
        )
    }

    /// The whole body line around `offset`.
    pub fn body_line_evidence(&self, side: Side, body: &Body, offset: usize) -> Evidence {
        let (line_start, line) = text::line_around(&body.text, offset);
        let trimmed = line.trim_start();
        let start = line_start + (line.len() - trimmed.len());
        self.body_evidence(side, body, start, line_start + line.len())
    }

    /// The first occurrence of `needle` in the response body, as evidence of its line.
    pub fn response_body_match(&self, needle: &str) -> Option<Evidence> {
        let body = self.response()?.body.as_ref()?;
        let at = body.text.find(needle)?;
        Some(self.body_line_evidence(Side::Response, body, at))
    }

    /// The highest-priority signature of `signatures` in the response body: its label and
    /// the evidence of its line.
    pub fn response_signature(&self, signatures: &Signatures) -> Option<(&'static str, Evidence)> {
        let body = self.response()?.body.as_ref()?;
        let (index, at) = signatures.first_in(&body.text)?;
        Some((
            signatures.label(index),
            self.body_line_evidence(Side::Response, body, at),
        ))
    }

    pub fn status_evidence(&self) -> Option<Evidence> {
        let response = self.response()?;
        let span = response
            .span
            .filter(|s| self.input.get(s.start..s.start + 5) == Some("HTTP/"))
            .map(|s| {
                let end = self.input[s.start..]
                    .find(['\r', '\n'])
                    .map_or(self.input.len(), |i| s.start + i);
                Span::new(s.start, end)
            });
        let quote = match span {
            Some(s) => self.input[s.start..s.end].to_owned(),
            None => format!("status {} {}", response.status, response.reason)
                .trim_end()
                .to_owned(),
        };
        Some(Evidence::new("response status", quote, span))
    }

    pub fn request_line_evidence(&self) -> Option<Evidence> {
        let request = self.request()?;
        let quote = format!(
            "{} {}",
            request.method.as_deref().unwrap_or("(method not shown)"),
            request.url
        );
        let span = request.span.and_then(|s| {
            let line = crate::input::lines::lines(&self.input[s.start..]).next()?;
            Some(Span::new(
                s.start + line.start,
                s.start + line.start + line.text.len(),
            ))
        });
        Some(Evidence::new(
            "request",
            quote,
            span.filter(|s| {
                self.input[s.start..s.end].contains(&request.url)
                    || self.input[s.start..s.end].contains(request.path())
            }),
        ))
    }

    pub fn transport_evidence(&self) -> Option<Evidence> {
        let error = self.transport_error()?;
        Some(Evidence::new(
            "client error",
            text::clip(&error.message, 300),
            error.span,
        ))
    }

    pub fn note_evidence(&self, note: &Note) -> Evidence {
        Evidence::new("client output", note.text.clone(), note.span)
    }

    /// The time the response was produced: its Date header, else the caller's reference time.
    pub fn now(&self) -> Option<(i64, Evidence)> {
        if let Some(date) = self.response().and_then(|r| r.header("date")) {
            if let Some(secs) = time::parse_http_date(&date.value) {
                return Some((secs, self.header_evidence(Side::Response, date)));
            }
        }
        if let Some(ms) = self.exchange.timings.as_ref().and_then(|t| t.started_ms) {
            let started = self
                .exchange
                .timings
                .as_ref()
                .and_then(|t| t.started.clone())
                .unwrap_or_default();
            return Some((
                ms / 1000,
                Evidence::new("HAR startedDateTime", started, None),
            ));
        }
        let reference = self.reference_time?;
        Some((
            reference,
            Evidence::new(
                "reference time (no Date header)",
                time::format_utc(reference),
                None,
            ),
        ))
    }

    /// The human message of a JSON error body: `detail`, `message`, `error` (or
    /// `error.message`), `title`, `error_description`.
    pub fn response_message(&self) -> Option<String> {
        let serde_json::Value::Object(json) = self.response_json()? else {
            return None;
        };
        ["detail", "message", "error", "title", "error_description"]
            .iter()
            .find_map(|k| match json.get(*k) {
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(serde_json::Value::Object(o)) => {
                    o.get("message").and_then(|m| m.as_str()).map(str::to_owned)
                }
                _ => None,
            })
    }

    /// Whether the response body is JSON, by media type or by shape.
    pub fn response_json(&self) -> Option<&serde_json::Value> {
        self.json
            .get_or_init(|| {
                let text = self.response()?.body_text().trim();
                if !(text.starts_with('{') || text.starts_with('[')) {
                    return None;
                }
                serde_json::from_str(text).ok()
            })
            .as_ref()
    }
}

mod access_csrf_failed;
mod access_ip_restricted;
mod access_permission_denied;
mod access_waf_blocked;
mod auth;
mod auth_environment_mismatch;
mod auth_header_missing;
mod auth_insufficient_scope;
mod auth_malformed_header;
mod auth_scheme_mismatch;
mod auth_scheme_missing;
mod auth_token_expired;
mod auth_token_not_yet_valid;
mod auth_token_rejected;
mod body_content_type_mismatch;
mod body_invisible_character;
mod body_json_syntax;
mod body_problem_details;
mod cors;
mod cors_blocked;
mod cors_credentials_wildcard;
mod cors_header_not_allowed;
mod cors_method_not_allowed;
mod cors_missing_allow_origin;
mod cors_origin_mismatch;
mod cors_preflight_rejected;
mod gateway_responder_identified;
mod gateway_upstream_bad_response;
mod gateway_upstream_timeout;
mod gateway_upstream_unreachable;
mod input_secrets_present;
mod input_skipped;
mod input_truncated;
mod input_unrecognized;
pub mod lookup;
mod method_allow_missing;
mod method_changed_by_redirect;
mod method_not_allowed;
mod network;
mod network_blocked_by_client;
mod network_connection_refused;
mod network_connection_reset;
mod network_dns_failure;
mod network_fetch_failed;
mod network_timeout;
mod ratelimit;
mod ratelimit_burst;
mod ratelimit_no_hint;
mod ratelimit_quota;
mod ratelimit_retry_after;
mod response_html_instead_of_json;
mod response_request_id;
mod server_database_error;
mod server_stack_trace_exposed;
mod server_unhandled_exception;
mod service_dependency_down;
mod service_maintenance;
mod service_overloaded;
mod tls_certificate_problem;
mod url_resource_not_found;
mod url_route_not_found;
mod url_suspicious_path;
mod url_trailing_slash;
mod url_version_mismatch;
mod validation_field_errors;

/// Every rule, in the order their findings are listed when severities tie.
pub static RULES: &[&dyn Rule] = &[
    &input_unrecognized::InputUnrecognized,
    &input_truncated::InputTruncated,
    &input_secrets_present::InputSecretsPresent,
    &input_skipped::InputSkippedPart,
    &network_dns_failure::NetworkDnsFailure,
    &network_connection_refused::NetworkConnectionRefused,
    &network_timeout::NetworkTimeout,
    &network_connection_reset::NetworkConnectionReset,
    &tls_certificate_problem::TlsCertificateProblem,
    &network_blocked_by_client::NetworkBlockedByClient,
    &network_fetch_failed::NetworkFetchFailed,
    &cors_blocked::CorsBlocked,
    &cors_missing_allow_origin::CorsMissingAllowOrigin,
    &cors_origin_mismatch::CorsOriginMismatch,
    &cors_credentials_wildcard::CorsCredentialsWildcard,
    &cors_preflight_rejected::CorsPreflightRejected,
    &cors_header_not_allowed::CorsHeaderNotAllowed,
    &cors_method_not_allowed::CorsMethodNotAllowed,
    &body_json_syntax::BodyJsonSyntax,
    &body_invisible_character::BodyInvisibleCharacter,
    &body_content_type_mismatch::BodyContentTypeMismatch,
    &validation_field_errors::ValidationFieldErrors,
    &body_problem_details::BodyProblemDetails,
    &auth_header_missing::AuthHeaderMissing,
    &auth_scheme_missing::AuthSchemeMissing,
    &auth_malformed_header::AuthMalformedHeader,
    &auth_scheme_mismatch::AuthSchemeMismatch,
    &auth_token_expired::AuthTokenExpired,
    &auth_token_not_yet_valid::AuthTokenNotYetValid,
    &auth_token_rejected::AuthTokenRejected,
    &auth_environment_mismatch::AuthEnvironmentMismatch,
    &auth_insufficient_scope::AuthInsufficientScope,
    &access_permission_denied::AccessPermissionDenied,
    &access_waf_blocked::AccessWafBlocked,
    &access_ip_restricted::AccessIpRestricted,
    &access_csrf_failed::AccessCsrfFailed,
    &url_route_not_found::UrlRouteNotFound,
    &url_resource_not_found::UrlResourceNotFound,
    &url_trailing_slash::UrlTrailingSlash,
    &url_version_mismatch::UrlVersionMismatch,
    &url_suspicious_path::UrlSuspiciousPath,
    &method_not_allowed::MethodNotAllowed,
    &method_allow_missing::MethodAllowMissing,
    &method_changed_by_redirect::MethodChangedByRedirect,
    &ratelimit_retry_after::RatelimitRetryAfter,
    &ratelimit_quota::RatelimitQuota,
    &ratelimit_burst::RatelimitBurst,
    &ratelimit_no_hint::RatelimitNoHint,
    &server_stack_trace_exposed::ServerStackTraceExposed,
    &server_unhandled_exception::ServerUnhandledException,
    &server_database_error::ServerDatabaseError,
    &gateway_upstream_unreachable::GatewayUpstreamUnreachable,
    &gateway_upstream_timeout::GatewayUpstreamTimeout,
    &gateway_upstream_bad_response::GatewayUpstreamBadResponse,
    &service_maintenance::ServiceMaintenance,
    &service_overloaded::ServiceOverloaded,
    &service_dependency_down::ServiceDependencyDown,
    &response_html_instead_of_json::ResponseHtmlInsteadOfJson,
    &gateway_responder_identified::GatewayResponderIdentified,
    &response_request_id::ResponseRequestId,
];
