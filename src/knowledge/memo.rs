//! Answers remembered per thread, for pure functions of a short text that a capture asks
//! about again and again: a HAR of 20,000 entries carries the same few header names, the
//! same token and the same browser error in most of them.

use std::cell::RefCell;
use std::thread::LocalKey;

use foldhash::HashMap;

/// A thread's remembered answers, by the text they answer.
pub(crate) type Answers<V> = RefCell<HashMap<Box<str>, V>>;

/// Past this many answers (a capture of many different texts) new ones are computed but not
/// kept, so memory stays bounded.
const REMEMBERED: usize = 4096;

/// Texts longer than this are computed every time: keeping them would cost more memory than
/// computing them costs time.
const LONGEST: usize = 2048;

/// `compute()` for `key`, remembered in `answers`.
pub(crate) fn remember<V: Clone>(
    answers: &'static LocalKey<Answers<V>>,
    key: &str,
    compute: impl FnOnce() -> V,
) -> V {
    if key.len() > LONGEST {
        return compute();
    }
    if let Some(known) = answers.with(|a| a.borrow().get(key).cloned()) {
        return known;
    }
    let answer = compute();
    answers.with(|a| {
        let mut a = a.borrow_mut();
        if a.len() < REMEMBERED {
            a.insert(key.into(), answer.clone());
        }
    });
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static LENGTHS: Answers<usize> = RefCell::default();
    }

    #[test]
    fn an_answer_is_computed_once_per_text() {
        let mut computed = 0;
        for text in ["a", "bb", "a", "bb", "a"] {
            let n = remember(&LENGTHS, text, || {
                computed += 1;
                text.len()
            });
            assert_eq!(n, text.len());
        }
        assert_eq!(computed, 2);
    }

    #[test]
    fn long_texts_are_not_kept() {
        let long = "x".repeat(LONGEST + 1);
        let mut computed = 0;
        for _ in 0..2 {
            remember(&LENGTHS, &long, || {
                computed += 1;
                0
            });
        }
        assert_eq!(computed, 2);
    }
}
