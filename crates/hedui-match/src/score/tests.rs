use super::*;
use crate::params::initial_m;
use hedui_core::name::PersonName;

/// Every u at 0.01 and the starting m: weights that are easy to reason about.
fn flat_dense() -> Dense {
    Dense {
        lambda: 0.2,
        lambda_without_id: 0.2,
        m: initial_m(),
        u: [[0.01; 8]; crate::compare::FIELDS],
    }
}

fn normalised(raw: &[&str]) -> Vec<PersonName> {
    raw.iter().map(|n| PersonName::normalise(n)).collect()
}

/// An owner known by name (and co-owners) only.
fn without_id(name: PersonName, name_converted: bool, co_owners: Vec<PersonName>) -> OwnerFeatures {
    OwnerFeatures {
        id: IdEvidence::Missing,
        name,
        name_converted,
        birth_date: None,
        sex: None,
        address: hedui_core::address::Address::default().into(),
        co_owners,
        registered: None,
    }
}

#[test]
fn waterfall_adds_up_and_common_names_weigh_less() {
    let dense = flat_dense();
    let names = normalised(&["王伟", "王伟", "王伟", "王伟", "䶮明"]);
    let tf = NameFrequencies::build(names.iter());
    let scorer = Scorer {
        dense: &dense,
        tf: &tf,
        members: &MemberTable::default(),
    };
    let levels = Levels([0, 0, 4, 3, 1, 2, 3, 3, 3]);
    let owner = |name: &PersonName| without_id(name.clone(), false, Vec::new());
    let common = scorer.waterfall(&levels, &owner(&names[0]), 0);
    let rare = scorer.waterfall(&levels, &owner(&names[4]), 0);
    for w in [&common, &rare] {
        let sum = w.prior + w.steps.iter().map(|s| s.weight()).sum::<f64>();
        assert!((sum - w.total).abs() < 1e-12);
        assert!((probability(w.total) - w.probability).abs() < 1e-12);
        assert_eq!(
            w.steps[2].weight(),
            0.0,
            "implied birth date weighs nothing"
        );
    }
    assert!(
        rare.steps[1].weight() > common.steps[1].weight() + 1.9,
        "4x rarer is 2 bits more"
    );
    assert_eq!(common.steps[1].term_frequency(), Some(0.8));
}

/// A name written in traditional characters is as good evidence as the same name in
/// simplified ones when traditional spelling is equally rare among matches and
/// non-matches: its rarity must not be counted against the pair.
#[test]
fn term_frequency_keeps_a_rare_levels_own_rarity() {
    let mut dense = flat_dense();
    let name = Field::Name.index();
    dense.m[name][..3].copy_from_slice(&[0.9, 0.009, 0.02]);
    dense.u[name][..3].copy_from_slice(&[1e-3, 1e-5, 1e-4]);
    let names = normalised(&["张云华", "李强", "王芳", "赵敏"]);
    let tf = NameFrequencies::build(names.iter());
    let scorer = Scorer {
        dense: &dense,
        tf: &tf,
        members: &MemberTable::default(),
    };
    let owner = without_id(names[0].clone(), true, Vec::new());
    let weight_at = |name_level: u8| {
        scorer
            .waterfall(&Levels([6, name_level, 3, 2, 7, 2, 3, 3, 3]), &owner, 0)
            .steps[1]
            .weight()
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
    let dense = flat_dense();
    let member = |name: &str| crate::prepare::MemberFeatures {
        id: None,
        name: PersonName::normalise(name),
        birth_date: None,
        sex: None,
        address: hedui_core::address::Address::default().into(),
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
    let owner = |co_owner: &str| {
        without_id(
            PersonName::normalise("李强"),
            false,
            vec![PersonName::normalise(co_owner)],
        )
    };
    let levels = Levels([6, 0, 3, 2, 7, 0, 3, 3, 3]);
    let household_weight = |co_owner: &str, member: u32| {
        let w = scorer.waterfall(&levels, &owner(co_owner), member);
        let sum = w.prior + w.steps.iter().map(|s| s.weight()).sum::<f64>();
        assert!((sum - w.total).abs() < 1e-12, "the waterfall still adds up");
        w.steps[5].weight()
    };
    let common = household_weight("王芳", 0);
    let rare = household_weight("䶮明", 2);
    assert!(
        (rare - common - 5f64.log2()).abs() < 1e-9,
        "five times rarer is log2(5) bits more: {rare} vs {common}"
    );
}

/// Millions of links keep their waterfalls, so a step stays small; and it is written out
/// with the same fields as when it held its strings and options itself.
#[test]
fn a_step_is_small_and_written_as_before() {
    assert_eq!(size_of::<Step>(), 40);
    let neutral = Step::neutral(Field::BirthDate, 1);
    assert_eq!(
        serde_json::to_value(neutral).unwrap(),
        serde_json::json!({
            "field": "birth_date",
            "level": Field::BirthDate.levels()[1],
            "weight": 0.0,
            "m": null,
            "u": null,
            "term_frequency": null,
        })
    );
    let name = Step::weighed(Field::Name, 0, 0.9, 0.001, Some(0.002));
    assert_eq!(name.m(), Some(0.9));
    assert_eq!(name.u(), Some(0.001));
    assert_eq!(name.term_frequency(), Some(0.002));
    assert!((name.weight() - (0.9f64 / 0.001).log2()).abs() < 1e-12);
    assert_eq!(
        serde_json::to_value(name).unwrap()["level"],
        Field::Name.levels()[0]
    );
    let without_tf = Step::weighed(Field::Sex, 0, 0.98, 0.5, None);
    assert_eq!(without_tf.term_frequency(), None);
    assert_eq!(without_tf.field(), "sex");
}
