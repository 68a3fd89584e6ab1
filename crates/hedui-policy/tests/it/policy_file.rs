//! Reading policy files: strictness, error messages, the content hash, and the demo policy.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use crate::common;

use std::path::Path;

use hedui_policy::{NameMatch, Policy, PolicyError, StateMeaning};

const HEAD: &str = "name = \"测试政策\"\nversion = \"t1\"\neffective_from = \"2026-01-01\"\n\
                    inactive_statuses = [\"注销\"]\n";

fn parse(text: &str) -> Result<Policy, PolicyError> {
    Policy::from_toml(text, "county.toml")
}

fn error(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

#[test]
fn unknown_keys_are_named_with_the_file_and_table() {
    let e = error(&format!("{HEAD}inactve = 1\n[rules.vehicle]\n"));
    assert!(e.contains("inactve") && e.contains("county.toml"), "{e}");
    let e = error(&format!("{HEAD}[rules.vehicle]\nexempt_types = []\n"));
    assert!(
        e.contains("exempt_types") && e.contains("[rules.vehicle]"),
        "{e}"
    );
    let e = error(&format!("{HEAD}[rules.vehicles]\n"));
    assert!(e.contains("vehicles"), "{e}");
    let e = error(&format!(
        "{HEAD}[rules.vehicle]\nexempt_vehicle_types = [{{ regex = \"x\" }}]\n"
    ));
    assert!(e.contains("regex"), "{e}");
    let e = error(&format!(
        "{HEAD}[rules.property_multi_residential]\nresidential_uses = [\"住宅\"]\nmax_homes = 1\nmax_home = 2\n"
    ));
    assert!(e.contains("max_home") && e.contains(":8:1:"), "{e}");
}

#[test]
fn wrong_values_name_their_key() {
    let cases = [
        (
            "inactive_statuses = [\"注销\", \" \"]",
            "inactive_statuses[1]",
        ),
        ("counties = [\"532501\", \"999999\"]", "counties[1]"),
        (
            "[rules.vehicle]\nexempt_vehicle_types = [{ pattern = \"**\" }]",
            "exempt_vehicle_types[0]",
        ),
        (
            "[rules.licence]\nentity_types = []",
            "rules.licence.entity_types",
        ),
        (
            "[rules.licence]\nentity_types = [\"个体工商户\"]\nmin_registered_capital = -1",
            "min_registered_capital",
        ),
        (
            "[rules.property_commercial]\ncommercial_uses = [\"商业\", \"住宅\"]\n\
             [rules.property_multi_residential]\nresidential_uses = [\"住宅\"]\nmax_homes = 1",
            "residential_uses[0]",
        ),
        (
            "[rules.property_multi_residential]\nresidential_uses = [\"住宅\"]\nmax_homes = -1",
            "max_homes",
        ),
        ("[rules.vehicle]\nenabled = false", "rules"),
    ];
    for (body, key) in cases {
        let head = HEAD.replace("inactive_statuses = [\"注销\"]\n", "");
        let text = if body.starts_with("inactive_statuses") {
            format!("{head}{body}\n[rules.vehicle]\n")
        } else {
            format!("{HEAD}{body}\n")
        };
        let e = error(&text);
        assert!(e.contains(key) && e.contains("county.toml"), "{key}: {e}");
    }
    let e = error(&HEAD.replace("\"2026-01-01\"", "\"2026-13-01\""));
    assert!(e.contains("effective_from"), "{e}");
}

#[test]
fn the_old_word_list_still_works_and_is_deprecated() {
    let policy = parse(&format!("{HEAD}[rules.vehicle]\n")).unwrap();
    let vehicle = policy.status.vehicle.as_ref().unwrap();
    assert_eq!(vehicle.read("已注销")[0].meaning, StateMeaning::Inactive);
    assert!(
        policy
            .warnings
            .iter()
            .any(|w| w.contains("`inactive_statuses` is deprecated")
                && w.contains("contains it")
                && w.contains("[status.vehicle]")),
        "{:?}",
        policy.warnings
    );
}

#[test]
fn each_department_with_an_enabled_rule_needs_its_statuses() {
    let head = HEAD.replace("inactive_statuses = [\"注销\"]\n", "");
    let e = error(&format!(
        "{head}[status.vehicle]\ninactive = [{{ exact = \"注销\" }}]\n\
         [rules.vehicle]\n[rules.licence]\nentity_types = [\"个体工商户\"]\n"
    ));
    assert!(
        e.contains("status.licence") && e.contains("county.toml"),
        "{e}"
    );
    let policy = parse(&format!(
        "{head}[status.vehicle]\ninactive = [{{ pattern = \"报废\" }}]\n[rules.vehicle]\n"
    ))
    .unwrap();
    assert!(policy.status.licence.is_none());
    assert!(
        policy
            .warnings
            .iter()
            .any(|w| w.contains("pattern 报废 also ends 达到报废标准")),
        "{:?}",
        policy.warnings
    );
}

#[test]
fn missing_required_keys_are_named() {
    let e =
        error("name = \"x\"\nversion = \"1\"\ninactive_statuses = [\"注销\"]\n[rules.vehicle]\n");
    assert!(e.contains("effective_from"), "{e}");
}

#[test]
fn exempt_types_are_exact_or_pattern() {
    let policy = parse(&format!(
        "{HEAD}[rules.vehicle]\nexempt_vehicle_types = [{{ exact = \"三轮汽车\" }}, {{ pattern = \"拖拉机\" }}]\n"
    ))
    .unwrap();
    let rule = policy.rules.vehicle.unwrap();
    assert_eq!(
        rule.exempt_vehicle_types[0],
        NameMatch::Exact("三轮汽车".into())
    );
    assert_eq!(
        rule.exemption("手扶拖拉机"),
        Some(&NameMatch::Pattern("拖拉机".into()))
    );
    assert!(rule.enabled);
}

#[test]
fn the_hash_is_of_the_file_bytes_and_changes_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.toml");
    let text = format!("{HEAD}[rules.vehicle]\n");
    std::fs::write(&path, &text).unwrap();
    let first = Policy::load(&path).unwrap();
    assert_eq!(first.sha256.len(), 64);
    assert!(
        first
            .sha256
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    assert_eq!(first.sha256, parse(&text).unwrap().sha256);
    // A comment changes no rule but is still a different file.
    std::fs::write(&path, format!("# 2026 revision\n{text}")).unwrap();
    let second = Policy::load(&path).unwrap();
    assert_ne!(first.sha256, second.sha256);
    assert_eq!(first.rules, second.rules);
    let e = Policy::load(&dir.path().join("absent.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("absent.toml"), "{e}");
}

#[test]
fn dates_may_be_toml_dates_and_a_byte_order_mark_is_tolerated() {
    let text = format!(
        "\u{feff}{}[rules.vehicle]\n",
        HEAD.replace("\"2026-01-01\"", "2026-01-01")
    );
    let policy = parse(&text).unwrap();
    assert_eq!(policy.effective_from, common::date("2026-01-01"));
    assert!(policy.check_in_force(common::date("2026-06-30")).is_ok());
    let e = policy
        .check_in_force(common::date("2025-12-31"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("2026-01-01"), "{e}");
}

#[test]
fn former_county_codes_map_to_current_ones() {
    // 蒙自 was 532522 before it became 532503.
    let policy = parse(&format!("{HEAD}counties = [\"532522\"]\n[rules.vehicle]\n")).unwrap();
    assert_eq!(policy.counties, ["532503"]);
}

#[test]
fn counties_anywhere_in_the_province_are_accepted() {
    // 呈贡 (Kunming) was 530121 before it became 530114.
    let policy = parse(&format!(
        "{HEAD}counties = [\"530102\", \"530121\"]\n[rules.vehicle]\n"
    ))
    .unwrap();
    assert_eq!(policy.counties, ["530102", "530114"]);
    let e = parse(&format!("{HEAD}counties = [\"510104\"]\n[rules.vehicle]\n")).unwrap_err();
    assert!(
        e.to_string().contains("not the code of a Yunnan county"),
        "{e}"
    );
}

#[test]
fn the_demo_policy_is_the_generators_demo_policy() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/policy.toml");
    let policy = Policy::load(&path).unwrap();
    let demo = hedui_synth::DemoPolicy::default();
    let honghe = hedui_core::area::Prefecture::from_code(hedui_core::area::HONGHE_CODE).unwrap();
    let codes: Vec<&str> = honghe.counties().iter().map(|c| c.code).collect();
    assert_eq!(policy.counties, codes);
    // The generator judges every department with one exact list; each department's table
    // must read the words it writes the same way, and 达到报废标准 stays active.
    let vehicle = policy.status.vehicle.as_ref().unwrap();
    for word in demo.inactive_statuses {
        let department = match *word {
            "吊销" => policy.status.licence.as_ref().unwrap(),
            _ => vehicle,
        };
        let meaning: Vec<StateMeaning> = department.read(word).iter().map(|s| s.meaning).collect();
        assert_eq!(meaning, [StateMeaning::Inactive], "{word}");
    }
    for department in [&policy.status.licence, &policy.status.property] {
        let states = department.as_ref().unwrap().read("注销");
        assert_eq!(states[0].meaning, StateMeaning::Inactive);
    }
    assert_eq!(
        vehicle.read("达到报废标准")[0].meaning,
        StateMeaning::Active
    );
    assert!(policy.warnings.is_empty(), "{:?}", policy.warnings);
    let vehicle = policy.rules.vehicle.as_ref().unwrap();
    let exempt: Vec<NameMatch> = demo
        .exempt_vehicle_types
        .iter()
        .map(|t| NameMatch::Exact((*t).to_owned()))
        .collect();
    assert_eq!(vehicle.exempt_vehicle_types, exempt);
    let licence = policy.rules.licence.as_ref().unwrap();
    assert_eq!(licence.entity_types, demo.licence_types);
    assert_eq!(licence.min_registered_capital, None);
    let commercial = policy.rules.property_commercial.as_ref().unwrap();
    assert_eq!(commercial.commercial_uses, demo.commercial_uses);
    let homes = policy.rules.property_multi_residential.as_ref().unwrap();
    assert_eq!(homes.residential_uses, [demo.residential_use]);
    assert_eq!(homes.max_homes, 1);
    assert_eq!(homes.max_floor_area_per_capita, None);
    assert!(policy.check_in_force(demo.check_date).is_ok());
}
