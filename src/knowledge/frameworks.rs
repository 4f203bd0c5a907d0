//! Error shapes and signatures of web frameworks and API platforms.

use serde_json::Value;

use super::text::Signatures;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldError {
    /// `body.items.0.price`, `email`, `/data/attributes/email`.
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldErrors {
    /// The shape the errors were read from: `FastAPI / pydantic`, `Django REST Framework` …
    pub shape: &'static str,
    pub errors: Vec<FieldError>,
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

/// `{"field": ["msg", …], …}` → errors, when every value is a string or list of strings.
fn field_map(map: &serde_json::Map<String, Value>) -> Option<Vec<FieldError>> {
    let all_messages = !map.is_empty()
        && map.values().all(|v| match v {
            Value::String(_) => true,
            Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_string),
            _ => false,
        });
    all_messages.then(|| {
        map.iter()
            .map(|(k, v)| FieldError {
                path: k.clone(),
                message: text_of(v),
            })
            .collect()
    })
}

/// Reads field-level validation errors from a parsed JSON body, trying each known shape.
pub(crate) fn field_errors(body: &Value, problem_json: bool) -> Option<FieldErrors> {
    let object = body.as_object()?;
    let found = |shape, errors: Vec<FieldError>| {
        (!errors.is_empty()).then_some(FieldErrors { shape, errors })
    };

    // FastAPI / pydantic: {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}
    if let Some(Value::Array(items)) = object.get("detail") {
        let errors: Vec<FieldError> = items
            .iter()
            .filter(|i| i.get("type").and_then(Value::as_str) != Some("json_invalid"))
            .filter_map(|i| {
                let loc = i.get("loc")?;
                let path = path_of(loc);
                Some(FieldError {
                    path,
                    message: text_of(i.get("msg")?),
                })
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
                Some(FieldError {
                    path: text_of(i.get("name")?),
                    message: i.get("reason").map(text_of).unwrap_or_default(),
                })
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
            // express-validator, JSON:API, GitHub, GraphQL, Spring's BindingResult.
            let errors: Vec<(&str, FieldError)> = items
                .iter()
                .filter_map(|i| {
                    if let Some(path) = i.get("path").filter(|_| {
                        i.get("location").is_some() || i.get("type").is_some_and(|t| t == "field")
                    }) {
                        return Some((
                            "express-validator",
                            FieldError {
                                path: text_of(path),
                                message: i.get("msg").map(text_of).unwrap_or_default(),
                            },
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
                        return Some((
                            "JSON:API",
                            FieldError {
                                path: text_of(pointer),
                                message,
                            },
                        ));
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
                            FieldError {
                                path: format!("{resource}{}", text_of(field)),
                                message,
                            },
                        ));
                    }
                    if let (Some(field), Some(message)) = (i.get("field"), i.get("defaultMessage"))
                    {
                        return Some((
                            "Spring",
                            FieldError {
                                path: text_of(field),
                                message: text_of(message),
                            },
                        ));
                    }
                    if let (Some(path), Some(message)) = (i.get("path"), i.get("message")) {
                        return Some((
                            "GraphQL",
                            FieldError {
                                path: path_of(path),
                                message: text_of(message),
                            },
                        ));
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
                Some(FieldError {
                    path: keys.iter().map(text_of).collect::<Vec<_>>().join(", "),
                    message: s.get("message").map(text_of).unwrap_or_default(),
                })
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
            .map(|m| FieldError {
                path: m.split_whitespace().next().unwrap_or("").to_owned(),
                message: m.to_owned(),
            })
            .collect();
        return found("NestJS class-validator", errors);
    }
    // Google APIs: error.details[].fieldViolations[]
    if let Some(details) = object
        .get("error")
        .and_then(|e| e.get("details"))
        .and_then(Value::as_array)
    {
        let errors = details
            .iter()
            .filter_map(|d| d.get("fieldViolations")?.as_array())
            .flatten()
            .filter_map(|v| {
                Some(FieldError {
                    path: text_of(v.get("field")?),
                    message: v.get("description").map(text_of).unwrap_or_default(),
                })
            })
            .collect();
        return found("Google APIs", errors);
    }
    // Stripe: {"error": {"param": "amount", "message": "…"}}
    if let Some(error) = object.get("error").and_then(Value::as_object) {
        let about_a_parameter = error
            .get("code")
            .and_then(Value::as_str)
            .is_some_and(|c| c.starts_with("parameter_") || c.contains("invalid"));
        if let (Some(param), Some(message), true) =
            (error.get("param"), error.get("message"), about_a_parameter)
        {
            return found(
                "Stripe",
                vec![FieldError {
                    path: text_of(param),
                    message: text_of(message),
                }],
            );
        }
    }
    // AWS: {"__type": "…ValidationException", "message": "… at 'name' failed to satisfy constraint …"}
    if object
        .get("__type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.ends_with("ValidationException"))
    {
        let message = object
            .get("message")
            .or_else(|| object.get("Message"))
            .map(text_of)
            .unwrap_or_default();
        let errors = message
            .split(';')
            .filter_map(|part| {
                let field = part.split(" at '").nth(1)?.split('\'').next()?;
                Some(FieldError {
                    path: field.to_owned(),
                    message: part.trim().to_owned(),
                })
            })
            .collect();
        return found("AWS", errors);
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
