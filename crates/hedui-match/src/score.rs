//! Weights and their explanation. A pair's match weight is the prior plus one weight per
//! field, in bits (log2 of the likelihood ratio); the waterfall lists exactly those terms, so
//! what an auditor reads always adds up to the score.

use serde::Serialize;

use crate::compare::household::HouseholdLevel;
use crate::compare::{Field, IdLevel, Levels, co_owners_in_household};
use crate::params::Dense;
use crate::prepare::{IdEvidence, MemberTable, OwnerFeatures};
use crate::tf::NameFrequencies;

/// The name levels whose u is replaced by the frequency of the actual name.
const TF_LEVELS: [u8; 3] = [0, 1, 2];

/// One term of the waterfall.
///
/// Held compactly, the field and level as indices and the figures a neutral level lacks as
/// flags: a run keeps the waterfall of every link, nine steps each, and at province scale
/// that is millions of links (40 bytes a step instead of 88).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    field: Field,
    level: u8,
    /// Which of `m`, `u` and `term_frequency` are known ([`Step::M`], …).
    known: u8,
    weight: f64,
    m: f64,
    u: f64,
    term_frequency: f64,
}

impl Step {
    const M: u8 = 1;
    const U: u8 = 2;
    const TF: u8 = 4;

    /// A level that weighs nothing (missing, or implied by another field).
    fn neutral(field: Field, level: u8) -> Self {
        Self {
            field,
            level,
            known: 0,
            weight: 0.0,
            m: 0.0,
            u: 0.0,
            term_frequency: 0.0,
        }
    }

    /// A level weighed by its m and u: log2(m / u) bits.
    fn weighed(field: Field, level: u8, m: f64, u: f64, term_frequency: Option<f64>) -> Self {
        Self {
            field,
            level,
            known: Self::M | Self::U | term_frequency.map_or(0, |_| Self::TF),
            weight: (m / u).log2(),
            m,
            u,
            term_frequency: term_frequency.unwrap_or(0.0),
        }
    }

    /// The field's name, e.g. `name`.
    pub fn field(&self) -> &'static str {
        self.field.as_str()
    }

    /// The level's name, e.g. `homophone`.
    pub fn level(&self) -> &'static str {
        self.field
            .levels()
            .get(usize::from(self.level))
            .copied()
            .unwrap_or("?")
    }

    /// Weight in bits; 0 for missing and implied levels.
    pub fn weight(&self) -> f64 {
        self.weight
    }

    pub fn m(&self) -> Option<f64> {
        (self.known & Self::M != 0).then_some(self.m)
    }

    pub fn u(&self) -> Option<f64> {
        (self.known & Self::U != 0).then_some(self.u)
    }

    /// For name levels: the share of recipients with this name (or sound), used instead of
    /// the average u.
    pub fn term_frequency(&self) -> Option<f64> {
        (self.known & Self::TF != 0).then_some(self.term_frequency)
    }
}

/// The same fields as when each was held as it is shown.
impl Serialize for Step {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Step", 6)?;
        s.serialize_field("field", self.field())?;
        s.serialize_field("level", self.level())?;
        s.serialize_field("weight", &self.weight)?;
        s.serialize_field("m", &self.m())?;
        s.serialize_field("u", &self.u())?;
        s.serialize_field("term_frequency", &self.term_frequency())?;
        s.end()
    }
}

/// A pair's full explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Waterfall {
    /// log2(λ / (1 − λ)): the weight before looking at any field.
    pub prior: f64,
    pub steps: Vec<Step>,
    /// prior + Σ step weights.
    pub total: f64,
    pub probability: f64,
}

/// Scores comparison vectors of one department.
#[derive(Debug)]
pub(crate) struct Scorer<'a> {
    pub dense: &'a Dense,
    pub tf: &'a NameFrequencies<'a>,
    pub members: &'a MemberTable,
}

impl Scorer<'_> {
    pub fn waterfall(&self, levels: &Levels, owner: &OwnerFeatures, member: u32) -> Waterfall {
        let prior = self.prior(owner);
        let steps: Vec<Step> = Field::ALL
            .into_iter()
            .map(|f| self.step(f, levels, owner, member))
            .collect();
        let total = prior + steps.iter().map(Step::weight).sum::<f64>();
        Waterfall {
            prior,
            steps,
            total,
            probability: probability(total),
        }
    }

    /// The total weight alone, without building the explanation; for the many candidate
    /// pairs that end up below the review threshold.
    pub fn weight(&self, levels: &Levels, owner: &OwnerFeatures, member: u32) -> f64 {
        self.prior(owner)
            + Field::ALL
                .into_iter()
                .map(|f| self.step(f, levels, owner, member).weight())
                .sum::<f64>()
    }

    /// log2 of the prior odds for this owner's stratum.
    fn prior(&self, owner: &OwnerFeatures) -> f64 {
        let lambda = match owner.id {
            IdEvidence::Missing => self.dense.lambda_without_id,
            _ => self.dense.lambda,
        };
        (lambda / (1.0 - lambda)).log2()
    }

    fn step(&self, field: Field, levels: &Levels, owner: &OwnerFeatures, member: u32) -> Step {
        let owner_name = &owner.name;
        let level = levels.get(field);
        if field.is_neutral(level) {
            return Step::neutral(field, level);
        }
        let (f, l) = (field.index(), level as usize);
        let m = self.dense.m[f][l];
        let mut u = self.dense.u[f][l];
        let mut term_frequency = None;
        if field == Field::Name && TF_LEVELS.contains(&level) {
            // As in Splink, the level's average u is scaled by how much commoner or rarer
            // this name is than the average agreeing name: u × tf / E[tf]. For the exact
            // level that is the name's frequency itself; for the traditional-form and
            // homophone levels it keeps their own rarity (few owners write traditional
            // forms), which replacing u by the bare frequency would lose. Homophones share
            // a sound, not a spelling, so theirs is the sound's frequency.
            let names = &self.dense.u[f];
            // A number a namesake of the member's cohort could have typed makes the name's
            // frequency in that cohort the one that counts.
            let cohort = IdLevel::of(levels)
                .cohort_shared()
                .then(|| self.members.features.get(member as usize))
                .flatten()
                .and_then(|m| m.id.as_ref());
            // And the member's county: the commoner of the two places counts.
            let county = member_county(self.members, member);
            let (tf, average) = if level == 2 {
                let global = self.tf.pinyin(owner_name);
                let tf = self
                    .tf
                    .pinyin_in_cohort(owner_name, cohort, global)
                    .max(self.tf.pinyin_in_county(owner_name, county, global));
                (tf, names[0] + names[1] + names[2])
            } else {
                let global = self.tf.name(owner_name);
                let tf = self
                    .tf
                    .name_in_cohort(owner_name, cohort, global)
                    .max(self.tf.name_in_county(owner_name, county, global));
                (tf, names[0])
            };
            term_frequency = Some(tf);
            u = u * tf / average;
        }
        if field == Field::Household && level == HouseholdLevel::CoOwnerInHousehold as u8 {
            // The same scaling for the co-owner's name, by sound as it was matched: the
            // rarest co-owner found in the household is the evidence.
            let county = member_county(self.members, member);
            let rarest = co_owners_in_household(&owner.co_owners, member, self.members)
                .map(|c| self.tf.pinyin_in_county(c, county, self.tf.pinyin(c)))
                .min_by(f64::total_cmp);
            if let Some(tf) = rarest {
                let names = &self.dense.u[Field::Name.index()];
                term_frequency = Some(tf);
                u = u * tf / (names[0] + names[1] + names[2]);
            }
        }
        Step::weighed(field, level, m, u, term_frequency)
    }
}

/// The code of the county a member's address names.
fn member_county(members: &MemberTable, member: u32) -> Option<&'static str> {
    members
        .features
        .get(member as usize)
        .and_then(|m| m.address.county)
        .map(|c| c.code)
}

/// Posterior probability of a match weight in bits.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

#[cfg(test)]
mod tests;
