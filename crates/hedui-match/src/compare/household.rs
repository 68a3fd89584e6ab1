//! Co-owners as evidence. When a property lists 刘文华、周文静 and a recipient household has
//! both, each name corroborates the other: two unrelated names rarely meet in one household
//! by chance. This is what lets old rural records without identity numbers link safely.

use hedui_core::name::{PersonName, same_pinyin};

use crate::prepare::MemberTable;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HouseholdLevel {
    /// Another owner on the record has the name of another member of this member's household.
    CoOwnerInHousehold = 0,
    /// The record has other owners, none of them in this household.
    CoOwnerNotInHousehold = 1,
    /// A single owner: nothing to compare.
    NoCoOwner = 2,
}

pub fn household_level(
    co_owners: &[PersonName],
    member: u32,
    table: &MemberTable,
) -> HouseholdLevel {
    if co_owners.is_empty() {
        return HouseholdLevel::NoCoOwner;
    }
    if co_owners_in_household(co_owners, member, table)
        .next()
        .is_some()
    {
        HouseholdLevel::CoOwnerInHousehold
    } else {
        HouseholdLevel::CoOwnerNotInHousehold
    }
}

/// The co-owners whose names (by sound) belong to another member of `member`'s household.
/// Scoring uses their frequency: a co-owner named 王玉华 found in the household is weaker
/// evidence than one with a rare name.
pub fn co_owners_in_household<'a>(
    co_owners: &'a [PersonName],
    member: u32,
    table: &'a MemberTable,
) -> impl Iterator<Item = &'a PersonName> + 'a {
    let housemates = table.housemates(member);
    co_owners.iter().filter(|c| !c.is_empty()).filter(move |c| {
        housemates
            .iter()
            .filter(|&&h| h != member)
            .any(|&h| same_pinyin(c, &table.features[h as usize].name))
    })
}
