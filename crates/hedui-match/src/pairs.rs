//! Blocking and comparison for every owner of every record, in parallel.
//!
//! Most owners on a department export are not recipients and get no candidate pair at all.
//! Only owners with pairs are kept; the rest leave just their counts. A kept owner holds its
//! compared pairs, not its prepared features: those are made again from the record when
//! the pairs are scored, because at province scale millions of owners are held between
//! comparing and scoring, and features are twice the size of everything else they hold.

use std::collections::BTreeMap;

use hedui_core::record::{AssetRecord, Department};
use rayon::prelude::*;

use crate::blocking::{BlockingStats, MemberIndex};
use crate::compare::{self, Levels};
use crate::partition::Subset;
use crate::prepare::{BlockingView, IdEvidence, MemberTable, OwnerFeatures, SharedTitles};

/// A candidate pair as compared: member, blocking rules (bits), comparison vector.
pub(crate) type Pair = (u32, u8, Levels);

/// One owner's candidate pairs, compared.
pub(crate) struct OwnerPairs {
    pub record: usize,
    pub owner: usize,
    pub department: Department,
    /// Whether the owner has a number, valid or broken (not [`IdEvidence::Missing`]).
    pub with_id: bool,
    pub pairs: Vec<Pair>,
}

impl OwnerPairs {
    /// The owner's features as they were compared ([`owner_features`]).
    pub fn features(
        &self,
        assets: &[AssetRecord],
        titles: &SharedTitles<'_>,
    ) -> Option<OwnerFeatures> {
        owner_features(assets, titles, self.record, self.owner)
    }
}

/// What every owner of a department contributes, paired or not.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tally {
    pub stats: BlockingStats,
    pub with_id: u64,
    pub without_id: u64,
}

impl Tally {
    pub fn absorb(&mut self, other: &Tally) {
        self.stats.add(&other.stats);
        self.with_id += other.with_id;
        self.without_id += other.without_id;
    }
}

/// Owners with candidate pairs, in record and owner order, plus each department's tally.
#[derive(Default)]
pub(crate) struct Compared {
    pub owners: Vec<OwnerPairs>,
    pub tallies: BTreeMap<Department, Tally>,
}

impl Compared {
    fn add(&mut self, record: usize, owner: usize, department: Department, pairs: OwnerResult) {
        let tally = self.tallies.entry(department).or_default();
        tally.stats.add(&pairs.stats);
        if pairs.with_id {
            tally.with_id += 1;
        } else {
            tally.without_id += 1;
        }
        if let Some(kept) = pairs.kept {
            self.owners.push(OwnerPairs {
                record,
                owner,
                department,
                with_id: pairs.with_id,
                pairs: kept,
            });
        }
    }

    /// Joins the results of two adjacent runs of records, left first, so the order is the
    /// records' whatever the thread count.
    fn merge(mut self, right: Self) -> Self {
        self.owners.extend(right.owners);
        for (department, tally) in right.tallies {
            self.tallies.entry(department).or_default().absorb(&tally);
        }
        self
    }

    pub fn pairs_count(&self) -> u64 {
        self.owners.iter().map(|o| o.pairs.len() as u64).sum()
    }

    pub fn owner_count(&self) -> u64 {
        self.tallies
            .values()
            .map(|t| t.with_id + t.without_id)
            .sum()
    }
}

struct OwnerResult {
    with_id: bool,
    stats: BlockingStats,
    kept: Option<Vec<Pair>>,
}

/// The features of owner `owner` of record `r`, as blocking, comparison and u-sampling see
/// them.
pub(crate) fn owner_features(
    assets: &[AssetRecord],
    titles: &SharedTitles<'_>,
    r: usize,
    owner: usize,
) -> Option<OwnerFeatures> {
    let asset = assets.get(r)?;
    let o = asset.owners.get(owner)?;
    Some(OwnerFeatures::of(asset, o).with_title_co_owners(titles.other_owners(assets, r)))
}

pub(crate) fn compare_all(
    assets: &[AssetRecord],
    titles: &SharedTitles<'_>,
    index: &MemberIndex,
    table: &MemberTable,
) -> Compared {
    let every = |_: usize, _: usize| true;
    let records = (0..assets.len()).into_par_iter();
    compare_owners(records, &every, Subset::All, assets, titles, index, table)
}

/// Blocks and compares the owners of `records` that `keep` (record, owner) and `subset`
/// admit; the result is in record and owner order whatever the thread count.
pub(crate) fn compare_owners(
    records: impl IndexedParallelIterator<Item = usize>,
    keep: &(dyn Fn(usize, usize) -> bool + Sync),
    subset: Subset,
    assets: &[AssetRecord],
    titles: &SharedTitles<'_>,
    index: &MemberIndex,
    table: &MemberTable,
) -> Compared {
    records
        .fold(Compared::default, |mut acc, r| {
            let Some(asset) = assets.get(r) else {
                return acc;
            };
            // An organisation (a company's car) is no household member: it gets no pair
            // and is not counted among the owners that could have had one.
            let people = asset
                .owners
                .iter()
                .enumerate()
                .filter(|(o, owner)| owner.is_person() && keep(r, *o));
            for (o, owner) in people {
                let view = BlockingView::of(asset, owner);
                let with_id = !matches!(view.id, IdEvidence::Missing);
                if with_id && subset == Subset::LackingNumber {
                    continue;
                }
                let mut stats = BlockingStats::default();
                let candidates = index.candidates(&view, &mut stats);
                let kept = (!candidates.is_empty()).then(|| {
                    let features = OwnerFeatures::from_view(view, asset, owner)
                        .with_title_co_owners(titles.other_owners(assets, r));
                    candidates
                        .into_iter()
                        .map(|(m, rules)| (m, rules, compare::compare(&features, m, table)))
                        .collect::<Vec<Pair>>()
                });
                let result = OwnerResult {
                    with_id,
                    stats,
                    kept,
                };
                acc.add(r, o, asset.department(), result);
            }
            acc
        })
        .reduce(Compared::default, Compared::merge)
}
