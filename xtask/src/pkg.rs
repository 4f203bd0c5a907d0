//! `cargo xtask pkg`: the npm package `httpdx` in pkg/ — the library built for wasm with the
//! `js-api` feature (src/wasm.rs), wasm-bindgen's `--target web` glue (the browser entry),
//! a Node entry that loads the wasm from disk (js/node.js), and the TypeScript declarations
//! of the report (js/index.d.ts, checked against the engine by tests/typescript.rs).

use crate::env::{Env, root, run};

pub(crate) fn pkg(env: &Env) -> Result<(), String> {
    run(
        env,
        "cargo",
        &[
            "rustc",
            "--lib",
            "--crate-type",
            "cdylib",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            "wasm-release",
            "--features",
            "js-api",
            "--quiet",
        ],
    )?;
    let root = root();
    let out = root.join("pkg");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("pkg/: {e}"))?;
    }
    run(
        env,
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            "pkg",
            "--out-name",
            "httpdx",
            "target/wasm32-unknown-unknown/wasm-release/httpdx.wasm",
        ],
    )?;
    run(
        env,
        "wasm-opt",
        &[
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
            "pkg/httpdx_bg.wasm",
            "-o",
            "pkg/httpdx_bg.wasm",
        ],
    )?;
    for file in ["node.js", "index.d.ts", "README.md"] {
        std::fs::copy(root.join("js").join(file), out.join(file))
            .map_err(|e| format!("js/{file}: {e}"))?;
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let field = |name: &str| {
        manifest
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} = \"")))
            .map(|v| v.trim_end_matches('"').to_owned())
            .ok_or_else(|| format!("Cargo.toml has no {name}"))
    };
    let package = serde_json_text(&field("version")?, &field("description")?);
    std::fs::write(out.join("package.json"), package).map_err(|e| e.to_string())?;
    let wasm = std::fs::metadata(out.join("httpdx_bg.wasm")).map_or(0, |m| m.len());
    eprintln!(
        "xtask: pkg/ is ready (httpdx_bg.wasm {} KB); npm pack pkg/ makes the tarball",
        wasm / 1024
    );
    Ok(())
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn serde_json_text(version: &str, description: &str) -> String {
    format!(
        r#"{{
  "name": "httpdx",
  "version": {},
  "description": {},
  "license": "MIT",
  "type": "module",
  "main": "./node.js",
  "types": "./index.d.ts",
  "exports": {{
    ".": {{
      "types": "./index.d.ts",
      "node": "./node.js",
      "default": "./httpdx.js"
    }},
    "./httpdx_bg.wasm": "./httpdx_bg.wasm"
  }},
  "files": ["httpdx.js", "httpdx_bg.wasm", "node.js", "index.d.ts", "README.md"],
  "sideEffects": ["./node.js"],
  "keywords": ["http", "api", "debugging", "har", "curl", "cors", "webassembly"],
  "engines": {{ "node": ">=20" }}
}}
"#,
        quote(version),
        quote(description)
    )
}
