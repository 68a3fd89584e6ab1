//! Weights and their explanation. A pair's match weight is the prior plus one weight per
//! field, in bits (log2 of the likelihood ratio); the waterfall lists exactly those terms, so
//! what an auditor reads always adds up to the score.

use serde::Serialize;

use crate::compare::household::HouseholdLevel;
use crate::compare::{Field, Levels, co_owners_in_household};
use crate::params::Dense;
use crate::prepare::{IdEvidence, MemberTable, OwnerFeatures};
use crate::tf::NameFrequencies;

/// The name levels whose u is replaced by the frequency of the actual name.
const TF_LEVELS: [u8; 3] = [0, 1, 2];

/// One term of the waterfall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub field: &'static str,
    pub level: &'static str,
    /// Weight in bits; 0 for missing and implied levels.
    pub weight: f64,
    pub m: Option<f64>,
    pub u: Option<f64>,
    /// For name levels: the share of recipients with this name (or sound), used instead of
    /// the average u.
    pub term_frequency: Option<f64>,
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
    pub tf: &'a NameFrequencies,
    pub members: &'a MemberTable,
}

impl Scorer<'_> {
    pub fn waterfall(&self, levels: &Levels, owner: &OwnerFeatures, member: u32) -> Waterfall {
        let prior = self.prior(owner);
        let steps: Vec<Step> = Field::ALL
            .into_iter()
            .map(|f| self.step(f, levels, owner, member))
            .collect();
        let total = prior + steps.iter().map(|s| s.weight).sum::<f64>();
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
                .map(|f| self.step(f, levels, owner, member).weight)
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
        let label = levels.label(field);
        if field.is_neutral(level) {
            return Step {
                field: field.as_str(),
                level: label,
                weight: 0.0,
                m: None,
                u: None,
                term_frequency: None,
            };
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
            let (tf, average) = if level == 2 {
                (self.tf.pinyin(owner_name), names[0] + names[1] + names[2])
            } else {
                (self.tf.name(owner_name), names[0])
            };
            term_frequency = Some(tf);
            u = u * tf / average;
        }
        if field == Field::Household && level == HouseholdLevel::CoOwnerInHousehold as u8 {
            // The same scaling for the co-owner's name, by sound as it was matched: the
            // rarest co-owner found in the household is the evidence.
            let rarest = co_owners_in_household(&owner.co_owners, member, self.members)
                .map(|c| self.tf.pinyin(c))
                .min_by(f64::total_cmp);
            if let Some(tf) = rarest {
                let names = &self.dense.u[Field::Name.index()];
                term_frequency = Some(tf);
                u = u * tf / (names[0] + names[1] + names[2]);
            }
        }
        Step {
            field: field.as_str(),
            level: label,
            weight: (m / u).log2(),
            m: Some(m),
            u: Some(u),
            term_frequency,
        }
    }
}

/// Posterior probability of a match weight in bits.
pub fn probability(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::initial_m;
    use hedui_core::name::PersonName;

    #[test]
    fn waterfall_adds_up_and_common_names_weigh_less() {
        let dense = Dense {
            lambda: 0.2,
            lambda_without_id: 0.2,
            m: initial_m(),
            u: [[0.01; 8]; crate::compare::FIELDS],
        };
        let names: Vec<PersonName> = ["王伟", "王伟", "王伟", "王伟", "䶮明"]
            .iter()
            .map(|n| PersonName::normalise(n))
            .collect();
        let tf = NameFrequencies::build(names.iter());
        let scorer = Scorer {
            dense: &dense,
            tf: &tf,
            members: &MemberTable::default(),
        };
        let levels = Levels([0, 0, 4, 3, 1, 2, 3]);
        let owner = |name: &PersonName| OwnerFeatures {
            id: IdEvidence::Missing,
            name: name.clone(),
            name_converted: false,
            birth_date: None,
            sex: None,
            address: hedui_core::address::Address::parse(""),
            co_owners: Vec::new(),
        };
        let common = scorer.waterfall(&levels, &owner(&names[0]), 0);
        let rare = scorer.waterfall(&levels, &owner(&names[4]), 0);
        for w in [&common, &rare] {
            let sum = w.prior + w.steps.iter().map(|s| s.weight).sum::<f64>();
            assert!((sum - w.total).abs() < 1e-12);
            assert!((probability(w.total) - w.probability).abs() < 1e-12);
            assert_eq!(w.steps[2].weight, 0.0, "implied birth date weighs nothing");
        }
        assert!(
            rare.steps[1].weight > common.steps[1].weight + 1.9,
            "4x rarer is 2 bits more"
        );
        assert_eq!(common.steps[1].term_frequency, Some(0.8));
    }

    /// A name written in traditional characters is as good evidence as the same name in
    /// simplified ones when traditional spelling is equally rare among matches and
    /// non-matches: its rarity must not be counted against the pair.
    #[test]
    fn term_frequency_keeps_a_rare_levels_own_rarity() {
        let mut dense = Dense {
            lambda: 0.2,
            lambda_without_id: 0.2,
            m: initial_m(),
            u: [[0.01; 8]; crate::compare::FIELDS],
        };
        let name = Field::Name.index();
        dense.m[name][..3].copy_from_slice(&[0.9, 0.009, 0.02]);
        dense.u[name][..3].copy_from_slice(&[1e-3, 1e-5, 1e-4]);
        let names: Vec<PersonName> = ["张云华", "李强", "王芳", "赵敏"]
            .iter()
            .map(|n| PersonName::normalise(n))
            .collect();
        let tf = NameFrequencies::build(names.iter());
        let scorer = Scorer {
            dense: &dense,
            tf: &tf,
            members: &MemberTable::default(),
        };
        let owner = OwnerFeatures {
            id: IdEvidence::Missing,
            name: names[0].clone(),
            name_converted: true,
            birth_date: None,
            sex: None,
            address: hedui_core::address::Address::parse(""),
            co_owners: Vec::new(),
        };
        let weight_at = |name_level: u8| {
            scorer
                .waterfall(&Levels([4, name_level, 3, 2, 6, 2, 3]), &owner, 0)
                .steps[1]
                .weight
        };
        let (exact, traditional) = (weight_at(0), weight_at(1));
        assert!((exact - (0.9f64 / 0.25).log2()).abs() < 1e-9, "{exact}");
        assert!(
            (traditional - exact).abs() < 1e-9,
            "{traditional} vs {exact}"
        );
        assert!(
            weight_at(2) < exact,
            "a homophone is weaker than the name itself"
        );
    }

    /// A co-owner found in the household is weaker evidence when the co-owner's name is
    /// common: the household weight is term-frequency adjusted like the name's.
    #[test]
    fn a_common_co_owner_name_weighs_less_than_a_rare_one() {
        let dense = Dense {
            lambda: 0.2,
            lambda_without_id: 0.2,
            m: initial_m(),
            u: [[0.01; 8]; crate::compare::FIELDS],
        };
        let member = |name: &str| crate::prepare::MemberFeatures {
            id: None,
            name: PersonName::normalise(name),
            birth_date: None,
            sex: None,
            address: hedui_core::address::Address::default(),
            role: crate::compare::Role::Missing,
        };
        // Household a: 李强 with 王芳 (a name four other recipients share); household b:
        // 李强 with 䶮明 (unique).
        let names = [
            "李强", "王芳", "李强", "䶮明", "王芳", "王芳", "王芳", "王芳",
        ];
        let households = ["a", "a", "b", "b", "c", "d", "e", "f"];
        let table = MemberTable::grouped(
            households.into_iter(),
            names.into_iter().map(member).collect(),
        );
        let tf = NameFrequencies::build(table.features.iter().map(|m| &m.name));
        let scorer = Scorer {
            dense: &dense,
            tf: &tf,
            members: &table,
        };
        let owner = |co_owner: &str| OwnerFeatures {
            id: IdEvidence::Missing,
            name: PersonName::normalise("李强"),
            name_converted: false,
            birth_date: None,
            sex: None,
            address: hedui_core::address::Address::default(),
            co_owners: vec![PersonName::normalise(co_owner)],
        };
        let levels = Levels([4, 0, 3, 2, 6, 0, 3]);
        let household_weight = |co_owner: &str, member: u32| {
            let w = scorer.waterfall(&levels, &owner(co_owner), member);
            let sum = w.prior + w.steps.iter().map(|s| s.weight).sum::<f64>();
            assert!((sum - w.total).abs() < 1e-12, "the waterfall still adds up");
            w.steps[5].weight
        };
        let common = household_weight("王芳", 0);
        let rare = household_weight("䶮明", 2);
        assert!(
            (rare - common - 5f64.log2()).abs() < 1e-9,
            "five times rarer is log2(5) bits more: {rare} vs {common}"
        );
    }
}
