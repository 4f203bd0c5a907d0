//! The project's commands, which install whatever is missing first:
//!
//! - `cargo xtask serve`: build the page and serve it on http://127.0.0.1:8080
//! - `cargo xtask test`: every test — native, engine snapshots, CLI, and the page in headless
//!   Chromium against the release build (the deployable dist/).
//! - `cargo xtask build`: only the page, into dist/ (Trunk).
//! - `cargo xtask dist`: dist/ ready to deploy: hashed files, finding pages, header files.
//! - `cargo xtask pkg`: the npm package into pkg/.
//! - `cargo xtask man`: the CLI's man pages into target/man/.
//! - `cargo xtask size`: the page's files against their size budget.
//! - `cargo xtask bench`: the benchmarks (criterion, and the page against `JSON.parse`).
//! - `cargo xtask screenshots`: the README's screenshots into docs/screenshots/.
//!
//! Installs: the wasm32 target, wasm-bindgen-cli at the version in Cargo.lock, Trunk 0.21,
//! wasm-opt (npm `binaryen`), Chromium, ChromeDriver and Firefox ESR (Debian packages),
//! geckodriver (crates.io, for the tests), the end-to-end test's npm packages. See ../shared
//! notes: Trunk 0.22 needs a newer rustc, Debian's binaryen is too old for what rustc emits.

mod bench;
mod budget;
mod dist;
mod env;
mod findings;
mod man;
mod pkg;
mod screenshots;
mod test;

use std::process::ExitCode;

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "serve" => serve(),
        "test" => test::test(),
        "build" => env::setup().and_then(|env| env::build_page(&env)),
        "man" => man::man(),
        "dist" => env::setup().and_then(|env| dist::dist(&env)),
        "pkg" => env::setup().and_then(|env| pkg::pkg(&env)),
        "size" => budget::check(&env::root().join("dist")),
        "bench" => bench::bench(),
        "screenshots" => screenshots::screenshots(),
        _ => {
            eprintln!(
                "usage: cargo xtask serve | test | build | dist | pkg | man | size | bench | screenshots"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve() -> Result<(), String> {
    let env = env::setup()?;
    eprintln!("xtask: serving on http://127.0.0.1:8080 (Ctrl+C stops)");
    env::run(
        &env,
        "trunk",
        &[
            "serve",
            "--release",
            "--offline",
            "--address",
            "127.0.0.1",
            "--port",
            "8080",
        ],
    )
}
