//! Diagnoses a file once and prints how long the engine took: a quick profiling target
//! (`cargo run --release --example diagnose_file -- big.har`). Benchmarks live in benches/.

fn main() {
    let path = std::env::args().nth(1).expect("usage: diagnose_file FILE");
    let text = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let started = std::time::Instant::now();
    let report = httpdx::diagnose(&text, &httpdx::Options::default()).expect("report");
    eprintln!(
        "{} exchanges, {} bytes in {:?}",
        report.exchanges.len(),
        text.len(),
        started.elapsed()
    );
}
