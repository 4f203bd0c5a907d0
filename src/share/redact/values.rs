//! What to mask inside one value once its name is known: an Authorization credential (keep
//! the scheme, Basic's user name, a JWT's claims), cookie pairs, or a plain secret value.
//! Offsets are relative to the value; callers place the parts in the text.

use base64::Engine;

use super::RedactOptions;
use super::site::Part;
use crate::knowledge::jwt;
use crate::knowledge::secrets::{self, Context, NameClass, Strength};

/// The parts of a value found under `name` in `context` that are secret.
pub(crate) fn named_value(
    name: &str,
    value: &str,
    context: Context,
    options: &RedactOptions,
) -> Vec<Part> {
    let lower = name.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
    let header_like = matches!(context, Context::Header | Context::Json | Context::Form);
    match lower.as_str() {
        "authorization" | "proxy-authorization" | "x-forwarded-authorization" if header_like => {
            credential(
                value,
                &format!("{} header", name.trim().trim_matches(['"', '\''])),
                options,
            )
        }
        "cookie" if header_like => cookies(value, options),
        "set-cookie" if header_like => value.find(';').map_or(cookies(value, options), |end| {
            cookies(&value[..end], options)
        }),
        _ => {
            let class = secrets::classify_name(name, context);
            let kind = match context {
                Context::Header => format!("{} header", name.trim()),
                Context::Query => format!("query parameter {}", name.trim()),
                Context::Cookie => format!("cookie {}", name.trim()),
                Context::Form | Context::Json => {
                    format!("field {}", name.trim().trim_matches(['"', '\'']))
                }
            };
            plain(value, class, context, &kind, options)
        }
    }
}

/// A value that is secret as a whole (unless it is plainly not): a JWT keeps its header and
/// claims, everything else is masked.
pub(crate) fn plain(
    value: &str,
    class: NameClass,
    context: Context,
    kind: &str,
    options: &RedactOptions,
) -> Vec<Part> {
    let lead = value.len() - value.trim_start().len();
    let trimmed = value.trim();
    if let Some(parts) = jwt_parts(trimmed, lead, kind, options) {
        return parts;
    }
    let strength = match (context, secrets::judge_value(trimmed, class)) {
        (_, Some(strength)) => strength,
        // A long numeric cookie is a session ID, not a setting.
        (Context::Cookie, None)
            if trimmed.len() >= secrets::STRONG_LEN
                && trimmed.bytes().all(|b| b.is_ascii_digit()) =>
        {
            Strength::Strong
        }
        _ => return Vec::new(),
    };
    // A key's prefix says what it is (`sk_live_`, `hvs.`) and stays.
    let keep = secrets::find_keys(trimmed)
        .first()
        .filter(|key| key.start == 0 && key.end == trimmed.len())
        .map_or(0, |key| key.keep);
    let secret = &trimmed[keep..];
    vec![Part::secret(
        lead + keep,
        lead + trimmed.len(),
        secret,
        values_strength(secret, strength),
        kind,
    )]
}

/// A JWT keeps its header and claims (the diagnosis reads them) unless claims are redacted
/// too; its signature always goes.
pub(crate) fn jwt_parts(
    token: &str,
    at: usize,
    kind: &str,
    options: &RedactOptions,
) -> Option<Vec<Part>> {
    jwt::decode(token)?;
    if options.redact_claims {
        return Some(vec![Part::secret(
            at,
            at + token.len(),
            token,
            Strength::Strong,
            kind,
        )]);
    }
    let signature = token.rfind('.')? + 1;
    let value = &token[signature..];
    (!value.is_empty()).then(|| {
        vec![Part::secret(
            at + signature,
            at + token.len(),
            value,
            strength_of(value),
            &format!("JWT signature in {kind}"),
        )]
    })
}

/// A value keeps its strength unless cutting its prefix made it short.
fn values_strength(value: &str, strength: Strength) -> Strength {
    strength.min(strength_of(value))
}

/// Long values are searched for everywhere; short ones are masked only where found.
pub(crate) fn strength_of(value: &str) -> Strength {
    if value.len() >= secrets::STRONG_LEN {
        Strength::Strong
    } else {
        Strength::Weak
    }
}

/// `Scheme credentials`: the scheme stays; Bearer and unknown schemes lose the token (a JWT
/// its signature), Basic keeps its user name, parameter schemes (Digest, OAuth 1.0a, AWS
/// SigV4) lose the values of their secret parameters.
pub(crate) fn credential(value: &str, kind: &str, options: &RedactOptions) -> Vec<Part> {
    let lead = value.len() - value.trim_start().len();
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Vec::new();
    }
    // `Scheme token`; a value without a space is a bare token (a forgotten `Bearer `).
    let (scheme, mut token_at) = match trimmed.find([' ', '\t']) {
        Some(space) if space < 40 && !trimmed[..space].contains(['=', ',']) => {
            let rest = &trimmed[space..];
            (
                &trimmed[..space],
                lead + space + (rest.len() - rest.trim_start().len()),
            )
        }
        _ => ("", lead),
    };
    let mut token = value[token_at..].trim_end();
    // A header inside a string literal (`'Authorization: Bearer …\\r\\n' +` in a Node dump)
    // ends at the escaped line break; no token holds one.
    if let Some(escape) = [token.find("\\r"), token.find("\\n")]
        .into_iter()
        .flatten()
        .min()
    {
        token = token[..escape].trim_end();
    }
    // Quotes around the token (`Bearer "abc"`) are not part of it.
    let unquoted = token.trim_start_matches(['"', '\'']);
    token_at += token.len() - unquoted.len();
    token = unquoted.trim_end_matches(['"', '\'']);
    if token.is_empty() || secrets::is_placeholder(token) {
        return Vec::new();
    }
    let scheme = scheme.trim_end_matches(':').to_ascii_lowercase();
    if scheme == "basic" {
        return basic(token, token_at, kind).unwrap_or_else(|| {
            vec![Part::secret(
                token_at,
                token_at + token.len(),
                token,
                Strength::Strong,
                kind,
            )]
        });
    }
    if matches!(
        scheme.as_str(),
        "digest" | "oauth" | "aws4-hmac-sha256" | "signature" | "hmac"
    ) || token.contains("=\"")
        || token.contains("Signature=")
    {
        return parameters(token, token_at, kind, options);
    }
    if let Some(parts) = jwt_parts(token, token_at, kind, options) {
        return parts;
    }
    vec![Part::secret(
        token_at,
        token_at + token.len(),
        token,
        strength_of(token),
        kind,
    )]
}

/// `Basic base64(user:password)` → the same with the password masked (the user name helps
/// the diagnosis and is not a secret), when the length can be kept.
fn basic(token: &str, at: usize, kind: &str) -> Option<Vec<Part>> {
    let engine = base64::engine::general_purpose::STANDARD;
    let decoded = String::from_utf8(engine.decode(token).ok()?).ok()?;
    let (user, password) = decoded.split_once(':')?;
    let replaced = engine.encode(format!("{user}:{}", secrets::mask(password.len())));
    if replaced.len() != token.len() {
        return None;
    }
    let mut parts = vec![Part {
        start: at,
        end: at + token.len(),
        kind: kind.to_owned(),
        secret: Some(super::site::Secret {
            value: token.to_owned(),
            strength: Strength::Strong,
            kind: kind.to_owned(),
        }),
        replacement: Some(replaced),
    }];
    // The password itself, should it appear elsewhere in clear (a `curl -u` echo).
    if password.len() >= secrets::STRONG_LEN {
        parts[0].kind = format!("{kind} (password; the user name stays)");
        parts.push(Part {
            start: at,
            end: at,
            kind: format!("password in {kind}"),
            secret: Some(super::site::Secret {
                value: password.to_owned(),
                strength: Strength::Strong,
                kind: format!("password in {kind}"),
            }),
            replacement: None,
        });
    }
    Some(parts)
}

/// Parameters that carry the secret of a parameter scheme: Digest's `response` and
/// `cnonce`, OAuth 1.0a's `oauth_signature` and `oauth_token`, SigV4's `Signature` and
/// `Credential`, plus any parameter with a secret name.
fn parameters(params: &str, at: usize, kind: &str, options: &RedactOptions) -> Vec<Part> {
    const SECRET_PARAMS: &[&str] = &["response", "cnonce", "nonce", "credential", "signature"];
    let mut parts = Vec::new();
    let bytes = params.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // name
        while i < bytes.len() && matches!(bytes[i], b' ' | b',' | b'\t') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len() && bytes[i] != b'=' && bytes[i] != b',' {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b'=' {
            continue;
        }
        let name = params[name_start..i].trim();
        i += 1;
        // value: quoted (possibly with JSON-escaped quotes) or a token
        let (value_start, value_end, next) = if bytes.get(i) == Some(&b'"') {
            let start = i + 1;
            let end = memchr::memchr(b'"', &bytes[start..]).map_or(bytes.len(), |e| start + e);
            (start, end, end + 1)
        } else if bytes.get(i) == Some(&b'\\') && bytes.get(i + 1) == Some(&b'"') {
            let start = i + 2;
            let end =
                memchr::memmem::find(&bytes[start..], b"\\\"").map_or(bytes.len(), |e| start + e);
            (start, end, end + 2)
        } else {
            let start = i;
            let end = memchr::memchr(b',', &bytes[start..]).map_or(bytes.len(), |e| start + e);
            (start, end, end)
        };
        i = next;
        let value = params[value_start..value_end].trim();
        let lower = name.to_ascii_lowercase();
        let secret = SECRET_PARAMS.contains(&lower.as_str())
            || secrets::classify_name(name, Context::Form) != NameClass::NotSecret;
        if secret && !value.is_empty() && !secrets::is_mask(value) {
            let kind = format!("{name} in {kind}");
            if let Some(jwt) = jwt_parts(value, at + value_start, &kind, options) {
                parts.extend(jwt);
            } else {
                parts.push(Part::secret(
                    at + value_start,
                    at + value_start + value.len(),
                    value,
                    strength_of(value),
                    &kind,
                ));
            }
        }
    }
    parts
}

/// `a=1; b=2`: each cookie value that is a secret (all but booleans, words and short values).
pub(crate) fn cookies(value: &str, options: &RedactOptions) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut at = 0;
    for pair in value.split(';') {
        if let Some(eq) = pair.find('=') {
            let name = pair[..eq].trim();
            let raw = &pair[eq + 1..];
            let quoted = raw.trim().trim_matches('"');
            let offset = at
                + eq
                + 1
                + (raw.len() - raw.trim_start().len())
                + usize::from(raw.trim().starts_with('"'));
            let kind = format!("cookie {name}");
            parts.extend(
                plain(quoted, NameClass::Secret, Context::Cookie, &kind, options)
                    .into_iter()
                    .map(|mut p| {
                        p.start += offset;
                        p.end += offset;
                        p
                    }),
            );
        }
        at += pair.len() + 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(value: &str, parts: &[Part]) -> String {
        let mut out = value.to_owned();
        for p in parts.iter().filter(|p| p.end > p.start) {
            let replacement = p
                .replacement
                .clone()
                .unwrap_or_else(|| secrets::mask(p.end - p.start));
            out.replace_range(p.start..p.end, &replacement);
        }
        out
    }

    #[test]
    fn credentials_keep_what_the_diagnosis_needs() {
        let options = RedactOptions::default();
        let bearer = " Bearer opaque-tok-9f8e7d6c5b4a";
        assert_eq!(
            masked(bearer, &credential(bearer, "Authorization", &options)),
            format!(" Bearer {}", secrets::mask(23))
        );
        let digest = r#"Digest username="alice", realm="x", nonce="abc123nonce", uri="/", response="6629fae49393a05397450978507c4ef1", cnonce="0a4f113b""#;
        let out = masked(digest, &credential(digest, "Authorization", &options));
        assert!(
            out.contains("username=\"alice\"")
                && !out.contains("6629fae4")
                && !out.contains("0a4f113b"),
            "{out}"
        );
        let escaped = r#"Digest username=\"alice\", response=\"6629fae49393a05397450978507c4ef1\""#;
        let out = masked(escaped, &credential(escaped, "Authorization", &options));
        assert!(!out.contains("6629fae4") && out.contains("\\\""), "{out}");
        let cookie = "session=sess-0a1b2c3d4e; theme=dark; consent=true";
        assert_eq!(
            masked(cookie, &cookies(cookie, &options)),
            format!("session={}; theme=dark; consent=true", secrets::mask(15))
        );
    }
}
