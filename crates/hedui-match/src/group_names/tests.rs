use hedui_core::address::Address;

use super::GroupNames;

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
