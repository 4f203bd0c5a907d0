//! Error shapes and signatures of web frameworks and API platforms.

use serde_json::{Map, Value};

use super::text::Signatures;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldError {
    /// `body.items.0.price`, `email`, `/data/attributes/email`; empty when the error names
    /// no field (a Google violation about the whole payload).
    pub path: String,
    pub message: String,
    /// The API's code for this field's error (`missing_field`, `STRING_EMAIL`), if it gives one.
    pub code: Option<String>,
}

impl FieldError {
    fn new(path: String, message: String) -> Self {
        FieldError {
            path,
            message,
            code: None,
        }
    }

    fn coded(path: String, message: String, code: Option<String>) -> Self {
        FieldError {
            path,
            message,
            code,
        }
    }
}

/// What an error body says, read from its shape: a framework's field errors, or an API's
/// error envelope with its codes, message, documentation link and request IDs.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ErrorBody {
    /// The shape it was read from: `FastAPI / pydantic`, `Google APIs (google.rpc.Status)` …
    pub shape: &'static str,
    /// The API whose own envelope this is (not a framework's): whom to ask.
    pub vendor: Option<&'static str>,
    /// The API's error codes, most telling first: `INVALID_ARGUMENT`, `ValidationException`,
    /// `21211`, `invalid_auth`.
    pub codes: Vec<String>,
    pub message: Option<String>,
    pub fields: Vec<FieldError>,
    /// Where the API documents this error (`doc_url`, `more_info`, `documentation_url`).
    pub doc_url: Option<String>,
    /// Request IDs the body carries: `(where, value)`.
    pub request_ids: Vec<(&'static str, String)>,
    /// A success status with a body that says the call failed (Slack's `"ok": false`).
    pub hidden_failure: bool,
}

/// What the rest of the response says about reading its body.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BodyHints<'a> {
    /// Content-Type is `application/problem+json`.
    pub problem_json: bool,
    /// AWS's `x-amzn-ErrorType` header: `ValidationException:http://internal.amazon.com/…`.
    pub aws_error_type: Option<&'a str>,
}

fn text_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(text_of).collect::<Vec<_>>().join("; "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn path_of(loc: &Value) -> String {
    match loc {
        Value::Array(parts) => parts
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("."),
        other => text_of(other),
    }
}

/// A string member, when it is a non-empty string.
fn str_at<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// A code given as a string or a number (Twilio's `21211`).
fn code_at(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn array_at<'a>(object: &'a Map<String, Value>, key: &str) -> &'a [Value] {
    object
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `{"field": ["msg", …], …}` → errors, when every value is a string or list of strings.
fn field_map(map: &Map<String, Value>) -> Option<Vec<FieldError>> {
    let all_messages = !map.is_empty()
        && map.values().all(|v| match v {
            Value::String(_) => true,
            Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_string),
            _ => false,
        });
    all_messages.then(|| {
        map.iter()
            .map(|(k, v)| FieldError::new(k.clone(), text_of(v)))
            .collect()
    })
}

/// Reads one API's error envelope from a JSON object.
type VendorReader = fn(&Map<String, Value>) -> Option<ErrorBody>;

/// Reads an error body: an API's own envelope (Slack, Google, Microsoft Graph, Stripe,
/// Azure/OData, Twilio, AWS, GitHub, and the XML errors of S3, the AWS query APIs and
/// Twilio), else a framework's field errors. `None` when the body has no known shape.
pub(crate) fn read_error(json: Option<&Value>, text: &str, hints: BodyHints) -> Option<ErrorBody> {
    let Some(json) = json else {
        return xml_error(text);
    };
    let object = json.as_object()?;
    let vendors: [VendorReader; 7] = [
        slack,
        google,
        microsoft_graph,
        stripe_style,
        odata,
        twilio,
        github,
    ];
    vendors
        .iter()
        .find_map(|read| read(object))
        .or_else(|| aws_json(object, hints.aws_error_type))
        .or_else(|| {
            let (shape, fields) = framework_fields(object, hints.problem_json)?;
            Some(ErrorBody {
                shape,
                fields,
                ..ErrorBody::default()
            })
        })
}

/// Slack Web API: `{"ok": false, "error": "invalid_auth"}` under HTTP 200; the detail of
/// `invalid_arguments` / `invalid_blocks` is in `response_metadata.messages` (or `errors`):
/// `[ERROR] missing required field: channel`, `… [json-pointer:/blocks/0/text]`.
fn slack(object: &Map<String, Value>) -> Option<ErrorBody> {
    if object.get("ok") != Some(&Value::Bool(false)) {
        return None;
    }
    let code = str_at(object, "error")?;
    let messages = object
        .get("response_metadata")
        .and_then(|m| m.get("messages"))
        .and_then(Value::as_array)
        .map_or_else(|| array_at(object, "errors"), Vec::as_slice);
    let fields = messages
        .iter()
        .filter_map(Value::as_str)
        .filter_map(|m| slack_field(m, code))
        .collect();
    Some(ErrorBody {
        shape: "Slack Web API (ok: false)",
        vendor: Some("Slack"),
        codes: vec![code.to_owned()],
        message: Some(code.to_owned()),
        fields,
        hidden_failure: true,
        ..ErrorBody::default()
    })
}

fn slack_field(message: &str, code: &str) -> Option<FieldError> {
    // "[ERROR] " / "[WARN] " prefix.
    let message = match message.strip_prefix('[').and_then(|m| m.split_once("] ")) {
        Some((_, rest)) => rest,
        None => message,
    }
    .trim();
    if let Some((text, pointer)) = message.split_once("[json-pointer:") {
        let path = pointer.split(']').next().unwrap_or(pointer);
        return Some(FieldError::coded(
            path.to_owned(),
            text.trim().to_owned(),
            Some(code.to_owned()),
        ));
    }
    let (_, field) = message.rsplit_once("field: ")?;
    let field = field.trim().trim_matches(['`', '\'', '"', '.']);
    (!field.is_empty() && !field.contains(' '))
        .then(|| FieldError::coded(field.to_owned(), message.to_owned(), Some(code.to_owned())))
}

/// Google APIs (AIP-193, google.rpc.Status): `{"error": {"code": 400, "message", "status":
/// "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.BadRequest",
/// "fieldViolations": [{"field", "description"}]}, …]}}`, and the older
/// `"errors": [{"domain", "reason", "message", "location"}]` still sent beside it.
fn google(object: &Map<String, Value>) -> Option<ErrorBody> {
    let error = object.get("error")?.as_object()?;
    let details = array_at(error, "details");
    let legacy = array_at(error, "errors");
    let typed =
        |d: &Map<String, Value>, name: &str| str_at(d, "@type").is_some_and(|t| t.ends_with(name));
    let is_google = details.iter().any(|d| {
        d.get("@type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.starts_with("type.googleapis.com/"))
            || d.get("fieldViolations").is_some()
    }) || (error.get("code").is_some_and(Value::is_u64)
        && (str_at(error, "status").is_some()
            || legacy
                .iter()
                .any(|e| e.get("reason").is_some() && e.get("domain").is_some())));
    if !is_google {
        return None;
    }
    let mut body = ErrorBody {
        shape: "Google APIs (google.rpc.Status)",
        vendor: Some("Google"),
        message: str_at(error, "message").map(str::to_owned),
        ..ErrorBody::default()
    };
    body.codes
        .extend(str_at(error, "status").map(str::to_owned));
    for detail in details.iter().filter_map(Value::as_object) {
        if typed(detail, "google.rpc.ErrorInfo") {
            body.codes
                .extend(str_at(detail, "reason").map(str::to_owned));
        }
        for violation in array_at(detail, "fieldViolations")
            .iter()
            .filter_map(Value::as_object)
        {
            body.fields.push(FieldError::coded(
                str_at(violation, "field").unwrap_or("").to_owned(),
                str_at(violation, "description").unwrap_or("").to_owned(),
                str_at(violation, "reason").map(str::to_owned),
            ));
        }
        if let Some(url) = array_at(detail, "links")
            .iter()
            .find_map(|l| l.get("url").and_then(Value::as_str))
        {
            body.doc_url.get_or_insert_with(|| url.to_owned());
        }
        if let Some(id) = str_at(detail, "requestId") {
            body.request_ids
                .push(("google.rpc.RequestInfo requestId", id.to_owned()));
        }
    }
    for item in legacy.iter().filter_map(Value::as_object) {
        let reason = str_at(item, "reason").map(str::to_owned);
        if let Some(location) = str_at(item, "location") {
            body.fields.push(FieldError::coded(
                location.to_owned(),
                str_at(item, "message").unwrap_or("").to_owned(),
                reason.clone(),
            ));
        }
        if let Some(reason) = reason
            && !body.codes.contains(&reason)
        {
            body.codes.push(reason);
        }
    }
    Some(body)
}

/// Microsoft Graph: `{"error": {"code", "message", "innerError": {"date", "request-id",
/// "client-request-id"}}}`.
fn microsoft_graph(object: &Map<String, Value>) -> Option<ErrorBody> {
    let error = object.get("error")?.as_object()?;
    let inner = error.get("innerError")?.as_object()?;
    let code = str_at(error, "code")?;
    if !["request-id", "client-request-id", "date"]
        .iter()
        .any(|k| inner.contains_key(*k))
    {
        return None;
    }
    let mut body = ErrorBody {
        shape: "Microsoft Graph (error.innerError)",
        vendor: Some("Microsoft Graph"),
        codes: vec![code.to_owned()],
        message: str_at(error, "message").map(str::to_owned),
        fields: odata_fields(error),
        ..ErrorBody::default()
    };
    body.codes.extend(str_at(inner, "code").map(str::to_owned));
    for key in ["request-id", "client-request-id"] {
        if let Some(id) = str_at(inner, key) {
            body.request_ids.push((key, id.to_owned()));
        }
    }
    Some(body)
}

/// Stripe's error object, also used by OpenAI and others: `{"error": {"type":
/// "invalid_request_error", "code", "param", "message", "doc_url", "request_log_url"}}`.
fn stripe_style(object: &Map<String, Value>) -> Option<ErrorBody> {
    let error = object.get("error")?.as_object()?;
    let kind = str_at(error, "type").filter(|t| t.ends_with("_error"))?;
    let links = [str_at(error, "doc_url"), str_at(error, "request_log_url")];
    let stripe = links.iter().flatten().any(|l| l.contains("stripe.com"));
    let mut codes: Vec<String> = ["code", "decline_code"]
        .iter()
        .filter_map(|k| str_at(error, k).map(str::to_owned))
        .collect();
    codes.push(kind.to_owned());
    let message = str_at(error, "message").map(str::to_owned);
    // A param of `resource_missing` names an object that does not exist, not a bad value.
    let fields = str_at(error, "param")
        .filter(|_| codes.first().is_none_or(|c| c != "resource_missing"))
        .map(|param| {
            FieldError::coded(
                param.to_owned(),
                message.clone().unwrap_or_default(),
                codes.first().cloned(),
            )
        })
        .into_iter()
        .collect();
    Some(ErrorBody {
        shape: if stripe {
            "Stripe"
        } else {
            "Stripe-style error object (type, code, param)"
        },
        vendor: stripe.then_some("Stripe"),
        codes,
        message,
        fields,
        doc_url: links[0].map(str::to_owned),
        request_ids: links[1]
            .map(|l| ("request_log_url", l.to_owned()))
            .into_iter()
            .collect(),
        hidden_failure: false,
    })
}

/// Fields of an OData error (Azure Resource Manager and most Azure services): each entry of
/// `details` with a `target`, else the error's own `target`.
fn odata_fields(error: &Map<String, Value>) -> Vec<FieldError> {
    let details: Vec<FieldError> = array_at(error, "details")
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|d| {
            Some(FieldError::coded(
                str_at(d, "target")?.to_owned(),
                str_at(d, "message").unwrap_or("").to_owned(),
                str_at(d, "code").map(str::to_owned),
            ))
        })
        .collect();
    if !details.is_empty() {
        return details;
    }
    str_at(error, "target")
        .map(|target| {
            FieldError::coded(
                target.to_owned(),
                str_at(error, "message").unwrap_or("").to_owned(),
                str_at(error, "code").map(str::to_owned),
            )
        })
        .into_iter()
        .collect()
}

/// Azure and other OData APIs: `{"error": {"code", "message", "target", "details": [{"code",
/// "message", "target"}], "innererror": {"code", "innererror": …}}}`.
fn odata(object: &Map<String, Value>) -> Option<ErrorBody> {
    let error = object.get("error")?.as_object()?;
    let code = str_at(error, "code")?;
    str_at(error, "message")?;
    let mut codes = vec![code.to_owned()];
    // innererror nests; a few levels say all there is to say.
    let mut inner = error.get("innererror").and_then(Value::as_object);
    for _ in 0..8 {
        let Some(level) = inner else { break };
        codes.extend(str_at(level, "code").map(str::to_owned));
        inner = level.get("innererror").and_then(Value::as_object);
    }
    for detail in array_at(error, "details")
        .iter()
        .filter_map(Value::as_object)
    {
        if let Some(c) = str_at(detail, "code")
            && !codes.iter().any(|known| known == c)
        {
            codes.push(c.to_owned());
        }
    }
    Some(ErrorBody {
        shape: "Azure / OData (error.code, target, details)",
        codes,
        message: str_at(error, "message").map(str::to_owned),
        fields: odata_fields(error),
        ..ErrorBody::default()
    })
}

/// The first `'Name'` a message quotes: Twilio names the parameter that way ("The 'To'
/// number +1555 is not a valid phone number.").
fn quoted_parameter(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once('\'')?;
    let (name, _) = rest.split_once('\'')?;
    let valid = !name.is_empty()
        && name.len() <= 40
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then_some(name)
}

/// Twilio REST: `{"code": 21211, "message": "The 'To' number … is not a valid phone number.",
/// "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}`.
fn twilio(object: &Map<String, Value>) -> Option<ErrorBody> {
    let more_info = str_at(object, "more_info").filter(|u| u.contains("twilio.com"))?;
    let code = code_at(object, "code")?;
    let message = str_at(object, "message")?;
    let fields = quoted_parameter(message)
        .map(|p| FieldError::coded(p.to_owned(), message.to_owned(), Some(code.clone())))
        .into_iter()
        .collect();
    Some(ErrorBody {
        shape: "Twilio (code, message, more_info)",
        vendor: Some("Twilio"),
        codes: vec![code],
        message: Some(message.to_owned()),
        fields,
        doc_url: Some(more_info.to_owned()),
        ..ErrorBody::default()
    })
}

/// GitHub REST: `{"message": "Validation Failed", "errors": [{"resource", "field", "code"}],
/// "documentation_url"}`.
fn github(object: &Map<String, Value>) -> Option<ErrorBody> {
    let doc_url = str_at(object, "documentation_url").filter(|u| u.contains("github.com"))?;
    let message = str_at(object, "message")?;
    let mut codes = Vec::new();
    let fields = array_at(object, "errors")
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|e| {
            let field = str_at(e, "field")?;
            let code = str_at(e, "code").map(str::to_owned);
            if let Some(c) = &code
                && !codes.contains(c)
            {
                codes.push(c.clone());
            }
            let path = match str_at(e, "resource") {
                Some(resource) => format!("{resource}.{field}"),
                None => field.to_owned(),
            };
            let text = str_at(e, "message")
                .map(str::to_owned)
                .or_else(|| code.clone())
                .unwrap_or_default();
            Some(FieldError::coded(path, text, code))
        })
        .collect();
    Some(ErrorBody {
        shape: "GitHub",
        vendor: Some("GitHub"),
        codes,
        message: Some(message.to_owned()),
        fields,
        doc_url: Some(doc_url.to_owned()),
        ..ErrorBody::default()
    })
}

/// Field names in AWS messages: `1 validation error detected: Value null at 'roleName'
/// failed to satisfy constraint: …; Value … at 'path' …` and the query APIs' `Value (x) for
/// parameter QueueName is invalid.`
fn aws_message_fields(message: &str, code: Option<&str>) -> Vec<FieldError> {
    message
        .split(';')
        .filter_map(|part| {
            let field = if let Some((_, rest)) = part.split_once(" at '") {
                rest.split('\'').next()?
            } else {
                let (_, rest) = part.split_once("for parameter ")?;
                rest.split(|c: char| c.is_whitespace() || c == '.' || c == ',')
                    .next()?
            };
            (!field.is_empty()).then(|| {
                FieldError::coded(
                    field.to_owned(),
                    part.trim().to_owned(),
                    code.map(str::to_owned),
                )
            })
        })
        .collect()
}

/// AWS JSON protocols: `{"__type": "com.amazon.coral.validate#ValidationException",
/// "message": …}`, or the error type in the `x-amzn-ErrorType` header (API Gateway, REST-JSON
/// services) with `{"message": …}`.
fn aws_json(object: &Map<String, Value>, header: Option<&str>) -> Option<ErrorBody> {
    let (shape, raw) = match str_at(object, "__type") {
        Some(t) => ("AWS JSON (__type)", t),
        None => ("AWS (x-amzn-ErrorType header)", header?),
    };
    // `ns#Name` in the body, `Name:http://internal…` in the header.
    let name = raw.rsplit('#').next().unwrap_or(raw);
    let name = name.split(':').next().unwrap_or(name).trim();
    let message = str_at(object, "message")
        .or_else(|| str_at(object, "Message"))
        .map(str::to_owned);
    // Smithy's ValidationException lists the fields: `fieldList: [{name | path, message}]`.
    let mut fields: Vec<FieldError> = array_at(object, "fieldList")
        .iter()
        .filter_map(Value::as_object)
        .filter_map(|f| {
            Some(FieldError::coded(
                str_at(f, "path").or_else(|| str_at(f, "name"))?.to_owned(),
                str_at(f, "message").unwrap_or("").to_owned(),
                Some(name.to_owned()),
            ))
        })
        .collect();
    if fields.is_empty()
        && let Some(m) = message.as_deref()
    {
        fields = aws_message_fields(m, Some(name));
    }
    Some(ErrorBody {
        shape,
        vendor: Some("AWS"),
        codes: vec![name.to_owned()],
        fields,
        message,
        ..ErrorBody::default()
    })
}

/// The decoded text of the first `<tag>…</tag>`.
fn xml_text(text: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let start = text.find(&open)? + open.len();
    let end = start + text[start..].find(&format!("</{tag}>"))?;
    let value = decode_entities(text[start..end].trim());
    (!value.is_empty()).then_some(value)
}

/// XML's five entities and numeric references, in one pass.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|end| *end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end))
        });
        if let Some((c, end)) = decoded {
            out.push(c);
            rest = &rest[end + 1..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// XML errors: S3's (and S3-compatible stores') `<Error><Code>…</Code><Message>…</Message>
/// <ArgumentName>…</ArgumentName><RequestId>…</RequestId><HostId>…</HostId></Error>`, the AWS
/// query APIs' `<ErrorResponse><Error><Type><Code><Message></Error><RequestId>`, EC2's
/// `<Response><Errors><Error>…</Errors><RequestID>`, Twilio's `<RestException>`.
fn xml_error(text: &str) -> Option<ErrorBody> {
    let text = text.trim_start();
    if !text.starts_with('<') {
        return None;
    }
    let code = xml_text(text, "Code")?;
    let (shape, vendor) = if text.contains("<RestException>") {
        ("Twilio (XML RestException)", Some("Twilio"))
    } else if text.contains("<ErrorResponse") {
        ("AWS query API (XML ErrorResponse)", Some("AWS"))
    } else if text.contains("<Errors>") {
        ("AWS EC2 (XML Response/Errors)", Some("AWS"))
    } else if text.contains("<Error>") {
        ("S3-style XML (Error, Code, Message)", None)
    } else {
        return None;
    };
    let message = xml_text(text, "Message");
    let fields = match xml_text(text, "ArgumentName") {
        Some(argument) => vec![FieldError::coded(
            argument,
            message.clone().unwrap_or_default(),
            Some(code.clone()),
        )],
        None => message
            .as_deref()
            .map(|m| aws_message_fields(m, Some(&code)))
            .unwrap_or_default(),
    };
    let request_ids = [
        ("RequestId", "RequestId"),
        ("RequestID", "RequestID"),
        ("HostId", "HostId"),
    ]
    .iter()
    .filter_map(|(tag, label)| Some((*label, xml_text(text, tag)?)))
    .collect();
    Some(ErrorBody {
        shape,
        vendor,
        codes: vec![code],
        message,
        fields,
        doc_url: xml_text(text, "MoreInfo"),
        request_ids,
        hidden_failure: false,
    })
}

/// Field-level validation errors in a framework's shape: the shape's name and the errors.
#[allow(
    clippy::too_many_lines,
    reason = "one branch per shape, read top to bottom"
)]
fn framework_fields(
    object: &Map<String, Value>,
    problem_json: bool,
) -> Option<(&'static str, Vec<FieldError>)> {
    let found = |shape, errors: Vec<FieldError>| (!errors.is_empty()).then_some((shape, errors));

    // FastAPI / pydantic: {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}
    if let Some(Value::Array(items)) = object.get("detail") {
        let errors: Vec<FieldError> = items
            .iter()
            .filter(|i| i.get("type").and_then(Value::as_str) != Some("json_invalid"))
            .filter_map(|i| {
                let loc = i.get("loc")?;
                Some(FieldError::new(path_of(loc), text_of(i.get("msg")?)))
            })
            .collect();
        let v1 = items.iter().any(|i| {
            i.get("type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.contains("error."))
        });
        return found(
            if v1 {
                "FastAPI / pydantic v1"
            } else {
                "FastAPI / pydantic"
            },
            errors,
        );
    }
    // RFC 9457 `invalid-params`.
    if let Some(Value::Array(items)) = object.get("invalid-params") {
        let errors = items
            .iter()
            .filter_map(|i| {
                Some(FieldError::new(
                    text_of(i.get("name")?),
                    i.get("reason").map(text_of).unwrap_or_default(),
                ))
            })
            .collect();
        return found("problem+json invalid-params", errors);
    }
    match object.get("errors") {
        Some(Value::Object(map)) => {
            let shape = if object.get("traceId").is_some()
                || object
                    .get("title")
                    .and_then(Value::as_str)
                    .is_some_and(|t| t.contains("One or more validation errors"))
            {
                "ASP.NET Core"
            } else if problem_json {
                "problem+json"
            } else if object.contains_key("message") {
                "Laravel"
            } else {
                "Rails"
            };
            return found(shape, field_map(map)?);
        }
        Some(Value::Array(items)) => {
            // express-validator, JSON:API, GitHub-like, GraphQL, Spring's BindingResult.
            let errors: Vec<(&str, FieldError)> = items
                .iter()
                .filter_map(|i| {
                    if let Some(path) = i.get("path").filter(|_| {
                        i.get("location").is_some() || i.get("type").is_some_and(|t| t == "field")
                    }) {
                        return Some((
                            "express-validator",
                            FieldError::new(
                                text_of(path),
                                i.get("msg").map(text_of).unwrap_or_default(),
                            ),
                        ));
                    }
                    if let Some(pointer) = i
                        .get("source")
                        .and_then(|s| s.get("pointer").or_else(|| s.get("parameter")))
                    {
                        let message = i
                            .get("detail")
                            .or_else(|| i.get("title"))
                            .map(text_of)
                            .unwrap_or_default();
                        return Some(("JSON:API", FieldError::new(text_of(pointer), message)));
                    }
                    // Spring's FieldError also has `code`: read it before GitHub's shape.
                    if let (Some(field), Some(message)) = (i.get("field"), i.get("defaultMessage"))
                    {
                        return Some(("Spring", FieldError::new(text_of(field), text_of(message))));
                    }
                    if let (Some(field), Some(code)) = (i.get("field"), i.get("code")) {
                        let message = i.get("message").map_or_else(|| text_of(code), text_of);
                        let resource = i
                            .get("resource")
                            .map(text_of)
                            .map(|r| format!("{r}."))
                            .unwrap_or_default();
                        return Some((
                            "GitHub",
                            FieldError::coded(
                                format!("{resource}{}", text_of(field)),
                                message,
                                Some(text_of(code)),
                            ),
                        ));
                    }
                    if let (Some(path), Some(message)) = (i.get("path"), i.get("message")) {
                        return Some(("GraphQL", FieldError::new(path_of(path), text_of(message))));
                    }
                    None
                })
                .collect();
            let shape = errors.first().map_or("", |(s, _)| *s);
            return found(shape, errors.into_iter().map(|(_, e)| e).collect());
        }
        _ => {}
    }
    // Joi / celebrate: {"validation": {"body": {"keys": [...], "message": "..."}}}
    if let Some(Value::Object(sources)) = object.get("validation") {
        let errors = sources
            .values()
            .filter_map(|s| {
                let keys = s.get("keys")?.as_array()?;
                Some(FieldError::new(
                    keys.iter().map(text_of).collect::<Vec<_>>().join(", "),
                    s.get("message").map(text_of).unwrap_or_default(),
                ))
            })
            .collect();
        return found("Joi / celebrate", errors);
    }
    // NestJS class-validator: {"statusCode": 400, "message": ["email must be an email"]}
    if let (Some(Value::Array(messages)), true) =
        (object.get("message"), object.contains_key("statusCode"))
    {
        let errors = messages
            .iter()
            .filter_map(Value::as_str)
            .map(|m| {
                FieldError::new(
                    m.split_whitespace().next().unwrap_or("").to_owned(),
                    m.to_owned(),
                )
            })
            .collect();
        return found("NestJS class-validator", errors);
    }
    // Django REST Framework: {"field": ["This field is required."], "non_field_errors": [...]}
    let drf_like = object.values().all(|v| {
        v.as_array()
            .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string))
    });
    if drf_like && !object.contains_key("detail") {
        return found("Django REST Framework", field_map(object)?);
    }
    None
}

/// Signatures of a framework or gateway saying "no such route" (the path is wrong).
pub(crate) static ROUTE_NOT_FOUND: Signatures = Signatures::labeled(&[
    ("Express", "<pre>Cannot "),
    ("Django", "Using the URLconf defined in"),
    (
        "Flask / Werkzeug",
        "The requested URL was not found on the server.",
    ),
    ("FastAPI / Starlette", "{\"detail\":\"Not Found\"}"),
    ("Spring Boot", "No static resource"),
    ("Spring Boot", "Whitelabel Error Page"),
    ("Rails", "No route matches"),
    ("Kong", "no Route matched with those values"),
    ("AWS API Gateway", "Missing Authentication Token"),
    ("Traefik", "404 page not found"),
    ("nginx", "<title>404 Not Found</title>"),
    ("ingress-nginx", "default backend - 404"),
    ("Vercel", "NOT_FOUND"),
    ("Netlify", "Page not found"),
    ("ASP.NET Core", "No webpage was found for the web address"),
]);

/// Framework CSRF rejections.
pub(crate) static CSRF: Signatures = Signatures::labeled(&[
    ("Django", "CSRF verification failed"),
    ("Rails", "InvalidAuthenticityToken"),
    ("Laravel", "CSRF token mismatch"),
    ("Laravel", "Page Expired"),
    ("Spring Security", "Invalid CSRF Token"),
    ("csurf (Express)", "invalid csrf token"),
    ("Flask-WTF", "The CSRF token is missing"),
    ("Flask-WTF", "The CSRF token has expired"),
]);

/// SQL and driver error signatures.
pub(crate) static DATABASE_ERRORS: Signatures = Signatures::labeled(&[
    ("SQL (PDO)", "SQLSTATE["),
    ("PostgreSQL (psycopg)", "psycopg2.errors."),
    ("PostgreSQL (psycopg)", "psycopg.errors."),
    ("PostgreSQL", "relation \""),
    ("PostgreSQL", "deadlock detected"),
    (
        "PostgreSQL",
        "duplicate key value violates unique constraint",
    ),
    ("Oracle", "ORA-0"),
    ("MySQL", "You have an error in your SQL syntax"),
    ("MySQL", "Duplicate entry '"),
    ("SQLite", "SQLITE_ERROR"),
    ("SQLite", "sqlite3.OperationalError"),
    ("SQLite", "no such table:"),
    ("SQLAlchemy", "sqlalchemy.exc."),
    ("Django ORM", "django.db.utils."),
    ("JDBC", "java.sql.SQLException"),
    ("Hibernate", "org.hibernate.exception."),
    ("Sequelize", "SequelizeDatabaseError"),
    ("Prisma", "PrismaClientKnownRequestError"),
    ("MongoDB", "MongoServerError"),
    ("SQL Server", "System.Data.SqlClient.SqlException"),
]);

/// Maintenance-mode signatures.
pub(crate) static MAINTENANCE: Signatures = Signatures::ignoring_case(&[
    "maintenance mode",
    "under maintenance",
    "down for maintenance",
    "scheduled maintenance",
    "undergoing maintenance",
    "Be right back.",
    "H80",
]);

/// Overload / no-capacity signatures.
pub(crate) static OVERLOAD: Signatures = Signatures::ignoring_case(&[
    "overloaded",
    "over capacity",
    "at capacity",
    "too busy",
    "Service Temporarily Unavailable",
    "temporarily unable to service your request",
    "server is currently unable to handle the request",
    "H10",
    "H13",
    "H14",
]);

/// A dependency the body says failed.
pub(crate) const DEPENDENCIES: &[(&str, &str)] = &[
    ("database", "database"),
    ("database", "Database"),
    ("database", "connection pool"),
    ("Redis", "Redis"),
    ("Redis", "redis"),
    ("cache", "cache unavailable"),
    ("message broker", "RabbitMQ"),
    ("message broker", "Kafka"),
    ("upstream API", "upstream service"),
    ("upstream API", "downstream service"),
    ("Elasticsearch", "Elasticsearch"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(body: &Value) -> ErrorBody {
        read_error(Some(body), "", BodyHints::default()).unwrap()
    }

    /// `(path, message)` of each field error.
    fn fields(body: &ErrorBody) -> Vec<(&str, &str)> {
        body.fields
            .iter()
            .map(|f| (f.path.as_str(), f.message.as_str()))
            .collect()
    }

    #[test]
    fn google_field_violations_and_error_info() {
        let body = read(&json!({"error": {
        "code": 400,
        "message": "Request contains an invalid argument.",
        "status": "INVALID_ARGUMENT",
        "details": [
            {"@type": "type.googleapis.com/google.rpc.BadRequest",
             "fieldViolations": [{"field": "message.android.priority", "description": "Invalid value"},
                                 {"description": "Invalid JSON payload received. Unknown name \"fake\": Cannot find field."}]},
            {"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"},
            {"@type": "type.googleapis.com/google.rpc.Help", "links": [{"url": "https://console.example.test/help"}]},
            {"@type": "type.googleapis.com/google.rpc.RequestInfo", "requestId": "abc123"}
        ]}}));
        assert_eq!(body.vendor, Some("Google"));
        assert_eq!(body.codes, ["INVALID_ARGUMENT", "API_KEY_INVALID"]);
        assert_eq!(
            fields(&body),
            [
                ("message.android.priority", "Invalid value"),
                (
                    "",
                    "Invalid JSON payload received. Unknown name \"fake\": Cannot find field."
                )
            ]
        );
        assert_eq!(
            body.doc_url.as_deref(),
            Some("https://console.example.test/help")
        );
        assert_eq!(body.request_ids[0].1, "abc123");
        // No fields at all: still Google's envelope, with its status.
        let denied = read(
            &json!({"error": {"code": 403, "message": "The caller does not have permission", "status": "PERMISSION_DENIED"}}),
        );
        assert_eq!(
            (denied.codes.as_slice(), denied.fields.len()),
            (&["PERMISSION_DENIED".to_owned()][..], 0)
        );
    }

    #[test]
    fn google_legacy_errors() {
        let body = read(
            &json!({"error": {"errors": [{"domain": "global", "reason": "invalidParameter",
            "message": "Invalid string value: 'asdf'. Allowed values: [mostpopular]",
            "locationType": "parameter", "location": "chart"}], "code": 400,
            "message": "Invalid string value: 'asdf'. Allowed values: [mostpopular]"}}),
        );
        assert_eq!(
            fields(&body),
            [(
                "chart",
                "Invalid string value: 'asdf'. Allowed values: [mostpopular]"
            )]
        );
        assert_eq!(body.codes, ["invalidParameter"]);
    }

    #[test]
    fn aws_json_by_type_or_header() {
        let body = read(
            &json!({"__type": "com.amazon.coral.validate#ValidationException",
            "message": "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; Value 'x' at 'key.id' failed to satisfy constraint: Member must have length greater than or equal to 3"}),
        );
        assert_eq!(body.codes, ["ValidationException"]);
        let paths: Vec<&str> = body.fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["tableName", "key.id"]);
        // API Gateway / REST-JSON: the type is only in x-amzn-ErrorType, the message capitalised.
        let header = read_error(
            Some(&json!({"Message": "User: anonymous is not authorized to perform: execute-api:Invoke"})),
            "",
            BodyHints { aws_error_type: Some("AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/"), ..BodyHints::default() },
        )
        .unwrap();
        assert_eq!(header.codes, ["AccessDeniedException"]);
        assert_eq!(
            header.message.as_deref(),
            Some("User: anonymous is not authorized to perform: execute-api:Invoke")
        );
        assert!(header.fields.is_empty());
        // Smithy services name the fields in fieldList.
        let smithy = read(
            &json!({"message": "Validation failed", "reason": "fieldValidationFailed",
            "fieldList": [{"name": "clusterIdentifier", "message": "must not be blank"}], "__type": "ValidationException"}),
        );
        assert_eq!(
            fields(&smithy),
            [("clusterIdentifier", "must not be blank")]
        );
    }

    #[test]
    fn aws_and_s3_xml() {
        let s3 = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>InvalidArgument</Code><Message>Value must be a sequence of Unicode characters and cannot include Null.</Message><ArgumentName>key-marker</ArgumentName><ArgumentValue>&#0;</ArgumentValue><RequestId>0P8WMNZYR9X062J8</RequestId><HostId>zgMV+ak5</HostId></Error>";
        let body = read_error(None, s3, BodyHints::default()).unwrap();
        assert_eq!(body.codes, ["InvalidArgument"]);
        assert_eq!(
            fields(&body),
            [(
                "key-marker",
                "Value must be a sequence of Unicode characters and cannot include Null."
            )]
        );
        assert_eq!(
            body.request_ids,
            [
                ("RequestId", "0P8WMNZYR9X062J8".to_owned()),
                ("HostId", "zgMV+ak5".to_owned())
            ]
        );
        let no_such_key = "<Error><Code>NoSuchKey</Code><Message>The resource you requested does not exist</Message><Resource>/mybucket/myfoto.jpg</Resource><RequestId>4442587FB7D0A2F9</RequestId></Error>";
        let body = read_error(None, no_such_key, BodyHints::default()).unwrap();
        assert!(body.fields.is_empty());
        assert_eq!(
            body.message.as_deref(),
            Some("The resource you requested does not exist")
        );
        let query = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>Value (quename_nonalpha) for parameter QueueName is invalid. Must be an alphanumeric String of 1 to 80 in length.</Message></Error><RequestId>42d59b56-7407-4c4a-be0f-4c88daeea257</RequestId></ErrorResponse>";
        let body = read_error(None, query, BodyHints::default()).unwrap();
        assert_eq!(
            (body.vendor, body.fields[0].path.as_str()),
            (Some("AWS"), "QueueName")
        );
        let iam = "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>1 validation error detected: Value &apos;bad name&apos; at &apos;roleName&apos; failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+</Message></Error><RequestId>1a2b</RequestId></ErrorResponse>";
        let body = read_error(None, iam, BodyHints::default()).unwrap();
        assert_eq!(body.fields[0].path, "roleName");
        let twilio = "<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse><RestException><Code>20404</Code><Message>The requested resource was not found</Message><MoreInfo>https://www.twilio.com/docs/errors/20404</MoreInfo><Status>404</Status></RestException></TwilioResponse>";
        let body = read_error(None, twilio, BodyHints::default()).unwrap();
        assert_eq!(
            (body.vendor, body.doc_url.as_deref()),
            (
                Some("Twilio"),
                Some("https://www.twilio.com/docs/errors/20404")
            )
        );
        assert!(
            read_error(
                None,
                "<html><body>Not an API error</body></html>",
                BodyHints::default()
            )
            .is_none()
        );
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#65;&#x42; &bogus"),
            "a & b <c> AB &bogus"
        );
    }

    #[test]
    fn azure_odata_and_microsoft_graph() {
        let arm = read(
            &json!({"error": {"code": "InvalidParameter", "message": "The Admin Username specified is not allowed.", "target": "adminUsername"}}),
        );
        assert_eq!(
            fields(&arm),
            [(
                "adminUsername",
                "The Admin Username specified is not allowed."
            )]
        );
        assert_eq!(arm.codes, ["InvalidParameter"]);
        let details = read(
            &json!({"error": {"code": "BadRequest", "message": "One or more errors occurred.",
            "details": [{"code": "InvalidField", "target": "properties.sku.name", "message": "SKU 'Basic_X' is not valid."}],
            "innererror": {"code": "SkuNotAvailable", "innererror": {"code": "Nested"}}}}),
        );
        assert_eq!(
            fields(&details),
            [("properties.sku.name", "SKU 'Basic_X' is not valid.")]
        );
        assert_eq!(
            details.codes,
            ["BadRequest", "SkuNotAvailable", "Nested", "InvalidField"]
        );
        let graph = read(
            &json!({"error": {"code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation.",
            "innerError": {"date": "2026-11-25T10:41:07", "request-id": "7a1e", "client-request-id": "9f0d"}}}),
        );
        assert_eq!(graph.vendor, Some("Microsoft Graph"));
        assert_eq!(
            graph.request_ids,
            [
                ("request-id", "7a1e".to_owned()),
                ("client-request-id", "9f0d".to_owned())
            ]
        );
        assert!(graph.fields.is_empty());
    }

    #[test]
    fn stripe_and_its_imitators() {
        let stripe = read(
            &json!({"error": {"code": "parameter_missing", "doc_url": "https://stripe.com/docs/error-codes/parameter-missing",
            "message": "Missing required param: amount.", "param": "amount", "type": "invalid_request_error"}}),
        );
        assert_eq!((stripe.shape, stripe.vendor), ("Stripe", Some("Stripe")));
        assert_eq!(
            fields(&stripe),
            [("amount", "Missing required param: amount.")]
        );
        assert_eq!(stripe.codes, ["parameter_missing", "invalid_request_error"]);
        // resource_missing names an object that does not exist: no field error.
        let missing = read(
            &json!({"error": {"code": "resource_missing", "param": "id", "message": "No such customer: 'cus_1'", "type": "invalid_request_error"}}),
        );
        assert!(missing.fields.is_empty());
        // OpenAI copies the object: the same reading, without claiming it is Stripe.
        let openai = read(
            &json!({"error": {"message": "Unrecognized request argument supplied: temprature", "type": "invalid_request_error", "param": null, "code": null}}),
        );
        assert_eq!((openai.vendor, openai.fields.len()), (None, 0));
        assert_eq!(openai.codes, ["invalid_request_error"]);
    }

    #[test]
    fn twilio_github_slack() {
        let twilio = read(
            &json!({"code": 21211, "message": "The 'To' number +3360000000 is not a valid phone number.",
            "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}),
        );
        assert_eq!(
            (twilio.codes[0].as_str(), twilio.fields[0].path.as_str()),
            ("21211", "To")
        );
        let auth = read(
            &json!({"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}),
        );
        assert!(auth.fields.is_empty());
        let github = read(
            &json!({"message": "Validation Failed", "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"},
            {"resource": "Label", "field": "name", "code": "custom", "message": "name is too long"}],
            "documentation_url": "https://docs.github.com/rest"}),
        );
        assert_eq!(
            fields(&github),
            [
                ("Issue.title", "missing_field"),
                ("Label.name", "name is too long")
            ]
        );
        assert_eq!(github.codes, ["missing_field", "custom"]);
        let slack = read(
            &json!({"ok": false, "error": "invalid_arguments", "response_metadata": {"messages": ["[ERROR] missing required field: channel"]}}),
        );
        assert!(slack.hidden_failure);
        assert_eq!(
            fields(&slack),
            [("channel", "missing required field: channel")]
        );
        let blocks = read(
            &json!({"ok": false, "error": "invalid_blocks", "errors": ["must provide an object [json-pointer:/blocks/0/text]"]}),
        );
        assert_eq!(
            fields(&blocks),
            [("/blocks/0/text", "must provide an object")]
        );
        let auth = read(&json!({"ok": false, "error": "invalid_auth"}));
        assert_eq!(
            (auth.codes[0].as_str(), auth.fields.len()),
            ("invalid_auth", 0)
        );
        assert!(
            read_error(
                Some(&json!({"ok": true, "channel": "C1"})),
                "",
                BodyHints::default()
            )
            .is_none()
        );
    }

    #[test]
    fn framework_shapes_still_read() {
        let shape = |body: Value, problem: bool| {
            let read = read_error(
                Some(&body),
                "",
                BodyHints {
                    problem_json: problem,
                    ..BodyHints::default()
                },
            )
            .unwrap();
            (
                read.shape,
                read.fields[0].path.clone(),
                read.fields[0].message.clone(),
            )
        };
        assert_eq!(
            shape(
                json!({"detail": [{"loc": ["body", "price"], "msg": "Field required", "type": "missing"}]}),
                false
            ),
            (
                "FastAPI / pydantic",
                "body.price".into(),
                "Field required".into()
            )
        );
        assert_eq!(shape(json!({"detail": [{"loc": ["body", "price"], "msg": "field required", "type": "value_error.missing"}]}), false).0,
            "FastAPI / pydantic v1");
        assert_eq!(
            shape(json!({"email": ["This field is required."]}), false),
            (
                "Django REST Framework",
                "email".into(),
                "This field is required.".into()
            )
        );
        assert_eq!(shape(json!({"type": "https://example.test/probs/invalid", "invalid-params": [{"name": "age", "reason": "must be a positive integer"}]}), true).0,
            "problem+json invalid-params");
        assert_eq!(
            shape(
                json!({"title": "Validation failed", "errors": {"email": ["is invalid"]}}),
                true
            )
            .0,
            "problem+json"
        );
        assert_eq!(
            shape(json!({"errors": {"email": ["can't be blank"]}}), false).0,
            "Rails"
        );
        assert_eq!(shape(json!({"message": "The email field is required.", "errors": {"email": ["The email field is required."]}}), false).0, "Laravel");
        assert_eq!(shape(json!({"type": "https://tools.ietf.org/html/rfc9110#section-15.5.1", "title": "One or more validation errors occurred.",
            "status": 400, "errors": {"Email": ["The Email field is required."]}, "traceId": "00-abc-def-00"}), true).0, "ASP.NET Core");
        assert_eq!(
            shape(
                json!({"errors": [{"field": "email", "defaultMessage": "must be a well-formed email address", "code": "Email"}]}),
                false
            ),
            (
                "Spring",
                "email".into(),
                "must be a well-formed email address".into()
            )
        );
        assert_eq!(shape(json!({"errors": [{"source": {"pointer": "/data/attributes/email"}, "detail": "is invalid"}]}), false).0, "JSON:API");
        assert_eq!(shape(json!({"errors": [{"type": "field", "path": "email", "msg": "Invalid value", "location": "body"}]}), false).0, "express-validator");
        assert_eq!(shape(json!({"validation": {"body": {"keys": ["email"], "message": "\"email\" is required"}}}), false).0, "Joi / celebrate");
        assert_eq!(shape(json!({"statusCode": 400, "message": ["email must be an email"], "error": "Bad Request"}), false).0, "NestJS class-validator");
        assert_eq!(shape(json!({"errors": [{"message": "Variable \"$id\" of required type \"ID!\" was not provided.", "path": ["user", "id"]}]}), false).0, "GraphQL");
    }
}
