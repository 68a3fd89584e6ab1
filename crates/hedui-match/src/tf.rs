//! Term frequencies of names among recipients. A shared common name (王伟) is weak evidence;
//! a shared rare one is strong. Splink-style adjustment replaces the average u-probability of
//! an exact name match with the frequency of the actual name.

use hedui_core::name::PersonName;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Name and pinyin frequencies over the recipient members, borrowing the members' names.
#[derive(Debug, Default)]
pub struct NameFrequencies<'a> {
    names: FxHashMap<&'a str, u32>,
    pinyin: FxHashMap<&'a str, u32>,
    total: u32,
}

impl<'a> NameFrequencies<'a> {
    pub fn build(names: impl Iterator<Item = &'a PersonName>) -> Self {
        let names: Vec<&PersonName> = names.filter(|n| !n.is_empty()).collect();
        // Two independent counts over a prefecture's roster: one per core.
        let (by_name, by_pinyin) = rayon::join(
            || count(names.par_iter().map(|n| n.as_str())),
            || count(names.par_iter().map(|n| n.pinyin_key())),
        );
        Self {
            names: by_name,
            pinyin: by_pinyin,
            total: names.len() as u32,
        }
    }

    /// The share of members with exactly this name, never below one member's share.
    pub fn name(&self, name: &PersonName) -> f64 {
        self.share(self.names.get(name.as_str()))
    }

    /// The share of members whose name sounds like this one.
    pub fn pinyin(&self, name: &PersonName) -> f64 {
        self.share(self.pinyin.get(name.pinyin_key()))
    }

    fn share(&self, count: Option<&u32>) -> f64 {
        let total = f64::from(self.total.max(1));
        f64::from((*count.unwrap_or(&1)).max(1)) / total
    }
}

/// How often each text occurs. Sorting in parallel and counting runs avoids hashing every
/// occurrence on one thread.
fn count<'a>(texts: impl IndexedParallelIterator<Item = &'a str>) -> FxHashMap<&'a str, u32> {
    let mut texts: Vec<&str> = texts.collect();
    texts.par_sort_unstable();
    let mut counts = FxHashMap::default();
    for run in texts.chunk_by(|a, b| a == b) {
        counts.insert(run[0], run.len() as u32);
    }
    counts
}
