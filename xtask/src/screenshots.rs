//! `cargo xtask screenshots`: the README's screenshots, into docs/screenshots/ — a pasted
//! `curl -v` 401, a HAR with mixed failures and a shared link, on a desktop and a 390 px
//! phone, light and dark (`tests/e2e/screenshots.mjs`), from the page built as deployed.

use crate::env::{root, run_in, setup};

pub(crate) fn screenshots() -> Result<(), String> {
    let env = setup()?;
    crate::test::ensure_test_packages(&env)?;
    crate::dist::dist(&env)?;
    let e2e = root().join("tests/e2e");
    crate::test::ensure_e2e_packages(&env, &e2e)?;
    run_in(&env, &e2e, "node", &["screenshots.mjs"])
}
