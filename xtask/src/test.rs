//! `cargo xtask test`: every test, the page built once.

use std::path::Path;

use crate::env::{Env, output, root, run, run_in, setup};

/// The geckodriver the Firefox smoke test drives Firefox ESR with (from crates.io).
const GECKODRIVER_VERSION: &str = "0.37.1";

/// Debian packages the tests need: Chromium and ChromeDriver for the browser tests,
/// Firefox ESR for the Firefox smoke test (unless `FIREFOX` names another Firefox: Ubuntu, CI's
/// runners among them, packages no firefox-esr), valgrind for the scaling tests (they count
/// instructions with callgrind).
pub(crate) fn ensure_test_packages(env: &Env) -> Result<(), String> {
    let other_firefox = std::env::var_os("FIREFOX").is_some_and(|p| Path::new(&p).exists());
    let wanted = [
        ("/usr/bin/chromium", "chromium"),
        ("/usr/bin/chromedriver", "chromium-driver"),
        ("/usr/bin/firefox-esr", "firefox-esr"),
        ("/usr/bin/valgrind", "valgrind"),
    ];
    let missing: Vec<&str> = wanted
        .iter()
        .filter(|(_, package)| !(*package == "firefox-esr" && other_firefox))
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

/// The end-to-end tests' npm packages (tests/e2e/package-lock.json), when missing.
pub(crate) fn ensure_e2e_packages(env: &Env, e2e: &Path) -> Result<(), String> {
    if ["playwright-core", "axe-core"]
        .iter()
        .all(|p| e2e.join("node_modules").join(p).exists())
    {
        return Ok(());
    }
    run_in(env, e2e, "npm", &["ci", "--no-audit", "--no-fund"])
}

/// geckodriver at GECKODRIVER_VERSION, built from crates.io into cargo's bin folder (on PATH
/// in `env`) when missing or another version: Debian packages no geckodriver.
fn ensure_geckodriver(env: &Env) -> Result<(), String> {
    let have = output(env, "geckodriver", &["--version"]).unwrap_or_default();
    let first_line = have.lines().next().unwrap_or_default();
    if first_line.split_whitespace().nth(1) == Some(GECKODRIVER_VERSION) {
        return Ok(());
    }
    run(
        env,
        "cargo",
        &[
            "install",
            "geckodriver",
            "--version",
            GECKODRIVER_VERSION,
            "--locked",
            "--force",
        ],
    )
}

pub(crate) fn test() -> Result<(), String> {
    let env = setup()?;
    ensure_test_packages(&env)?;
    ensure_geckodriver(&env)?;
    run(&env, "cargo", &["fmt", "--all", "--", "--check"])?;
    // Natively; the page and its worker for wasm; and the npm package's JavaScript API
    // (src/wasm.rs, feature js-api). Every warning fails.
    for targets in [
        &["--workspace", "--all-targets"][..],
        &[
            "--target",
            "wasm32-unknown-unknown",
            "--bin",
            "httpdx-web",
            "--bin",
            "httpdx-worker",
        ],
        &[
            "--target",
            "wasm32-unknown-unknown",
            "--lib",
            "--features",
            "js-api",
        ],
    ] {
        let args = [
            &["clippy"][..],
            targets,
            &["--quiet", "--", "-D", "warnings"],
        ]
        .concat();
        run(&env, "cargo", &args)?;
    }
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
    // then both driven in headless Chromium (and the package in Node), and the page smoke
    // tested in headless Firefox ESR over WebDriver.
    crate::dist::dist(&env)?;
    crate::budget::check(&root().join("dist"))?;
    crate::pkg::pkg(&env)?;
    let e2e = root().join("tests/e2e");
    ensure_e2e_packages(&env, &e2e)?;
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
            "firefox.test.mjs",
        ],
    )
}
