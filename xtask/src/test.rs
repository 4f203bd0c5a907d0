//! `cargo xtask test`: every test, the page built once.

use std::path::Path;

use crate::env::{Env, output, root, run, run_in, setup};

/// Debian packages the tests need: Chromium and ChromeDriver for the browser tests,
/// valgrind for the scaling tests (they count instructions with callgrind).
pub(crate) fn ensure_test_packages(env: &Env) -> Result<(), String> {
    let wanted = [
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
        ("/usr/bin/valgrind", "valgrind"),
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(path, _)| !Path::new(path).exists())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let sudo = if output(env, "id", &["-u"]).is_some_and(|u| u.trim() == "0") {
        None
    } else {
        Some("sudo")
    };
    let apt = |args: &[&str]| match sudo {
        Some(s) => run(env, s, &[&["apt-get"], args].concat()),
        None => run(env, "apt-get", args),
    };
    apt(&["update"])?;
    apt(&[
        &["install", "-y", "--no-install-recommends"],
        missing.as_slice(),
    ]
    .concat())
}

pub(crate) fn test() -> Result<(), String> {
    let env = setup()?;
    ensure_test_packages(&env)?;
    run(&env, "cargo", &["fmt", "--all", "--", "--check"])?;
    run(
        &env,
        "cargo",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    run(
        &env,
        "cargo",
        &[
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--bin",
            "httpdx-web",
            "--bin",
            "httpdx-worker",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // The npm package's JavaScript API (src/wasm.rs, feature js-api).
    run(
        &env,
        "cargo",
        &[
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--features",
            "js-api",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    // Engine, readers, rules, snapshots, CLI: native.
    run(&env, "cargo", &["test"])?;
    // xtask's own: the man pages, the dist folder's rewriting, the finding pages.
    run(&env, "cargo", &["test", "-p", "xtask"])?;
    // Components of the page in headless Chromium (wasm-bindgen-test through ChromeDriver).
    run(
        &env,
        "cargo",
        &["test", "--target", "wasm32-unknown-unknown", "--lib"],
    )?;
    // The page, built once, in release, as deployed (dist/), and the npm package (pkg/);
    // then both driven in headless Chromium (and the package in Node).
    crate::dist::dist(&env)?;
    crate::budget::check(&root().join("dist"))?;
    crate::pkg::pkg(&env)?;
    let e2e = root().join("tests/e2e");
    if !["playwright-core", "axe-core"]
        .iter()
        .all(|p| e2e.join("node_modules").join(p).exists())
    {
        run_in(&env, &e2e, "npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    run_in(
        &env,
        &e2e,
        "node",
        &[
            "--test",
            "--test-concurrency=1",
            "page.test.mjs",
            "dist.test.mjs",
            "offline.test.mjs",
            "pkg.test.mjs",
        ],
    )
}
