//! `kin::needed_records` on the demo world: leaving out the registration rows it marks
//! unneeded must not change a single candidate of any rule, 关系保 included.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{demo_dir, read_demo};
use hedui_core::{AssetDetail, AssetRecord, Department, Member};
use hedui_policy::{LinkRef, Policy, evaluate, kin::needed_records};

/// Links by valid identity number alone: enough to drive every rule, and independent of
/// the matcher so the comparison below is the pruning's alone.
fn id_links(members: &[Member], assets: &[AssetRecord]) -> Vec<LinkRef> {
    let mut by_id: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, m) in members.iter().enumerate() {
        if let Some(id) = m.id.valid() {
            by_id.entry(id.as_str()).or_default().push(i);
        }
    }
    let mut links = Vec::new();
    for (record, a) in assets.iter().enumerate() {
        for (owner, o) in a.owners.iter().enumerate() {
            let Some(id) = o.id.valid() else { continue };
            for &member in by_id.get(id.as_str()).into_iter().flatten() {
                links.push(LinkRef {
                    record,
                    owner,
                    member,
                    review: false,
                });
            }
        }
    }
    links
}

/// (household, rule, file, line, member, band and reason, the 关系保 evidence row's file).
type Found = BTreeSet<(String, String, String, u64, String, String, String)>;

fn found(policy: &Policy, members: &[Member], assets: &[AssetRecord]) -> Found {
    let check = hedui_synth::DemoPolicy::default().check_date;
    let links = id_links(members, assets);
    evaluate(policy, check, members, assets, &links)
        .iter()
        .map(|c| {
            let a = &assets[c.record];
            (
                c.household_id.clone(),
                c.rule.as_str().to_owned(),
                a.provenance.file.path.to_string(),
                a.provenance.line,
                members[c.member].id.raw().to_owned(),
                format!("{:?} {}", c.band, c.reason_zh),
                c.kin
                    .as_ref()
                    .and_then(|k| k.evidence_record)
                    .map(|r| assets[r].provenance.file.path.to_string())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn leaving_out_unneeded_registration_rows_changes_no_candidate() {
    let (members, _) = read_demo("path = \"recipients.csv\"");
    let mut assets = Vec::new();
    for (kind, path) in [
        ("vehicle", "vehicles.csv"),
        ("licence", "licences.csv"),
        ("property", "property.xlsx"),
        ("staff", "staff.csv"),
        ("relatives_register", "relatives_register.csv"),
        ("hukou", "hukou.csv"),
    ] {
        assets.extend(read_demo(&format!("kind = \"{kind}\"\npath = \"{path}\"")).1);
    }
    let needed = needed_records(&assets);
    assert_eq!(needed.len(), assets.len());

    // Only registration rows are ever left out, and on the demo most of them are.
    let mut kept_hukou = 0;
    let mut dropped_hukou = 0;
    for (a, &keep) in assets.iter().zip(&needed) {
        match (a.department(), keep) {
            (Department::Hukou, true) => kept_hukou += 1,
            (Department::Hukou, false) => dropped_hukou += 1,
            (department, keep) => assert!(keep, "a {department:?} row was left out"),
        }
    }
    assert!(
        kept_hukou > 0 && dropped_hukou > kept_hukou,
        "kept {kept_hukou}, dropped {dropped_hukou}"
    );
    // A kept row shares its 户号 with a staff member; worked out here without the module.
    let staff: BTreeSet<&str> = assets
        .iter()
        .filter(|a| a.department() == Department::Staff)
        .filter_map(|a| a.owners.first()?.id.valid().map(|id| id.as_str()))
        .collect();
    let hukou_no = |a: &AssetRecord| match &a.detail {
        AssetDetail::Hukou { hukou_no, .. } => hukou_no.to_string(),
        _ => String::new(),
    };
    let staff_households: BTreeSet<String> = assets
        .iter()
        .filter(|a| a.department() == Department::Hukou)
        .filter(|a| {
            a.owners
                .first()
                .and_then(|o| o.id.valid())
                .is_some_and(|id| staff.contains(id.as_str()))
        })
        .map(hukou_no)
        .collect();
    for (a, &keep) in assets.iter().zip(&needed) {
        if a.department() == Department::Hukou {
            assert_eq!(
                keep,
                staff_households.contains(&hukou_no(a)),
                "line {}",
                a.provenance.line
            );
        }
    }

    let policy = Policy::load(&demo_dir().join("policy.toml")).unwrap();
    let all = found(&policy, &members, &assets);
    let mut flags = needed.iter();
    let pruned: Vec<AssetRecord> = assets
        .iter()
        .filter(|_| *flags.next().unwrap())
        .cloned()
        .collect();
    let some = found(&policy, &members, &pruned);
    assert!(
        all.iter()
            .any(|c| c.1 == "undeclared_relative" && c.6.ends_with("hukou.csv")),
        "the demo's registration households show an undeclared relative"
    );
    assert_eq!(all, some);
}
