//! The second pass: evidence that exists only once the first pass has linked every owner.
//! The titles each household holds on firm evidence (a number, or a co-owner from the
//! household) are read from the first pass; owners without a number are labelled with
//! [`Field::OtherTitle`], the field's m and u are estimated, and only those owners are
//! resolved again. The second pass never feeds back into what it read, so one round is the
//! whole computation and the result does not depend on order.

use std::collections::BTreeMap;

use hedui_core::record::{AssetRecord, Department};
use rayon::prelude::*;

pub(crate) use crate::compare::other_title::HeldTitles;
use crate::compare::{Field, IdLevel, Levels};
use crate::pairs::OwnerPairs;
use crate::params::{self, Dense, ModelParameters};
use crate::prepare::MemberTable;
use crate::{Band, Link};

/// Whether a link stands on more than a name and a place: on the number (exact, or one
/// slip from it), or on a co-owner from the household.
fn corroborated(link: &Link) -> bool {
    let by_number = matches!(
        IdLevel::of(&link.levels),
        IdLevel::Exact | IdLevel::OneEdit | IdLevel::OneEditSequence | IdLevel::LegacyOneEdit
    );
    link.band == Band::Link && (by_number || link.co_owner_in_household())
}

/// Notes the records a household holds through `links` (one owner's first-pass links)
/// on a number or a co-owner. Insertion order does not matter: a level only asks whether
/// a household holds another title.
pub(crate) fn note_held(
    held: &mut HeldTitles,
    links: &[Link],
    assets: &[AssetRecord],
    table: &MemberTable,
) {
    for link in links {
        if let (true, Some(asset)) = (corroborated(link), assets.get(link.record)) {
            held.insert(table, link.member as u32, link.record, asset);
        }
    }
}

pub(crate) fn lacks_number(owner: &OwnerPairs) -> bool {
    !owner.with_id
}

/// Sets the other-title level on every pair of every owner without a number.
pub(crate) fn assess(
    owners: &mut [OwnerPairs],
    held: &HeldTitles,
    table: &MemberTable,
    assets: &[AssetRecord],
) {
    let f = Field::OtherTitle.index();
    owners
        .par_iter_mut()
        .filter(|o| lacks_number(o))
        .for_each(|o| {
            let record = o.record;
            for (member, _, levels) in &mut o.pairs {
                let level = held.level(table, *member, record, assets);
                levels.0[f] = level.at_address(levels.get(Field::Address)) as u8;
            }
        });
}

/// The assessed pairs of owners without a number, counted by comparison vector per
/// department: what the other-title field is estimated from, summed over partitions.
#[derive(Debug, Default)]
pub(crate) struct Patterns(BTreeMap<Department, BTreeMap<Levels, u64>>);

impl Patterns {
    pub fn count(&mut self, owners: &[OwnerPairs]) {
        for o in owners.iter().filter(|o| lacks_number(o)) {
            let patterns = self.0.entry(o.department).or_default();
            for (_, _, levels) in &o.pairs {
                *patterns.entry(*levels).or_default() += 1;
            }
        }
    }
}

/// Estimates the other-title field of each department's model from its assessed pairs,
/// unless the run configured it, and records it in the published parameters.
pub(crate) fn estimate(
    patterns: &Patterns,
    models: &mut BTreeMap<Department, (Dense, ModelParameters)>,
    configured: impl Fn(Department) -> bool,
    max_iterations: usize,
) {
    let none = BTreeMap::new();
    for (&department, (dense, public)) in models.iter_mut() {
        if configured(department) {
            continue;
        }
        let patterns = patterns.0.get(&department).unwrap_or(&none);
        let iterations = params::estimate_other_title(patterns, dense, max_iterations);
        public.em_iterations += iterations;
        public.fields.insert(
            Field::OtherTitle.as_str().to_owned(),
            dense.public_levels(Field::OtherTitle),
        );
    }
}
