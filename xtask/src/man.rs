//! `cargo xtask man`: the command line's man pages, from the same clap definition the CLI
//! parses with, into target/man/ (`man -l target/man/httpdx.1`).

use clap::CommandFactory;

#[allow(
    dead_code,
    unreachable_pub,
    reason = "the CLI's own file: xtask only reads its definition"
)]
#[path = "../../src/bin/httpdx/args.rs"]
mod args;

/// The man pages: `httpdx.1` and one per subcommand (`httpdx-share.1` …), as (file, text).
pub(crate) fn pages() -> Result<Vec<(String, Vec<u8>)>, String> {
    let command = args::Cli::command();
    let mut pages = Vec::new();
    let mut render = |name: String, command: clap::Command| -> Result<(), String> {
        let mut out = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut out)
            .map_err(|e| format!("man page {name}: {e}"))?;
        pages.push((name, out));
        Ok(())
    };
    for sub in command.get_subcommands() {
        let name = format!("httpdx-{}", sub.get_name());
        render(format!("{name}.1"), sub.clone().name(name.clone()))?;
    }
    render("httpdx.1".to_owned(), command)?;
    Ok(pages)
}

pub(crate) fn man() -> Result<(), String> {
    let dir = crate::env::root().join("target/man");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for (name, text) in pages()? {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("xtask: wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_man_page_has_every_option_and_the_exit_statuses() {
        let pages = super::pages().unwrap();
        let main = pages.iter().find(|(name, _)| name == "httpdx.1").unwrap();
        let text = String::from_utf8_lossy(&main.1);
        for option in [
            "fail\\-on",
            "output",
            "format",
            "color",
            "findings",
            "Exit status",
        ] {
            assert!(text.contains(option), "httpdx.1 lacks {option}");
        }
        for sub in ["share", "open", "redact", "explain", "completions"] {
            assert!(
                pages
                    .iter()
                    .any(|(name, _)| *name == format!("httpdx-{sub}.1")),
                "{sub}"
            );
        }
    }
}
