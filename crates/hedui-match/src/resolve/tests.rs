use crate::test_common as common;

use super::{demote_namesake_links, resolve_owner};
use crate::compare::{Field, Levels};
use crate::score::Waterfall;
use crate::{Band, Link};
use hedui_core::AssetRecord;

fn title(certificate: &str) -> AssetRecord {
    common::title_row(certificate, "孙海军", 2)
}

/// A link of `record` to member 0, with the identity number and household levels given.
fn link(record: usize, id: &str, household: &str) -> Link {
    let level = |field: Field, label: &str| {
        field.levels().iter().position(|l| *l == label).unwrap_or(0) as u8
    };
    let mut levels = Levels([0; crate::compare::FIELDS]);
    levels.0[Field::Id.index()] = level(Field::Id, id);
    levels.0[Field::Household.index()] = level(Field::Household, household);
    Link {
        record,
        owner: 0,
        member: 0,
        band: Band::Link,
        weight: 12.0,
        probability: 0.9998,
        levels,
        rules: vec!["name_area"],
        waterfall: Waterfall {
            prior: -19.0,
            steps: Vec::new(),
            total: 12.0,
            probability: 0.9998,
        },
        note: None,
    }
}

/// Every member its own household.
fn own_household(member: usize) -> Option<u32> {
    Some(member as u32)
}

#[test]
fn two_titles_on_name_alone_go_to_review() {
    let assets = [
        title("建水集用(2006)第049520号"),
        title("建水集用(2012)第556318号"),
    ];
    let mut links = [
        link(0, "missing", "no_co_owner"),
        link(1, "missing", "no_co_owner"),
    ];
    demote_namesake_links(&mut links, &assets, own_household);
    for l in &links {
        assert_eq!(l.band, Band::Review);
        assert!(l.note.as_deref().is_some_and(|n| n.contains("namesake")));
    }
}

#[test]
fn one_title_or_corroborated_titles_stay_links() {
    let assets = [
        title("建水集用(2006)第049520号"),
        title("建水集用(2012)第556318号"),
    ];
    let mut one = [link(0, "missing", "no_co_owner")];
    demote_namesake_links(&mut one, &assets, own_household);
    assert_eq!(one[0].band, Band::Link);

    let mut with_id = [
        link(0, "exact", "no_co_owner"),
        link(1, "missing", "no_co_owner"),
    ];
    demote_namesake_links(&mut with_id, &assets, own_household);
    assert!(with_id.iter().all(|l| l.band == Band::Link));

    let mut co_owned = [
        link(0, "missing", "co_owner_in_household"),
        link(1, "missing", "no_co_owner"),
    ];
    demote_namesake_links(&mut co_owned, &assets, own_household);
    assert!(co_owned.iter().all(|l| l.band == Band::Link));
}

#[test]
fn two_rows_of_one_title_count_once() {
    let assets = [
        title("建水集用(2006)第049520号"),
        title("建水集用(2006)第049520号"),
    ];
    let mut links = [
        link(0, "missing", "no_co_owner"),
        link(1, "missing", "no_co_owner"),
    ];
    demote_namesake_links(&mut links, &assets, own_household);
    assert!(links.iter().all(|l| l.band == Band::Link));
}

#[test]
fn two_members_of_one_household_on_name_alone_go_to_review() {
    let assets = [
        title("建水集用(2006)第049520号"),
        title("建水集用(2012)第556318号"),
    ];
    let mut links = [
        link(0, "missing", "no_co_owner"),
        Link {
            member: 1,
            ..link(1, "missing", "no_co_owner")
        },
    ];
    let mut apart = links.clone();
    demote_namesake_links(&mut apart, &assets, own_household);
    assert!(
        apart.iter().all(|l| l.band == Band::Link),
        "members of different households are separate claims"
    );
    demote_namesake_links(&mut links, &assets, |_| Some(7));
    for l in &links {
        assert_eq!(l.band, Band::Review);
        assert!(l.note.as_deref().is_some_and(|n| n.contains("household")));
    }
}

#[test]
fn a_number_under_another_name_is_for_review() {
    let levels = |id: &str, name: &str| {
        let level = |field: Field, label: &str| {
            field.levels().iter().position(|l| *l == label).unwrap() as u8
        };
        let mut levels = Levels([0; crate::compare::FIELDS]);
        levels.0[Field::Id.index()] = level(Field::Id, id);
        levels.0[Field::Name.index()] = level(Field::Name, name);
        levels
    };
    assert!(super::number_without_name(&levels("exact", "different")));
    assert!(!super::number_without_name(&levels("exact", "homophone")));
    assert!(!super::number_without_name(&levels("exact", "exact")));
    assert!(!super::number_without_name(&levels(
        "one_edit",
        "different"
    )));
}

/// The pair's levels with `id` and `name` set and every other field at its first level.
fn levels_with(id: &str, name: &str) -> Levels {
    let level = |field: Field, label: &str| {
        field.levels().iter().position(|l| *l == label).unwrap_or(0) as u8
    };
    let mut levels = Levels([0; crate::compare::FIELDS]);
    levels.0[Field::Id.index()] = level(Field::Id, id);
    levels.0[Field::Name.index()] = level(Field::Name, name);
    levels
}

/// A pair that everything but the number and the name speaks against (here: a prior so
/// low that no evidence lifts it) is still reviewable when both agree, and dropped when
/// the name is another one.
#[test]
fn an_agreeing_number_and_name_are_never_dropped() {
    use crate::config::MatchConfig;
    use crate::params::{Dense, initial_m};
    use crate::prepare::{IdEvidence, MemberTable, OwnerFeatures};
    use crate::score::Scorer;
    use crate::tf::NameFrequencies;
    use hedui_core::name::PersonName;
    use hedui_core::resident_id::ResidentId;

    let dense = Dense {
        lambda: 1e-300,
        lambda_without_id: 1e-300,
        m: initial_m(),
        u: [[0.01; 8]; crate::compare::FIELDS],
    };
    let names = [PersonName::normalise("陈倩")];
    let tf = NameFrequencies::build(names.iter());
    let members = MemberTable::default();
    let scorer = Scorer {
        dense: &dense,
        tf: &tf,
        members: &members,
    };
    let owner = OwnerFeatures {
        id: IdEvidence::Valid(ResidentId::parse("532527195802100544").unwrap()),
        name: names[0].clone(),
        name_converted: false,
        birth_date: None,
        sex: None,
        address: Default::default(),
        co_owners: Vec::new(),
        registered: None,
    };
    let config = MatchConfig::default();
    let resolve = |id: &str, name: &str| {
        resolve_owner(
            0,
            0,
            &owner,
            &[(0, 0, levels_with(id, name))],
            &scorer,
            &config,
            None,
        )
    };
    for name in ["exact", "homophone", "traditional_simplified", "wildcard"] {
        let kept = resolve("exact", name);
        assert_eq!(kept.len(), 1, "{name}");
        assert_eq!(kept[0].band, Band::Review);
        assert!(kept[0].probability < config.review_threshold);
        assert!(kept[0].note.as_deref().is_some_and(|n| n.contains("agree")));
    }
    assert!(resolve("exact", "different").is_empty());
    assert!(resolve("exact", "missing").is_empty());
    assert!(resolve("one_edit", "exact").is_empty());
}
