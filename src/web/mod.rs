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
