//! Diagnoses a file once and prints how long the engine took, then how long the page's index
//! took and how large it is, with and without its groups and chains: a quick profiling target
//! (`cargo run --release --example diagnose_file -- big.har`). Benchmarks live in benches/.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: diagnose_file FILE")?;
    let text = std::fs::read_to_string(&path)?;
    let started = std::time::Instant::now();
    let report = httpdx::diagnose(&text, &httpdx::Options::default())?;
    eprintln!(
        "{} exchanges, {} bytes in {:?}",
        report.exchanges.len(),
        text.len(),
        started.elapsed()
    );
    let started = std::time::Instant::now();
    let mut index = httpdx::index::Index::of(&report, 1, text.len(), None);
    let took = started.elapsed();
    let whole = serde_json::to_string(&index)?.len();
    let (groups, chains) = (index.groups.len(), index.chains.len());
    for group in index.groups.iter().take(5) {
        eprintln!("  {} × {} — {}", group.count, group.title, group.cause);
    }
    index.groups.clear();
    index.chains.clear();
    let bare = serde_json::to_string(&index)?.len();
    eprintln!(
        "index in {took:?}: {whole} bytes of JSON with {groups} groups and {chains} chains, {bare} without them"
    );
    Ok(())
}
