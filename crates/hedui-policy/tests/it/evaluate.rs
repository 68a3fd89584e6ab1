//! The rules on small hand-built households: activity on the check date, exemptions,
//! household aggregation and bands.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use crate::common;

use common::*;
use hedui_core::{AssetRecord, Member};
use hedui_policy::{Candidate, CandidateBand, LinkRef, Policy, evaluate};

const GEJIU: &str = "个旧市鸡街镇大新寨村委会三组";

fn run(
    policy: &Policy,
    members: &[Member],
    assets: &[AssetRecord],
    links: &[LinkRef],
) -> Vec<Candidate> {
    evaluate(policy, check(), members, assets, links)
}

/// (household, rule, record, member, band) of each candidate, for compact assertions.
fn summary(c: &[Candidate]) -> Vec<(&str, &str, usize, usize, CandidateBand)> {
    c.iter()
        .map(|c| {
            (
                &*c.household_id,
                c.rule.as_str(),
                c.record,
                c.member,
                c.band,
            )
        })
        .collect()
}

fn one_member() -> Vec<Member> {
    vec![member("H1", "张三", "532501198001011234", GEJIU)]
}

#[test]
fn a_car_in_use_is_a_candidate_with_evidence() {
    let assets = [Rec::vehicle("云G12345", "小型轿车").owner("张三").build()];
    let out = run(&demo_policy(), &one_member(), &assets, &[link(0, 0)]);
    assert_eq!(
        summary(&out),
        [("H1", "vehicle", 0, 0, CandidateBand::Candidate)]
    );
    let c = &out[0];
    assert_eq!(c.department, hedui_core::Department::Vehicle);
    let fired: Vec<(&str, &str)> = c
        .fired_because
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert!(fired.contains(&("vehicle_type", "小型轿车")), "{fired:?}");
    assert!(
        fired.contains(&("active_on_check_date", "yes: status 正常")),
        "{fired:?}"
    );
    assert_eq!(
        c.reason_zh,
        "户内成员名下有在用机动车（小型轿车，状态：正常），不属于豁免车型。"
    );
}

#[test]
fn ended_on_or_before_the_check_date_never_counts() {
    for (status, changed) in [
        ("注销", Some("2026-05-01")),
        ("报废", Some(CHECK)),
        ("已注销", None),
    ] {
        let assets = [Rec::vehicle("云G12345", "小型轿车")
            .owner("张三")
            .status(&[status], changed)
            .build()];
        let out = run(&demo_policy(), &one_member(), &assets, &[link(0, 0)]);
        assert!(out.is_empty(), "{status} {changed:?}: {out:?}");
    }
}

#[test]
fn ended_after_the_check_date_still_counts() {
    let assets = [Rec::vehicle("云G12345", "小型轿车")
        .owner("张三")
        .status(&["转出"], Some("2026-07-20"))
        .build()];
    let out = run(&demo_policy(), &one_member(), &assets, &[link(0, 0)]);
    assert_eq!(out.len(), 1);
    assert!(
        out[0].reason_zh.contains("晚于核对日"),
        "{}",
        out[0].reason_zh
    );
}

#[test]
fn a_licence_deregistered_after_the_check_date_still_counts() {
    let licence = |changed: &str| {
        [Rec::licence("92532530MA6K000001", "个体工商户", None)
            .owner("张三")
            .status(&["注销"], Some(changed))
            .build()]
    };
    let later = run(
        &demo_policy(),
        &one_member(),
        &licence("2026-07-01"),
        &[link(0, 0)],
    );
    assert_eq!(later.len(), 1, "{later:?}");
    assert_eq!(later[0].band, CandidateBand::Candidate);
    let on_the_day = run(
        &demo_policy(),
        &one_member(),
        &licence(CHECK),
        &[link(0, 0)],
    );
    assert!(on_the_day.is_empty(), "{on_the_day:?}");
}

#[test]
fn vehicle_states_read_per_department_and_by_code() {
    let vehicle = |statuses: &[&str]| {
        [Rec::vehicle("云G12345", "小型轿车")
            .owner("张三")
            .status(statuses, None)
            .build()]
    };
    let bands = |statuses: &[&str]| -> Vec<CandidateBand> {
        run(
            &demo_policy(),
            &one_member(),
            &vehicle(statuses),
            &[link(0, 0)],
        )
        .iter()
        .map(|c| c.band)
        .collect()
    };
    // Reached the scrapping standard: still registered, a plain candidate.
    assert_eq!(bands(&["达到报废标准"]), [CandidateBand::Candidate]);
    assert_eq!(bands(&["P"]), [CandidateBand::Candidate]);
    assert!(bands(&["报废"]).is_empty());
    // GQ is two live states; GE holds a deregistration.
    assert_eq!(bands(&["GQ"]), [CandidateBand::Candidate]);
    assert!(bands(&["GE"]).is_empty());
    // A state nobody understands may be an end: review, never plain, and said why.
    let out = run(
        &demo_policy(),
        &one_member(),
        &vehicle(&["停用待查"]),
        &[link(0, 0)],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].band, CandidateBand::Review);
    assert!(
        out[0]
            .reason_zh
            .contains("状态「停用待查」不在政策的状态词表中"),
        "{}",
        out[0].reason_zh
    );
}

#[test]
fn one_status_cell_is_read_per_department_and_dated_per_record() {
    // The policy stage reads each distinct status cell once; the reading must still be the
    // department's, and each record's dates its own.
    let vehicle = |plate: &str, statuses: &[&str], changed: Option<&str>| {
        Rec::vehicle(plate, "小型轿车")
            .owner("张三")
            .status(statuses, changed)
            .build()
    };
    let assets = [
        // E is the vehicle code for 注销, and means nothing to the market register.
        vehicle("云G10001", &["E"], None),
        Rec::licence("92532530MA6K000001", "个体工商户", None)
            .owner("张三")
            .status(&["E"], None)
            .build(),
        vehicle("云G10002", &["注销"], Some("2026-07-01")),
        vehicle("云G10003", &["注销"], Some("2026-06-01")),
        vehicle("云G10004", &["E"], Some("2026-07-01")),
    ];
    let links: Vec<LinkRef> = (0..assets.len()).map(|r| link(r, 0)).collect();
    let out = run(&demo_policy(), &one_member(), &assets, &links);
    let by_record: Vec<(usize, CandidateBand)> = out.iter().map(|c| (c.record, c.band)).collect();
    assert_eq!(
        by_record,
        [
            (1, CandidateBand::Review),
            (2, CandidateBand::Candidate),
            (4, CandidateBand::Candidate),
        ],
        "{out:?}"
    );
}

#[test]
fn registered_after_the_check_date_never_counts() {
    let assets = [Rec::vehicle("云G12345", "小型轿车")
        .owner("张三")
        .registered("2026-07-01")
        .build()];
    assert!(run(&demo_policy(), &one_member(), &assets, &[link(0, 0)]).is_empty());
}

#[test]
fn exempt_types_never_produce_a_candidate() {
    let policy = policy_with(
        "[rules.vehicle]\nexempt_vehicle_types = [{ exact = \"三轮汽车\" }, { pattern = \"拖拉机\" }]\n",
    );
    let assets: Vec<AssetRecord> = [
        "三轮汽车",
        " 三轮汽车 ",
        "手扶拖拉机",
        "拖拉机",
        "小型轿车",
        "三轮汽车挂车",
    ]
    .iter()
    .enumerate()
    .map(|(i, t)| Rec::vehicle(&format!("云G{i}"), t).owner("张三").build())
    .collect();
    let links: Vec<LinkRef> = (0..assets.len()).map(|r| link(r, 0)).collect();
    let out = run(&policy, &one_member(), &assets, &links);
    let records: Vec<usize> = out.iter().map(|c| c.record).collect();
    // exact does not extend to longer names; the pattern does
    assert_eq!(records, [4, 5], "{out:?}");
}

#[test]
fn a_blank_vehicle_type_is_only_a_review_candidate() {
    let assets = [Rec::vehicle("云G12345", "").owner("张三").build()];
    let out = run(&demo_policy(), &one_member(), &assets, &[link(0, 0)]);
    assert_eq!(
        summary(&out),
        [("H1", "vehicle", 0, 0, CandidateBand::Review)]
    );
}

#[test]
fn a_relative_in_another_household_never_makes_this_one_a_candidate() {
    let members = [
        member("H1", "张三", "532501198001011234", GEJIU),
        member("H2", "张四", "532501198201011234", GEJIU),
    ];
    // The matcher linked the car to the brother's own member row in H2.
    let assets = [Rec::vehicle("云G12345", "小型轿车").owner("张四").build()];
    let out = run(&demo_policy(), &members, &assets, &[link(0, 1)]);
    assert_eq!(
        summary(&out),
        [("H2", "vehicle", 0, 1, CandidateBand::Candidate)]
    );
}

#[test]
fn compound_uses_are_judged_by_the_building_use() {
    let assets = [
        Rec::property("C1", "宅基地/住宅", Some(90.0))
            .owner("张三")
            .build(),
        Rec::property("C2", "商服用地/商业", Some(40.0))
            .owner("张三")
            .build(),
        Rec::property("C3", "住宅/", Some(40.0))
            .owner("张三")
            .build(),
    ];
    let out = run(
        &demo_policy(),
        &one_member(),
        &assets,
        &[link(0, 0), link(1, 0), link(2, 0)],
    );
    let rows: Vec<(&str, usize)> = out.iter().map(|c| (c.rule.as_str(), c.record)).collect();
    // C1 and C3 are homes (two, over the limit of one); only C2 is commercial
    assert_eq!(
        rows,
        [
            ("property_commercial", 1),
            ("property_multi_residential", 0),
            ("property_multi_residential", 2),
        ]
    );
}

#[test]
fn a_business_of_a_listed_type_is_a_candidate_and_others_are_not() {
    let assets = [
        Rec::licence("92532501A", "个体工商户", None)
            .owner("张三")
            .build(),
        Rec::licence("93532501B", "农民专业合作社", None)
            .owner("张三")
            .build(),
        Rec::licence("91532501C", "有限责任公司（自然人独资）", None)
            .owner("张三")
            .build(),
        Rec::licence("92532501D", "个体工商户", None)
            .owner("张三")
            .status(&["吊销"], Some("2024-01-01"))
            .build(),
    ];
    let links: Vec<LinkRef> = (0..assets.len()).map(|r| link(r, 0)).collect();
    let out = run(&demo_policy(), &one_member(), &assets, &links);
    let records: Vec<usize> = out.iter().map(|c| c.record).collect();
    // sorted by record key: 91… before 92…
    assert_eq!(records, [2, 0]);
    assert!(out[1].reason_zh.contains("经营者或法定代表人"));
}

#[test]
fn the_capital_floor_spares_small_businesses_and_unknown_capital_goes_to_review() {
    let policy = policy_with(
        "[rules.licence]\nentity_types = [\"个体工商户\"]\nmin_registered_capital = 100000\n",
    );
    let assets = [
        Rec::licence("A", "个体工商户", Some(50_000.0))
            .owner("张三")
            .build(),
        Rec::licence("B", "个体工商户", Some(100_000.0))
            .owner("张三")
            .build(),
        Rec::licence("C", "个体工商户", None).owner("张三").build(),
    ];
    let out = run(
        &policy,
        &one_member(),
        &assets,
        &[link(0, 0), link(1, 0), link(2, 0)],
    );
    assert_eq!(
        summary(&out),
        [
            ("H1", "licence", 1, 0, CandidateBand::Candidate),
            ("H1", "licence", 2, 0, CandidateBand::Review),
        ]
    );
}

#[test]
fn review_band_links_give_only_review_candidates() {
    let assets = [
        Rec::vehicle("云G1", "小型轿车").owner("张三").build(),
        Rec::licence("92532501A", "个体工商户", None)
            .owner("张三")
            .build(),
        Rec::property("C2", "商服用地/商业", None)
            .owner("张三")
            .build(),
    ];
    let links = [review(0, 0), review(1, 0), review(2, 0)];
    let out = run(&demo_policy(), &one_member(), &assets, &links);
    assert_eq!(out.len(), 3);
    for c in &out {
        assert_eq!(c.band, CandidateBand::Review, "{c:?}");
        assert!(c.reason_zh.contains("须人工核实"), "{}", c.reason_zh);
    }
    // A plain link to the same record makes it plain again.
    let out = run(
        &demo_policy(),
        &one_member(),
        &assets[..1],
        &[review(0, 0), link(0, 0)],
    );
    assert_eq!(
        summary(&out),
        [("H1", "vehicle", 0, 0, CandidateBand::Candidate)]
    );
}

#[test]
fn counties_outside_the_policy_are_not_evaluated_but_unknown_ones_are() {
    let policy = policy_with("counties = [\"532502\"]\n[rules.vehicle]\n");
    let assets = [Rec::vehicle("云G1", "小型轿车").owner("张三").build()];
    assert!(run(&policy, &one_member(), &assets, &[link(0, 0)]).is_empty());
    let unknown = [member("H1", "张三", "532501198001011234", "")];
    assert_eq!(run(&policy, &unknown, &assets, &[link(0, 0)]).len(), 1);
    let kaiyuan = [member("H1", "张三", "532501198001011234", "开远市灵泉街道")];
    assert_eq!(run(&policy, &kaiyuan, &assets, &[link(0, 0)]).len(), 1);
}

#[test]
fn duplicate_rows_merge_and_the_order_is_deterministic() {
    let members = [
        member("H2", "李四", "532501198001011235", GEJIU),
        member("H1", "张三", "532501198001011234", GEJIU),
    ];
    let assets = [
        Rec::vehicle("云G2", "小型轿车")
            .owner("张三")
            .line(7)
            .build(),
        Rec::vehicle("云G1", "小型轿车")
            .owner("张三")
            .line(8)
            .build(),
        Rec::vehicle("云G2", "小型轿车")
            .owner("张三")
            .line(9)
            .build(),
        Rec::vehicle("云G9", "小型轿车")
            .owner("李四")
            .line(10)
            .build(),
    ];
    let links = [link(2, 1), link(3, 0), link(1, 1), review(0, 1)];
    let out = run(&demo_policy(), &members, &assets, &links);
    assert_eq!(
        summary(&out),
        [
            ("H1", "vehicle", 1, 1, CandidateBand::Candidate),
            ("H1", "vehicle", 2, 1, CandidateBand::Candidate),
            ("H2", "vehicle", 3, 0, CandidateBand::Candidate),
        ]
    );
    let merged = out[1]
        .fired_because
        .iter()
        .find(|(k, _)| k == "same_record_rows")
        .unwrap();
    assert_eq!(merged.1, "vehicle.csv:7");
    let mut shuffled = links;
    shuffled.reverse();
    assert_eq!(run(&demo_policy(), &members, &assets, &shuffled), out);
}

#[test]
fn links_out_of_range_are_skipped() {
    let assets = [Rec::vehicle("云G1", "小型轿车").owner("张三").build()];
    let links = [
        link(5, 0),
        link(0, 9),
        LinkRef {
            owner: 3,
            ..link(0, 0)
        },
    ];
    assert_eq!(run(&demo_policy(), &one_member(), &assets, &links).len(), 1);
}

#[test]
fn a_disabled_rule_does_not_fire() {
    let policy = policy_with(
        "[rules.vehicle]\nenabled = false\n[rules.licence]\nentity_types = [\"个体工商户\"]\n",
    );
    let assets = [Rec::vehicle("云G1", "小型轿车").owner("张三").build()];
    assert!(run(&policy, &one_member(), &assets, &[link(0, 0)]).is_empty());
}
