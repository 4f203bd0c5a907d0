//! The environment every task runs in: the repository, PATH with the installed tools,
//! and installing what is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

const TRUNK_VERSION: &str = "~0.21";
const BINARYEN_VERSION: &str = "132";

/// The repository: the folder above xtask's own.
pub(crate) fn root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// Runs a command in the repository root with `path` prepended to PATH.
pub(crate) fn run(env: &Env, program: &str, args: &[&str]) -> Result<(), String> {
    run_in(env, &root(), program, args)
}

pub(crate) fn run_in(env: &Env, dir: &Path, program: &str, args: &[&str]) -> Result<(), String> {
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

pub(crate) fn output(env: &Env, program: &str, args: &[&str]) -> Option<String> {
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

pub(crate) struct Env {
    pub(crate) path: String,
}

/// Installs what is missing and returns the PATH to use.
pub(crate) fn setup() -> Result<Env, String> {
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
pub(crate) fn locked_version(package: &str) -> Result<String, String> {
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

pub(crate) fn build_page(env: &Env) -> Result<(), String> {
    run(env, "trunk", &["build", "--release", "--offline"])
}
