use super::*;
use crate::prepare::OwnerFeatures;
use hedui_core::address::Address;
use hedui_core::name::PersonName;

fn member(id: &str, name: &str, address: &str) -> MemberFeatures {
    let id = ResidentId::parse(id).ok();
    MemberFeatures {
        birth_date: id.map(|i| i.birth_date()),
        sex: id.map(|i| i.sex()),
        id,
        name: PersonName::normalise(name),
        address: Address::parse(address).into(),
        role: crate::compare::Role::Missing,
    }
}

fn owner(id: &str, name: &str, address: &str) -> OwnerFeatures {
    let field = hedui_core::record::IdField::parse(id);
    let evidence = IdEvidence::from_field(&field);
    let birth = match &evidence {
        IdEvidence::Valid(v) => Some(v.birth_date()),
        IdEvidence::Broken(d) => crate::prepare::birth_from_digits(d),
        IdEvidence::Missing => None,
    };
    OwnerFeatures {
        id: evidence,
        name: PersonName::normalise(name),
        name_converted: false,
        birth_date: birth,
        sex: None,
        address: Address::parse(address).into(),
        co_owners: Vec::new(),
        registered: None,
    }
}

fn members() -> Vec<MemberFeatures> {
    vec![
        member("532522197506150034", "李文华", "金平县勐拉镇新勐村3组"),
        member("11010519491231002X", "王晔", "蒙自市文澜镇"),
    ]
}

#[test]
fn each_rule_finds_its_pairs() {
    let index = MemberIndex::build(&members(), 10);
    let mut stats = BlockingStats::default();
    assert_eq!(
        index.candidates(&owner("532522750615003", "李文华", "").view(), &mut stats),
        [(0, 0b101)]
    );
    assert_eq!(
        index.candidates(
            &owner("532522197506180034", "李文华", "").view(),
            &mut stats
        ),
        [(0, 0b010)]
    );
    assert_eq!(
        index.candidates(&owner("", "李文華", "金平县勐拉镇").view(), &mut stats),
        [(0, 0b1000)]
    );
    assert_eq!(
        index.candidates(&owner("", "王?", "蒙自市").view(), &mut stats),
        [(1, 0b1000)]
    );
    assert_eq!(
        index.candidates(&owner("", "李文华", "蒙自市").view(), &mut stats),
        [],
        "other county"
    );
    assert_eq!(stats.exact_id, 1);
    assert_eq!(stats.id_neighbour, 1);
}

#[test]
fn oversized_blocks_are_skipped_and_counted() {
    let many: Vec<_> = (0..5).map(|_| member("", "王伟", "蒙自市")).collect();
    let index = MemberIndex::build(&many, 3);
    let mut stats = BlockingStats::default();
    assert!(
        index
            .candidates(&owner("", "王伟", "蒙自市").view(), &mut stats)
            .is_empty()
    );
    assert_eq!(stats.oversized_blocks_skipped, 2, "name and pinyin blocks");
}

/// The index's lists are sized from this count before the keys are made; a count that
/// fell short would only grow a list, so the test holds it exact.
#[test]
fn name_area_keys_are_counted_as_made() {
    let mut all = members();
    all.extend([
        member("532522197506150034", "", "金平县勐拉镇新勐村3组"),
        member("", "阿依古丽·买买提", "勐拉镇"),
        member("", "张三", ""),
        member("", "欧阳*明", "红河州个旧市"),
    ]);
    for m in &all {
        assert_eq!(
            name_area_key_count(m),
            MemberKeys::of(m).name_area.len(),
            "{:?} at {:?}",
            m.name.as_str(),
            m.address
        );
    }
    assert!(all.iter().any(|m| name_area_key_count(m) == 0));
    assert!(all.iter().any(|m| name_area_key_count(m) > 4));
}
