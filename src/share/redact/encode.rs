//! The encodings a secret can take in shared text: as is, JSON-escaped (inside a HAR or a
//! JSON body), percent-encoded (in a URL or a form), and base64 (inside a base64 body, at
//! any of the three alignments a substring can have).

use base64::Engine;

/// `value` as it appears inside a JSON string.
pub(crate) fn json_escaped(value: &str) -> String {
    let quoted = serde_json::to_string(value).unwrap_or_default();
    quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(&quoted)
        .to_owned()
}

/// `value` percent-encoded as a URL component (`encodeURIComponent`), and as a form value
/// (spaces as `+`).
pub(crate) fn percent_encoded(value: &str) -> [String; 2] {
    let mut component = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            component.push(char::from(b));
        } else {
            component.push_str(&format!("%{b:02X}"));
        }
    }
    let form = component.replace("%20", "+");
    [component, form]
}

/// The base64 text that `value` always produces inside a larger base64 blob, for each of
/// the three alignments and both alphabets: the characters that depend only on its bytes.
pub(crate) fn base64_fragments(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    for engine in [
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ] {
        for offset in 0..3 {
            let mut bytes = vec![0u8; offset];
            bytes.extend_from_slice(value.as_bytes());
            let encoded = engine.encode(&bytes);
            // Characters touching the unknown bytes before (the first `ceil(offset*4/3)`)
            // and the partial group at the end are not fixed by the value alone.
            let skip = (offset * 4).div_ceil(3);
            let whole = (bytes.len() / 3) * 4;
            if whole > skip + 8 {
                out.push(encoded[skip..whole].to_owned());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_found_inside_any_blob() {
        let secret = "opaque-at-5647382910";
        let fragments = base64_fragments(secret);
        for prefix in ["", "a", "ab", "abc"] {
            let blob = base64::engine::general_purpose::STANDARD
                .encode(format!("{prefix}{{\"access_token\":\"{secret}\"}}"));
            assert!(
                fragments.iter().any(|f| blob.contains(f.as_str())),
                "{prefix:?}: {blob}"
            );
        }
        assert_eq!(json_escaped("a\"b\\c"), "a\\\"b\\\\c");
        assert_eq!(
            percent_encoded("a b&c"),
            ["a%20b%26c".to_owned(), "a+b%26c".to_owned()]
        );
    }
}
