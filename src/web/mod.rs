//! The page: a Yew app that renders the engine's reports. It holds no diagnosis logic:
//! it keeps the input, asks [`crate::diagnose`] for a report, and shows it.

mod components;
mod examples;
mod state;
#[cfg(test)]
mod tests;
pub mod worker;

pub fn run() {
    yew::Renderer::<components::app::App>::new().render();
}
