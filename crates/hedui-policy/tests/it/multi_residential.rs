//! The multi-home rule: distinct certificates, co-owner rows, the limit, bands and the
//! per-capita floor area.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use crate::common;

use common::*;
use hedui_core::{AssetRecord, Member};
use hedui_policy::{Candidate, CandidateBand, LinkRef, evaluate};

const GEJIU: &str = "个旧市鸡街镇大新寨村委会三组";
const RULE: &str = "property_multi_residential";

fn couple() -> Vec<Member> {
    vec![
        member("H1", "张三", "532501198001011234", GEJIU),
        member("H1", "王芳", "532501198201012345", GEJIU),
        member("H9", "张四", "532501198301013456", GEJIU),
    ]
}

/// (certificate, member, band) of each candidate of the rule.
fn rows<'a>(assets: &'a [AssetRecord], out: &[Candidate]) -> Vec<(&'a str, usize, CandidateBand)> {
    out.iter()
        .filter(|c| c.rule.as_str() == RULE)
        .map(|c| (&*assets[c.record].record_key, c.member, c.band))
        .collect()
}

fn home(cert: &str, owner: &str) -> AssetRecord {
    Rec::property(cert, "城镇住宅用地/住宅", Some(80.0))
        .owner(owner)
        .build()
}

#[test]
fn one_certificate_on_co_owner_rows_is_one_home() {
    // One row per co-owner, as some registries export.
    let assets = [home("C1", "张三"), home("C1", "王芳")];
    let out = evaluate(
        &demo_policy(),
        check(),
        &couple(),
        &assets,
        &[link(0, 0), link(1, 1)],
    );
    assert!(out.is_empty(), "{out:?}");
}

#[test]
fn every_certificate_and_holder_is_listed_when_over_the_limit() {
    let assets = [home("C1", "张三"), home("C1", "王芳"), home("C2", "王芳")];
    let links = [link(0, 0), link(1, 1), link(2, 1)];
    let out = evaluate(&demo_policy(), check(), &couple(), &assets, &links);
    use CandidateBand::Candidate as P;
    assert_eq!(
        rows(&assets, &out),
        [("C1", 0, P), ("C1", 1, P), ("C2", 1, P)]
    );
    let homes = out[0]
        .fired_because
        .iter()
        .find(|(k, _)| k == "homes")
        .unwrap();
    assert_eq!(homes.1, "2 > 1");
    assert!(
        out[0].reason_zh.contains("共持有2套住宅"),
        "{}",
        out[0].reason_zh
    );
}

#[test]
fn max_homes_is_respected() {
    let policy = policy_with(
        "[rules.property_multi_residential]\nresidential_uses = [\"住宅\"]\nmax_homes = 2\n",
    );
    let assets = [home("C1", "张三"), home("C2", "王芳")];
    let links = [link(0, 0), link(1, 1)];
    assert!(evaluate(&policy, check(), &couple(), &assets, &links).is_empty());
    let assets = [home("C1", "张三"), home("C2", "王芳"), home("C3", "张三")];
    let links = [link(0, 0), link(1, 1), link(2, 0)];
    assert_eq!(
        evaluate(&policy, check(), &couple(), &assets, &links).len(),
        3
    );
}

#[test]
fn inactive_homes_and_a_relatives_home_do_not_count() {
    let assets = [
        home("C1", "张三"),
        Rec::property("C2", "住宅", None)
            .owner("王芳")
            .status(&["注销"], Some("2025-01-01"))
            .build(),
        home("C3", "张四"),
    ];
    // C3 is the brother's, linked to his own household H9.
    let links = [link(0, 0), link(1, 1), link(2, 2)];
    assert!(evaluate(&demo_policy(), check(), &couple(), &assets, &links).is_empty());
}

#[test]
fn over_the_limit_only_with_review_homes_makes_every_row_review() {
    let assets = [home("C1", "张三"), home("C2", "王芳")];
    let out = evaluate(
        &demo_policy(),
        check(),
        &couple(),
        &assets,
        &[link(0, 0), review(1, 1)],
    );
    use CandidateBand::Review as R;
    assert_eq!(rows(&assets, &out), [("C1", 0, R), ("C2", 1, R)]);
    assert!(
        out[0]
            .fired_because
            .iter()
            .any(|(k, _)| k == "review_because")
    );
}

#[test]
fn over_the_limit_on_sure_homes_keeps_review_homes_review() {
    let assets = [home("C1", "张三"), home("C2", "王芳"), home("C3", "王芳")];
    let links = [link(0, 0), link(1, 1), review(2, 1)];
    let out = evaluate(&demo_policy(), check(), &couple(), &assets, &links);
    use CandidateBand::{Candidate as P, Review as R};
    assert_eq!(
        rows(&assets, &out),
        [("C1", 0, P), ("C2", 1, P), ("C3", 1, R)]
    );
}

#[test]
fn a_review_link_on_a_sure_home_is_still_a_review_row() {
    let assets = [home("C1", "张三"), home("C1", "王芳"), home("C2", "张三")];
    let links = [link(0, 0), review(1, 1), link(2, 0)];
    let out = evaluate(&demo_policy(), check(), &couple(), &assets, &links);
    use CandidateBand::{Candidate as P, Review as R};
    assert_eq!(
        rows(&assets, &out),
        [("C1", 0, P), ("C1", 1, R), ("C2", 0, P)]
    );
}

#[test]
fn floor_area_per_capita_fires_above_the_limit() {
    let rules = "[rules.property_multi_residential]\nresidential_uses = [\"住宅\"]\nmax_homes = 1\n\
                 max_floor_area_per_capita = 60.0\n";
    let policy = policy_with(rules);
    let big = |area| {
        Rec::property("C1", "住宅", Some(area))
            .owner("张三")
            .build()
    };
    // Two members: 130 m² is 65 per person, over 60; 110 m² is 55, under.
    let out = evaluate(&policy, check(), &couple(), &[big(130.0)], &[link(0, 0)]);
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(
        out[0].reason_zh.contains("人均住房建筑面积65.0平方米"),
        "{}",
        out[0].reason_zh
    );
    assert!(evaluate(&policy, check(), &couple(), &[big(110.0)], &[link(0, 0)]).is_empty());
    // Shared with the brother in H9, only half of 130 m² is this household's.
    let shared = [Rec::property("C1", "住宅", Some(130.0))
        .owner("张三")
        .owner("张四")
        .build()];
    let links = [
        link(0, 0),
        LinkRef {
            owner: 1,
            ..link(0, 2)
        },
    ];
    let out = evaluate(&policy, check(), &couple(), &shared, &links);
    let households: Vec<&str> = out.iter().map(|c| &*c.household_id).collect();
    assert_eq!(households, ["H9"]);
}
