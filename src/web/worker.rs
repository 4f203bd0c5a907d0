//! Large inputs are diagnosed in a Web Worker so the page stays responsive. The worker
//! (`src/bin/httpdx-worker.rs`, built by Trunk as a worker) runs the same engine and replies
//! with the report as JSON, bodies cut to what the page shows.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::input::Format;
use crate::report::Report;

/// The page shows at most this much of a body; the worker sends no more.
pub const BODY_SHOWN: usize = 16 * 1024;

/// What the worker says once it listens.
pub const READY: &str = "ready";

/// The loader Trunk writes for the worker bin (`data-loader-shim`).
pub const SCRIPT: &str = "./httpdx-worker_loader.js";

#[derive(serde::Serialize, serde::Deserialize)]
pub struct Reply {
    pub job: u32,
    pub result: Result<Report, String>,
}

fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// The message the page posts: `{job, text, format, referenceTime}`.
pub fn job_message(
    job: u32,
    text: &str,
    format: Option<Format>,
    reference_time: Option<i64>,
) -> JsValue {
    let message = js_sys::Object::new();
    let set = |name: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&message, &JsValue::from_str(name), &value);
    };
    set("job", JsValue::from(job));
    set("text", JsValue::from_str(text));
    set(
        "format",
        format.map_or(JsValue::NULL, |f| JsValue::from_str(f.name())),
    );
    set(
        "referenceTime",
        reference_time.map_or(JsValue::NULL, |t| {
            JsValue::from_f64(crate::knowledge::number::seconds(t))
        }),
    );
    message.into()
}

/// Cuts bodies to what the page shows, saying how much was left out.
fn trim_bodies(report: &mut Report) {
    let bodies = report.exchanges.iter_mut().flat_map(|e| {
        e.request
            .as_mut()
            .and_then(|r| r.body.as_mut())
            .into_iter()
            .chain(e.response.as_mut().and_then(|r| r.body.as_mut()))
    });
    for body in bodies {
        if body.text.len() > BODY_SHOWN {
            let cut = body.text.floor_char_boundary(BODY_SHOWN);
            let dropped = body.text.len() - cut;
            body.text.truncate(cut);
            body.text.push_str(&format!("\n…[{dropped} more bytes]"));
        }
    }
}

/// Runs one job: the worker's whole purpose.
fn handle(message: &JsValue) -> Reply {
    let job = field(message, "job")
        .as_f64()
        .and_then(|j| u32::try_from(crate::knowledge::number::count(j)).ok())
        .unwrap_or(0);
    let text = field(message, "text").as_string().unwrap_or_default();
    let format = field(message, "format")
        .as_string()
        .and_then(|f| Format::from_name(&f));
    let reference_time = field(message, "referenceTime")
        .as_f64()
        .map(crate::knowledge::number::whole);
    let result = crate::diagnose(
        &text,
        &crate::Options {
            format,
            reference_time,
        },
    )
    .map_err(|e| e.to_string())
    .map(|mut report| {
        trim_bodies(&mut report);
        report
    });
    Reply { job, result }
}

/// The worker's main: answer every job message with a JSON reply.
pub fn serve() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let reply = handle(&event.data());
            let json = serde_json::to_string(&reply).unwrap_or_else(|e| {
                format!("{{\"job\":{},\"result\":{{\"Err\":\"{e}\"}}}}", reply.job)
            });
            let _ = reply_to.post_message(&JsValue::from_str(&json));
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages sent before this handler existed were dropped: the page waits for this.
    let _ = scope.post_message(&JsValue::from_str(READY));
}

/// Reads a reply posted by the worker.
pub fn read_reply(data: &JsValue) -> Option<Reply> {
    serde_json::from_str(&data.as_string()?).ok()
}
