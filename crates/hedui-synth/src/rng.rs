//! Random streams and weighted choice.
//!
//! Every chunk of households draws from its own ChaCha8 stream derived from (seed, chunk),
//! so output does not depend on which thread ran which chunk. File-level choices (header
//! wording, date style) use a separate stream so they do not shift when N changes.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The random generator used everywhere.
pub(crate) type SynthRng = ChaCha8Rng;

/// Stream id reserved for file-level style choices.
const STYLE_STREAM: u64 = u64::MAX;
/// Stream id of the relatives exports' file-level choices (staff.csv header wording).
const RELATIVES_STYLE_STREAM: u64 = u64::MAX - 1;
/// First stream of the relatives exports (staff, register, 户籍): chunk `c` draws them from
/// `RELATIVES_STREAM + c`, so that they take nothing from the chunk's own stream.
const RELATIVES_STREAM: u64 = 1 << 40;

/// The stream of one chunk.
pub(crate) fn chunk_rng(seed: u64, chunk: u32) -> SynthRng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(u64::from(chunk));
    rng
}

/// The stream for file-level style choices.
pub(crate) fn style_rng(seed: u64) -> SynthRng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(STYLE_STREAM);
    rng
}

/// The stream of one chunk's staff roster, register and registration households.
pub(crate) fn relatives_rng(seed: u64, chunk: u32) -> SynthRng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(RELATIVES_STREAM + u64::from(chunk));
    rng
}

/// The stream for the relatives exports' file-level choices.
pub(crate) fn relatives_style_rng(seed: u64) -> SynthRng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(RELATIVES_STYLE_STREAM);
    rng
}

/// SplitMix64 finaliser: a cheap, well-mixed hash for deterministic partitioning.
pub(crate) fn mix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// A hash of a string, stable across runs and platforms (unlike `DefaultHasher`'s promise).
pub(crate) fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xCBF2_9CE4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3)
    })
}

/// A fixed list of items with relative weights, sampled by binary search.
#[derive(Debug)]
pub(crate) struct Weighted<T: Clone + 'static> {
    items: std::borrow::Cow<'static, [(T, u32)]>,
    cumulative: Vec<u32>,
}

impl<T: Copy + 'static> Weighted<T> {
    pub(crate) fn new(items: &'static [(T, u32)]) -> Self {
        Self::from_items(std::borrow::Cow::Borrowed(items))
    }

    /// A table built at run time.
    pub(crate) fn owned(items: Vec<(T, u32)>) -> Self {
        Self::from_items(std::borrow::Cow::Owned(items))
    }

    fn from_items(items: std::borrow::Cow<'static, [(T, u32)]>) -> Self {
        let mut total = 0;
        let cumulative = items
            .iter()
            .map(|(_, w)| {
                total += w;
                total
            })
            .collect();
        Self { items, cumulative }
    }

    pub(crate) fn pick(&self, rng: &mut SynthRng) -> T {
        let total = self.cumulative.last().copied().unwrap_or(0);
        let target = rng.random_range(0..total.max(1));
        let i = self.cumulative.partition_point(|&c| c <= target);
        self.items[i.min(self.items.len() - 1)].0
    }
}

/// One item of a small weighted table, by linear scan (no allocation, for hot paths).
pub(crate) fn weighted<T: Copy>(rng: &mut SynthRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut target = rng.random_range(0..total.max(1));
    for &(item, w) in items {
        if target < w {
            return item;
        }
        target -= w;
    }
    items[items.len().saturating_sub(1)].0
}

/// One string of a static, non-empty table, uniformly.
pub(crate) fn pick_str(rng: &mut SynthRng, items: &[&'static str]) -> &'static str {
    let i = rng.random_range(0..items.len().max(1));
    items.get(i).copied().unwrap_or_default()
}

/// One element of a static, non-empty table, uniformly.
pub(crate) fn pick<'a, T>(rng: &mut SynthRng, items: &'a [T]) -> &'a T {
    let i = rng.random_range(0..items.len().max(1));
    &items[i.min(items.len().saturating_sub(1))]
}

/// Rounds `x` up or down at random so that the expectation is exactly `x`.
pub(crate) fn stochastic_round(rng: &mut SynthRng, x: f64) -> usize {
    let floor = x.floor();
    let extra = usize::from(rng.random_bool((x - floor).clamp(0.0, 1.0)));
    floor as usize + extra
}

/// Bernoulli draw that tolerates rates outside `[0, 1]`.
pub(crate) fn chance(rng: &mut SynthRng, p: f64) -> bool {
    if p <= 0.0 {
        false
    } else if p >= 1.0 {
        true
    } else {
        rng.random_bool(p)
    }
}

/// In-place Fisher–Yates shuffle.
pub(crate) fn shuffle<T>(rng: &mut SynthRng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}
