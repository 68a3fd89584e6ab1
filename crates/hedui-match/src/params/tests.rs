use super::*;
use crate::compare::OtherTitleLevel;

fn levels(id: u8, name: u8, address: u8) -> Levels {
    Levels([
        id,
        name,
        4,
        3,
        address,
        2,
        3,
        3,
        OtherTitleLevel::NotAssessed as u8,
    ])
}

fn with_other_title(mut levels: Levels, other_title: OtherTitleLevel) -> Levels {
    levels.0[Field::OtherTitle.index()] = other_title as u8;
    levels
}

#[test]
fn other_title_is_learned_from_the_pairs_it_separates() {
    // Owners without a number. 2,610 agree with a member on name and village, so EM takes
    // them as matches; 410 of those are in households that already hold another title.
    // 10,000 blocked non-matches are namesakes elsewhere, and 8,000 of their households hold
    // a title. The field must weigh "held" down and "none" up by what those rates say.
    let missing = IdLevel::Missing as u8;
    let pair = |other| with_other_title(levels(missing, 0, 1), other);
    let elsewhere = |other| with_other_title(levels(missing, 6, 5), other);
    let mut patterns = BTreeMap::new();
    patterns.insert(pair(OtherTitleLevel::None), 2_200);
    patterns.insert(pair(OtherTitleLevel::Held), 410);
    patterns.insert(elsewhere(OtherTitleLevel::Held), 8_000);
    patterns.insert(elsewhere(OtherTitleLevel::None), 2_000);
    // Pairs of owners with a number are not assessed and must not count.
    patterns.insert(levels(0, 0, 1), 50_000);
    let mut u = initial_m();
    u[Field::Name.index()][..7].copy_from_slice(&[1e-3, 1e-5, 1e-3, 1e-5, 1e-3, 1e-2, 0.98696]);
    u[Field::Address.index()][..7].copy_from_slice(&[1e-5, 1e-3, 1e-3, 1e-3, 1e-2, 0.1, 0.88699]);
    let mut dense = Dense {
        lambda: 0.3,
        lambda_without_id: 1e-3,
        m: initial_m(),
        u,
    };
    let before = dense.clone();
    let iterations = estimate_other_title(&patterns, &mut dense, 100);
    assert!(iterations > 1 && iterations <= 100);
    let f = Field::OtherTitle.index();
    let weight = |l: OtherTitleLevel| (dense.m[f][l as usize] / dense.u[f][l as usize]).log2();
    // m(held) is about 410 / 2,610 and u(held) about 8,000 / 10,000.
    let held = weight(OtherTitleLevel::Held);
    let none = weight(OtherTitleLevel::None);
    assert!((held - (0.157f64 / 0.8).log2()).abs() < 0.2, "held {held}");
    assert!((none - (0.843f64 / 0.2).log2()).abs() < 0.2, "none {none}");
    // No pair showed a title of the other kind, so that level says nothing.
    assert_eq!(weight(OtherTitleLevel::HeldOtherKind), 0.0);
    // Every other field is left as it was.
    for field in Field::ALL.into_iter().filter(|&g| g != Field::OtherTitle) {
        assert_eq!(dense.m[field.index()], before.m[field.index()]);
        assert_eq!(dense.u[field.index()], before.u[field.index()]);
    }
}

#[test]
fn a_title_of_the_other_kind_weighs_by_its_distance() {
    // Owners without a number whose household holds a title of the other kind: 300 agree
    // with a member on name, village and group (the household's second home), 3,000 are
    // namesakes in the county. Each distance gets its own weight, of its own sign.
    let missing = IdLevel::Missing as u8;
    let in_group = with_other_title(levels(missing, 0, 1), OtherTitleLevel::HeldOtherKindInGroup);
    let far = with_other_title(levels(missing, 0, 5), OtherTitleLevel::HeldOtherKind);
    let none = with_other_title(levels(missing, 0, 1), OtherTitleLevel::None);
    let patterns = BTreeMap::from([(in_group, 300), (far, 3_000), (none, 2_000)]);
    let mut u = initial_m();
    u[Field::Address.index()][..7].copy_from_slice(&[1e-5, 1e-3, 1e-3, 1e-3, 1e-2, 0.1, 0.88699]);
    let mut dense = Dense {
        lambda: 0.3,
        lambda_without_id: 1e-3,
        m: initial_m(),
        u,
    };
    estimate_other_title(&patterns, &mut dense, 100);
    let f = Field::OtherTitle.index();
    let weight = |l: OtherTitleLevel| (dense.m[f][l as usize] / dense.u[f][l as usize]).log2();
    let near = weight(OtherTitleLevel::HeldOtherKindInGroup);
    let elsewhere = weight(OtherTitleLevel::HeldOtherKind);
    assert!(near > 1.0, "in group {near}");
    assert!(elsewhere < -1.0, "elsewhere {elsewhere}");
}

#[test]
fn em_separates_matches_from_non_matches_on_unblocked_fields() {
    // 900 clear matches (exact ID, exact name, same village) and 9,100 non-matches that only
    // share a name sound and county.
    let mut patterns = BTreeMap::new();
    patterns.insert(levels(0, 0, 1), 900);
    let different = IdLevel::Different as u8;
    patterns.insert(levels(different, 2, 4), 9_100);
    let mut u = initial_m();
    u[Field::Id.index()][..6].copy_from_slice(&[1e-6, 1e-5, 1e-5, 1e-5, 1e-3, 0.998969]);
    u[Field::Name.index()][..7].copy_from_slice(&[1e-4, 1e-5, 1e-3, 1e-5, 1e-3, 1e-2, 0.98788]);
    u[Field::Address.index()][..6].copy_from_slice(&[1e-5, 1e-4, 1e-3, 1e-2, 0.1, 0.88889]);
    // The pairs were blocked on name sound, so the name is left out of this session.
    let fields = [Field::Id, Field::Address];
    let (dense, iterations) = estimate_m(&patterns, &u, &fields, 100);
    assert!(iterations > 1);
    assert!(
        (dense.lambda - 0.09).abs() < 0.01,
        "lambda {}",
        dense.lambda
    );
    assert!(dense.m[Field::Id.index()][0] > 0.95);
    assert!(posterior_over(&dense, &levels(0, 0, 1), &fields) > 0.999);
    assert!(posterior_over(&dense, &levels(different, 2, 4), &fields) < 0.001);
    // Over 10,000 owners x 1,000 members, the 900 matches make a random-pair prior of 9e-5.
    let prior = estimate_prior(&patterns, &dense, 1e7, 100);
    assert!((prior / 9e-5 - 1.0).abs() < 0.05, "prior {prior}");
}

#[test]
fn public_round_trip_and_unknown_names() {
    let dense = Dense {
        lambda: 0.2,
        lambda_without_id: 0.2,
        m: initial_m(),
        u: initial_m(),
    };
    let public = dense.to_public("estimated", 7);
    assert!(public.fields["id"].contains_key("exact"));
    assert!(
        !public.fields["id"].contains_key("missing"),
        "neutral levels are not parameters"
    );
    assert_eq!(Dense::from_public(&public, &dense).unwrap(), dense);
    // The estimated u of an exact number, below the estimation floor, configures as it is.
    let with_exact_u = |u: f64| {
        let mut p = public.clone();
        if let Some(exact) = p.fields.get_mut("id").and_then(|l| l.get_mut("exact")) {
            exact.u = u;
        }
        p
    };
    let read = Dense::from_public(&with_exact_u(U_ID_EXACT), &dense).unwrap();
    assert_eq!(read.u[Field::Id.index()][0], U_ID_EXACT);
    let exact = with_exact_u(0.0);
    assert!(
        Dense::from_public(&exact, &dense)
            .unwrap_err()
            .contains("id.exact")
    );
    let mut bad = public.clone();
    bad.fields.insert("shoe_size".into(), BTreeMap::new());
    assert!(
        Dense::from_public(&bad, &dense)
            .unwrap_err()
            .contains("shoe_size")
    );
}
