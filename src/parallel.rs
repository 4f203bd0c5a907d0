//! Work on many independent items (a capture's exchanges) spread over the cores. Natively a
//! 50 MB HAR's exchanges are checked and reported about 1.4 times as fast on two cores,
//! and its entries read in parts, one per core (`input::har`). The page's worker has one thread (threads in wasm
//! need shared memory, which a static host cannot enable): there every item is done in
//! order on the caller's thread.

/// Items one thread must get: starting a thread costs about as much as checking a few
/// dozen exchanges, so a paste of one exchange is never split.
const PER_THREAD: usize = 64;

/// The threads to spread `items` items over: one per core, each with enough items.
pub(crate) fn threads_for(items: usize) -> usize {
    cores_for(items / PER_THREAD)
}

/// The threads to spread work over that can be cut into at most `parts` parts worth a
/// thread each: one per core, or fewer.
pub(crate) fn cores_for(parts: usize) -> usize {
    if cfg!(target_arch = "wasm32") {
        return 1;
    }
    #[cfg(test)]
    if let Some(threads) = tests::THREADS.with(std::cell::Cell::get) {
        return threads;
    }
    // Asking for the cores reads the cgroup's limits from files (microseconds): not for
    // work of one part, such as freeing the report of a paste.
    if parts < 2 {
        return 1;
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    cores.min(parts).max(1)
}

/// `f` of every item, in the items' order, over [`threads_for`] threads.
pub(crate) fn map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    map_over(threads_for(items.len()), items, f)
}

/// `items` mapped by `f`, in order, each item on a thread of its own (the caller's does the
/// first): for a few large items already cut one per core.
pub(crate) fn map_each<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    map_over(items.len(), items, f)
}

/// `a()` and `b()`, `b` on a thread of its own when `worth_a_thread` and there is a core
/// for it (otherwise one after the other on the caller's thread). A panic in `b` is raised
/// again on the caller's thread. (A test's thread count, set per thread, does not reach
/// `b`'s thread: nothing `b` does today splits its work again.)
pub(crate) fn join<A, B: Send>(
    worth_a_thread: bool,
    a: impl FnOnce() -> A,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !worth_a_thread || cores_for(2) < 2 {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let running = scope.spawn(b);
        let a = a();
        let b = running
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}

/// Drops `items`, spread over the cores as [`map`] spreads its work.
pub(crate) fn drop_all<T: Send>(items: Vec<T>) {
    map(items, drop);
}

/// `f` of every item, in the items' order, over `threads` threads, the caller's among them
/// (it does the first part). A panic in `f` is raised again on the caller's thread.
fn map_over<T: Send, U: Send>(
    threads: usize,
    mut items: Vec<T>,
    f: impl Fn(T) -> U + Sync,
) -> Vec<U> {
    if threads <= 1 || items.len() < 2 {
        return items.into_iter().map(f).collect();
    }
    let part = items.len().div_ceil(threads);
    // The parts after the first, split off from the last and put back in order; `items`
    // keeps the first, for the caller's thread.
    let mut parts = Vec::with_capacity(threads);
    while items.len() > part {
        parts.push(items.split_off(items.len() - part));
    }
    parts.reverse();
    let f = &f;
    std::thread::scope(|scope| {
        let running: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<U>>()))
            .collect();
        let mut out: Vec<U> = items.into_iter().map(f).collect();
        for thread in running {
            out.extend(
                thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        out
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// The threads every split on this thread uses, whatever the cores and items.
        pub(crate) static THREADS: Cell<Option<usize>> = const { Cell::new(None) };
    }

    fn diagnosed_over(threads: usize, text: &str) -> String {
        THREADS.with(|t| t.set(Some(threads)));
        let options = crate::Options {
            format: None,
            reference_time: Some(1_795_600_800),
        };
        let report = crate::diagnose(text, &options).map(|r| serde_json::to_string(&r));
        THREADS.with(|t| t.set(None));
        format!("{report:?}")
    }

    /// One HAR of every fixture HAR's entries (real captures of many failures), repeated.
    fn every_fixture_entry() -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let mut entries = Vec::new();
        for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
            for file in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = file.path();
                if path.extension().is_none_or(|e| e != "har") {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
                    continue;
                };
                if let Some(list) = value["log"]["entries"].as_array() {
                    entries.extend(list.iter().map(ToString::to_string));
                }
            }
        }
        assert!(
            entries.len() > 50,
            "the fixtures' HARs: {} entries",
            entries.len()
        );
        let repeated: Vec<&str> = entries
            .iter()
            .map(String::as_str)
            .cycle()
            .take(entries.len() * 3)
            .collect();
        format!(
            r#"{{"log":{{"version":"1.2","creator":{{"name":"test","version":"1"}},"entries":[{}]}}}}"#,
            repeated.join(",")
        )
    }

    #[test]
    fn a_report_made_on_several_threads_is_the_one_made_on_one() {
        let text = every_fixture_entry();
        let alone = diagnosed_over(1, &text);
        assert!(
            alone.starts_with("Ok(Ok("),
            "{}",
            &alone[..alone.len().min(300)]
        );
        for threads in [2, 3, 7] {
            assert!(diagnosed_over(threads, &text) == alone, "{threads} threads");
        }
        // Cut off inside an entry: the entries before it, the same way.
        let cut = &text[..text.len() * 2 / 3];
        assert!(diagnosed_over(4, cut) == diagnosed_over(1, cut));
    }

    #[test]
    fn items_come_back_in_their_order_over_any_number_of_threads() {
        for len in [0, 1, 2, 3, 7, 64, 65, 1000] {
            let items: Vec<usize> = (0..len).collect();
            let expected: Vec<usize> = items.iter().map(|i| i * 3).collect();
            for threads in [1, 2, 3, 4, 8, 2000] {
                assert_eq!(
                    map_over(threads, items.clone(), |i| i * 3),
                    expected,
                    "{len} items over {threads} threads"
                );
            }
        }
    }

    #[test]
    fn a_few_items_stay_on_the_callers_thread() {
        assert_eq!(threads_for(0), 1);
        assert_eq!(threads_for(PER_THREAD - 1), 1);
        let caller = std::thread::current().id();
        let threads = map(vec![(); 10], |()| std::thread::current().id());
        assert!(threads.iter().all(|&t| t == caller));
    }

    /// Both answers come back in their places; `b` runs on a thread of its own only when it
    /// is worth one and there is a core for it; a panic in `b` is raised on the caller's
    /// thread.
    #[test]
    fn join_answers_both_in_their_places_on_one_thread_or_two() {
        let caller = std::thread::current().id();
        let on = || std::thread::current().id();
        for worth_a_thread in [false, true] {
            for threads in [1, 2] {
                THREADS.with(|t| t.set(Some(threads)));
                let ((a, a_on), (b, b_on)) = join(worth_a_thread, || ("a", on()), || (2, on()));
                THREADS.with(|t| t.set(None));
                assert_eq!((a, b), ("a", 2));
                assert_eq!(a_on, caller);
                assert_eq!(b_on == caller, !(worth_a_thread && threads == 2));
            }
        }
        THREADS.with(|t| t.set(Some(2)));
        let raised = std::panic::catch_unwind(|| join(true, || 1, || -> u8 { panic!("in b") }));
        THREADS.with(|t| t.set(None));
        let message = raised.expect_err("the panic reaches the caller");
        assert_eq!(message.downcast_ref::<&str>(), Some(&"in b"));
    }

    /// Every item is dropped once, on the caller's thread and on another when there are
    /// enough items for two.
    #[test]
    fn drop_all_drops_every_item_over_the_threads() {
        use std::sync::Mutex;
        static DROPPED_ON: Mutex<Vec<std::thread::ThreadId>> = Mutex::new(Vec::new());
        struct Counted;
        impl Drop for Counted {
            fn drop(&mut self) {
                if let Ok(mut on) = DROPPED_ON.lock() {
                    on.push(std::thread::current().id());
                }
            }
        }
        THREADS.with(|t| t.set(Some(2)));
        drop_all((0..PER_THREAD * 4).map(|_| Counted).collect());
        THREADS.with(|t| t.set(None));
        let on = std::mem::take(&mut *DROPPED_ON.lock().expect("not poisoned"));
        assert_eq!(on.len(), PER_THREAD * 4);
        let caller = std::thread::current().id();
        assert!(on.contains(&caller));
        assert!(on.iter().any(|&t| t != caller));
    }
}
