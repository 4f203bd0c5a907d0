//! The page's Web Worker: diagnoses large inputs off the main thread (see src/web/worker.rs).

#[cfg(target_arch = "wasm32")]
fn main() {
    httpdx::web::worker::serve();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("httpdx-worker runs inside the page (Trunk builds it for wasm32)");
    std::process::exit(2);
}
