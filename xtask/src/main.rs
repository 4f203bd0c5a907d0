//! The project's two commands, which install whatever is missing first:
//!
//! - `cargo xtask serve`: build the page and serve it on http://127.0.0.1:8080
//! - `cargo xtask test`: every test — native, engine snapshots, CLI, and the page in headless
//!   Chromium against the release build.
//!
//! Installs: the wasm32 target, wasm-bindgen-cli at the version in Cargo.lock, Trunk 0.21,
//! wasm-opt (npm `binaryen`), Chromium and ChromeDriver (Debian packages), the end-to-end
//! test's npm packages. See ../shared notes: Trunk 0.22 needs a newer rustc, Debian's
//! binaryen is too old for what rustc emits.

mod budget;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const TRUNK_VERSION: &str = "~0.21";
const BINARYEN_VERSION: &str = "132";

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "serve" => serve(),
        "test" => test(),
        "build" => setup().and_then(|env| build_page(&env)),
        "size" => budget::check(&root().join("dist")),
        "bench" => bench(),
        _ => {
            eprintln!("usage: cargo xtask serve | test | build | size | bench");
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

/// The repository: the folder above xtask's own.
fn root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// Runs a command in the repository root with `path` prepended to PATH.
fn run(env: &Env, program: &str, args: &[&str]) -> Result<(), String> {
    run_in(env, &root(), program, args)
}

fn run_in(env: &Env, dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("xtask: $ {program} {}", args.join(" "));
    // No inherited standard input: CI has none, and a tool probing stdin must see it empty.
    let status = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PATH", &env.path)
        // wasm-bindgen-test-runner drives Debian's Chromium through this driver.
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .stdin(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn output(env: &Env, program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .env("PATH", &env.path)
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

struct Env {
    path: String,
}

/// Installs what is missing and returns the PATH to use.
fn setup() -> Result<Env, String> {
    check_dev_null()?;
    let tools = root().join("tools");
    let node_bin = tools.join("node_modules/.bin");
    let cargo_bin = std::env::var("CARGO_HOME")
        .map_or_else(
            |_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo"),
            PathBuf::from,
        )
        .join("bin");
    let env = Env {
        path: format!(
            "{}:{}:{}",
            node_bin.display(),
            cargo_bin.display(),
            std::env::var("PATH").unwrap_or_default()
        ),
    };

    let targets = output(&env, "rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        run(&env, "rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }

    let wanted = locked_version("wasm-bindgen")?;
    let have = output(&env, "wasm-bindgen", &["--version"]).unwrap_or_default();
    if !have.split_whitespace().any(|w| w == wanted) {
        // Not --locked: its lock file pins a crate this registry lacks (see shared/TOOLCHAIN.md).
        run(
            &env,
            "cargo",
            &[
                "install",
                "wasm-bindgen-cli",
                "--version",
                &wanted,
                "--force",
            ],
        )?;
    }

    let trunk = output(&env, "trunk", &["--version"]).unwrap_or_default();
    if !trunk.contains("trunk 0.21") {
        run(
            &env,
            "cargo",
            &[
                "install",
                "trunk",
                "--version",
                TRUNK_VERSION,
                "--locked",
                "--force",
            ],
        )?;
    }

    let wasm_opt = output(&env, "wasm-opt", &["--version"]).unwrap_or_default();
    if !wasm_opt.contains(&format!("version {BINARYEN_VERSION}"))
        || !node_bin.join("wasm-opt").exists()
    {
        std::fs::create_dir_all(&tools).map_err(|e| e.to_string())?;
        run_in(
            &env,
            &tools,
            "npm",
            &[
                "install",
                "--no-audit",
                "--no-fund",
                "--no-save",
                &format!("binaryen@{BINARYEN_VERSION}"),
            ],
        )?;
    }
    Ok(env)
}

/// Cargo and rustc read and write /dev/null; where a tool has replaced it with a regular
/// file (seen on this machine kind), rustc reads old compiler output as source and fails
/// with baffling errors. Say so plainly instead.
fn check_dev_null() -> Result<(), String> {
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::metadata("/dev/null")
        .map(|m| m.file_type())
        .map_err(|e| format!("/dev/null: {e}"))?;
    if kind.is_char_device() {
        Ok(())
    } else {
        Err("/dev/null is not a device here (something replaced it with a file); restore it as root: rm /dev/null && mknod -m 666 /dev/null c 1 3".into())
    }
}

/// The exact version of `package` in Cargo.lock.
fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"")
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

fn build_page(env: &Env) -> Result<(), String> {
    run(env, "trunk", &["build", "--release", "--offline"])
}

fn serve() -> Result<(), String> {
    let env = setup()?;
    eprintln!("xtask: serving on http://127.0.0.1:8080 (Ctrl+C stops)");
    run(
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

/// Debian packages the tests need: Chromium and ChromeDriver for the browser tests,
/// valgrind for the scaling tests (they count instructions with callgrind).
fn ensure_test_packages(env: &Env) -> Result<(), String> {
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

/// The benchmarks (minutes; not part of `test`): the engine natively with criterion, then
/// the page in headless Chromium against the browser's own `JSON.parse` of the same HAR.
fn bench() -> Result<(), String> {
    let env = setup()?;
    ensure_test_packages(&env)?;
    run(&env, "cargo", &["bench", "--bench", "pipeline"])?;
    build_page(&env)?;
    budget::check(&root().join("dist"))?;
    let e2e = root().join("tests/e2e");
    if !["playwright-core", "axe-core"]
        .iter()
        .all(|p| e2e.join("node_modules").join(p).exists())
    {
        run_in(&env, &e2e, "npm", &["ci", "--no-audit", "--no-fund"])?;
    }
    run_in(&env, &e2e, "node", &["bench.mjs"])
}

fn test() -> Result<(), String> {
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
    // Engine, readers, rules, snapshots, CLI: native.
    run(&env, "cargo", &["test"])?;
    // Components of the page in headless Chromium (wasm-bindgen-test through ChromeDriver).
    run(
        &env,
        "cargo",
        &["test", "--target", "wasm32-unknown-unknown", "--lib"],
    )?;
    // The page, built once, in release, within its size budget, then driven in headless
    // Chromium.
    build_page(&env)?;
    budget::check(&root().join("dist"))?;
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
        &["--test", "--test-concurrency=1", "page.test.mjs"],
    )
}
