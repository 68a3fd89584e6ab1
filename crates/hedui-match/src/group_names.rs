//! Which 村民小组 number each natural village (自然村) is, learned from the run's own data.
//!
//! One department writes `新寨村委会3组`, another `新寨村委会前进村民小组`, and both can mean
//! the same houses: in Yunnan a group is usually one natural village. Nothing in either
//! address says so, and no gazetteer of groups is published. But the data says it: when a
//! record carries the same identity number as a recipient member, its address and the
//! member's are one person's dwelling, and if one gives the group number and the other the
//! natural village, that is a vote for `前进 = 3` in that village. A name is trusted only
//! when several votes agree, so one person who owns a house in another group cannot teach
//! the engine a wrong mapping.
//!
//! Without this, two such addresses can only agree at the village level, which is most of
//! what separates an owner without an identity number from a namesake in the next group.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use hedui_core::address::Address;
use hedui_core::record::AssetRecord;
use hedui_core::resident_id::ResidentId;
use hedui_core::shared::Shared;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::prepare::MemberTable;

/// Votes a natural village needs before its number is used.
const MIN_VOTES: u32 = 2;

/// Share of the votes the winning number needs: the rest are people whose house stands in
/// another group of their village, or typing errors.
const MIN_SHARE: f64 = 0.8;

/// Learned natural-village → group-number mappings, per administrative village.
#[derive(Debug, Default, Clone)]
pub struct GroupNames {
    number_of: FxHashMap<u64, u32>,
}

type Votes = FxHashMap<u64, BTreeMap<u32, u32>>;

impl GroupNames {
    /// Learns from every identity number that two or more addresses carry: a member's
    /// roster address and the addresses of the records it owns, and the records of one
    /// owner across departments, recipient or not. Each person votes once per mapping,
    /// however many records repeat the same address.
    ///
    /// `dwellings` are further (number, address) pairs from rows that are not matched
    /// (registration rows no rule reads): they are still one person's dwelling, and a
    /// registration export writes every person's address.
    pub fn learn(
        assets: &[AssetRecord],
        dwellings: &[(ResidentId, Shared<Address>)],
        members: &MemberTable,
    ) -> Self {
        // Filled on this thread into a list sized once, not collected in parallel: a
        // parallel collect holds its pieces and the joined list together, and at province
        // scale the list is 28 million entries, the run's peak while it is made. The
        // number as an integer halves each entry (`ResidentId::as_u64`).
        let started = std::time::Instant::now();
        let bound = members.features.len()
            + assets.iter().map(|r| r.owners.len()).sum::<usize>()
            + dwellings.len();
        let mut by_number: Vec<(u64, &Address)> = Vec::with_capacity(bound);
        let from_members = members
            .features
            .iter()
            .filter_map(|f| Some((f.id?, &*f.address)));
        let from_records = assets.iter().flat_map(|record| {
            record
                .owners
                .iter()
                .filter_map(|owner| Some((*owner.id.valid()?, &*record.address)))
        });
        let from_rows_not_matched = dwellings.iter().map(|(id, address)| (*id, &**address));
        by_number.extend(
            from_members
                .chain(from_records)
                .chain(from_rows_not_matched)
                .filter(|(_, address)| can_vote(address))
                .map(|(id, address)| (id.as_u64(), address)),
        );
        tracing::debug!(
            entries = by_number.len(),
            seconds = started.elapsed().as_secs_f64(),
            "group numbers: dwellings listed"
        );
        // Most numbers carry one address and cast nothing; sorting brings each person's
        // addresses together without a map of millions of small vectors.
        by_number.par_sort_unstable_by_key(|(number, _)| *number);
        let votes = by_number
            .par_chunk_by(|a, b| a.0 == b.0)
            .filter(|person| person.len() > 1)
            .fold(Votes::default, |mut votes, person| {
                let mut cast: Vec<(u64, u32)> = Vec::new();
                for (i, (_, a)) in person.iter().enumerate() {
                    for (_, b) in &person[i + 1..] {
                        cast.extend(ballot(a, b));
                    }
                }
                cast.sort_unstable();
                cast.dedup();
                for (key, number) in cast {
                    *votes.entry(key).or_default().entry(number).or_default() += 1;
                }
                votes
            })
            .reduce(Votes::default, merge);
        tracing::debug!(
            villages = votes.len(),
            seconds = started.elapsed().as_secs_f64(),
            "group numbers: votes counted"
        );
        Self::from_votes(votes)
    }

    /// Learns from pairs of addresses known to be the same dwelling.
    pub fn from_same_dwellings<'a>(
        pairs: impl IntoIterator<Item = (&'a Address, &'a Address)>,
    ) -> Self {
        let mut votes = Votes::default();
        for (a, b) in pairs {
            vote(&mut votes, a, b);
        }
        Self::from_votes(votes)
    }

    fn from_votes(votes: Votes) -> Self {
        let number_of = votes
            .into_iter()
            .filter_map(|(key, numbers)| {
                let total: u32 = numbers.values().sum();
                // Ties go to the lower number, so the result never depends on map order.
                let (&number, &count) = numbers
                    .iter()
                    .max_by_key(|&(n, c)| (c, std::cmp::Reverse(n)))?;
                let trusted =
                    count >= MIN_VOTES && f64::from(count) >= MIN_SHARE * f64::from(total);
                trusted.then_some((key, number))
            })
            .collect();
        Self { number_of }
    }

    /// How many natural villages have a trusted number.
    pub fn len(&self) -> usize {
        self.number_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.number_of.is_empty()
    }

    /// Whether two addresses in the same village name the same group, when that can be
    /// told: by number, by natural village, or by a learned mapping between the two.
    /// `None` when one side names neither, or the mapping is not known.
    pub fn same_group(&self, a: &Address, b: &Address) -> Option<bool> {
        let (hamlet_a, hamlet_b) = (a.hamlet(), b.hamlet());
        if let (Some(x), Some(y)) = (a.group, b.group) {
            return Some(x == y || hamlet_a.is_some() && hamlet_a == hamlet_b);
        }
        if let (Some(x), Some(y)) = (hamlet_a, hamlet_b) {
            return Some(x == y);
        }
        let (number, named, hamlet) = match (a.group, b.group, hamlet_a, hamlet_b) {
            (Some(n), None, _, Some(h)) => (n, b, h),
            (None, Some(n), Some(h), _) => (n, a, h),
            _ => return None,
        };
        self.number_of
            .get(&key(named, hamlet)?)
            .map(|&learned| learned == number)
    }
}

/// Adds the vote two same-dwelling addresses cast, if any.
fn vote(votes: &mut Votes, a: &Address, b: &Address) {
    if let Some((key, number)) = ballot(a, b) {
        *votes.entry(key).or_default().entry(number).or_default() += 1;
    }
}

/// Whether an address could take part in a vote: a rural village with its group named
/// one way or the other.
fn can_vote(address: &Address) -> bool {
    address.county.is_some()
        && address.township.is_some()
        && address.village.is_some()
        && (address.group.is_some() || address.hamlet().is_some())
}

/// The vote two same-dwelling addresses cast, if one names the group by number and the
/// other by natural village, in the same village.
fn ballot(a: &Address, b: &Address) -> Option<(u64, u32)> {
    let same_village = a.county.is_some()
        && a.county.map(|c| c.code) == b.county.map(|c| c.code)
        && a.township.is_some()
        && a.township == b.township
        && a.village.is_some()
        && a.village == b.village;
    if !same_village {
        return None;
    }
    let (number, named) = match (a.group, b.group) {
        (Some(n), None) => (n, b),
        (None, Some(n)) => (n, a),
        _ => return None,
    };
    Some((key(named, named.hamlet()?)?, number))
}

fn merge(mut a: Votes, b: Votes) -> Votes {
    for (key, numbers) in b {
        let into = a.entry(key).or_default();
        for (number, count) in numbers {
            *into.entry(number).or_default() += count;
        }
    }
    a
}

/// The natural village `hamlet` of `address`'s village, as a map key. A hash, not the text,
/// so that a lookup during comparison allocates nothing.
fn key(address: &Address, hamlet: &str) -> Option<u64> {
    let mut h = rustc_hash::FxHasher::default();
    address.county?.code.hash(&mut h);
    address.township.as_deref()?.hash(&mut h);
    address.village.as_deref()?.hash(&mut h);
    hamlet.hash(&mut h);
    Some(h.finish())
}

#[cfg(test)]
mod tests;
