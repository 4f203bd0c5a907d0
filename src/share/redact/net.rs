//! The net behind redaction: after masking, every secret that was found is searched for in
//! what is about to leave — the link's payload, the Markdown, the redacted file — in every
//! encoding it could take there. If one is found, nothing is produced and the person is told
//! which field to redact.

use super::encode;
use super::site::Secret;
use crate::knowledge::secrets;

/// A secret that would have left: what it is and in which encoding it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    /// What the secret is, as redaction named it (`field client_secret`).
    pub kind: String,
    /// Enough of it to recognise it, never the whole secret.
    pub preview: String,
    /// `as is`, `JSON-escaped`, `percent-encoded`, `base64`.
    pub encoding: &'static str,
}

impl std::fmt::Display for Leak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "a secret would still be shared ({}, {}, found {}): redact it with “Redact more” (or `--redact`) and try again",
            self.kind, self.preview, self.encoding
        )
    }
}

impl std::error::Error for Leak {}

/// Every spelling of every strong secret, searched for in one pass over a text.
pub(crate) struct Net<'a> {
    secrets: &'a [Secret],
    automaton: Option<aho_corasick::AhoCorasick>,
    /// For each pattern: whose secret it spells, and how.
    meaning: Vec<(usize, &'static str)>,
}

impl<'a> Net<'a> {
    /// The net for `secrets`, built once for all the texts it checks.
    pub(crate) fn new(secrets: &'a [Secret]) -> Net<'a> {
        let mut patterns: Vec<String> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut meaning: Vec<(usize, &'static str)> = Vec::new();
        for (index, secret) in secrets.iter().enumerate() {
            if secret.strength != secrets::Strength::Strong {
                continue;
            }
            let value = secret.value.as_str();
            let [component, form] = encode::percent_encoded(value);
            let mut add = |pattern: String, encoding: &'static str| {
                if pattern.len() >= secrets::STRONG_LEN && seen.insert(pattern.clone()) {
                    patterns.push(pattern);
                    meaning.push((index, encoding));
                }
            };
            add(value.to_owned(), "as is");
            add(encode::json_escaped(value), "JSON-escaped");
            add(component, "percent-encoded");
            add(form, "form-encoded");
            if value.len() <= super::BASE64_COPIES_MAX {
                for fragment in encode::base64_fragments(value) {
                    add(fragment, "base64-encoded");
                }
            }
        }
        let automaton = (!patterns.is_empty())
            .then(|| super::automaton_for(&patterns, aho_corasick::MatchKind::Standard).ok())
            .flatten();
        Net {
            secrets,
            automaton,
            meaning,
        }
    }

    /// The first secret found in `output`, in any encoding.
    pub(crate) fn check(&self, output: &str) -> Result<(), Leak> {
        let Some(hit) = self.automaton.as_ref().and_then(|a| a.find(output)) else {
            return Ok(());
        };
        let (index, encoding) = self.meaning[hit.pattern().as_usize()];
        let secret = &self.secrets[index];
        Err(Leak {
            kind: secret.kind.clone(),
            preview: secrets::mask_credential(&secret.value),
            encoding,
        })
    }
}
