//! The counting global allocator of the allocation tests (`alloc`,
//! `adversarial_alloc`, `validate_alloc`, `forward_alloc`, `capture_alloc`).
//! A test binary that declares `mod counting_alloc;` installs it.
//!
//! It wraps the system allocator and, while [`measure`] runs a closure,
//! counts that thread's allocations (reallocations included), the octets
//! they asked for, and the peak of the octets live. Per thread, so that
//! tests running in parallel (and the harness's own threads) do not count
//! each other's work. `const` thread-locals of `Cell`s need no allocation
//! and no destructor, so touching them from the allocator cannot recurse;
//! `try_with` because they may already be gone at thread exit.
#![allow(unsafe_code)] // a counting `GlobalAlloc` cannot be written without it
#![allow(dead_code, unreachable_pub)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

/// Records one allocation of `asked` octets (when `asked` is `Some`) and a
/// change of `delta` octets in what is live.
fn note(asked: Option<usize>, delta: isize) {
    if !COUNTING.try_with(Cell::get).unwrap_or(false) {
        return;
    }
    if let Some(n) = asked {
        let _ = ALLOCS.try_with(|a| a.set(a.get() + 1));
        let _ = BYTES.try_with(|b| b.set(b.get() + n));
    }
    let _ = LIVE.try_with(|l| {
        let now = l.get() + delta;
        l.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(Some(layout.size()), layout.size() as isize);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(Some(layout.size()), layout.size() as isize);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(None, -(layout.size() as isize));
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(Some(new_size), new_size as isize - layout.size() as isize);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// What [`measure`] saw.
#[derive(Clone, Copy, Debug, Default)]
pub struct Measured {
    /// Allocations and reallocations.
    pub allocs: usize,
    /// Octets they asked for.
    pub bytes: usize,
    /// The most octets live at once, counted from the start of the closure
    /// (memory it freed that was allocated before does not count).
    pub peak: usize,
}

/// Runs `f` on this thread, measuring its heap use; the result goes
/// through `black_box` so that the work is not optimised away.
pub fn measure<T>(f: impl FnOnce() -> T) -> (T, Measured) {
    ALLOCS.with(|a| a.set(0));
    BYTES.with(|b| b.set(0));
    LIVE.with(|l| l.set(0));
    PEAK.with(|p| p.set(0));
    COUNTING.with(|c| c.set(true));
    let out = std::hint::black_box(f());
    COUNTING.with(|c| c.set(false));
    let m = Measured {
        allocs: ALLOCS.with(Cell::get),
        bytes: BYTES.with(Cell::get),
        peak: PEAK.with(Cell::get).max(0) as usize,
    };
    (out, m)
}

/// Runs `f`, counting its allocations only.
pub fn count<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let (out, m) = measure(f);
    (out, m.allocs)
}
