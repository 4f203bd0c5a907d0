//! The page: a Yew app that renders what the worker says. It holds no diagnosis logic and
//! never runs the engine: the worker ([`worker`]) owns the input and the engine, and answers
//! the page's messages (docs/protocol.md).

mod client;
mod components;
mod dom;
mod examples;
mod state;
#[cfg(test)]
mod tests;
pub mod worker;

pub fn run() {
    yew::Renderer::<components::app::App>::new().render();
}

/// A shared value whose props comparison is by pointer, so a large index is never compared
/// (or cloned) by value when the page re-renders.
pub(crate) struct Ptr<T>(pub(crate) std::rc::Rc<T>);

impl<T> Clone for Ptr<T> {
    fn clone(&self) -> Self {
        Ptr(self.0.clone())
    }
}

impl<T> PartialEq for Ptr<T> {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Ptr<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> yew::html::ImplicitClone for Ptr<T> {}

/// `value` with `places` decimals, as `format!("{value:.places$}")` writes it (though a tie
/// rounds away from zero, not to even). The page writes its numbers with this so that core's
/// float formatting, 10 KB of wasm, is not part of the page.
pub(crate) fn decimals(value: f64, places: u8) -> String {
    let scale = 10_u32.pow(u32::from(places));
    let scaled = crate::knowledge::number::whole((value * f64::from(scale)).round());
    let sign = if scaled < 0 { "-" } else { "" };
    let magnitude = scaled.unsigned_abs();
    let units = magnitude / u64::from(scale);
    if places == 0 {
        format!("{sign}{units}")
    } else {
        let fraction = magnitude % u64::from(scale);
        format!(
            "{sign}{units}.{fraction:0width$}",
            width = usize::from(places)
        )
    }
}

/// A count as people read it: `16764` → `16,764`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
