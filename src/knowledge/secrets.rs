//! Where credentials hide in HTTP traffic: which names hold secrets (headers, query and form
//! parameters, JSON fields, cookies, command-line options), which values are secrets at all,
//! and the shapes of well-known keys. Used to warn before sharing, to mask evidence and to
//! redact.

/// Where a name was found: the same name means different things in different places
/// (`code` is an OAuth authorization code in a query string, an error code in a JSON body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// An HTTP header field (request or response).
    Header,
    /// A URL query parameter.
    Query,
    /// A form field (`application/x-www-form-urlencoded`, multipart) or `NAME=value` text.
    Form,
    /// A JSON (or JSON-like: Python, JavaScript object dump) member.
    Json,
    /// A cookie: every value is a session or tracking identifier unless it is plainly not.
    Cookie,
}

/// What a name says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameClass {
    NotSecret,
    /// A credential: masked unless the value is plainly not one (a boolean, a word).
    Secret,
    /// A password-like secret: masked whatever its value, numbers included.
    Password,
}

/// Names that hold a password-like value (masked even when short or numeric).
const PASSWORD_PARTS: &[&str] = &["password", "passwd", "passphrase"];
const PASSWORD_EXACT: &[&str] = &["pwd", "pass", "pin", "otp"];

/// Parts of a normalised name that make it a credential.
const SECRET_PARTS: &[&str] = &[
    "secret",
    "token",
    "apikey",
    "privatekey",
    "signature",
    "credential",
    "session",
    "accesskey",
    "accountkey",
    "sharedaccesskey",
    "subscriptionkey",
    "clientassertion",
    "codeverifier",
    "samlresponse",
    "samlrequest",
    "cookie",
    "csrf",
    "xsrf",
];

/// Whole names that are credentials only in query strings and forms (OAuth and API keys
/// travel there; in a JSON error body they are error codes and field names).
const QUERY_FORM_EXACT: &[&str] = &["code", "key", "assertion", "state"];

/// Whole names that are credentials anywhere.
const SECRET_EXACT: &[&str] = &["sig", "jwt", "sid", "auth", "bearer", "apikey", "ssid"];

/// Names that look secret but are what the diagnosis needs, or plainly not credentials.
const NOT_SECRET: &[&str] = &[
    "wwwauthenticate",
    "proxyauthenticate",
    "authenticationinfo",
    "proxyauthenticationinfo",
    "authority",
    "tokentype",
    "maxtokens",
    "maxoutputtokens",
    "maxcompletiontokens",
    "inputtokens",
    "outputtokens",
    "totaltokens",
    "prompttokens",
    "completiontokens",
    "tokens",
    "tokenizer",
    "expiresin",
    "refreshexpiresin",
    "idempotencykey",
    "cachekey",
    "xcachekey",
    "secwebsocketkey",
    "secwebsocketaccept",
    "tokenendpoint",
    "tokenendpointauthmethod",
    "tokenendpointauthmethodssupported",
    "authorizationendpoint",
    "revocationendpoint",
    "introspectionendpoint",
    "authtype",
    "authmethod",
    "authscheme",
    "sessionstate",
    "sessionduration",
    "signatureversion",
    "signaturemethod",
    "xamzsignedheaders",
    "signedheaders",
    "cookiepolicy",
    "setcookie2",
];

/// `X-Api-Key`, `user[password]`, `client_secret`, `accessToken` → `xapikey`, `userpassword`,
/// `clientsecret`, `accesstoken`: lower case, without separators, percent-escapes decoded.
fn normalize(name: &str) -> String {
    let name = name.trim().trim_matches(['"', '\'']);
    let mut out = String::with_capacity(name.len());
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(decoded) = hex {
                if decoded.is_ascii_alphanumeric() {
                    out.push(char::from(decoded.to_ascii_lowercase()));
                }
                i += 3;
                continue;
            }
        }
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b.to_ascii_lowercase()));
        }
        i += 1;
    }
    out
}

/// `xsrfCookieName`, `tokenType`, `passwordPolicy`, `secretName`: they name or describe
/// a secret and hold none.
const DESCRIBING: &[&str] = &[
    "name", "type", "policy", "length", "field", "header", "hint",
];

/// Whether `name` (as found in `context`) holds a credential.
///
/// A capture asks this of the same few names again and again (every header of every HAR
/// entry, in several rules), so answers are remembered per thread: a lookup costs a hash of
/// the name, where classifying costs an allocation and some forty substring searches.
pub(crate) fn classify_name(name: &str, context: Context) -> NameClass {
    use super::memo::{Answers, remember};
    thread_local! {
        static HEADER: Answers<NameClass> = Answers::default();
        static QUERY: Answers<NameClass> = Answers::default();
        static FORM: Answers<NameClass> = Answers::default();
        static JSON: Answers<NameClass> = Answers::default();
        static COOKIE: Answers<NameClass> = Answers::default();
    }
    let answers = match context {
        Context::Header => &HEADER,
        Context::Query => &QUERY,
        Context::Form => &FORM,
        Context::Json => &JSON,
        Context::Cookie => &COOKIE,
    };
    remember(answers, name, || classify_uncached(name, context))
}

fn classify_uncached(name: &str, context: Context) -> NameClass {
    let normalized = normalize(name);
    if normalized.is_empty() || normalized.len() > 64 {
        return NameClass::NotSecret;
    }
    let n = normalized.as_str();
    if NOT_SECRET.contains(&n)
        || n.contains("ratelimit")
        || DESCRIBING
            .iter()
            .any(|s| n.len() > s.len() && n.ends_with(s))
    {
        return NameClass::NotSecret;
    }
    if PASSWORD_PARTS.iter().any(|p| n.contains(p)) || PASSWORD_EXACT.contains(&n) {
        return NameClass::Password;
    }
    if context == Context::Cookie {
        return NameClass::Secret;
    }
    let auth = n.contains("auth") && (!n.contains("author") || n.contains("authoriz"));
    let key_header = context == Context::Header && n.ends_with("key");
    if SECRET_PARTS.iter().any(|p| n.contains(p))
        || SECRET_EXACT.contains(&n)
        || auth
        || key_header
        || (matches!(context, Context::Query | Context::Form) && QUERY_FORM_EXACT.contains(&n))
    {
        return NameClass::Secret;
    }
    NameClass::NotSecret
}

/// Whether a header's whole value is a credential (its evidence is shown masked).
pub(crate) fn is_credential_header(name: &str) -> bool {
    classify_name(name, Context::Header) != NameClass::NotSecret
}

/// Whether a query parameter or field name holds a credential.
pub(crate) fn is_secret_name(name: &str) -> bool {
    classify_name(name, Context::Query) != NameClass::NotSecret
}

/// How much a secret value is worth protecting beyond its own place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Strength {
    /// Short: masked where it was classified, never searched elsewhere (`pin=1234` must not
    /// turn every `1234` in the input into a mask).
    Weak,
    /// Long enough to be unique: masked wherever it occurs, in every encoding.
    Strong,
}

/// The length from which a secret value is searched for everywhere.
pub(crate) const STRONG_LEN: usize = 8;

/// Whether `value`, found under a name of class `class`, is a secret, and how strong.
/// Booleans and enum-like words are never secrets; numbers only under password-like names.
pub(crate) fn judge_value(value: &str, class: NameClass) -> Option<Strength> {
    let value = value.trim();
    if value.is_empty() || class == NameClass::NotSecret || is_mask(value) || is_placeholder(value)
    {
        return None;
    }
    let lower = value.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none" | "nil" | "undefined"
    ) {
        return None;
    }
    if class == NameClass::Secret {
        let number = value
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
        if number
            || value.chars().count() < 4
            || is_enum_like(value)
            || value.starts_with("http://")
            || value.starts_with("https://")
        {
            return None;
        }
    }
    Some(if value.len() >= STRONG_LEN {
        Strength::Strong
    } else {
        Strength::Weak
    })
}

/// A placeholder written where a credential goes: `<token>`, `<%base64_token%>`,
/// `{{apiKey}}`, `${TOKEN}`, `$API_KEY`, `%TOKEN%`, `[YOUR_KEY]`, `xxxxxxxx`, `***`. Nothing
/// to hide, and the diagnosis may need to see that a placeholder was sent literally.
pub(crate) fn is_placeholder(value: &str) -> bool {
    let value = value.trim().trim_matches(['"', '\'']);
    let wrapped = |open: &str, close: &str| {
        value.len() > open.len() + close.len()
            && value.starts_with(open)
            && value.ends_with(close)
            && !value[open.len()..value.len() - close.len()].contains(['\n', '<', '>'])
    };
    let variable = value.strip_prefix('$').is_some_and(|name| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    });
    let filler = value.len() >= 3
        && value
            .bytes()
            .all(|b| matches!(b, b'x' | b'X' | b'*' | b'.' | b'-' | b'_'))
        && value.bytes().any(|b| matches!(b, b'x' | b'X' | b'*'));
    let upper = value.to_ascii_uppercase();
    wrapped("<", ">")
        || wrapped("{{", "}}")
        || wrapped("${", "}")
        || (wrapped("%", "%") && !value[1..value.len() - 1].contains('%'))
        || (wrapped("[", "]") && upper[1..].starts_with("YOUR"))
        // What Node's inspect prints for a value it did not expand.
        || ["[Array]", "[Object]", "[Getter]", "[Setter]", "[Getter/Setter]"].contains(&value)
        || value.starts_with("[Function")
        || value.starts_with("[Circular")
        || variable
        || filler
        || upper.starts_with("YOUR_")
        || upper.starts_with("YOUR-")
}

/// A word or a constant: `dark`, `en-US`, `INVALID_ARGUMENT`, `Bearer`, `strict-origin` —
/// what settings and codes look like, and what a random token does not.
pub(crate) fn is_enum_like(value: &str) -> bool {
    if value.len() > 32 || value.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let words: Vec<&str> = value
        .split(['-', '_', '.', ' ', '/'])
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty()
        && words.iter().all(|w| {
            let letters = w.bytes().all(|b| b.is_ascii_alphabetic());
            let lower = w.bytes().all(|b| b.is_ascii_lowercase());
            let upper = w.bytes().all(|b| b.is_ascii_uppercase());
            let capitalized = w.as_bytes()[0].is_ascii_uppercase()
                && w.bytes().skip(1).all(|b| b.is_ascii_lowercase());
            letters && (lower || upper || capitalized)
        })
}

/// Whether a token-like run of characters looks like a credential rather than a word:
/// long enough and mixing letter cases, digits or punctuation (`ghp_x1Y…`, not `provided`).
pub(crate) fn looks_like_credential(token: &str) -> bool {
    if token.len() < STRONG_LEN || is_mask(token) {
        return false;
    }
    let classes = [
        token.bytes().any(|b| b.is_ascii_lowercase()),
        token.bytes().any(|b| b.is_ascii_uppercase()),
        token.bytes().any(|b| b.is_ascii_digit()),
        token.bytes().any(|b| !b.is_ascii_alphanumeric()),
    ];
    classes.iter().filter(|c| **c).count() >= 2 && !is_enum_like(token)
}

/// The mask redaction writes: `REDACTED` repeated, so a masked token stays a token (valid
/// in a header, a URL, JSON and base64).
pub(crate) const MASK: &str = "REDACTED";

/// `len` bytes of mask.
pub(crate) fn mask(len: usize) -> String {
    MASK.bytes().cycle().take(len).map(char::from).collect()
}

/// Whether `value` is already a mask (redacting twice changes nothing).
pub(crate) fn is_mask(value: &str) -> bool {
    value.len() >= 3 && value.bytes().zip(MASK.bytes().cycle()).all(|(a, b)| a == b)
}

/// Key shapes recognisable anywhere: `(prefix, what, minimum length after the prefix)`.
pub(crate) const KEY_PREFIXES: &[(&str, &str, usize)] = &[
    ("sk_live_", "Stripe live secret key", 16),
    ("sk_test_", "Stripe test secret key", 16),
    ("rk_live_", "Stripe live restricted key", 16),
    ("rk_test_", "Stripe test restricted key", 16),
    ("pk_live_", "Stripe live publishable key", 16),
    ("pk_test_", "Stripe test publishable key", 16),
    ("whsec_", "Stripe webhook secret", 16),
    ("github_pat_", "GitHub fine-grained token", 16),
    ("ghp_", "GitHub personal access token", 16),
    ("gho_", "GitHub OAuth token", 16),
    ("ghu_", "GitHub user token", 16),
    ("ghs_", "GitHub app token", 16),
    ("ghr_", "GitHub refresh token", 16),
    ("glpat-", "GitLab personal access token", 16),
    ("glrt-", "GitLab runner token", 16),
    ("gldt-", "GitLab deploy token", 16),
    ("xoxb-", "Slack bot token", 16),
    ("xoxp-", "Slack user token", 16),
    ("xoxa-", "Slack app token", 16),
    ("xoxe.", "Slack refresh token", 16),
    ("xoxe-", "Slack refresh token", 16),
    ("xoxs-", "Slack session token", 16),
    ("xapp-", "Slack app-level token", 16),
    ("sk-proj-", "OpenAI project key", 16),
    ("sk-ant-", "Anthropic key", 16),
    ("sk-", "OpenAI key", 32),
    ("shpat_", "Shopify access token", 16),
    ("shpss_", "Shopify shared secret", 16),
    ("shpca_", "Shopify custom app token", 16),
    ("shppa_", "Shopify private app token", 16),
    ("hvs.", "HashiCorp Vault token", 16),
    ("hvb.", "HashiCorp Vault batch token", 16),
    ("ya29.", "Google OAuth access token", 16),
    ("pypi-", "PyPI token", 32),
    ("dop_v1_", "DigitalOcean token", 32),
    ("AKIA", "AWS access key ID", 16),
    ("ASIA", "AWS temporary access key ID", 16),
    ("AIza", "Google API key", 35),
    ("SG.", "SendGrid key", 16),
    ("npm_", "npm token", 16),
    ("hf_", "Hugging Face token", 16),
    ("https://hooks.slack.com/services/", "Slack webhook URL", 16),
    (
        "https://discord.com/api/webhooks/",
        "Discord webhook URL",
        16,
    ),
    (
        "https://discordapp.com/api/webhooks/",
        "Discord webhook URL",
        16,
    ),
    ("-----BEGIN", "PEM private key", 0),
];

/// A key found by its shape: where it is, how much of it (a prefix that says what it is)
/// may stay, and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyShape {
    pub start: usize,
    pub end: usize,
    /// Bytes from `start` that tell the kind of key and are not secret (`sk_live_`).
    pub keep: usize,
    pub what: &'static str,
}

fn key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

fn webhook_char(b: u8) -> bool {
    key_char(b) || b == b'/'
}

/// The body of a PEM private key starting at `start` (`-----BEGIN … PRIVATE KEY-----`): the
/// bytes between the two marker lines, which may be written with real or escaped newlines.
fn pem_key(text: &str, start: usize) -> Option<(usize, usize)> {
    let rest = &text[start..];
    let header_end = rest.get(10..rest.len().min(80))?.find("-----")? + 10;
    let label = &rest[10..header_end];
    if !label.ends_with("PRIVATE KEY") || label.contains('\n') {
        return None;
    }
    let body_start = start + header_end + 5;
    let end_marker = memchr::memmem::find(&text.as_bytes()[body_start..], b"-----END")?;
    (end_marker < 64 * 1024).then_some((body_start, body_start + end_marker))
}

/// Well-known key shapes in `text`. A prefix counts only at a word boundary and followed by
/// enough key characters to be a key, not a word. One pass over the text for all prefixes.
pub(crate) fn find_keys(text: &str) -> Vec<KeyShape> {
    static PREFIXES: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    #[allow(clippy::expect_used, reason = "built from constant prefixes")]
    let automaton = PREFIXES.get_or_init(|| {
        // Leftmost-first: the more specific prefix listed first wins (`sk-proj-` over `sk-`),
        // and it lets the search skip ahead with its literal prefilter; the standard match
        // kind reports the earliest end (`sk-` inside `sk-proj-…`) and steps through every
        // byte of the input, six times slower on a large HAR.
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(KEY_PREFIXES.iter().map(|(p, _, _)| *p))
            .expect("valid prefixes")
    });
    let bytes = text.as_bytes();
    let mut found: Vec<KeyShape> = Vec::new();
    let mut last_end = 0;
    for hit in automaton.find_iter(text) {
        let (prefix, what, min) = KEY_PREFIXES[hit.pattern().as_usize()];
        let start = hit.start();
        if start < last_end {
            continue;
        }
        if prefix == "-----BEGIN" {
            if let Some((body_start, body_end)) = pem_key(text, start) {
                found.push(KeyShape {
                    start,
                    end: body_end,
                    keep: body_start - start,
                    what,
                });
                last_end = body_end;
            }
            continue;
        }
        // `xoxe.xoxp-…` and a key right after `=`, `:` or a quote count; `task_live_x` does not.
        if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let allowed: fn(u8) -> bool = if prefix.starts_with("https://") {
            webhook_char
        } else {
            key_char
        };
        let mut end = hit.end();
        while end < bytes.len() && allowed(bytes[end]) {
            end += 1;
        }
        // A trailing dot ends a sentence, not a key.
        while end > hit.end() && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let rest = &bytes[hit.end()..end];
        let long_enough = match prefix {
            "AKIA" | "ASIA" => {
                rest.len() == 16
                    && rest
                        .iter()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            }
            "AIza" => rest.len() == 35,
            "sk-" => {
                rest.len() >= min
                    && rest.iter().any(u8::is_ascii_digit)
                    && rest.iter().any(u8::is_ascii_uppercase)
            }
            _ => rest.len() >= min,
        };
        if long_enough {
            found.push(KeyShape {
                start,
                end,
                keep: prefix.len(),
                what,
            });
            last_end = end;
        }
    }
    found
}

/// Keeps enough of a credential to recognise it, never the whole secret: the scheme, and
/// the first 8 characters of a token longer than 12.
pub(crate) fn mask_credential(value: &str) -> String {
    let (scheme, token) = match value.split_once(' ') {
        Some((s, t)) if s.len() < 16 && !s.contains('.') => (format!("{s} "), t),
        _ => (String::new(), value),
    };
    let count = token.chars().count();
    if count <= 12 {
        return format!("{scheme}{}", "•".repeat(count.min(8)));
    }
    let head: String = token.chars().take(8).collect();
    format!("{scheme}{head}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_by_normalised_containment_with_an_allow_list() {
        use Context::{Cookie, Form, Header, Json, Query};
        for (name, context) in [
            ("accessToken", Json),
            ("SecretAccessKey", Json),
            ("newPassword", Json),
            ("x-vault-token", Header),
            ("X-Shopify-Access-Token", Header),
            ("DD-API-KEY", Header),
            ("X-RapidAPI-Key", Header),
            ("Stripe-Signature", Header),
            ("Ocp-Apim-Subscription-Key", Header),
            ("x-functions-key", Header),
            ("user[password]", Form),
            ("user%5Bpassword%5D", Form),
            ("code", Query),
            ("code_verifier", Form),
            ("client_assertion", Form),
            ("refresh_token", Form),
            ("key", Query),
            ("AccountKey", Form),
            ("aws_secret_access_key", Form),
            ("Authorization", Header),
            ("anything", Cookie),
        ] {
            assert_ne!(
                classify_name(name, context),
                NameClass::NotSecret,
                "{name} in {context:?}"
            );
        }
        for (name, context) in [
            ("WWW-Authenticate", Header),
            ("Authentication-Info", Header),
            (":authority", Header),
            ("x-ratelimit-remaining-tokens", Header),
            ("token_type", Json),
            ("max_tokens", Json),
            ("expires_in", Json),
            ("Idempotency-Key", Header),
            ("Cache-Key", Header),
            ("key", Json),
            ("code", Json),
            ("author", Json),
            ("Content-Type", Header),
        ] {
            assert_eq!(
                classify_name(name, context),
                NameClass::NotSecret,
                "{name} in {context:?}"
            );
        }
        assert_eq!(classify_name("new_password", Form), NameClass::Password);
    }

    #[test]
    fn values_booleans_words_and_numbers() {
        assert_eq!(judge_value("true", NameClass::Secret), None);
        assert_eq!(judge_value("dark", NameClass::Secret), None);
        assert_eq!(judge_value("INVALID_ARGUMENT", NameClass::Secret), None);
        assert_eq!(judge_value("12345678", NameClass::Secret), None);
        assert_eq!(
            judge_value("98765432", NameClass::Password),
            Some(Strength::Strong)
        );
        assert_eq!(
            judge_value("hunter", NameClass::Password),
            Some(Strength::Weak)
        );
        assert_eq!(
            judge_value("opaque-tok-9f8e7d6c5b4a", NameClass::Secret),
            Some(Strength::Strong)
        );
        assert_eq!(judge_value("REDACTEDREDACTED", NameClass::Secret), None);
        assert!(looks_like_credential("x1Yz9QwErTy"));
        assert!(!looks_like_credential("provided"));
    }

    #[test]
    fn placeholders_and_names_that_only_name_a_secret() {
        for placeholder in [
            "<token>",
            "<%base64_token%>",
            "{{apiKey}}",
            "${TOKEN}",
            "$API_KEY",
            "%TOKEN%",
            "[YOUR_KEY]",
            "YOUR_API_KEY",
            "xxxxxxxx",
            "***",
            "[Array]",
            "[Function: transformRequest]",
        ] {
            assert!(is_placeholder(placeholder), "{placeholder}");
            assert_eq!(
                judge_value(placeholder, NameClass::Secret),
                None,
                "{placeholder}"
            );
        }
        for secret in [
            "sk_live_x1Yz9QwErTy",
            "abc%2Fdef%3D",
            "x1Yz9QwErTy$",
            "<a>b<c>",
        ] {
            assert!(!is_placeholder(secret), "{secret}");
        }
        for name in [
            "xsrfCookieName",
            "token_type",
            "passwordPolicy",
            "secretName",
            "apiKeyHeader",
        ] {
            assert_eq!(
                classify_name(name, Context::Json),
                NameClass::NotSecret,
                "{name}"
            );
        }
        for name in ["password", "client_secret", "x-api-key", "accessToken"] {
            assert_ne!(
                classify_name(name, Context::Header),
                NameClass::NotSecret,
                "{name}"
            );
        }
    }

    #[test]
    fn finds_key_shapes_at_word_boundaries() {
        let text = "key=sk_live_51HcQ2aBcdEfGhIjKlMn and AKIAIOSFODNN7EXAMPLE but not task_live_x xoxe.xoxp-1-Mi0yLTEyMzQ1Njc4OTAxMg";
        let keys = find_keys(text);
        assert_eq!(keys.len(), 3);
        assert_eq!(
            &text[keys[0].start..keys[0].end],
            "sk_live_51HcQ2aBcdEfGhIjKlMn"
        );
        assert_eq!(keys[1].what, "AWS access key ID");
        assert_eq!(keys[2].what, "Slack refresh token");
        let pem = "{\"private_key\": \"-----BEGIN RSA PRIVATE KEY-----\\nMIIEow\\n-----END RSA PRIVATE KEY-----\\n\"}";
        let keys = find_keys(pem);
        assert_eq!(keys.len(), 1);
        let body = &pem[keys[0].start + keys[0].keep..keys[0].end];
        assert_eq!(body, "\\nMIIEow\\n");
    }
}
