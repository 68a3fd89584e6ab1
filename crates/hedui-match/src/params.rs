//! Fellegi–Sunter parameters: u from random pairs, m by expectation–maximisation.
//!
//! u (how often a level occurs between two different people) is measured on random
//! owner–member pairs, which are almost all non-matches. m (how often it occurs for the same
//! person) is estimated by EM over the blocked candidate pairs with u held fixed, as Splink
//! does. Both are part of every run's output, so an auditor can see what the weights were.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::compare::{FIELDS, Field, IdLevel, Levels, compare};
use crate::prepare::{MemberTable, OwnerFeatures};

/// Most levels any field has.
pub(crate) const MAX_LEVELS: usize = 8;
/// No probability goes below this, so every weight is finite.
const FLOOR: f64 = 1e-7;

type Table = [[f64; MAX_LEVELS]; FIELDS];

/// m and u of one level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelProbabilities {
    pub m: f64,
    pub u: f64,
}

/// The parameters of one department's model, in the form written to the manifest and
/// accepted in `[matching.parameters.<department>]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelParameters {
    /// Prior probability that a random owner–member pair is a match, for owners with an
    /// identity number (valid or broken).
    pub lambda: f64,
    /// The same for owners without a usable number: mostly old rural property records,
    /// whose owners are far more often recipients than a random vehicle owner is.
    #[serde(default)]
    pub lambda_without_id: Option<f64>,
    /// Per field, per level: m and u. Missing and implied levels carry no weight and are
    /// not listed.
    pub fields: BTreeMap<String, BTreeMap<String, LevelProbabilities>>,
    /// `estimated` or `configured`.
    #[serde(default = "configured")]
    pub origin: String,
    /// EM iterations run (0 when configured).
    #[serde(default)]
    pub em_iterations: usize,
}

fn configured() -> String {
    "configured".into()
}

/// Dense parameters for scoring.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Dense {
    pub lambda: f64,
    pub lambda_without_id: f64,
    pub m: Table,
    pub u: Table,
}

impl Dense {
    pub fn to_public(&self, origin: &str, em_iterations: usize) -> ModelParameters {
        let fields = Field::ALL
            .into_iter()
            .map(|field| (field.as_str().to_owned(), self.public_levels(field)))
            .collect();
        ModelParameters {
            lambda: self.lambda,
            lambda_without_id: Some(self.lambda_without_id),
            fields,
            origin: origin.to_owned(),
            em_iterations,
        }
    }

    /// m and u of each weighted level of `field`, by level name.
    pub fn public_levels(&self, field: Field) -> BTreeMap<String, LevelProbabilities> {
        let f = field.index();
        field
            .levels()
            .iter()
            .enumerate()
            .filter(|(l, _)| !field.is_neutral(*l as u8))
            .map(|(l, name)| {
                let probs = LevelProbabilities {
                    m: self.m[f][l],
                    u: self.u[f][l],
                };
                ((*name).to_owned(), probs)
            })
            .collect()
    }

    /// Reads configured parameters; levels left out keep the given defaults.
    pub fn from_public(p: &ModelParameters, defaults: &Dense) -> Result<Self, String> {
        let mut dense = defaults.clone();
        dense.lambda = p.lambda;
        dense.lambda_without_id = p.lambda_without_id.unwrap_or(p.lambda);
        for (field_name, levels) in &p.fields {
            let field = Field::ALL
                .into_iter()
                .find(|f| f.as_str() == field_name)
                .ok_or_else(|| format!("unknown field `{field_name}` in matching parameters"))?;
            for (level_name, probs) in levels {
                let l = field
                    .levels()
                    .iter()
                    .position(|n| n == level_name)
                    .ok_or_else(|| {
                        format!("unknown level `{level_name}` of field `{field_name}`")
                    })?;
                // Only a value that is no probability at all is refused: the estimated u of
                // an exact number (1e-10) is below the estimation floor, and a manifest's
                // parameters must configure the same model they describe.
                for value in [probs.m, probs.u] {
                    if !(value > 0.0 && value <= 1.0) {
                        return Err(format!(
                            "{field_name}.{level_name}: m and u must be in (0, 1], not {value}"
                        ));
                    }
                }
                dense.m[field.index()][l] = probs.m;
                dense.u[field.index()][l] = probs.u;
            }
        }
        Ok(dense)
    }
}

/// Starting m-probabilities: what a careful person would guess before seeing data. EM moves
/// them; they only decide which class EM calls "match".
pub(crate) fn initial_m() -> Table {
    let mut m = [[0.0; MAX_LEVELS]; FIELDS];
    m[Field::Id.index()][..6].copy_from_slice(&[0.85, 0.04, 0.01, 0.01, 0.005, 0.005]);
    m[Field::Name.index()][..7].copy_from_slice(&[0.8, 0.03, 0.05, 0.03, 0.03, 0.02, 0.04]);
    m[Field::BirthDate.index()][..3].copy_from_slice(&[0.9, 0.05, 0.05]);
    m[Field::Sex.index()][..2].copy_from_slice(&[0.98, 0.02]);
    m[Field::Address.index()][..7].copy_from_slice(&[0.2, 0.3, 0.15, 0.05, 0.1, 0.1, 0.1]);
    m[Field::Household.index()][..2].copy_from_slice(&[0.7, 0.3]);
    m[Field::Role.index()][..3].copy_from_slice(&[0.6, 0.25, 0.15]);
    m[Field::AgeAtRegistration.index()][..3].copy_from_slice(&[0.95, 0.04, 0.01]);
    m[Field::OtherTitle.index()][..4].copy_from_slice(&[0.85, 0.1, 0.025, 0.025]);
    normalise(&mut m);
    m
}

/// u from `pairs` random owner–member pairs, with add-one smoothing so that a level never
/// seen among random pairs (an exact ID) still has a finite, very small u.
///
/// Owners are drawn from `owners` (record, owner on it) and prepared on demand by
/// `owner_at`, so that the features of millions of owners need not be held at once.
///
/// The draws come from one seeded sequence and are compared in parallel; the counts are
/// whole numbers, so their sum is exact in any order and u never depends on the thread
/// count.
pub(crate) fn estimate_u(
    owners: &[(u32, u32)],
    owner_at: impl Fn(u32, u32) -> Option<OwnerFeatures> + Sync,
    members: &MemberTable,
    by_content: &[u32],
    pairs: usize,
    seed: u64,
) -> Table {
    let mut counts = [[0.0f64; MAX_LEVELS]; FIELDS];
    if !owners.is_empty() && !members.is_empty() {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut draws: Vec<((u32, u32), u32)> = (0..pairs)
            .map(|_| {
                let owner = owners[rng.random_range(0..owners.len())];
                (owner, by_content[rng.random_range(0..members.len())])
            })
            .collect();
        // Compared in the order records and members are held, not as drawn: random pairs
        // taken as drawn miss the cache on both sides of nearly every comparison.
        draws.par_sort_unstable();
        let add = |mut a: Table, b: Table| {
            for (row, other) in a.iter_mut().zip(b.iter()) {
                for (x, y) in row.iter_mut().zip(other.iter()) {
                    *x += y;
                }
            }
            a
        };
        counts = draws
            .par_iter()
            .fold(
                || [[0.0f64; MAX_LEVELS]; FIELDS],
                |mut counts, &((r, o), m)| {
                    if let Some(o) = owner_at(r, o) {
                        let levels = compare(&o, m, members);
                        for field in Field::ALL {
                            counts[field.index()][levels.get(field) as usize] += 1.0;
                        }
                    }
                    counts
                },
            )
            .reduce(|| [[0.0f64; MAX_LEVELS]; FIELDS], add);
    }
    let mut u = [[0.0; MAX_LEVELS]; FIELDS];
    for field in Field::ALL {
        let f = field.index();
        for l in 0..field.levels().len() {
            if !field.is_neutral(l as u8) {
                u[f][l] = counts[f][l] + 1.0;
            }
        }
    }
    normalise(&mut u);
    u
}

/// Member indices in an order set by who each member is (number, name, address as
/// written), not by where the roster listed them, so that the u-sample does not change
/// when the roster is exported in another order. Exact copies keep roster order.
pub(crate) fn members_by_content(members: &MemberTable) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = members
        .features
        .par_iter()
        .enumerate()
        .map(|(m, f)| {
            let id = f.id.as_ref().map(|id| id.as_str());
            let content = (id, f.name.as_str(), &*f.address);
            (crate::blocking::key(content), m as u32)
        })
        .collect();
    keyed.par_sort_unstable();
    keyed.into_iter().map(|(_, m)| m).collect()
}

/// Random sampling cannot estimate u for identity agreement: among random pairs an exact
/// agreement is almost always a true match, so its sampled rate is the prior itself and the
/// weight would merely cancel the prior. What u must measure is how often two *different*
/// people carry the same recorded valid number, which only a data-entry error can cause.
/// That rate is set by reasoning (documented in docs/matching.md), not measured: a typo
/// passes the check one time in eleven and must then land on a real member's number.
///
/// u for a repaired number (see [`slips`]): `hits.elsewhere` and `hits.sequence` members
/// per slip of a non-member's number land one slip from it outside or inside the sequence
/// and check digits, so a random member is among a broken number's neighbours with
/// probability `hits / members`; `hits.cohort` members share a non-member's area, birth
/// date and sex.
pub(crate) const U_ID_EXACT: f64 = 1e-10;

pub(crate) fn set_identity_u(u: &mut Table, members: &MemberTable, hits: &slips::FalseHits) {
    let n = members
        .features
        .iter()
        .filter(|m| m.id.is_some())
        .count()
        .max(1) as f64;
    let f = Field::Id.index();
    u[f][IdLevel::Exact as usize] = U_ID_EXACT;
    u[f][IdLevel::OneEdit as usize] = (hits.elsewhere / n).min(0.5);
    u[f][IdLevel::OneEditSequence as usize] = (hits.sequence / n).min(0.5);
    // A 15-digit number's slips are not filtered by a check: about a hundred of its
    // neighbours are plausible numbers, so about one real person, not a tenth, is among them.
    u[f][IdLevel::LegacyOneEdit as usize] = (1.0 / n).min(0.5);
    u[f][IdLevel::SameAreaBirth as usize] = (hits.cohort / n).min(0.5);
}

/// EM for the m-probabilities of `fields` and for λ, with u fixed.
///
/// Only fields the pairs were not blocked on may be estimated from them: pairs blocked on a
/// shared name sound agree on the name whether or not they match, and EM would read that
/// agreement as evidence of matching and run away to "everything matches". The caller
/// therefore runs one session per family of blocking rules, as Splink does, and the other
/// fields are left out of that session's likelihood.
pub(crate) fn estimate_m(
    patterns: &BTreeMap<Levels, u64>,
    u: &Table,
    fields: &[Field],
    max_iterations: usize,
) -> (Dense, usize) {
    let mut dense = Dense {
        lambda: 0.3,
        lambda_without_id: 0.3,
        m: initial_m(),
        u: *u,
    };
    let mut iterations = 0;
    while iterations < max_iterations {
        iterations += 1;
        let mut m_acc = [[0.0f64; MAX_LEVELS]; FIELDS];
        let (mut matched, mut total) = (0.0, 0.0);
        for (levels, &count) in patterns {
            let p = posterior_over(&dense, levels, fields);
            let c = count as f64;
            matched += c * p;
            total += c;
            for &field in fields {
                let l = levels.get(field);
                if !field.is_neutral(l) {
                    m_acc[field.index()][l as usize] += c * p;
                }
            }
        }
        // A light Dirichlet prior towards the starting guess keeps levels that no matched
        // pair shows (a homophone in a tiny run) from collapsing to zero.
        let prior = initial_m();
        for field in Field::ALL {
            let f = field.index();
            for l in 0..MAX_LEVELS {
                m_acc[f][l] = if fields.contains(&field) {
                    m_acc[f][l] + prior[f][l]
                } else {
                    prior[f][l]
                };
            }
        }
        normalise(&mut m_acc);
        let lambda = if total > 0.0 {
            (matched / total).clamp(1e-6, 1.0 - 1e-6)
        } else {
            dense.lambda
        };
        let change = max_change(&dense.m, &m_acc).max((lambda - dense.lambda).abs());
        dense.m = m_acc;
        dense.lambda = lambda;
        if change < 1e-7 {
            break;
        }
    }
    (dense, iterations)
}

/// The prior over all owner–member pairs of a stratum, by EM with m and u fixed: the
/// expected number of matches among the blocked pairs (pairs blocking never formed are
/// taken as non-matches), divided by every possible pair.
pub(crate) fn estimate_prior(
    patterns: &BTreeMap<Levels, u64>,
    dense: &Dense,
    all_pairs: f64,
    max_iterations: usize,
) -> f64 {
    let mut probe = dense.clone();
    probe.lambda = 1e-6;
    if all_pairs <= 0.0 {
        return probe.lambda;
    }
    for _ in 0..max_iterations {
        let expected: f64 = patterns
            .iter()
            .map(|(levels, &count)| count as f64 * posterior_over(&probe, levels, &Field::ALL))
            .sum();
        let lambda = (expected / all_pairs).clamp(1e-15, 0.5);
        let change = (lambda / probe.lambda).ln().abs();
        probe.lambda = lambda;
        if change < 1e-6 {
            break;
        }
    }
    probe.lambda
}

/// m and u of [`Field::OtherTitle`], from the pairs of owners without a number once the
/// first pass has labelled them: EM over this one field, with every other field's weight
/// fixed. The posterior that weighs each pair includes the field itself, so that the
/// namesakes the field exposes stop counting as matches while it is estimated.
///
/// u is measured on the blocked non-matches rather than on random pairs, because the
/// question is how often a *namesake near by* belongs to a household that holds a title, and
/// holding one goes with being a household head, which random members mostly are not.
pub(crate) fn estimate_other_title(
    patterns: &BTreeMap<Levels, u64>,
    dense: &mut Dense,
    max_iterations: usize,
) -> usize {
    let field = Field::OtherTitle;
    let f = field.index();
    let mut probe = dense.clone();
    probe.lambda = dense.lambda_without_id;
    let mut iterations = 0;
    while iterations < max_iterations {
        iterations += 1;
        let mut m = initial_m();
        let mut u = [[0.0; MAX_LEVELS]; FIELDS];
        for (levels, &count) in patterns {
            let l = levels.get(field);
            if field.is_neutral(l) {
                continue;
            }
            let p = posterior_over(&probe, levels, &Field::ALL);
            m[f][l as usize] += count as f64 * p;
            u[f][l as usize] += count as f64 * (1.0 - p);
        }
        for (l, count) in u[f].iter_mut().enumerate().take(field.levels().len()) {
            if !field.is_neutral(l as u8) {
                *count += 1.0;
            }
        }
        normalise_field(&mut m, field);
        normalise_field(&mut u, field);
        let change = m[f]
            .iter()
            .zip(&probe.m[f])
            .chain(u[f].iter().zip(&probe.u[f]))
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        probe.m[f] = m[f];
        probe.u[f] = u[f];
        if change < 1e-7 {
            break;
        }
    }
    // A level no pair showed (a department with one kind of record never sees
    // `held_other_kind`) is published with weight 0, not with what the smoothing left.
    for level in 0..field.levels().len() {
        let seen = patterns
            .iter()
            .any(|(levels, &count)| count > 0 && usize::from(levels.get(field)) == level);
        if !seen {
            probe.m[f][level] = probe.u[f][level];
        }
    }
    dense.m[f] = probe.m[f];
    dense.u[f] = probe.u[f];
    iterations
}

/// Posterior match probability of a comparison vector under flat (non-TF) weights,
/// counting only `fields`.
fn posterior_over(dense: &Dense, levels: &Levels, fields: &[Field]) -> f64 {
    let mut log_ratio = (dense.lambda / (1.0 - dense.lambda)).ln();
    for &field in fields {
        let l = levels.get(field);
        if !field.is_neutral(l) {
            let (f, l) = (field.index(), l as usize);
            log_ratio += (dense.m[f][l] / dense.u[f][l]).ln();
        }
    }
    1.0 / (1.0 + (-log_ratio).exp())
}

/// Makes every field's non-neutral levels sum to one and clamps at the floor.
fn normalise(table: &mut Table) {
    for field in Field::ALL {
        normalise_field(table, field);
    }
}

fn normalise_field(table: &mut Table, field: Field) {
    let f = field.index();
    let live: Vec<usize> = (0..field.levels().len())
        .filter(|&l| !field.is_neutral(l as u8))
        .collect();
    let sum: f64 = live.iter().map(|&l| table[f][l].max(FLOOR)).sum();
    for (l, value) in table[f].iter_mut().enumerate() {
        *value = if live.contains(&l) {
            value.max(FLOOR) / sum
        } else {
            0.0
        };
    }
}

fn max_change(a: &Table, b: &Table) -> f64 {
    a.iter()
        .flatten()
        .zip(b.iter().flatten())
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

pub(crate) mod slips;
#[cfg(test)]
mod tests;
