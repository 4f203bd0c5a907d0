//! Redaction before anything is shared (a link, Markdown, a redacted file).
//!
//! Secrets are found by structure — every header, cookie, query and form parameter, JSON
//! member, command-line option, multipart field and XML element is judged by its name and
//! its value ([`crate::knowledge::secrets`]) — and by shape (JWTs, key prefixes, PEM keys,
//! webhook URLs, URL passwords). Each is masked where it sits, in the encoding it has there
//! (as is, JSON-escaped inside a HAR, percent-encoded in a URL, inside a base64 body, which
//! is decoded, redacted and encoded again). A long secret is then masked wherever else it
//! occurs, in every encoding. A JWT keeps its header and claims (the diagnosis reads them),
//! a Basic credential its user name, a key its prefix.
//!
//! Every replacement has the byte length of what it replaces, so Content-Length, positions
//! and JSON stay valid and the opened link diagnoses like the original. [`Redacted::check`]
//! is the net behind it all: it searches what is about to be shared for every secret found.

mod encode;
mod json;
mod net;
mod scan;
mod site;
mod values;
mod views;

use std::collections::HashSet;

use base64::Engine;

pub use net::Leak;
pub use site::Redaction;
pub(crate) use site::Secret;
use site::{Site, Sites};

use crate::knowledge::secrets::Strength;
use crate::model::Span;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RedactOptions {
    /// Also replace a JWT's header and claims, not only its signature.
    pub redact_claims: bool,
    /// Original texts (as shown in [`Redaction::original`]) the person chose to keep.
    pub keep: Vec<String>,
    /// More text to redact wherever it appears (3 characters or more).
    pub extra: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Redacted {
    pub text: String,
    pub redactions: Vec<Redaction>,
    /// Texts of [`RedactOptions::extra`] found nowhere in the input.
    pub not_found: Vec<String>,
    /// Every secret found, for the net.
    secrets: Vec<Secret>,
}

impl Redacted {
    /// The net: fails when any secret found in the input is in `output` (the link's
    /// payload, the Markdown, the file about to be written), in any encoding.
    pub fn check(&self, output: &str) -> Result<(), Leak> {
        let net = net::Net::new(&self.secrets);
        net.check(output)?;
        // A secret spelled in pieces (a trace dump, a wrapped line) is looked for whole.
        views::views(output)
            .iter()
            .try_for_each(|view| net.check(&view.text))
    }

    /// One entry per distinct secret (not per occurrence): its kind and the original text.
    pub fn distinct(&self) -> Vec<&Redaction> {
        let mut seen = HashSet::new();
        self.redactions
            .iter()
            .filter(|r| seen.insert((r.kind.as_str(), r.original.as_str())))
            .collect()
    }
}

/// The masking steps, each of which can be turned off in tests to prove the net catches
/// what it would have missed.
#[derive(Clone, Copy)]
struct Steps {
    base64_bodies: bool,
    every_copy: bool,
}

impl Steps {
    const ALL: Steps = Steps {
        base64_bodies: true,
        every_copy: true,
    };
}

/// Redacts `text`.
pub fn redact(text: &str, options: &RedactOptions) -> Redacted {
    redact_with(text, options, Steps::ALL)
}

fn looks_like_json_document(text: &str) -> bool {
    text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .starts_with(['{', '['])
}

fn redact_with(text: &str, options: &RedactOptions, steps: Steps) -> Redacted {
    let mut sites = Sites::default();
    scan::scan(text, options, &mut sites);
    let mut bodies = Vec::new();
    if looks_like_json_document(text) {
        json::walk(text, options, &mut sites, &mut bodies);
    }
    let not_found = extra(text, options, &mut sites);
    from_views(text, options, &mut sites);

    let kept = |value: &str| options.keep.iter().any(|k| k == value);
    sites.list.retain(|site| {
        !kept(&text[site.span.start..site.span.end.min(text.len())])
            && !site.secret.as_ref().is_some_and(|s| kept(&s.value))
    });
    for body in &bodies {
        sites.secrets.extend(body.sites.secrets.iter().cloned());
    }
    let mut seen = HashSet::new();
    let secrets: Vec<Secret> = sites
        .secrets
        .drain(..)
        .filter(|s| !kept(&s.value) && seen.insert(s.value.clone()))
        .collect();
    let strong: Vec<&Secret> = secrets
        .iter()
        .filter(|s| s.strength == Strength::Strong)
        .collect();

    if steps.base64_bodies {
        for body in bodies {
            sites.list.push(base64_body(text, body, &strong, steps));
        }
    }
    if steps.every_copy {
        every_copy(text, &strong, &mut sites.list);
    }
    let (out, redactions) = site::apply(text, sites.list);
    Redacted {
        text: out,
        redactions,
        not_found,
        secrets,
    }
}

/// What the views of the input find, placed piece by piece in the input; the input's own
/// sites give way where a view reads the same bytes better.
fn from_views(text: &str, options: &RedactOptions, sites: &mut Sites) {
    for view in views::views(text) {
        let mut found = Sites::default();
        scan::scan(&view.text, options, &mut found);
        if found.list.is_empty() {
            continue;
        }
        let mut yields = view.yields.clone();
        yields.sort_unstable_by_key(|s| s.start);
        let overlaps = |span: Span| {
            let i = yields.partition_point(|y| y.end <= span.start);
            yields.get(i).is_some_and(|y| y.start < span.end)
        };
        // The input's own reading of those bytes goes, and with it the partial values it
        // took for secrets (half a token, a token with a line break inside).
        let mut dropped = HashSet::new();
        sites.list.retain(|site| {
            let keep = !overlaps(site.span);
            if !keep && let Some(secret) = &site.secret {
                dropped.insert(secret.value.clone());
            }
            keep
        });
        sites.secrets.retain(|s| !dropped.contains(&s.value));
        let (_, redactions) = site::apply(&view.text, found.list);
        for redaction in redactions {
            for piece in view.pieces(redaction.span, &redaction.replacement) {
                sites.list.push(Site {
                    span: piece.span,
                    kind: redaction.kind.clone(),
                    secret: None,
                    replacement: Some(piece.replacement),
                });
            }
        }
        sites.secrets.append(&mut found.secrets);
    }
}

/// An automaton over patterns taken from the input: an NFA, whose construction is linear in
/// the patterns' total length (a DFA's is not, and a secret can be as long as the input).
pub(crate) fn automaton_for(
    patterns: &[String],
    match_kind: aho_corasick::MatchKind,
) -> Result<aho_corasick::AhoCorasick, aho_corasick::BuildError> {
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
        .match_kind(match_kind)
        .build(patterns)
}

/// The patterns under which a secret can appear: as is, JSON-escaped, percent- and
/// form-encoded, and inside any base64 text that is not a body redaction decodes (a field
/// holding an encoded token, a data URL): the characters of its encoding that depend only on
/// its bytes. Masking those breaks that base64 text, which is what keeps the secret in.
/// The longest secret whose base64 spellings are searched for (the longest JWTs people
/// paste are a few kilobytes).
const BASE64_COPIES_MAX: usize = 8 * 1024;

fn copies(secret: &Secret) -> Vec<String> {
    let value = secret.value.as_str();
    let [component, form] = encode::percent_encoded(value);
    let mut out = vec![
        value.to_owned(),
        encode::json_escaped(value),
        component,
        form,
    ];
    // Tokens are short; a "secret" of many kilobytes is a value read to the end of a broken
    // document, whose six base64 spellings would only make the search long.
    if value.len() <= BASE64_COPIES_MAX {
        out.extend(encode::base64_fragments(value));
    }
    out.sort();
    out.dedup();
    out
}

/// Masks every other occurrence of a long secret, in every encoding.
fn every_copy(text: &str, strong: &[&Secret], sites: &mut Vec<Site>) {
    let mut patterns = Vec::new();
    let mut owner = Vec::new();
    let mut seen = HashSet::new();
    for (index, secret) in strong.iter().enumerate() {
        for pattern in copies(secret) {
            if seen.insert(pattern.clone()) {
                patterns.push(pattern);
                owner.push(index);
            }
        }
    }
    if patterns.is_empty() {
        return;
    }
    let Ok(automaton) = automaton_for(&patterns, aho_corasick::MatchKind::LeftmostLongest) else {
        return;
    };
    for hit in automaton.find_iter(text) {
        let secret = strong[owner[hit.pattern().as_usize()]];
        sites.push(Site {
            span: Span::new(hit.start(), hit.end()),
            kind: format!("another copy of the {}", secret.kind),
            secret: None,
            replacement: None,
        });
    }
}

/// A base64 body redacted: decoded, its own secrets and every long secret of the document
/// masked, encoded again in place (same length), or masked whole if that cannot be done.
fn base64_body(text: &str, mut body: json::Base64Body, strong: &[&Secret], steps: Steps) -> Site {
    if steps.every_copy {
        every_copy(&body.text, strong, &mut body.sites.list);
    }
    let (redacted, _) = site::apply(&body.text, body.sites.list);
    let encoded = base64::engine::general_purpose::STANDARD.encode(redacted.as_bytes());
    let raw = &text[body.span.start..body.span.end];
    let replacement =
        (encoded.len() == raw.len() && !raw.contains(['\\', '\n'])).then_some(encoded);
    let changed = replacement.as_deref() != Some(raw);
    Site {
        span: if changed {
            body.span
        } else {
            Span::new(body.span.start, body.span.start)
        },
        kind: "secrets in a base64 body".to_owned(),
        secret: None,
        replacement,
    }
}

/// Masks the texts the person asked to redact, wherever they occur (as is, JSON-escaped,
/// percent-encoded). Only letters, digits and non-ASCII characters are masked, so the
/// syntax around them (quotes, escapes, separators) stays valid. Returns those found nowhere.
fn extra(text: &str, options: &RedactOptions, sites: &mut Sites) -> Vec<String> {
    let mut not_found = Vec::new();
    for wanted in &options.extra {
        let wanted = wanted.trim();
        if wanted.chars().count() < 3 {
            not_found.push(wanted.to_owned());
            continue;
        }
        let secret = Secret {
            value: wanted.to_owned(),
            strength: Strength::Strong,
            kind: "text you chose to redact".to_owned(),
        };
        let patterns = copies(&secret);
        let Ok(automaton) = automaton_for(&patterns, aho_corasick::MatchKind::Standard) else {
            continue;
        };
        let mut found = false;
        for hit in automaton.find_iter(text) {
            found = true;
            let bytes = text.as_bytes();
            let mut at = hit.start();
            while at < hit.end() {
                let maskable = |b: u8| b.is_ascii_alphanumeric() || !b.is_ascii();
                if !maskable(bytes[at]) {
                    at += 1;
                    continue;
                }
                let start = at;
                while at < hit.end() && maskable(bytes[at]) {
                    at += 1;
                }
                sites.push(Site {
                    span: Span::new(start, at),
                    kind: "your selection".to_owned(),
                    secret: None,
                    replacement: None,
                });
            }
        }
        if found {
            sites.secrets.push(secret);
        } else {
            not_found.push(wanted.to_owned());
        }
    }
    not_found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_lengths_schemes_claims_and_users() {
        let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.c2lnbmF0dXJlLXNlY3JldA";
        let basic = base64::engine::general_purpose::STANDARD.encode("alice:hunter22");
        let text = format!(
            "GET /x?api_key=abcdef123456&page=2 HTTP/1.1\nAuthorization: Bearer {token}\nProxy-Authorization: Basic {basic}\nCookie: session=9f8e7d6c5b; theme=dark\n\n"
        );
        let redacted = redact(&text, &RedactOptions::default());
        assert_eq!(redacted.text.len(), text.len());
        assert!(!redacted.text.contains("c2lnbmF0dXJlLXNlY3JldA"));
        assert!(redacted.text.contains(
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.REDACTED"
        ));
        assert!(!redacted.text.contains("hunter22") && !redacted.text.contains(&basic));
        let user = redacted
            .text
            .split("Basic ")
            .nth(1)
            .unwrap()
            .lines()
            .next()
            .unwrap();
        let decoded = String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(user)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(decoded, "alice:REDACTED");
        assert!(
            redacted
                .text
                .contains("Cookie: session=REDACTEDRE; theme=dark")
        );
        assert!(!redacted.text.contains("abcdef123456") && redacted.text.contains("page=2"));
        assert!(redacted.check(&redacted.text).is_ok());
    }

    #[test]
    fn keep_and_extra_and_claims() {
        let text = "token=abcdef123456 ticket=T-99-XYZ eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln {\"note\": \"say \\\"T-99-XYZ\\\"\"}";
        let kept = redact(
            text,
            &RedactOptions {
                keep: vec!["abcdef123456".into()],
                extra: vec!["T-99-XYZ".into(), "nowhere".into()],
                redact_claims: true,
            },
        );
        assert!(kept.text.contains("abcdef123456"));
        assert!(!kept.text.contains("T-99-XYZ"));
        assert!(!kept.text.contains("eyJzdWIiOiJhIn0"));
        assert_eq!(kept.not_found, ["nowhere"]);
        let json = &kept.text[kept.text.find('{').unwrap()..];
        assert!(
            serde_json::from_str::<serde_json::Value>(json).is_ok(),
            "{json}"
        );
    }

    #[test]
    fn base64_bodies_are_decoded_redacted_and_encoded_again() {
        let body = base64::engine::general_purpose::STANDARD.encode(
            r#"{"access_token":"opaque-at-5647382910","token_type":"Bearer","expires_in":3600}"#,
        );
        let har = format!(
            r#"{{"log":{{"entries":[{{"request":{{"url":"https://a.test/token"}},"response":{{"status":200,"content":{{"mimeType":"application/json","encoding":"base64","text":"{body}"}}}}}}]}}}}"#
        );
        let redacted = redact(&har, &RedactOptions::default());
        assert!(redacted.check(&redacted.text).is_ok(), "{}", redacted.text);
        let value: serde_json::Value = serde_json::from_str(&redacted.text).unwrap();
        let text = value
            .pointer("/log/entries/0/response/content/text")
            .unwrap()
            .as_str()
            .unwrap();
        let decoded = String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .unwrap(),
        )
        .unwrap();
        assert!(
            decoded.contains("\"token_type\":\"Bearer\"") && !decoded.contains("opaque-at"),
            "{decoded}"
        );
        // Every copy is also looked for in its base64 forms: the body is masked either way.
        let copies_only = redact_with(
            &har,
            &RedactOptions::default(),
            Steps {
                base64_bodies: false,
                every_copy: true,
            },
        );
        assert!(copies_only.check(&copies_only.text).is_ok());
        // The net catches the secret when both steps are skipped.
        let skipped = redact_with(
            &har,
            &RedactOptions::default(),
            Steps {
                base64_bodies: false,
                every_copy: false,
            },
        );
        let leak = skipped.check(&skipped.text).unwrap_err();
        assert_eq!(leak.encoding, "base64-encoded");
    }

    /// Found by fuzzing: a secret's base64 form in a field nothing decodes (here a lock
    /// file's string) was left, and the net refused the output.
    #[test]
    fn a_base64_copy_anywhere_is_masked() {
        let signature = "jd1HO44h88Ucuwl-URjk-iXsWbJdCgenOhthaDIvUTM";
        let encoded = base64::engine::general_purpose::STANDARD.encode(format!("xx{signature}"));
        let text = format!(
            "$ curl -H 'Authorization: Token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.{signature}' http://a.test/\n{{\"node\": \">= 0.6p{encoded}\"}}\n"
        );
        let redacted = redact(&text, &RedactOptions::default());
        assert!(redacted.check(&redacted.text).is_ok(), "{}", redacted.text);
        assert_eq!(redacted.text.len(), text.len());
    }

    #[test]
    fn the_net_catches_a_copy_the_masking_missed() {
        let text = "Cookie: sid=s3cr3t-session-0a1b2c\n\n{\"echo\": \"s3cr3t-session-0a1b2c\"}";
        let skipped = redact_with(
            text,
            &RedactOptions::default(),
            Steps {
                base64_bodies: true,
                every_copy: false,
            },
        );
        assert!(skipped.check(&skipped.text).is_err());
        let full = redact(text, &RedactOptions::default());
        assert!(full.check(&full.text).is_ok(), "{}", full.text);
    }
}
