//! The JavaScript entry point of the wasm build: `diagnose(text, options)` returns the same
//! report as the CLI's `--json`, as a JS object. The page, a Web Worker or any embedding
//! script share it.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::input::Format;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct JsOptions {
    format: Option<String>,
    reference_time: Option<f64>,
    /// Share helpers: the HAR entries to share (default: all).
    exchanges: Option<Vec<usize>>,
    /// Share helpers: also hide JWT claims; values to keep; more text to redact.
    #[serde(default)]
    redact_claims: bool,
    #[serde(default)]
    keep: Vec<String>,
    #[serde(default)]
    redact: Vec<String>,
}

impl JsOptions {
    fn read(options: JsValue) -> Result<Self, JsError> {
        if options.is_undefined() || options.is_null() {
            return Ok(JsOptions::default());
        }
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsError::new(&format!("invalid options: {e}")))
    }

    fn engine(&self) -> Result<crate::Options, JsError> {
        let format = match self.format.as_deref() {
            None | Some("" | "auto") => None,
            Some(name) => Some(
                Format::from_name(name)
                    .ok_or_else(|| JsError::new(&format!("unknown format `{name}`")))?,
            ),
        };
        Ok(crate::Options {
            format,
            reference_time: self.reference_time.map(crate::knowledge::number::whole),
        })
    }

    fn redaction(&self) -> crate::share::RedactOptions {
        crate::share::RedactOptions {
            redact_claims: self.redact_claims,
            keep: self.keep.clone(),
            extra: self.redact.clone(),
        }
    }
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// `shareLink(text, base, options?)` → `{url, redactions}`: a link to the diagnosis under
/// `base`, the input redacted and compressed in its fragment.
#[wasm_bindgen(js_name = shareLink)]
#[allow(unreachable_pub, reason = "exported to JavaScript by wasm-bindgen")]
pub fn share_link(text: &str, base: &str, options: JsValue) -> Result<JsValue, JsError> {
    let options = JsOptions::read(options)?;
    let link = crate::share::share(
        text,
        &options.engine()?,
        base,
        options.exchanges.as_deref(),
        &options.redaction(),
    )
    .map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&serde_json::json!({
        "url": link.url,
        "redactions": link.redacted.redactions.len(),
    }))
}

/// `openLink(link)` → `{text, report}`: the input a share link carries, and its diagnosis.
#[wasm_bindgen(js_name = openLink)]
#[allow(unreachable_pub, reason = "exported to JavaScript by wasm-bindgen")]
pub fn open_link(link: &str) -> Result<JsValue, JsError> {
    let (shared, report) = crate::share::open(link).map_err(|e| JsError::new(&e))?;
    to_js(&serde_json::json!({ "text": shared.text, "report": report }))
}

/// `markdown(text, options?)` → the diagnosis as Markdown, computed on the redacted input.
#[wasm_bindgen]
#[allow(unreachable_pub, reason = "exported to JavaScript by wasm-bindgen")]
pub fn markdown(text: &str, options: JsValue) -> Result<String, JsError> {
    let options = JsOptions::read(options)?;
    crate::share::markdown_for(
        text,
        &options.engine()?,
        options.exchanges.as_deref(),
        &options.redaction(),
    )
    .map_err(|e| JsError::new(&e.to_string()))
}

/// `redact(text, options?)` → `{text, redactions}`: the whole input with every secret masked.
#[wasm_bindgen]
#[allow(unreachable_pub, reason = "exported to JavaScript by wasm-bindgen")]
pub fn redact(text: &str, options: JsValue) -> Result<JsValue, JsError> {
    let options = JsOptions::read(options)?;
    let redacted = crate::share::redact_file(text, &options.redaction())
        .map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&serde_json::json!({
        "text": redacted.text,
        "redactions": redacted.redactions.len(),
    }))
}

/// `diagnose(text, {format?: "har", referenceTime?: seconds})` → report object.
/// Throws an Error with a readable message when the input cannot be read at all.
#[wasm_bindgen]
#[allow(unreachable_pub, reason = "exported to JavaScript by wasm-bindgen")]
pub fn diagnose(text: &str, options: JsValue) -> Result<JsValue, JsError> {
    let options = JsOptions::read(options)?.engine()?;
    crate::memory::make_room(text.len().saturating_mul(crate::memory::DIAGNOSIS_ROOM));
    let report = crate::diagnose(text, &options).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&report)
}
