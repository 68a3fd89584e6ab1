//! The allocator the `hedui` binary and the benchmarks run on, and its one tuning.
//!
//! Ingest and matching allocate millions of small strings from several threads at once;
//! glibc's allocator spends a quarter of a run in its locks and free-list upkeep there
//! (measured with perf on `validate`), mimalloc's per-thread heaps do not. It is built
//! without transparent huge pages (`no_thp`): with them, every fault zeroed 2 MB whether the
//! run used it or not (see `docs/perf-log.md`, Allocator).
//!
//! Linking this crate installs the allocator; [`keep_freed_memory`] is the tuning, and
//! [`move_releasing`] moves a list of gigabytes without holding it twice.
//!
//! The workspace denies unsafe code; this crate is where it is allowed, each use behind a
//! safe function: mimalloc's options are C calls, and handing pages back is a system call.

mod moving;

pub use moving::move_releasing;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How long, in milliseconds, freed memory stays with the process before mimalloc hands it
/// back to the kernel. mimalloc's default is one second.
///
/// A run's phases free and allocate gigabytes in turn (a source's rows parsed and moved into
/// the run's lists, the sheet's cells, the pairs of one block after another). With a
/// one-second delay most of that memory is handed back between phases and faulted in and
/// zeroed again by the next. Ten seconds keeps it across phases and still returns what a
/// long run leaves behind: a check at prefecture scale takes a third fewer page faults for
/// a slightly higher peak (`docs/perf-log.md`, Allocator).
pub const PURGE_DELAY_MS: std::ffi::c_long = 10_000;

/// Environment variable with which an operator sets the delay instead (mimalloc's own).
pub const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// Sets [`PURGE_DELAY_MS`], unless the operator set [`PURGE_DELAY_VARIABLE`]. Call it first
/// thing in `main`, before threads start.
pub fn keep_freed_memory() {
    if std::env::var_os(PURGE_DELAY_VARIABLE).is_some() {
        return;
    }
    set_purge_delay(PURGE_DELAY_MS);
}

/// `mi_option_purge_delay` in mimalloc 3's `mi_option_t` (`mimalloc.h`); `libmimalloc-sys`
/// names only the options before it. A test checks the index against mimalloc's default.
const OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

// mimalloc exposes its options only through these C calls, and no crate wraps them safely.
#[allow(unsafe_code)]
fn set_purge_delay(milliseconds: std::ffi::c_long) {
    // SAFETY: `mi_option_set` stores an integer in mimalloc's option table; it takes no
    // pointers, and mimalloc allows options to be set at any time (it reads them when it
    // next decides whether to purge).
    unsafe { libmimalloc_sys::mi_option_set(OPTION_PURGE_DELAY, milliseconds) };
}

/// Hands memory the process has freed back to the kernel now, instead of after
/// [`PURGE_DELAY_MS`]. For the one moment a run knows that a large block it just freed will
/// not be reused: a source's records moved into the run's list, where keeping the source's
/// block resident would double the records' footprint at the run's peak.
#[allow(unsafe_code)]
pub fn release_freed_memory() {
    // SAFETY: `mi_collect` takes no pointers; it frees mimalloc's own empty pages and
    // purges freed memory, and may be called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

#[cfg(test)]
#[allow(unsafe_code)]
fn purge_delay() -> std::ffi::c_long {
    // SAFETY: as for `mi_option_set`: an integer read from mimalloc's option table.
    unsafe { libmimalloc_sys::mi_option_get(OPTION_PURGE_DELAY) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_set_is_mimallocs_purge_delay() {
        if std::env::var_os(PURGE_DELAY_VARIABLE).is_none() {
            // mimalloc 3's documented default for this option and no other: the index is
            // the purge delay's.
            assert_eq!(purge_delay(), 1000);
        }
        keep_freed_memory();
        let expected = std::env::var(PURGE_DELAY_VARIABLE)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(PURGE_DELAY_MS);
        assert_eq!(purge_delay(), expected);
    }
}
