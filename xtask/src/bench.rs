//! `cargo xtask bench`: the benchmarks, which take minutes and are not part of `test` — the
//! engine natively with criterion, the page's size budget, then the page in headless
//! Chromium against the browser's own `JSON.parse` of the same HAR (`tests/e2e/bench.mjs`),
//! and a 500 MB HAR opened in the page with Chromium's peak memory (`tests/e2e/huge.mjs`).

use crate::env::{root, run, run_in, setup};

pub(crate) fn bench() -> Result<(), String> {
    let env = setup()?;
    crate::test::ensure_test_packages(&env)?;
    run(&env, "cargo", &["bench", "--bench", "pipeline"])?;
    crate::dist::dist(&env)?;
    crate::budget::check(&root().join("dist"))?;
    let e2e = root().join("tests/e2e");
    crate::test::ensure_e2e_packages(&env, &e2e)?;
    run_in(&env, &e2e, "node", &["bench.mjs"])?;
    // A 500 MB HAR opens without crashing the tab (written to the temporary directory once).
    run_in(&env, &e2e, "node", &["huge.mjs"])
}
