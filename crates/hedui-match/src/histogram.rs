//! How the match weights of every compared pair are spread, per department: the chart a
//! record-linkage engineer reads to judge a model. Good models show two humps (non-matches
//! far left, matches far right) with the thresholds in the valley between; a hump at the
//! thresholds means many pairs are decided by a hair.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

/// The lowest and highest weights (in bits) given a bin of their own; anything further out
/// is counted in the end bins.
const LOW: i32 = -40;
const HIGH: i32 = 40;

/// Counts of compared pairs per one-bit bin of match weight: `counts[i]` holds weights in
/// `[low + i, low + i + 1)`, the first and last bins also everything beyond them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreHistogram {
    pub low: i32,
    pub counts: Vec<u64>,
}

impl ScoreHistogram {
    /// Every pair counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// A histogram filled from many threads at once; the sums do not depend on the order.
#[derive(Debug)]
pub(crate) struct ScoreTally {
    bins: Vec<AtomicU64>,
}

impl ScoreTally {
    pub(crate) fn new() -> Self {
        Self {
            bins: (LOW..HIGH).map(|_| AtomicU64::new(0)).collect(),
        }
    }

    pub(crate) fn add(&self, weight: f64) {
        if weight.is_nan() {
            return;
        }
        let bin = (weight.floor().clamp(f64::from(LOW), f64::from(HIGH - 1)) as i32 - LOW) as usize;
        if let Some(b) = self.bins.get(bin) {
            b.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn finish(&self) -> ScoreHistogram {
        ScoreHistogram {
            low: LOW,
            counts: self
                .bins
                .iter()
                .map(|b| b.load(Ordering::Relaxed))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_fall_in_one_bit_bins_and_the_ends_take_the_rest() {
        let tally = ScoreTally::new();
        for w in [-100.0, -40.0, -0.5, 0.0, 0.99, 12.3, 39.5, 250.0, f64::NAN] {
            tally.add(w);
        }
        let h = tally.finish();
        assert_eq!(h.counts.len(), 80);
        assert_eq!(h.total(), 8);
        let at = |w: i32| h.counts[(w - h.low) as usize];
        assert_eq!(at(-40), 2);
        assert_eq!(at(-1), 1);
        assert_eq!(at(0), 2);
        assert_eq!(at(12), 1);
        assert_eq!(at(39), 2);
    }
}
