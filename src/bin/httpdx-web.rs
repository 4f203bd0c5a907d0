//! Entry point of the page: Trunk builds this for wasm32 and the browser runs it.

#[cfg(target_arch = "wasm32")]
fn main() {
    httpdx::web::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "httpdx-web is the browser build: run `cargo xtask serve` and open http://127.0.0.1:8080"
    );
    std::process::exit(2);
}
