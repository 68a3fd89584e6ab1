//! Links every owner named on a department record to the recipient member who is the same
//! person, or to no one.
//!
//! **Precision first.** A pair the model is unsure of goes to the review band, never to the
//! link band; two members competing for one owner without a clear margin both go to review.
//!
//! Stages: prepare features once per record ([`prepare`]), form candidate pairs by blocking
//! ([`blocking`]), compare field by field ([`compare`]), estimate Fellegi–Sunter parameters
//! ([`params`]), score with term-frequency-adjusted weights ([`score`]), band and resolve
//! competition ([`resolve`]), then weigh the owners without a number once more against the
//! titles their households already hold ([`second_pass`]). Output order never depends on
//! the thread count.

pub mod blocking;
pub mod compare;
pub mod config;
pub mod group_names;
mod histogram;
mod pairs;
pub mod params;
pub mod partition;
pub mod prepare;
mod resolve;
pub mod score;
mod second_pass;
// The integration tests' builders, so that unit tests write a record in the same one place.
#[cfg(test)]
#[path = "../tests/it/common/mod.rs"]
mod test_common;
mod tf;

use std::collections::BTreeMap;

use hedui_core::record::{AssetRecord, Department, Member};
use hedui_core::resident_id::ResidentId;
use rayon::prelude::*;
use serde::Serialize;

pub use blocking::{BlockingStats, Rule};
pub use compare::{Field, Levels};
pub use config::{MatchConfig, MatchError};
pub use histogram::ScoreHistogram;
pub use params::ModelParameters;
pub use partition::{PartitionSummary, Partitioning};
pub use score::{Step, Waterfall};

use blocking::MemberIndex;
use group_names::GroupNames;
use pairs::{OwnerPairs, Tally};
use params::Dense;
use partition::{Owners, Subset};
use prepare::{MemberFeatures, MemberTable, OwnerFeatures, SharedTitles};
use score::Scorer;
use tf::NameFrequencies;

/// How sure the engine is of a link (defined in core, where every stage can name it).
pub use hedui_core::LinkBand as Band;

/// One owner of one record, paired with one member.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Index into the assets passed to [`link`].
    pub record: usize,
    /// Position of the owner within the record.
    pub owner: usize,
    /// Index into the members passed to [`link`].
    pub member: usize,
    pub band: Band,
    pub weight: f64,
    pub probability: f64,
    pub levels: Levels,
    /// Blocking rules that formed the pair, as names.
    pub rules: Vec<&'static str>,
    pub waterfall: Waterfall,
    /// Why a link-strength pair was sent to review, if it was.
    pub note: Option<String>,
}

impl Link {
    /// Whether another owner on the record belongs to the member's household, so that the
    /// link stands on more than the name (read by the namesake check and the second pass).
    pub(crate) fn co_owner_in_household(&self) -> bool {
        self.levels.label(Field::Household) == "co_owner_in_household"
    }
}

/// Everything matching produced, including what an auditor needs to trust it.
#[derive(Debug, Clone, Serialize)]
pub struct MatchOutput {
    /// Sorted by record, owner, then descending weight.
    pub links: Vec<Link>,
    /// The parameters each department's model used.
    pub parameters: BTreeMap<&'static str, ModelParameters>,
    pub blocking: BTreeMap<&'static str, BlockingStats>,
    /// The final weight of every compared pair, per department.
    pub score_histograms: BTreeMap<&'static str, ScoreHistogram>,
    pub owners: u64,
    pub pairs_compared: u64,
    /// Each partition's share, in the order they ran; empty when the run was not
    /// partitioned.
    pub partitions: Vec<PartitionSummary>,
}

/// Links `assets`' owners to `members`.
pub fn link(
    members: &[Member],
    assets: &[AssetRecord],
    config: &MatchConfig,
) -> Result<MatchOutput, MatchError> {
    link_with_dwellings(members, assets, Vec::new(), config)
}

/// [`link`], with the (number, address) pairs of rows read but not matched, which still
/// teach the group numbers of natural villages ([`GroupNames::learn`]). They are taken
/// by value and dropped once learned, before the pairs are compared.
pub fn link_with_dwellings(
    members: &[Member],
    assets: &[AssetRecord],
    dwellings: Vec<(ResidentId, hedui_core::Shared<hedui_core::Address>)>,
    config: &MatchConfig,
) -> Result<MatchOutput, MatchError> {
    link_partitioned(members, assets, dwellings, config, Partitioning::None)
}

/// Owners resolved at once: enough to keep both cores busy, few enough that their lists of
/// links stay small beside the owners held.
const RESOLVE_BATCH: usize = 1 << 16;

/// [`link_with_dwellings`], with the owners' pairs formed one partition at a time
/// ([`partition`]). The output is the same for every partitioning.
pub fn link_partitioned(
    members: &[Member],
    assets: &[AssetRecord],
    dwellings: Vec<(ResidentId, hedui_core::Shared<hedui_core::Address>)>,
    config: &MatchConfig,
    partitioning: Partitioning,
) -> Result<MatchOutput, MatchError> {
    config.check()?;
    let started = std::time::Instant::now();
    let lap =
        |stage: &str| tracing::debug!(stage, seconds = started.elapsed().as_secs_f64(), "matching");
    let features: Vec<MemberFeatures> = members.par_iter().map(MemberFeatures::of).collect();
    let mut table = MemberTable::build(members, features);
    lap("member table built");
    let index = MemberIndex::build(&table.features, config.max_block);
    lap("member index built");
    // Both read only the records: the title map is built on one thread while the group
    // mappings are learned on the rest.
    let (group_names, titles) = rayon::join(
        || GroupNames::learn(assets, &dwellings, &table),
        || SharedTitles::build(assets),
    );
    drop(dwellings);
    table.group_names = group_names;
    tracing::debug!(
        natural_villages = table.group_names.len(),
        "group numbers learned"
    );
    let table = table;
    let tf = NameFrequencies::build(table.features.iter().map(|m| &m.name))
        .with_cohorts_and_counties(
            table.features.iter().map(|m| (&m.name, m.id.as_ref())),
            table
                .features
                .iter()
                .map(|m| (&m.name, m.address.county.map(|c| c.code))),
        );
    lap("members indexed");

    let compare = |records: &[u32], keep: &(dyn Fn(usize, usize) -> bool + Sync), subset| {
        let records = records.par_iter().map(|&r| r as usize);
        pairs::compare_owners(records, keep, subset, assets, &titles, &index, &table)
    };
    let mut owners = match partitioning {
        Partitioning::None => Owners::Held(pairs::compare_all(assets, &titles, &index, &table)),
        Partitioning::County => {
            Owners::Routed(partition::Routes::by_county(members, assets, &index))
        }
    };
    // Pass 1: what blocking found, and the comparison patterns the models are fitted from.
    // Every statistic is a sum over owners, so partitions add up to the single run's.
    let mut tallies: BTreeMap<Department, Tally> = BTreeMap::new();
    let mut patterns: BTreeMap<Department, PatternCounts> = BTreeMap::new();
    let mut partitions: Vec<PartitionSummary> = Vec::new();
    let (mut owner_count, mut pairs_compared) = (0, 0);
    owners.each(Subset::All, &compare, |route, compared| {
        owner_count += compared.owner_count();
        pairs_compared += compared.pairs_count();
        for (department, tally) in &compared.tallies {
            tallies.entry(*department).or_default().absorb(tally);
        }
        for (department, counts) in PatternCounts::of(&compared.owners) {
            patterns.entry(department).or_default().absorb(counts);
        }
        if let Some(route) = route {
            partitions.push(PartitionSummary {
                county: route.county.map_or("", |c| c.code),
                records: route.records.len() as u64,
                owners: compared.owner_count(),
                pairs_compared: compared.pairs_count(),
            });
        }
    });
    lap("owners blocked and compared");

    let mut blocking: BTreeMap<&'static str, BlockingStats> = BTreeMap::new();
    for (&department, tally) in &tallies {
        blocking.insert(department.as_str(), tally.stats.clone());
        if tally.stats.oversized_blocks_skipped > 0 {
            // Skipped pairs can hide true links; whoever runs the job must hear of it, not
            // only find it in the manifest.
            tracing::warn!(
                department = department.as_str(),
                skipped = tally.stats.oversized_blocks_skipped,
                max_block = config.max_block,
                "blocks larger than max_block were skipped; their owners were not compared \
                 on that rule (raise [matching] max_block to compare them)"
            );
        }
    }
    // Each department's model depends on its own pairs only, so they are fitted side by
    // side; collecting into a map keyed by department keeps the result order-free.
    // One order for all departments' u-samples: members by content, not roster position.
    let members_by_content = params::members_by_content(&table);
    let cohorts =
        params::slips::Cohorts::build(table.features.iter().filter_map(|m| m.id.as_ref()));
    let roster = Roster {
        table: &table,
        index: &index,
        by_content: &members_by_content,
        cohorts: &cohorts,
    };
    let no_patterns = PatternCounts::default();
    let fitted: Vec<(Department, Result<Fitted, MatchError>)> = tallies
        .par_iter()
        .map(|(&department, tally)| {
            let sampler = OwnerSampler {
                assets,
                titles: &titles,
                department,
            };
            let counts = patterns.get(&department).unwrap_or(&no_patterns);
            let fit = fit_model(department, counts, tally, &sampler, &roster, config);
            (department, fit)
        })
        .collect();
    drop(patterns);
    let mut models: BTreeMap<Department, Fitted> = BTreeMap::new();
    for (department, fit) in fitted {
        models.insert(department, fit?);
    }
    lap("models fitted");

    let histograms: BTreeMap<Department, histogram::ScoreTally> = models
        .keys()
        .map(|&d| (d, histogram::ScoreTally::new()))
        .collect();
    // Each pair is counted with its final weight: owners without a number are weighed
    // once more below, so they are counted there.
    let resolve = |o: &OwnerPairs, models: &BTreeMap<Department, Fitted>, counted: bool| {
        let (dense, _) = &models[&o.department];
        let scorer = Scorer {
            dense,
            tf: &tf,
            members: &table,
        };
        let tally = histograms.get(&o.department).filter(|_| counted);
        // Made again as they were compared: the record and its titles are unchanged.
        let Some(features) = o.features(assets, &titles) else {
            return Vec::new();
        };
        resolve::resolve_owner(
            o.record, o.owner, &features, &o.pairs, &scorer, config, tally,
        )
    };
    // Pass 2: owners with a number are resolved for good; every owner's first-pass links
    // say which titles each household holds on firm evidence.
    let mut links: Vec<Link> = Vec::new();
    let mut held = second_pass::HeldTitles::default();
    owners.each(Subset::All, &compare, |_, compared| {
        // In batches: every owner's list of links at once is millions of lists at province
        // scale, held beside the owners themselves at the run's peak.
        for batch in compared.owners.chunks(RESOLVE_BATCH) {
            let per_owner: Vec<Vec<Link>> = batch
                .par_iter()
                .map(|o| resolve(o, &models, !second_pass::lacks_number(o)))
                .collect();
            for (o, owner_links) in batch.iter().zip(per_owner) {
                second_pass::note_held(&mut held, &owner_links, assets, &table);
                if !second_pass::lacks_number(o) {
                    links.extend(owner_links);
                }
            }
        }
    });
    // Pass 3: owners without a number, labelled with what their households hold, fit the
    // other-title field; pass 4 weighs them again with it.
    let mut other_title = second_pass::Patterns::default();
    owners.each(Subset::LackingNumber, &compare, |_, compared| {
        second_pass::assess(&mut compared.owners, &held, &table, assets);
        other_title.count(&compared.owners);
    });
    second_pass::estimate(
        &other_title,
        &mut models,
        |department| {
            config
                .parameters
                .get(department.as_str())
                .is_some_and(|p| p.fields.contains_key(Field::OtherTitle.as_str()))
        },
        config.em_max_iterations,
    );
    owners.each(Subset::LackingNumber, &compare, |route, compared| {
        if route.is_some() {
            // Compared afresh: label them again (a held run's labels stand).
            second_pass::assess(&mut compared.owners, &held, &table, assets);
        }
        for batch in compared.owners.chunks(RESOLVE_BATCH) {
            let per_owner: Vec<Vec<Link>> = batch
                .par_iter()
                .filter(|o| second_pass::lacks_number(o))
                .map(|o| resolve(o, &models, true))
                .collect();
            links.extend(per_owner.into_iter().flatten());
        }
    });
    drop(owners);
    // Record and owner order, as the owners were compared; each owner's links keep the
    // order resolution gave them (a stable sort).
    links.sort_by_key(|l| (l.record, l.owner));

    resolve::demote_namesake_links(&mut links, assets, |m| table.household_index(m as u32));
    lap("pairs scored and resolved");
    Ok(MatchOutput {
        links,
        parameters: models
            .into_iter()
            .map(|(d, (_, p))| (d.as_str(), p))
            .collect(),
        blocking,
        score_histograms: histograms
            .iter()
            .map(|(d, t)| (d.as_str(), t.finish()))
            .collect(),
        owners: owner_count,
        pairs_compared,
        partitions,
    })
}

/// The comparison patterns a department's model is fitted from, summed over its owners'
/// pairs: sums, so that partitions add up to the single run's.
#[derive(Debug, Default)]
struct PatternCounts {
    /// Pairs formed on the number (session A of [`fit_model`]).
    by_id: BTreeMap<Levels, u64>,
    /// Pairs formed on name sound and birth date (session B).
    by_name: BTreeMap<Levels, u64>,
    /// Every pair of an owner with a number (valid or not), for its prior.
    with_id: BTreeMap<Levels, u64>,
    /// Every pair of an owner without one.
    without_id: BTreeMap<Levels, u64>,
}

impl PatternCounts {
    fn of(owners: &[OwnerPairs]) -> BTreeMap<Department, Self> {
        owners
            .par_iter()
            .fold(BTreeMap::new, |mut acc: BTreeMap<Department, Self>, o| {
                acc.entry(o.department).or_default().add(o);
                acc
            })
            .reduce(BTreeMap::new, |mut left, right| {
                for (department, counts) in right {
                    left.entry(department).or_default().absorb(counts);
                }
                left
            })
    }

    fn add(&mut self, owner: &OwnerPairs) {
        let id_rules = Rule::ExactId.bit() | Rule::IdNeighbour.bit();
        let with_id = owner.with_id;
        for (_, rules, levels) in &owner.pairs {
            if rules & id_rules != 0 {
                *self.by_id.entry(*levels).or_default() += 1;
            }
            if rules & Rule::PinyinBirth.bit() != 0 {
                *self.by_name.entry(*levels).or_default() += 1;
            }
            let stratum = if with_id {
                &mut self.with_id
            } else {
                &mut self.without_id
            };
            *stratum.entry(*levels).or_default() += 1;
        }
    }

    fn absorb(&mut self, other: Self) {
        let sum = |into: &mut BTreeMap<Levels, u64>, from: BTreeMap<Levels, u64>| {
            for (levels, n) in from {
                *into.entry(levels).or_default() += n;
            }
        };
        sum(&mut self.by_id, other.by_id);
        sum(&mut self.by_name, other.by_name);
        sum(&mut self.with_id, other.with_id);
        sum(&mut self.without_id, other.without_id);
    }
}

/// A department's model: the dense tables the scorer reads and their public form.
type Fitted = (Dense, ModelParameters);

/// The members as model fitting reads them: their features, their blocking index, and
/// their order by content for the u-sample.
struct Roster<'a> {
    table: &'a MemberTable,
    index: &'a MemberIndex,
    by_content: &'a [u32],
    cohorts: &'a params::slips::Cohorts,
}

/// Draws any owner of one department, paired or not, for u-sampling.
struct OwnerSampler<'a> {
    assets: &'a [AssetRecord],
    titles: &'a SharedTitles<'a>,
    department: Department,
}

impl OwnerSampler<'_> {
    /// (record, owner) of every owner of the department, in an order set by what each
    /// owner is (record key, name and number as written, position on the record), not by
    /// where the row stood: the u-sample, and so every weight, must not change when a
    /// department sends the same export sorted differently. Exact copies keep file order.
    fn owner_positions(&self) -> Vec<(u32, u32)> {
        let mut keyed: Vec<(u64, u32, u32)> = self
            .assets
            .par_iter()
            .enumerate()
            .filter(|(_, a)| a.department() == self.department)
            .flat_map_iter(|(r, a)| {
                // Organisations are never compared (see `pairs::compare_all`), so they are
                // not drawn for the u-sample either.
                let people = a.owners.iter().enumerate().filter(|(_, o)| o.is_person());
                people.map(move |(o, owner)| {
                    let content = (
                        &*a.record_key,
                        owner.name_raw(),
                        owner.id.raw(),
                        owner.position,
                    );
                    (blocking::key(content), r as u32, o as u32)
                })
            })
            .collect();
        keyed.par_sort_unstable();
        keyed.into_iter().map(|(_, r, o)| (r, o)).collect()
    }

    fn valid_number(&self, r: usize, o: usize) -> Option<ResidentId> {
        self.assets.get(r)?.owners.get(o)?.id.valid().copied()
    }

    fn features(&self, r: usize, o: usize) -> Option<OwnerFeatures> {
        pairs::owner_features(self.assets, self.titles, r, o)
    }
}

/// Configured parameters if the run gives them, else u by sampling and m by EM.
fn fit_model(
    department: Department,
    counts: &PatternCounts,
    tally: &Tally,
    sampler: &OwnerSampler<'_>,
    roster: &Roster<'_>,
    config: &MatchConfig,
) -> Result<(Dense, ModelParameters), MatchError> {
    let members = roster.table;
    let seed = config.seed ^ (department as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let all_owners = sampler.owner_positions();
    let mut u = params::estimate_u(
        &all_owners,
        |r, o| sampler.features(r as usize, o as usize),
        members,
        roster.by_content,
        config.u_sample_pairs,
        seed,
    );
    let numbers: Vec<ResidentId> = all_owners
        .iter()
        .filter_map(|&(r, o)| sampler.valid_number(r as usize, o as usize))
        .collect();
    let hits = params::slips::false_hits_per_slip(
        &numbers,
        |id| !roster.index.members_with_id(id).is_empty(),
        |id| roster.cohorts.members_like(id),
        params::slips::SLIPS,
        seed,
    );
    tracing::debug!(
        department = department.as_str(),
        elsewhere = hits.elsewhere,
        sequence = hits.sequence,
        cohort = hits.cohort,
        "members near a non-member's number"
    );
    params::set_identity_u(&mut u, members, &hits);
    if let Some(fixed) = config.parameters.get(department.as_str()) {
        let defaults = Dense {
            lambda: fixed.lambda,
            lambda_without_id: fixed.lambda_without_id.unwrap_or(fixed.lambda),
            m: params::initial_m(),
            u,
        };
        let dense = Dense::from_public(fixed, &defaults).map_err(MatchError::Config)?;
        let public = dense.to_public("configured", 0);
        return Ok((dense, public));
    }
    // Session A: pairs blocked on the identity number say how names, dates and addresses
    // behave. Session B: pairs blocked on name sound and birth date say how identity numbers
    // behave. Each field is learned where blocking did not force it to agree.
    let (by_id, by_name) = (&counts.by_id, &counts.by_name);
    let max = config.em_max_iterations;
    let (a, iterations_a) = params::estimate_m(
        by_id,
        &u,
        &[
            Field::Name,
            Field::BirthDate,
            Field::Sex,
            Field::Address,
            Field::Household,
            Field::Role,
            Field::AgeAtRegistration,
        ],
        max,
    );
    let (b, iterations_b) = params::estimate_m(by_name, &u, &[Field::Id, Field::Address], max);
    let mut m = a.m;
    m[Field::Id.index()] = b.m[Field::Id.index()];
    let mut dense = Dense {
        lambda: 0.3,
        lambda_without_id: 0.3,
        m,
        u,
    };
    // The priors are measured against every owner–member pair, like every field's u, so
    // that the name agreement blocking guarantees is not counted twice. Owners with and
    // without an identity number are different populations, so each has its own prior.
    let stratum = |patterns: &BTreeMap<Levels, u64>, owners_in_stratum: u64| {
        let space = owners_in_stratum as f64 * members.len() as f64;
        params::estimate_prior(patterns, &dense, space, max)
    };
    let (lambda, lambda_without_id) = (
        stratum(&counts.with_id, tally.with_id),
        stratum(&counts.without_id, tally.without_id),
    );
    dense.lambda = lambda;
    dense.lambda_without_id = lambda_without_id;
    let iterations = iterations_a + iterations_b;
    tracing::debug!(
        department = department.as_str(),
        lambda = dense.lambda,
        iterations,
        "model fitted"
    );
    let public = dense.to_public("estimated", iterations);
    Ok((dense, public))
}
