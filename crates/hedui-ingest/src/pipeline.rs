//! An ordered parallel map: units of work are produced on a thread of their own, worked
//! on by the rayon pool, and consumed on the calling thread in the order they were
//! produced.
//!
//! Reading a file is serial (bytes arrive in order), parsing rows is not, and accounting
//! (duplicates, counts, output order) must see rows in file order. Running the three as a
//! pipeline keeps both cores busy: while the consumer accounts for unit `n`, workers parse
//! `n + 1 …` and the producer reads further ahead, up to a bounded number of units so
//! memory stays flat however large the file.

use std::collections::BTreeMap;
use std::sync::mpsc;

/// Calls `produce` until it returns `None`, runs `work` on each unit in parallel, and
/// hands the results to `consume` in production order. `consume` returns `false` to stop
/// early; units produced after that are dropped unconsumed.
///
/// Called from inside a rayon worker, everything runs inline on that thread instead:
/// blocking a worker on a channel while the pool's other workers do the same could leave
/// nobody to do the work.
pub(crate) fn ordered<U, R>(
    mut produce: impl FnMut() -> Option<U> + Send,
    work: impl Fn(U) -> R + Sync,
    mut consume: impl FnMut(R) -> bool,
) where
    U: Send,
    R: Send,
{
    if rayon::current_thread_index().is_some() {
        while let Some(unit) = produce() {
            if !consume(work(unit)) {
                return;
            }
        }
        return;
    }
    // Enough units in flight that every worker has one queued behind the one it is on.
    let in_flight = rayon::current_num_threads() * 2 + 2;
    let (slot_tx, slot_rx) = mpsc::sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        // Cannot fail: the channel holds exactly this many and its receiver is alive.
        let _ = slot_tx.send(());
    }
    let (done_tx, done_rx) = mpsc::channel::<(usize, R)>();
    let work = &work;
    std::thread::scope(|scope| {
        scope.spawn(move || {
            rayon::in_place_scope(|pool| {
                let mut index = 0usize;
                // A slot is returned each time the consumer finishes a unit; when the
                // consumer has stopped, its sender is gone and this loop ends.
                while slot_rx.recv().is_ok() {
                    let Some(unit) = produce() else { break };
                    let done = done_tx.clone();
                    pool.spawn(move |_| {
                        // The consumer may have stopped; its results are then unwanted.
                        let _ = done.send((index, work(unit)));
                    });
                    index += 1;
                }
            });
            // `done_tx` is dropped here, so the consumer sees the end once all jobs have sent.
        });
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut next = 0usize;
        'receive: for (index, result) in &done_rx {
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&next) {
                next += 1;
                if !consume(result) {
                    break 'receive;
                }
                let _ = slot_tx.send(());
            }
        }
        drop(slot_tx);
        drop(done_rx);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_stops_when_asked() {
        let mut n = 0u64;
        let mut seen = Vec::new();
        ordered(
            || {
                n += 1;
                (n <= 500).then_some(n)
            },
            |x| {
                // Uneven work so that results arrive out of order.
                std::thread::sleep(std::time::Duration::from_micros((x * 7919) % 200));
                x * 2
            },
            |y| {
                seen.push(y);
                true
            },
        );
        assert_eq!(seen, (1..=500).map(|x| x * 2).collect::<Vec<_>>());

        let mut m = 0u64;
        let mut taken = Vec::new();
        ordered(
            || {
                m += 1;
                Some(m)
            },
            |x| x,
            |y| {
                taken.push(y);
                y < 50
            },
        );
        assert_eq!(taken, (1..=50).collect::<Vec<_>>());
    }
}
