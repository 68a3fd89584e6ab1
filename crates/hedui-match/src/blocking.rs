//! Candidate pairs. Comparing every owner with every member is 3 million × 600 thousand;
//! instead each owner is compared only with members who share a blocking key:
//!
//! - `exact_id`: the normalised (15→18 upgraded) identity number;
//! - `id_neighbour`: when the owner's number fails its check or is not a member's, the valid
//!   numbers one substitution or adjacent transposition away;
//! - `pinyin_birth`: name pinyin plus birth date (from the number, even a broken one);
//! - `name_area`: for owners with no usable number, the name (or its pinyin, or the name with
//!   one rare-character placeholder) within the county.
//!
//! Keys are 64-bit hashes: a collision only adds a pair that comparison then rejects.

use std::hash::{Hash, Hasher};

use hedui_core::name::WILDCARD;
use hedui_core::resident_id::{ResidentId, legacy_neighbours_among, one_edit_neighbours};
use rayon::prelude::*;
use serde::Serialize;

use crate::prepare::{BlockingView, IdEvidence, MemberFeatures};

mod id_filter;
mod postings;

use id_filter::IdFilter;
use postings::Postings;

/// The blocking rules, as bits of a pair's `rules` mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    ExactId = 0,
    IdNeighbour = 1,
    PinyinBirth = 2,
    NameArea = 3,
}

impl Rule {
    pub const ALL: [Rule; 4] = [
        Self::ExactId,
        Self::IdNeighbour,
        Self::PinyinBirth,
        Self::NameArea,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExactId => "exact_id",
            Self::IdNeighbour => "id_neighbour",
            Self::PinyinBirth => "pinyin_birth",
            Self::NameArea => "name_area",
        }
    }

    pub fn bit(self) -> u8 {
        1 << self as u8
    }

    /// The rule names in a mask, for evidence.
    pub fn names(mask: u8) -> Vec<&'static str> {
        Self::ALL
            .into_iter()
            .filter(|r| mask & r.bit() != 0)
            .map(Self::as_str)
            .collect()
    }
}

/// How many pairs each rule produced, for the manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlockingStats {
    pub exact_id: u64,
    pub id_neighbour: u64,
    pub pinyin_birth: u64,
    pub name_area: u64,
    /// Distinct owner–member pairs after the union.
    pub distinct_pairs: u64,
    /// Blocks larger than `max_block`, skipped.
    pub oversized_blocks_skipped: u64,
}

impl BlockingStats {
    /// Adds another tally (another owner's, another department's) to this one.
    pub fn add(&mut self, other: &Self) {
        self.exact_id += other.exact_id;
        self.id_neighbour += other.id_neighbour;
        self.pinyin_birth += other.pinyin_birth;
        self.name_area += other.name_area;
        self.distinct_pairs += other.distinct_pairs;
        self.oversized_blocks_skipped += other.oversized_blocks_skipped;
    }

    fn count(&mut self, rule: Rule, n: usize) {
        let slot = match rule {
            Rule::ExactId => &mut self.exact_id,
            Rule::IdNeighbour => &mut self.id_neighbour,
            Rule::PinyinBirth => &mut self.pinyin_birth,
            Rule::NameArea => &mut self.name_area,
        };
        *slot += n as u64;
    }
}

pub(crate) fn key(parts: impl Hash) -> u64 {
    // Fx, not SipHash: keys are hashed several times per owner and per member, and no
    // adversary chooses them; a rare collision only adds a pair that is then compared.
    let mut h = rustc_hash::FxHasher::default();
    parts.hash(&mut h);
    h.finish()
}

/// Member lookups by every blocking key.
#[derive(Debug, Default)]
pub struct MemberIndex {
    by_id: Postings<ResidentId>,
    /// Which numbers `by_id` may hold, for the many neighbours of upgraded numbers.
    ids: IdFilter,
    by_pinyin_birth: Postings<u64>,
    by_name_area: Postings<u64>,
    max_block: usize,
}

impl MemberIndex {
    pub fn build(members: &[MemberFeatures], max_block: usize) -> Self {
        // Keys (pinyin, masked names, hashes) are the cost and are computed in parallel;
        // the lists are filled in member order, so every block lists its members ascending.
        // A batch of members at a time, into lists sized once: every member's keys at once,
        // and lists grown by doubling, were most of the run's peak at province scale.
        let (mut by_id, mut by_pinyin_birth, mut by_name_area) = (
            Vec::with_capacity(members.iter().filter(|m| m.id.is_some()).count()),
            Vec::with_capacity(members.len()),
            Vec::with_capacity(members.par_iter().map(name_area_key_count).sum()),
        );
        for (batch, chunk) in members.chunks(KEY_BATCH).enumerate() {
            let keys: Vec<MemberKeys> = chunk.par_iter().map(MemberKeys::of).collect();
            for (j, k) in keys.into_iter().enumerate() {
                let i = (batch * KEY_BATCH + j) as u32;
                by_id.extend(k.id.map(|id| (id, i)));
                by_pinyin_birth.extend(k.pinyin_birth.map(|key| (key, i)));
                by_name_area.extend(k.name_area.into_iter().map(|key| (key, i)));
            }
        }
        // Indexing a key's run is serial; the three lists overlap theirs.
        let (by_name_area, (by_id, by_pinyin_birth)) = rayon::join(
            || Postings::build(by_name_area),
            || {
                rayon::join(
                    || Postings::build(by_id),
                    || Postings::build(by_pinyin_birth),
                )
            },
        );
        let ids = IdFilter::build(members.iter().filter_map(|m| m.id.as_ref()));
        Self {
            by_id,
            ids,
            by_pinyin_birth,
            by_name_area,
            max_block,
        }
    }

    /// The members who carry exactly this number.
    pub fn members_with_id(&self, id: &ResidentId) -> &[u32] {
        self.by_id.get(id).unwrap_or_default()
    }

    /// The members an owner is compared with, each with the mask of rules that paired them.
    pub fn candidates(
        &self,
        owner: &BlockingView<'_>,
        stats: &mut BlockingStats,
    ) -> Vec<(u32, u8)> {
        let mut found: Vec<(u32, u8)> = Vec::new();
        let mut add = |members: Option<&[u32]>, rule: Rule, stats: &mut BlockingStats| {
            let Some(members) = members else { return };
            if members.len() > self.max_block {
                stats.oversized_blocks_skipped += 1;
                return;
            }
            stats.count(rule, members.len());
            found.extend(members.iter().map(|&m| (m, rule.bit())));
        };
        let broken_digits = match &owner.id {
            IdEvidence::Valid(id) => {
                // No check-digit neighbour search: one edit always breaks the check, so a
                // valid number has no valid neighbour that a member could hold (see
                // `one_edit_neighbours`). Most department owners are valid numbers no member
                // has, and searching their neighbours cost seconds at prefecture scale.
                let exact = self.by_id.get(id);
                add(exact, Rule::ExactId, stats);
                if exact.is_none() {
                    // An upgraded 15-digit number is the exception: it had no check to fail.
                    for neighbour in legacy_neighbours_among(id, |b| self.ids.may_hold(b)) {
                        add(self.by_id.get(&neighbour), Rule::IdNeighbour, stats);
                    }
                }
                None
            }
            IdEvidence::Broken(digits) => Some(digits.clone()),
            IdEvidence::Missing => None,
        };
        if let Some(digits) = broken_digits {
            for neighbour in one_edit_neighbours(&digits) {
                add(self.by_id.get(&neighbour), Rule::IdNeighbour, stats);
            }
        }
        if let (Some(birth), false) = (owner.birth_date, owner.name.is_empty()) {
            add(
                self.by_pinyin_birth
                    .get(&key((owner.name.pinyin_key(), birth))),
                Rule::PinyinBirth,
                stats,
            );
        }
        if let (IdEvidence::Missing, false) = (&owner.id, owner.name.is_empty())
            && let Some(area) = area_of(owner.address)
        {
            for k in name_area_keys(owner.name.as_str(), owner.name.pinyin_key(), &area, false) {
                add(self.by_name_area.get(&k), Rule::NameArea, stats);
            }
        }
        found.sort_unstable();
        let mut merged: Vec<(u32, u8)> = Vec::with_capacity(found.len());
        for (m, bit) in found {
            match merged.last_mut() {
                Some((last, mask)) if *last == m => *mask |= bit,
                _ => merged.push((m, bit)),
            }
        }
        stats.distinct_pairs += merged.len() as u64;
        merged
    }
}

/// One member's blocking keys.
/// Members whose keys are computed together by [`MemberIndex::build`].
const KEY_BATCH: usize = 1 << 16;

/// How many name-within-area keys [`MemberKeys::of`] gives `m`: its name and pinyin, and
/// one mask per character, when it has a name and an area.
fn name_area_key_count(m: &MemberFeatures) -> usize {
    let has_area = m.address.county.is_some() || m.address.township.is_some();
    if m.name.is_empty() || !has_area {
        return 0;
    }
    2 + m.name.as_str().chars().count()
}

struct MemberKeys {
    id: Option<ResidentId>,
    pinyin_birth: Option<u64>,
    name_area: Vec<u64>,
}

impl MemberKeys {
    fn of(m: &MemberFeatures) -> Self {
        if m.name.is_empty() {
            return Self {
                id: m.id,
                pinyin_birth: None,
                name_area: Vec::new(),
            };
        }
        Self {
            id: m.id,
            pinyin_birth: m.birth_date.map(|birth| key((m.name.pinyin_key(), birth))),
            name_area: area_of(&m.address).map_or_else(Vec::new, |area| {
                name_area_keys(m.name.as_str(), m.name.pinyin_key(), &area, true)
            }),
        }
    }
}

/// The area a name is blocked within: the county, or the township when an address names no
/// county (a township unique in the prefecture already implies one).
fn area_of(address: &hedui_core::address::Address) -> Option<String> {
    match (address.county, &address.township) {
        (Some(county), _) => Some(county.code.to_owned()),
        (None, Some(township)) => Some(format!("t:{township}")),
        (None, None) => None,
    }
}

/// Name-within-area keys. Members are indexed under their name, their pinyin, and each
/// single-position mask of their name; an owner looks up its name, its pinyin, and (if it has
/// exactly one placeholder) its own masked form.
fn name_area_keys(name: &str, pinyin: &str, area: &str, member_side: bool) -> Vec<u64> {
    let mut keys = vec![key(("n", name, area)), key(("p", pinyin, area))];
    let chars: Vec<char> = name.chars().collect();
    if member_side {
        for i in 0..chars.len() {
            let masked: String = chars
                .iter()
                .enumerate()
                .map(|(j, &c)| if i == j { WILDCARD } else { c })
                .collect();
            keys.push(key(("n", masked.as_str(), area)));
        }
    }
    keys
}

#[cfg(test)]
mod tests;
