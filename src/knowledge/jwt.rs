//! JSON Web Tokens (RFC 7519): decoded without verifying, to read what the server read.

use std::rc::Rc;

use base64::Engine;
use serde_json::{Map, Value};

/// A decoded token. Its parts are shared: a capture repeats one token in every request, and
/// it is decoded once (see [`decode`]).
#[derive(Debug, Clone)]
pub(crate) struct Jwt {
    /// The JOSE header (`alg`, `typ`, `kid` …).
    pub header: Rc<Map<String, Value>>,
    pub claims: Rc<Map<String, Value>>,
}

/// Decodes `token` when it is three base64url parts whose first two are JSON objects and
/// whose header names an `alg`.
pub(crate) fn decode(token: &str) -> Option<Jwt> {
    let mut parts = token.split('.');
    let (header, claims, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || header.len() < 10 {
        return None;
    }
    thread_local! {
        static DECODED: super::memo::Answers<Option<Jwt>> = super::memo::Answers::default();
    }
    super::memo::remember(&DECODED, token, || decode_parts(header, claims))
}

fn decode_parts(header: &str, claims: &str) -> Option<Jwt> {
    let object = |part: &str| -> Option<Map<String, Value>> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part.trim_end_matches('='))
            .ok()?;
        match serde_json::from_slice(&bytes).ok()? {
            Value::Object(map) => Some(map),
            _ => None,
        }
    };
    let header = object(header)?;
    header.get("alg")?;
    Some(Jwt {
        claims: Rc::new(object(claims)?),
        header: Rc::new(header),
    })
}

/// Where a JWT-shaped run of characters starts and ends in `text`: `eyJ…` parts joined by dots.
pub(crate) fn find_tokens(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(rel) = memchr::memmem::find(&bytes[from..], b"eyJ") {
            let start = from + rel;
            let mut end = start;
            let mut dots = 0;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'-' | b'_' | b'.'))
            {
                dots += usize::from(bytes[end] == b'.');
                end += 1;
            }
            from = end.max(start + 3);
            let boundary_ok = start == 0
                || !(bytes[start - 1].is_ascii_alphanumeric()
                    || matches!(bytes[start - 1], b'-' | b'_'));
            if dots == 2 && boundary_ok && decode(&text[start..end]).is_some() {
                return Some((start, end));
            }
        }
        None
    })
}

impl Jwt {
    fn number(&self, claim: &str) -> Option<i64> {
        let value = self.claims.get(claim)?;
        value
            .as_i64()
            .or_else(|| value.as_f64().map(crate::knowledge::number::whole))
    }

    pub(crate) fn exp(&self) -> Option<i64> {
        self.number("exp")
    }

    pub(crate) fn nbf(&self) -> Option<i64> {
        self.number("nbf")
    }

    pub(crate) fn iat(&self) -> Option<i64> {
        self.number("iat")
    }

    pub(crate) fn string_claim(&self, claim: &str) -> Option<&str> {
        self.claims.get(claim)?.as_str()
    }

    /// `aud` is a string or an array of strings.
    pub(crate) fn audiences(&self) -> Vec<&str> {
        match self.claims.get("aud") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Scopes from `scope` (space-separated), `scp` (string or array), or `scopes`/
    /// `permissions` arrays: the claim they were read from, and the scopes.
    pub(crate) fn scope_claim(&self) -> Option<(&'static str, Vec<&str>)> {
        for claim in ["scope", "scp", "scopes", "permissions"] {
            match self.claims.get(claim) {
                Some(Value::String(s)) => return Some((claim, s.split_whitespace().collect())),
                Some(Value::Array(items)) => {
                    return Some((claim, items.iter().filter_map(Value::as_str).collect()));
                }
                _ => {}
            }
        }
        None
    }
}

/// Where a rule quotes a claim it read: the evidence's location. Its quote starts with the
/// claim's name (`"exp": 1795598625 (…)`, `scope: items:read`), which is how the token panel
/// learns which finding used which claim.
pub(crate) const CLAIM_EVIDENCE: &str = "JWT claim";

/// The claim a piece of evidence quotes, when it quotes one (see [`CLAIM_EVIDENCE`]).
pub(crate) fn claim_quoted(evidence: &crate::report::Evidence) -> Option<&str> {
    if evidence.location != CLAIM_EVIDENCE {
        return None;
    }
    let name = evidence.quote.split(':').next()?.trim().trim_matches('"');
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_finds_tokens() {
        // {"alg":"HS256","typ":"JWT"}.{"sub":"1","exp":1700000000,"scope":"read write"}
        let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwiZXhwIjoxNzAwMDAwMDAwLCJzY29wZSI6InJlYWQgd3JpdGUifQ.c2ln";
        let jwt = decode(token).unwrap();
        assert_eq!(jwt.exp(), Some(1_700_000_000));
        assert_eq!(jwt.scope_claim(), Some(("scope", vec!["read", "write"])));
        let text = format!("Authorization: Bearer {token}\n");
        assert_eq!(
            find_tokens(&text).collect::<Vec<_>>(),
            vec![(22, 22 + token.len())]
        );
        assert!(decode("a.b.c").is_none());
    }
}
