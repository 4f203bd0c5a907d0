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
}

/// `diagnose(text, {format?: "har", referenceTime?: seconds})` → report object.
/// Throws an Error with a readable message when the input cannot be read at all.
#[wasm_bindgen]
#[allow(unreachable_pub, reason = "exported to JavaScript by wasm-bindgen")]
pub fn diagnose(text: &str, options: JsValue) -> Result<JsValue, JsError> {
    let options: JsOptions = if options.is_undefined() || options.is_null() {
        JsOptions::default()
    } else {
        serde_wasm_bindgen::from_value(options)
            .map_err(|e| JsError::new(&format!("invalid options: {e}")))?
    };
    let format = match options.format.as_deref() {
        None | Some("" | "auto") => None,
        Some(name) => Some(
            Format::from_name(name)
                .ok_or_else(|| JsError::new(&format!("unknown format `{name}`")))?,
        ),
    };
    let options = crate::Options {
        format,
        reference_time: options.reference_time.map(crate::knowledge::number::whole),
    };
    let report = crate::diagnose(text, &options).map_err(|e| JsError::new(&e.to_string()))?;
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    serde::Serialize::serialize(&report, &serializer).map_err(|e| JsError::new(&e.to_string()))
}
