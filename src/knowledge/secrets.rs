//! Where credentials hide in HTTP traffic: header names, query parameters, body fields and
//! the shapes of well-known keys. Used to warn before sharing and to redact.

/// Headers whose whole value is a credential.
pub(crate) const CREDENTIAL_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "api-key",
    "apikey",
    "x-apikey",
    "ocp-apim-subscription-key",
    "x-goog-api-key",
    "x-auth-token",
    "x-access-token",
    "private-token",
    "x-csrf-token",
    "x-xsrf-token",
    "x-amz-security-token",
];

/// Query parameters and JSON/form fields whose value is a credential.
pub(crate) const SECRET_NAMES: &[&str] = &[
    "api_key",
    "apikey",
    "api-key",
    "key",
    "token",
    "access_token",
    "id_token",
    "refresh_token",
    "auth",
    "signature",
    "sig",
    "secret",
    "client_secret",
    "password",
    "passwd",
    "pwd",
    "private_key",
    "code",
    "code_verifier",
    "assertion",
    "samlresponse",
    "samlrequest",
    "authenticity_token",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "session",
    "sessionid",
    "csrftoken",
    "csrfmiddlewaretoken",
];

/// Key shapes recognisable anywhere, with what they are.
pub(crate) const KEY_PREFIXES: &[(&str, &str)] = &[
    ("sk_live_", "Stripe live secret key"),
    ("sk_test_", "Stripe test secret key"),
    ("rk_live_", "Stripe live restricted key"),
    ("rk_test_", "Stripe test restricted key"),
    ("pk_live_", "Stripe live publishable key"),
    ("pk_test_", "Stripe test publishable key"),
    ("whsec_", "Stripe webhook secret"),
    ("github_pat_", "GitHub fine-grained token"),
    ("ghp_", "GitHub personal access token"),
    ("gho_", "GitHub OAuth token"),
    ("ghu_", "GitHub user token"),
    ("ghs_", "GitHub app token"),
    ("ghr_", "GitHub refresh token"),
    ("glpat-", "GitLab personal access token"),
    ("xoxb-", "Slack bot token"),
    ("xoxp-", "Slack user token"),
    ("xoxa-", "Slack app token"),
    ("xapp-", "Slack app-level token"),
    ("sk-proj-", "OpenAI project key"),
    ("sk-ant-", "Anthropic key"),
    ("AKIA", "AWS access key ID"),
    ("ASIA", "AWS temporary access key ID"),
    ("AIza", "Google API key"),
    ("SG.", "SendGrid key"),
    ("npm_", "npm token"),
    ("hf_", "Hugging Face token"),
];

fn key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Well-known key shapes in `text`: `(start, end, what)`. A prefix counts only at a word
/// boundary and followed by enough key characters to be a key, not a word. One pass over
/// the text for all prefixes.
pub(crate) fn find_keys(text: &str) -> Vec<(usize, usize, &'static str)> {
    static PREFIXES: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    #[allow(clippy::expect_used, reason = "built from constant prefixes")]
    let automaton = PREFIXES.get_or_init(|| {
        aho_corasick::AhoCorasick::new(KEY_PREFIXES.iter().map(|(p, _)| *p))
            .expect("valid prefixes")
    });
    let bytes = text.as_bytes();
    let mut found: Vec<(usize, usize, &'static str)> = Vec::new();
    for hit in automaton.find_iter(text) {
        let (prefix, what) = KEY_PREFIXES[hit.pattern().as_usize()];
        let start = hit.start();
        if start > 0 && key_char(bytes[start - 1]) {
            continue;
        }
        let mut end = hit.end();
        while end < bytes.len() && key_char(bytes[end]) {
            end += 1;
        }
        let rest = end - hit.end();
        let long_enough = match prefix {
            "AKIA" | "ASIA" => {
                rest == 16
                    && bytes[hit.end()..end]
                        .iter()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            }
            "AIza" => rest == 35,
            _ => rest >= 16,
        };
        if long_enough && !found.iter().any(|&(s, e, _)| start < e && s < end) {
            found.push((start, end, what));
        }
    }
    found.sort_unstable();
    found
}

pub(crate) fn is_credential_header(name: &str) -> bool {
    CREDENTIAL_HEADERS
        .iter()
        .any(|h| h.eq_ignore_ascii_case(name))
}

pub(crate) fn is_secret_name(name: &str) -> bool {
    let name = name.trim().trim_matches('"');
    SECRET_NAMES.iter().any(|s| s.eq_ignore_ascii_case(name))
}

/// Keeps enough of a credential to recognise it, never the whole secret.
pub(crate) fn mask_credential(value: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_key_shapes_at_word_boundaries() {
        let text = "key=sk_live_51HcQ2aBcdEfGhIjKlMn and AKIAIOSFODNN7EXAMPLE but not task_live_x";
        let keys = find_keys(text);
        assert_eq!(keys.len(), 2);
        assert_eq!(&text[keys[0].0..keys[0].1], "sk_live_51HcQ2aBcdEfGhIjKlMn");
        assert_eq!(keys[1].2, "AWS access key ID");
    }
}
