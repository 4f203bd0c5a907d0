//! WebAssembly's memory, grown once for a large input instead of a little at a time.
//!
//! The allocator (dlmalloc) grows the memory by what each allocation lacks, so diagnosing a
//! large capture grows it thousands of times, and V8 makes each growth costly: in Node, the
//! first diagnosis of a 55 MB HAR took 3.0–3.2 s where the second, in memory grown already,
//! took 1.6 s; with the room made first, 1.9 s. Memory a WebAssembly module has grown stays
//! its own (it never shrinks), and a block freed at the top is where the allocator serves
//! the next allocations from, so the room is made by reserving a block and freeing it.

/// How much a diagnosis allocates beside its input, as a multiple of the input: the 55 MB
/// benchmark HAR's diagnosis (`diagnose()` in Node) peaked at 170 MB of memory with the
/// input in it, 2.1 times the input besides it.
pub(crate) const DIAGNOSIS_ROOM: usize = 2;

/// Inputs smaller than this grow the memory little enough: nothing is reserved for them.
const WORTH_RESERVING: usize = 1 << 20;

/// Makes sure the memory has `bytes` free at once (growing it in one step when it has not),
/// for an input of at least a megabyte. When the memory cannot grow that much, nothing
/// happens: the diagnosis then grows it as it goes, as far as it can.
pub(crate) fn make_room(bytes: usize) {
    if bytes < WORTH_RESERVING {
        return;
    }
    let mut room: Vec<u8> = Vec::new();
    // Freed at once: the allocator keeps the memory and serves what follows from it.
    let _ = room.try_reserve_exact(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    const PAGE: usize = 64 * 1024;

    fn memory_bytes() -> usize {
        core::arch::wasm32::memory_size(0) * PAGE
    }

    /// The room is made in one growth, and what is allocated after it, up to that size,
    /// grows the memory no further.
    #[wasm_bindgen_test]
    fn room_made_once_serves_the_allocations_after_it() {
        let room = 16 << 20;
        let before = memory_bytes();
        make_room(room);
        let grown = memory_bytes();
        assert!(grown >= before + room, "{before} → {grown}");
        let blocks: Vec<Vec<u8>> = (0..(room / PAGE) / 2).map(|_| vec![1u8; PAGE]).collect();
        assert_eq!(memory_bytes(), grown);
        // Alive until the memory was measured.
        drop(blocks);
    }
}
