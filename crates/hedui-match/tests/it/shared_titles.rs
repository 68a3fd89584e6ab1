//! A title exported as one row per owner still shows its co-owners to the matcher, and the
//! member's place in the household is compared.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::{member, title_row};
use hedui_core::{AssetRecord, Member};
use hedui_match::Field;
use hedui_match::compare::compare;
use hedui_match::prepare::{MemberFeatures, MemberTable, OwnerFeatures, SharedTitles};

fn levels_of(
    assets: &[AssetRecord],
    r: usize,
    members: &[Member],
    member: u32,
) -> [&'static str; 2] {
    let table = MemberTable::build(members, members.iter().map(MemberFeatures::of).collect());
    let titles = SharedTitles::build(assets);
    let owner = OwnerFeatures::of(&assets[r], &assets[r].owners[0])
        .with_title_co_owners(titles.other_owners(assets, r));
    let levels = compare(&owner, member, &table);
    [levels.label(Field::Household), levels.label(Field::Role)]
}

#[test]
fn owners_on_sibling_rows_of_one_certificate_are_co_owners() {
    let members = [
        member("h1", "杨丽华", "户主"),
        member("h1", "张志明", "配偶"),
    ];
    let assets = [
        title_row("泸西集用(2012)第872921号", "杨丽华", 2),
        title_row("泸西集用(2012)第872921号", "张志明", 3),
        title_row("泸西集用(2012)第000001号", "杨丽华", 4),
    ];
    assert_eq!(
        levels_of(&assets, 0, &members, 0),
        ["co_owner_in_household", "head"]
    );
    assert_eq!(
        levels_of(&assets, 1, &members, 1),
        ["co_owner_in_household", "spouse"]
    );
    assert_eq!(levels_of(&assets, 2, &members, 0), ["no_co_owner", "head"]);
}

#[test]
fn a_repeated_row_for_the_same_owner_is_not_a_co_owner() {
    let members = [member("h1", "杨丽华", "户主"), member("h1", "李强", "子女")];
    let assets = [
        title_row("泸西集用(2012)第872921号", "杨丽华", 2),
        title_row("泸西集用(2012)第872921号", "杨麗華", 3),
    ];
    assert_eq!(levels_of(&assets, 0, &members, 0), ["no_co_owner", "head"]);
    assert_eq!(
        levels_of(&assets, 0, &members, 1),
        ["no_co_owner", "other_member"]
    );
}

#[test]
fn a_co_owner_from_another_household_counts_against() {
    let members = [
        member("h1", "杨丽华", "户主"),
        member("h2", "张志明", "户主"),
    ];
    let assets = [
        title_row("泸西集用(2012)第872921号", "杨丽华", 2),
        title_row("泸西集用(2012)第872921号", "张志明", 3),
    ];
    assert_eq!(
        levels_of(&assets, 0, &members, 0),
        ["co_owner_not_in_household", "head"]
    );
}
