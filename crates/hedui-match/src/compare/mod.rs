//! Field comparators. Each turns a pair of values into a level, from strongest agreement to
//! disagreement, plus `Missing` (and for derived fields `Implied`), which carry no weight.
//!
//! Like rapidfuzz's scorers, each comparator also offers a similarity score in [0, 1] and a
//! cutoff variant, for callers that rank rather than classify.

mod address;
mod age;
mod birth;
pub(crate) mod household;
mod id;
mod name;
pub mod other_title;
mod role;

use serde::Serialize;

use crate::prepare::{MemberTable, OwnerFeatures};

pub use address::{AddressLevel, address_level};
pub use age::{AgeLevel, Registered, age_level};
pub use birth::{birth_level, sex_level};
pub use household::{co_owners_in_household, household_level};
pub use id::{IdLevel, Slip, id_level, id_similarity, id_similarity_cutoff, is_one_edit, slip};
pub use name::{name_level, name_similarity, name_similarity_cutoff};
pub use other_title::OtherTitleLevel;
pub use role::Role;

/// The compared fields, in waterfall order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Id,
    Name,
    BirthDate,
    Sex,
    Address,
    Household,
    Role,
    AgeAtRegistration,
    OtherTitle,
}

/// How many fields a comparison vector has.
pub const FIELDS: usize = 9;

impl Field {
    pub const ALL: [Field; FIELDS] = [
        Self::Id,
        Self::Name,
        Self::BirthDate,
        Self::Sex,
        Self::Address,
        Self::Household,
        Self::Role,
        Self::AgeAtRegistration,
        Self::OtherTitle,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Name => "name",
            Self::BirthDate => "birth_date",
            Self::Sex => "sex",
            Self::Address => "address",
            Self::Household => "household",
            Self::Role => "role",
            Self::AgeAtRegistration => "age_at_registration",
            Self::OtherTitle => "other_title",
        }
    }

    /// Level names, indexed by level number.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Self::Id => &[
                "exact",
                "one_edit",
                "one_edit_sequence",
                "legacy_one_edit",
                "same_area_and_birth",
                "different",
                "missing",
            ],
            Self::Name => &[
                "exact",
                "traditional_simplified",
                "homophone",
                "wildcard",
                "jaro_winkler_high",
                "jaro_winkler_mid",
                "different",
                "missing",
            ],
            Self::BirthDate => &[
                "exact",
                "one_component",
                "different",
                "missing",
                "implied_by_id",
            ],
            Self::Sex => &["same", "different", "missing", "implied_by_id"],
            Self::Address => &[
                "same_house",
                "same_village_and_group",
                "same_village",
                "same_village_other_group",
                "same_township",
                "same_county",
                "different",
                "missing",
            ],
            Self::Household => &[
                "co_owner_in_household",
                "co_owner_not_in_household",
                "no_co_owner",
            ],
            Self::Role => &["head", "spouse", "other_member", "missing"],
            Self::AgeAtRegistration => &["adult", "minor", "unborn", "missing"],
            Self::OtherTitle => &[
                "none",
                "held",
                "held_other_kind",
                "held_other_kind_in_group",
                "not_assessed",
            ],
        }
    }

    /// Levels that say nothing either way and get weight 0 without estimation.
    pub fn is_neutral(self, level: u8) -> bool {
        matches!(
            self.levels().get(level as usize),
            Some(&("missing" | "implied_by_id" | "no_co_owner" | "not_assessed")) | None
        )
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The level of every field for one pair; the comparison vector of Fellegi–Sunter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Levels(pub [u8; FIELDS]);

impl Levels {
    pub fn get(&self, field: Field) -> u8 {
        self.0[field.index()]
    }

    pub fn label(&self, field: Field) -> &'static str {
        field
            .levels()
            .get(self.get(field) as usize)
            .copied()
            .unwrap_or("?")
    }
}

/// Compares one owner with one member on every field.
pub fn compare(owner: &OwnerFeatures, member: u32, table: &MemberTable) -> Levels {
    let m = &table.features[member as usize];
    Levels([
        id_level(&owner.id, m.id.as_ref()) as u8,
        name_level(&owner.name, owner.name_converted, &m.name) as u8,
        birth_level(&owner.id, owner.birth_date, m.birth_date) as u8,
        sex_level(&owner.id, owner.sex, m.sex) as u8,
        address_level(&owner.address, &m.address, &table.group_names) as u8,
        household_level(&owner.co_owners, member, table) as u8,
        m.role as u8,
        age_level(owner.registered, m.birth_date) as u8,
        // Known only once the first pass has linked the owners who carry a number.
        OtherTitleLevel::NotAssessed as u8,
    ])
}
