//! The link format: `BASE#v1.<base64url(deflate(JSON))>`. The data stays in the fragment,
//! which browsers never send to a server. The version prefix keeps old links readable after
//! the format changes.

use base64::Engine;
use serde::{Deserialize, Serialize};

/// The longest link fragment accepted: far beyond what chat tools and trackers keep.
pub const MAX_LINK_CHARS: usize = 512 * 1024;
/// The most a link may decompress to (a decompression bomb stops here).
pub const MAX_SHARED_BYTES: usize = 8 * 1024 * 1024;

const VERSION: &str = "v1";

/// What a link carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    #[serde(rename = "t")]
    pub text: String,
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The reference time of the time-dependent findings, so they come out the same.
    #[serde(rename = "r", default, skip_serializing_if = "Option::is_none")]
    pub reference_time: Option<i64>,
    /// The finding IDs the sharer saw.
    #[serde(rename = "i", default)]
    pub finding_ids: Vec<String>,
    /// For a HAR, which of its entries travel (by position in the file) and how many it had.
    #[serde(rename = "e", default, skip_serializing_if = "Option::is_none")]
    pub entries: Option<SharedEntries>,
    /// Finding IDs the sharer saw that need entries left out of the link.
    #[serde(rename = "l", default, skip_serializing_if = "Vec::is_empty")]
    pub left_out_ids: Vec<String>,
}

/// The entries of a HAR a link carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedEntries {
    #[serde(rename = "k")]
    pub kept: Vec<usize>,
    #[serde(rename = "n")]
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    NoData,
    UnknownVersion(String),
    TooLong(usize),
    Damaged(&'static str),
    TooLarge,
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LinkError::NoData => write!(f, "the link carries no diagnosis (nothing after `#v1.`)"),
            LinkError::UnknownVersion(v) => write!(
                f,
                "the link was made by another version of httpdx (format `{v}`); this one reads `{VERSION}`"
            ),
            LinkError::TooLong(n) => write!(
                f,
                "the link is {n} characters long; httpdx opens links up to {MAX_LINK_CHARS}"
            ),
            LinkError::Damaged(what) => write!(
                f,
                "the link is damaged or incomplete ({what}); copy it again in full"
            ),
            LinkError::TooLarge => write!(
                f,
                "the link expands to more than {} MB; httpdx refuses it",
                MAX_SHARED_BYTES / 1024 / 1024
            ),
        }
    }
}

impl std::error::Error for LinkError {}

#[allow(
    clippy::expect_used,
    reason = "a struct of strings and numbers always serializes"
)]
pub fn encode_link(base: &str, shared: &Shared) -> String {
    let json = serde_json::to_vec(shared).expect("shared data serializes");
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 10);
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed);
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#{VERSION}.{encoded}")
}

/// The fragment's parameters after the data: `#v1.<data>&entry=12`. Base64url never holds
/// `&`, so links made before parameters existed read the same.
fn split_params(fragment: &str) -> (&str, &str) {
    fragment.split_once('&').unwrap_or((fragment, ""))
}

/// The HAR entry a link names (`&entry=N`: its position in the shared file's
/// `log.entries`), if it names one.
pub fn link_entry(link: &str) -> Option<usize> {
    let fragment = link.rsplit_once('#').map_or(link, |(_, f)| f).trim();
    split_params(fragment)
        .1
        .split('&')
        .find_map(|p| p.strip_prefix("entry="))
        .and_then(|n| n.parse().ok())
}

/// The same link naming HAR entry `entry` (or none): its other parameters are kept.
pub fn with_entry(link: &str, entry: Option<usize>) -> String {
    let (before, fragment) = link.rsplit_once('#').map_or(("", link), |(b, f)| (b, f));
    let (data, params) = split_params(fragment.trim());
    let mut out = if link.contains('#') {
        format!("{before}#{data}")
    } else {
        data.to_owned()
    };
    for param in params
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("entry="))
    {
        out.push('&');
        out.push_str(param);
    }
    if let Some(entry) = entry {
        out.push_str(&format!("&entry={entry}"));
    }
    out
}

/// Reads a link, or just its fragment (with or without `#`); parameters after the data
/// (`&entry=12`) do not change what it carries.
pub fn decode_link(link: &str) -> Result<Shared, LinkError> {
    let fragment = link.rsplit_once('#').map_or(link, |(_, f)| f).trim();
    let fragment = split_params(fragment).0;
    if fragment.len() > MAX_LINK_CHARS {
        return Err(LinkError::TooLong(fragment.len()));
    }
    let (version, data) = fragment.split_once('.').ok_or(LinkError::NoData)?;
    if version != VERSION {
        return Err(LinkError::UnknownVersion(
            version.chars().take(12).collect(),
        ));
    }
    if data.is_empty() {
        return Err(LinkError::NoData);
    }
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(data.trim_end_matches('='))
        .map_err(|_| LinkError::Damaged("not base64url"))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_SHARED_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => LinkError::TooLarge,
            _ => LinkError::Damaged("not compressed data"),
        })?;
    serde_json::from_slice(&json).map_err(|_| LinkError::Damaged("not a diagnosis"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_parameter_names_an_entry_and_changes_nothing_else() {
        let link = encode_link("https://httpdx.example/", &sample());
        assert_eq!(link_entry(&link), None);
        let named = with_entry(&link, Some(12));
        assert!(named.ends_with("&entry=12"), "{named}");
        assert_eq!(link_entry(&named), Some(12));
        assert_eq!(decode_link(&named), decode_link(&link));
        // Choosing another entry replaces the parameter; none removes it.
        assert_eq!(link_entry(&with_entry(&named, Some(3))), Some(3));
        assert_eq!(with_entry(&named, None), link);
        // A fragment alone, as the page reads `location.hash`.
        let fragment = format!("#{}", named.split_once('#').unwrap().1);
        assert_eq!(link_entry(&fragment), Some(12));
        assert_eq!(
            with_entry(&fragment, Some(4)),
            fragment.replace("=12", "=4")
        );
        assert_eq!(link_entry("#v1.abc&entry=x"), None);
    }

    fn sample() -> Shared {
        Shared {
            text: "HTTP/1.1 401 Unauthorized\n\n".into(),
            format: Some("raw-http".into()),
            reference_time: Some(1),
            finding_ids: vec!["auth.header-missing".into()],
            entries: None,
            left_out_ids: Vec::new(),
        }
    }

    #[test]
    fn round_trips_and_keeps_the_base() {
        let link = encode_link("https://httpdx.example/#old", &sample());
        assert!(link.starts_with("https://httpdx.example/#v1."));
        assert_eq!(decode_link(&link).unwrap(), sample());
        assert_eq!(
            decode_link(link.split('#').nth(1).unwrap()).unwrap(),
            sample()
        );
    }

    #[test]
    fn bad_links_say_what_is_wrong() {
        let link = encode_link("x", &sample());
        assert_eq!(
            decode_link(&link[..link.len() - 6]),
            Err(LinkError::Damaged("not compressed data"))
        );
        assert!(matches!(
            decode_link("#v9.abc"),
            Err(LinkError::UnknownVersion(_))
        ));
        assert_eq!(decode_link("#v1."), Err(LinkError::NoData));
        assert_eq!(
            decode_link("#v1.@@@"),
            Err(LinkError::Damaged("not base64url"))
        );
        let long = format!("#v1.{}", "A".repeat(MAX_LINK_CHARS + 1));
        assert!(matches!(decode_link(&long), Err(LinkError::TooLong(_))));
        // 64 MB of zeros compress to a few KB: refused, not inflated.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'a'; 64 * 1024 * 1024], 10);
        let fragment = format!(
            "v1.{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bomb)
        );
        assert_eq!(decode_link(&fragment), Err(LinkError::TooLarge));
    }
}
