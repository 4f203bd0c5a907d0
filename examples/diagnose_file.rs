//! Diagnoses a file once and prints how long the engine took: a quick profiling target
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
    Ok(())
}
