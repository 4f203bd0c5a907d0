//! The part of a HAR that a share link carries: the chosen entries, by their position in the
//! file (so entries that could not be read do not shift the choice), with long bodies
//! trimmed. Works on HARs that are cut off or start with a byte-order mark.

use base64::Engine;
use serde_json::Value;

use crate::input::har;

/// A body longer than this travels trimmed.
const BODY_LIMIT: usize = 4096;

/// A HAR holding only some of the entries of another.
pub(crate) struct Selection {
    pub text: String,
    /// The positions of the kept entries in the original file.
    pub kept: Vec<usize>,
    /// How many entries the original file has.
    pub total: usize,
}

/// A HAR of the entries at `positions` of `text` (all entries when `None`), or `None` when
/// `text` has no readable `log.entries`.
pub(crate) fn select(text: &str, positions: Option<&[usize]>) -> Option<Selection> {
    let layout = har::layout(text)?;
    let (_, slices, _) = layout.entries?;
    let total = slices.len();
    let wanted: std::collections::HashSet<usize> =
        positions.map_or_else(|| (0..total).collect(), |p| p.iter().copied().collect());
    let mut kept = Vec::new();
    let mut entries = Vec::new();
    for (position, &(start, end)) in slices.iter().enumerate() {
        if !wanted.contains(&position) {
            continue;
        }
        // An entry that is not valid JSON cannot be trimmed; it travels as it is.
        let entry = match serde_json::from_str::<Value>(&text[start..end]) {
            Ok(mut value) => {
                trim(&mut value);
                serde_json::to_string_pretty(&value).unwrap_or_else(|_| text[start..end].to_owned())
            }
            Err(_) => text[start..end].to_owned(),
        };
        kept.push(position);
        entries.push(entry);
    }
    let pages = layout
        .pages
        .map(|(start, end)| format!("\"pages\": {},\n", &text[start..end]))
        .unwrap_or_default();
    let text = format!(
        "{{\"log\": {{\n\"version\": \"1.2\",\n\"creator\": {{\"name\": \"httpdx share\", \"version\": \"{}\"}},\n{pages}\"entries\": [\n{}\n]}}}}\n",
        env!("CARGO_PKG_VERSION"),
        entries.join(",\n")
    );
    Some(Selection { text, kept, total })
}

/// Long bodies trimmed (the cut said in a field, never inside the body), and the page's
/// script stacks dropped: noise for the diagnosis.
fn trim(entry: &mut Value) {
    for pointer in ["/response/content", "/request/postData"] {
        let Some(Value::Object(body)) = entry.pointer_mut(pointer) else {
            continue;
        };
        let base64 = body.get("encoding").and_then(Value::as_str) == Some("base64");
        let Some(Value::String(text)) = body.get_mut("text") else {
            continue;
        };
        let total = text.len();
        if base64 {
            // Trim the decoded bytes, so the body stays decodable.
            let engine = base64::engine::general_purpose::STANDARD;
            let Ok(bytes) = engine.decode(text.trim()) else {
                continue;
            };
            if bytes.len() <= BODY_LIMIT {
                continue;
            }
            *text = engine.encode(&bytes[..BODY_LIMIT]);
            body.insert(
                "_httpdxTrimmed".into(),
                serde_json::json!({"kept": BODY_LIMIT, "total": bytes.len()}),
            );
        } else if total > BODY_LIMIT {
            let cut = text.floor_char_boundary(BODY_LIMIT);
            text.truncate(cut);
            body.insert(
                "_httpdxTrimmed".into(),
                serde_json::json!({"kept": cut, "total": total}),
            );
        }
    }
    if let Some(object) = entry.as_object_mut() {
        object.remove("_initiator");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chooses_by_position_in_the_file_even_after_an_unreadable_entry() {
        let text = "\u{feff}{\"log\":{\"entries\":[{\"time\":\"n/a\",\"request\":{\"url\":5}},{\"request\":{\"method\":\"GET\",\"url\":\"https://a.test/1\"},\"response\":{\"status\":401}},{\"request\":{\"method\":\"GET\",\"url\":\"https://a.test/2\"},\"response\":{\"status\":200}},{\"request\":{\"url\":";
        let selection = select(text, Some(&[1])).unwrap();
        assert_eq!(selection.kept, [1]);
        assert_eq!(selection.total, 3);
        assert!(selection.text.contains("https://a.test/1"));
        assert!(!selection.text.contains("https://a.test/2") && !selection.text.contains("n/a"));
        let value: Value = serde_json::from_str(&selection.text).unwrap();
        assert_eq!(
            value
                .pointer("/log/entries")
                .unwrap()
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}
