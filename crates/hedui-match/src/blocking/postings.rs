//! A block list stored flat: every key's members are one run of a single sorted array.
//!
//! A prefecture's roster gives a few million (key, member) entries, most under keys of
//! their own. One small vector per key cost two seconds of single-threaded allocation at
//! that scale; sorting the entries in parallel and indexing the runs costs a fraction.

use std::hash::Hash;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

#[derive(Debug)]
pub(crate) struct Postings<K> {
    runs: FxHashMap<K, (u32, u32)>,
    members: Vec<u32>,
}

impl<K> Default for Postings<K> {
    fn default() -> Self {
        Self {
            runs: FxHashMap::default(),
            members: Vec::new(),
        }
    }
}

impl<K: Ord + Hash + Copy + Send> Postings<K> {
    /// Groups `(key, member)` entries by key. Every run lists its members ascending, as
    /// filling per-key vectors in member order did, so blocks come out in the same order.
    pub(crate) fn build(mut entries: Vec<(K, u32)>) -> Self {
        entries.par_sort_unstable();
        let mut runs = FxHashMap::default();
        let mut start = 0;
        for end in 1..=entries.len() {
            if end == entries.len() || entries[end].0 != entries[start].0 {
                runs.insert(entries[start].0, (start as u32, end as u32));
                start = end;
            }
        }
        let members = entries.into_iter().map(|(_, m)| m).collect();
        Self { runs, members }
    }

    /// The members filed under `key`, ascending; `None` when there are none.
    pub(crate) fn get(&self, key: &K) -> Option<&[u32]> {
        let &(start, end) = self.runs.get(key)?;
        self.members.get(start as usize..end as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_hold_each_keys_members_ascending_and_keep_repeats() {
        let postings = Postings::build(vec![(7u64, 3), (2, 9), (7, 1), (7, 3), (2, 4)]);
        assert_eq!(postings.get(&7), Some(&[1, 3, 3][..]));
        assert_eq!(postings.get(&2), Some(&[4, 9][..]));
        assert_eq!(postings.get(&5), None);
        assert_eq!(Postings::<u64>::build(Vec::new()).get(&1), None);
    }
}
