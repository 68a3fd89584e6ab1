use crate::test_common as common;

use hedui_core::address::Address;
use hedui_core::record::{AssetRecord, IdField};
use hedui_core::resident_id::ResidentId;
use hedui_core::shared::Shared;

use super::GroupNames;
use crate::prepare::{MemberFeatures, MemberTable};

fn a(s: &str) -> Address {
    Address::parse(s)
}

fn learned(pairs: &[(&str, &str)]) -> GroupNames {
    let parsed: Vec<(Address, Address)> = pairs.iter().map(|(x, y)| (a(x), a(y))).collect();
    GroupNames::from_same_dwellings(parsed.iter().map(|(x, y)| (x, y)))
}

const NUMBERED: &str = "金平县勐拉镇新勐村委会3组";
const NAMED: &str = "金平县勐拉镇新勐村委会前进村民小组";

#[test]
fn agreeing_votes_teach_a_mapping_both_ways_round() {
    let names = learned(&[
        (NUMBERED, NAMED),
        ("金平县勐拉镇新勐村前进12号", "勐拉镇新勐村三组"),
    ]);
    assert_eq!(names.len(), 1);
    assert_eq!(names.same_group(&a(NAMED), &a(NUMBERED)), Some(true));
    assert_eq!(
        names.same_group(&a(NUMBERED), &a("勐拉镇新勐村前进88号")),
        Some(true)
    );
    assert_eq!(
        names.same_group(&a("金平县勐拉镇新勐村5组"), &a(NAMED)),
        Some(false)
    );
}

#[test]
fn one_vote_is_not_enough() {
    let names = learned(&[(NUMBERED, NAMED)]);
    assert!(names.is_empty());
    assert_eq!(names.same_group(&a(NUMBERED), &a(NAMED)), None);
}

#[test]
fn split_votes_are_not_trusted() {
    let names = learned(&[
        (NUMBERED, NAMED),
        (NUMBERED, NAMED),
        ("金平县勐拉镇新勐村委会7组", NAMED),
    ]);
    assert!(
        names.is_empty(),
        "2 of 3 votes is under the share a mapping needs"
    );
}

#[test]
fn a_mapping_holds_only_in_its_own_village() {
    let names = learned(&[(NUMBERED, NAMED), (NUMBERED, NAMED)]);
    let elsewhere_named = a("金平县勐拉镇翁当村委会前进村民小组");
    let elsewhere_numbered = a("金平县勐拉镇翁当村委会3组");
    assert_eq!(
        names.same_group(&elsewhere_numbered, &elsewhere_named),
        None
    );
}

#[test]
fn addresses_in_different_villages_cast_no_vote() {
    let names = learned(&[
        ("金平县勐拉镇翁当村委会3组", NAMED),
        ("金平县勐拉镇翁当村委会3组", NAMED),
    ]);
    assert!(names.is_empty());
}

#[test]
fn like_forms_compare_without_learning() {
    let names = GroupNames::default();
    assert_eq!(
        names.same_group(&a(NUMBERED), &a("勐拉镇新勐村三组")),
        Some(true)
    );
    assert_eq!(
        names.same_group(&a(NUMBERED), &a("勐拉镇新勐村4组")),
        Some(false)
    );
    assert_eq!(
        names.same_group(&a(NAMED), &a("勐拉镇新勐村前进8号")),
        Some(true)
    );
    assert_eq!(
        names.same_group(&a(NAMED), &a("勐拉镇新勐村大坪8号")),
        Some(false)
    );
    assert_eq!(names.same_group(&a(NAMED), &a("勐拉镇新勐村")), None);
}

/// A title at `address` held by the person with identity number `id`.
fn owned_at(id: &str, address: &str) -> AssetRecord {
    let mut row = common::title_row("泸西集用(2006)第049520号", "孙海军", 2);
    row.owners[0].id = IdField::parse(id);
    row.address = a(address).into();
    row
}

/// Valid numbers of three different people.
const PEOPLE: [&str; 3] = [
    "532527197805062319",
    "53252719821015442X",
    "532527196509113025",
];

#[test]
fn records_of_one_person_vote_even_when_no_member_has_the_number() {
    let assets: Vec<AssetRecord> = PEOPLE[..2]
        .iter()
        .flat_map(|id| [owned_at(id, NUMBERED), owned_at(id, NAMED)])
        .collect();
    let names = GroupNames::learn(&assets, &[], &MemberTable::default());
    assert_eq!(names.same_group(&a(NAMED), &a(NUMBERED)), Some(true));
}

#[test]
fn a_member_and_their_record_vote_together() {
    let mut member = common::member("532527-000001", "孙海军", "户主");
    member.id = IdField::parse(PEOPLE[2]);
    member.address = a(NAMED).into();
    let members = [member];
    let features = members.iter().map(MemberFeatures::of).collect();
    let table = MemberTable::build(&members, features);
    let assets = [
        owned_at(PEOPLE[2], NUMBERED),
        owned_at(PEOPLE[0], NUMBERED),
        owned_at(PEOPLE[0], NAMED),
    ];
    let names = GroupNames::learn(&assets, &[], &table);
    assert_eq!(names.same_group(&a(NAMED), &a(NUMBERED)), Some(true));
}

/// Rows read but not matched (registration rows no rule reads) vote as if they were
/// records: one person's record in one spelling and their registration in the other.
#[test]
fn rows_not_matched_vote_like_records() {
    let assets: Vec<AssetRecord> = PEOPLE[..2]
        .iter()
        .map(|id| owned_at(id, NUMBERED))
        .collect();
    let without = GroupNames::learn(&assets, &[], &MemberTable::default());
    assert!(without.is_empty(), "one address per person casts no vote");
    let dwellings: Vec<(ResidentId, Shared<Address>)> = PEOPLE[..2]
        .iter()
        .map(|id| (*IdField::parse(id).valid().unwrap(), a(NAMED).into()))
        .collect();
    let names = GroupNames::learn(&assets, &dwellings, &MemberTable::default());
    assert_eq!(names.same_group(&a(NAMED), &a(NUMBERED)), Some(true));
}

#[test]
fn one_person_with_many_rows_votes_once() {
    let assets: Vec<AssetRecord> = (0..5)
        .flat_map(|_| [owned_at(PEOPLE[0], NUMBERED), owned_at(PEOPLE[0], NAMED)])
        .collect();
    let names = GroupNames::learn(&assets, &[], &MemberTable::default());
    assert!(
        names.is_empty(),
        "five copies of one person's two addresses are one vote, under the two needed"
    );
}
