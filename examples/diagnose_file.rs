//! Diagnoses a file once and prints how long each part of the page's pipeline took natively
//! (reading the entries, running the rules, the index, its JSON), and how large the index is
//! with and without its groups and chains: a quick profiling target
//! (`cargo run --release --example diagnose_file -- big.har`). Benchmarks live in benches/.

use std::time::Instant;

// As the command line's (src/bin/httpdx/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: diagnose_file FILE")?;
    let bytes = std::fs::read(&path)?;
    let started = Instant::now();
    let text = httpdx::decode_input(&bytes)?;
    let decoded = started.elapsed();
    let options = httpdx::Options::default();
    let mut stepper = httpdx::Diagnosis::new(&text, &options);
    let mut phase_started = Instant::now();
    let mut reading = None;
    // When the page's worker would post a first screen (as the worker does, after a step).
    let mut first_screen = None;
    while let Some(progress) = stepper.step() {
        if progress.phase == httpdx::Phase::Checking && reading.is_none() {
            reading = Some(phase_started.elapsed());
            phase_started = Instant::now();
        }
        if first_screen.is_none()
            && let Some(screen) = stepper.first_screen()
        {
            let _ = httpdx::index::Index::first_screen(&screen, 1, text.len(), None);
            first_screen = Some(started.elapsed());
        }
    }
    let finishing = Instant::now();
    let report = stepper.finish()?;
    let finished = finishing.elapsed();
    let checking = phase_started.elapsed();
    #[allow(clippy::cast_precision_loss, reason = "a rate for people to read")]
    let mb = |d: std::time::Duration| text.len() as f64 / 1e6 / d.as_secs_f64();
    let total = started.elapsed();
    eprintln!(
        "{} exchanges, {} bytes in {total:?} ({:.0} MB/s): decode {decoded:?}, read {:?}, rules and report {checking:?} (of which the report {finished:?}); a first screen's index at {:?}",
        report.exchanges.len(),
        text.len(),
        mb(total),
        reading.unwrap_or_default(),
        first_screen.unwrap_or_default(),
    );
    let started = Instant::now();
    let mut index = httpdx::index::Index::of(&report, 1, text.len(), None);
    let took = started.elapsed();
    let started = Instant::now();
    let whole = serde_json::to_string(&index)?;
    let written = started.elapsed();
    let started = Instant::now();
    let _: httpdx::index::Index = serde_json::from_str(&whole)?;
    let read_back = started.elapsed();
    let (groups, chains) = (index.groups.len(), index.chains.len());
    for group in index.groups.iter().take(5) {
        eprintln!("  {} × {} — {}", group.count, group.title, group.cause);
    }
    index.groups.clear();
    index.chains.clear();
    let bare = serde_json::to_string(&index)?.len();
    eprintln!(
        "index in {took:?}, its JSON written in {written:?} and read in {read_back:?}: {} bytes with {groups} groups and {chains} chains, {bare} without them",
        whole.len()
    );
    Ok(())
}
