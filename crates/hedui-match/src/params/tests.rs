use super::*;

fn levels(id: u8, name: u8, address: u8) -> Levels {
    Levels([id, name, 4, 3, address, 2, 3, 3])
}

#[test]
fn em_separates_matches_from_non_matches_on_unblocked_fields() {
    // 900 clear matches (exact ID, exact name, same village) and 9,100 non-matches that only
    // share a name sound and county.
    let mut patterns = BTreeMap::new();
    patterns.insert(levels(0, 0, 1), 900);
    patterns.insert(levels(4, 2, 4), 9_100);
    let mut u = initial_m();
    u[Field::Id.index()][..5].copy_from_slice(&[1e-6, 1e-5, 1e-5, 1e-3, 0.998979]);
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
    assert!(posterior_over(&dense, &levels(4, 2, 4), &fields) < 0.001);
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
    let mut bad = public.clone();
    bad.fields.insert("shoe_size".into(), BTreeMap::new());
    assert!(
        Dense::from_public(&bad, &dense)
            .unwrap_err()
            .contains("shoe_size")
    );
}
