//! Moving a long list onto the end of another without holding it twice.

use rayon::prelude::*;

/// How much of the source list is moved before its pages are handed back: small enough
/// that the two lists overlap by about this much, large enough that the calls are few.
const STRETCH_BYTES: usize = 64 << 20;

/// Items moved by one parallel task: the target's pages are fresh, and the kernel zeroing
/// them on first write is the move's cost, so the faults are spread over the cores.
const TASK_BYTES: usize = 1 << 20;

/// Moves every item of `from` onto the end of `into`, in order, and hands `from`'s memory
/// back to the kernel stretch by stretch as its items leave, instead of all at once when
/// it is dropped. Moving a list of gigabytes the plain way (`into.extend(from)`) holds its
/// items twice at the end; this holds one stretch (64 MiB) twice.
///
/// Reserve `into` first (`reserve_exact`): if it has to grow here, the grown buffer and the
/// old one are held together, which is the cost this avoids.
pub fn move_releasing<T: Send + Sync>(into: &mut Vec<T>, from: Vec<T>) {
    let stretch = (STRETCH_BYTES / size_of::<T>().max(1)).max(1);
    move_in_stretches(into, from, stretch);
}

#[allow(unsafe_code)]
fn move_in_stretches<T: Send + Sync>(into: &mut Vec<T>, mut from: Vec<T>, stretch: usize) {
    if size_of::<T>() == 0 || from.is_empty() {
        into.append(&mut from);
        return;
    }
    into.reserve(from.len());
    let len = from.len();
    let per_task = (TASK_BYTES / size_of::<T>()).max(1);
    // From here `from` owns its buffer but none of its items: each is read out once below,
    // and dropping `from` at the end frees the buffer without dropping them again.
    // SAFETY: 0 is within capacity, and no item is dropped or read through `from` again.
    unsafe { from.set_len(0) };
    let source = from.as_ptr();
    let mut start = 0;
    while start < len {
        let end = (start + stretch).min(len);
        let count = end - start;
        // SAFETY: items `start..end` are initialised (they were `from`'s), not yet moved,
        // and nothing else reads them while the slice lives.
        let items = unsafe { std::slice::from_raw_parts(source.add(start), count) };
        let slots = &mut into.spare_capacity_mut()[..count];
        slots
            .par_chunks_mut(per_task)
            .zip(items.par_chunks(per_task))
            .for_each(|(slots, items)| {
                for (slot, item) in slots.iter_mut().zip(items) {
                    // SAFETY: each source item is read exactly once (the stretches and the
                    // tasks' chunks do not overlap) and never dropped in place.
                    slot.write(unsafe { std::ptr::read(item) });
                }
            });
        // SAFETY: the `count` slots after `into.len()` were all written just above.
        unsafe { into.set_len(into.len() + count) };
        // SAFETY: the range lies inside `from`'s buffer, and its items have been moved out;
        // nothing reads those bytes again before the buffer is freed.
        unsafe { release_pages(source.add(start).cast(), count * size_of::<T>()) };
        start = end;
    }
}

/// Tells the kernel the whole pages inside `len` bytes from `start` are no longer needed:
/// their memory is freed now and reads as zeros if touched again.
///
/// # Safety
/// The bytes must belong to a live allocation of the caller's whose contents are no longer
/// needed; the allocator's own bookkeeping never lies inside an allocation's bytes.
#[allow(unsafe_code)]
#[cfg(target_os = "linux")]
unsafe fn release_pages(start: *const u8, len: usize) {
    // SAFETY: `sysconf` reads a constant of the system.
    let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
    let first = (start as usize).div_ceil(page) * page;
    let last = (start as usize + len) / page * page;
    if last > first {
        // SAFETY: `first..last` is page-aligned and inside the caller's allocation, whose
        // contents there are no longer needed. A failure leaves the pages resident, which
        // costs memory, not correctness, so its result is not checked.
        unsafe {
            libc::madvise(
                first as *mut libc::c_void,
                last - first,
                libc::MADV_DONTNEED,
            )
        };
    }
}

/// Elsewhere the pages go back when the list is freed.
#[allow(unsafe_code)]
#[cfg(not(target_os = "linux"))]
unsafe fn release_pages(_start: *const u8, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts its drops, so a test can tell an item moved from one copied or lost.
    struct Tracked {
        value: String,
        drops: Arc<AtomicUsize>,
    }

    impl Drop for Tracked {
        fn drop(&mut self) {
            self.drops.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn tracked(range: std::ops::Range<usize>, drops: &Arc<AtomicUsize>) -> Vec<Tracked> {
        range
            .map(|i| Tracked {
                value: format!("item {i}"),
                drops: Arc::clone(drops),
            })
            .collect()
    }

    #[test]
    fn items_arrive_in_order_once_each_across_stretches() {
        let drops = Arc::new(AtomicUsize::new(0));
        let mut into = tracked(0..5, &drops);
        let from = tracked(5..10_007, &drops);
        into.reserve_exact(from.len());
        // Stretches of 333 items: many stretches, the last one short.
        move_in_stretches(&mut into, from, 333);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            0,
            "nothing dropped while moving"
        );
        assert_eq!(into.len(), 10_007);
        assert!(
            into.iter()
                .enumerate()
                .all(|(i, item)| item.value == format!("item {i}"))
        );
        drop(into);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            10_007,
            "each item dropped once"
        );
    }

    #[test]
    fn a_large_list_moves_whole() {
        // Large enough that whole pages are released in every stretch.
        let from: Vec<u64> = (0..3_000_000).collect();
        let mut into = vec![u64::MAX];
        move_releasing(&mut into, from);
        assert_eq!(into.len(), 3_000_001);
        assert_eq!(into[0], u64::MAX);
        assert!(into[1..].iter().enumerate().all(|(i, &v)| v == i as u64));
    }

    /// The released pages are the whole pages inside the range, and only those: they read
    /// as zeros afterwards, and the bytes either side of them keep their values.
    #[test]
    #[cfg(target_os = "linux")]
    #[allow(unsafe_code)]
    fn only_whole_pages_inside_the_range_are_released() {
        let page = 4096;
        let bytes = vec![0xA5_u8; 64 * page];
        let base = bytes.as_ptr() as usize;
        // From 100 bytes into the second page to 100 bytes before the end of the tenth.
        let start = base.div_ceil(page) * page + page + 100 - base;
        let end = start + 9 * page - 200;
        // SAFETY: the range is inside `bytes`, whose contents there the test no longer needs.
        unsafe { release_pages(bytes[start..].as_ptr(), end - start) };
        let first_page = (base + start).div_ceil(page) * page - base;
        let last_page = (base + end) / page * page - base;
        assert_eq!(
            last_page - first_page,
            7 * page,
            "the third to the ninth page"
        );
        assert!(bytes[first_page..last_page].iter().all(|&b| b == 0));
        assert!(bytes[..first_page].iter().all(|&b| b == 0xA5));
        assert!(bytes[last_page..].iter().all(|&b| b == 0xA5));
    }

    #[test]
    fn an_empty_list_or_an_empty_target_is_handled() {
        let mut into: Vec<String> = Vec::new();
        move_releasing(&mut into, Vec::new());
        assert!(into.is_empty());
        move_releasing(&mut into, vec!["a".to_owned(), "b".to_owned()]);
        assert_eq!(into, ["a", "b"]);
        let mut units = vec![(); 3];
        move_releasing(&mut units, vec![(); 4]);
        assert_eq!(units.len(), 7);
    }
}
