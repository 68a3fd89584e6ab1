//! The demo world under its policy file, with the generator's true links: the rules must
//! give exactly `truth/expected_candidates.csv`. Matching is taken out of the question (the
//! links are the truth), so any difference is the policy's.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::{demo_dir, read_demo};
use hedui_policy::{CandidateBand, LinkRef, Policy, evaluate};

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn truth(name: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(demo_dir().join("truth").join(name)).unwrap();
    reader.records().map(Result::unwrap).collect()
}

#[test]
fn the_demo_policy_with_true_links_gives_the_expected_candidates() {
    let (members, _) = read_demo("path = \"recipients.csv\"");
    let mut assets = Vec::new();
    for kind in ["vehicle", "licence", "property"] {
        let path = match kind {
            "vehicle" => "vehicles.csv",
            "licence" => "licences.csv",
            _ => "property.xlsx",
        };
        assets.extend(read_demo(&format!("kind = \"{kind}\"\npath = \"{path}\"")).1);
    }
    let rows: BTreeMap<(String, u64), usize> = assets
        .iter()
        .enumerate()
        .map(|(i, a)| ((file_name(&a.provenance.file.path), a.provenance.line), i))
        .collect();
    let people: BTreeMap<(&str, &str), usize> = members
        .iter()
        .enumerate()
        .map(|(i, m)| ((&*m.household_id, m.id.raw()), i))
        .collect();
    let mut links = Vec::new();
    let mut unresolved = 0;
    for r in truth("links.csv") {
        let record = rows.get(&(r[0].to_owned(), r[2].parse().unwrap()));
        match (record, people.get(&(&r[5], &r[6]))) {
            (Some(&record), Some(&member)) => links.push(LinkRef {
                record,
                owner: r[4].parse().unwrap(),
                member,
                review: false,
            }),
            // Malformed rows are rejected by ingest, so their links have nothing to point at.
            _ => unresolved += 1,
        }
    }
    assert!(
        links.len() > 900 && unresolved < 60,
        "{} links, {unresolved} unresolved",
        links.len()
    );

    let policy = Policy::load(&demo_dir().join("policy.toml")).unwrap();
    let check = hedui_synth::DemoPolicy::default().check_date;
    let out = evaluate(&policy, check, &members, &assets, &links);
    let got: BTreeSet<(String, String, String, String)> = out
        .iter()
        .map(|c| {
            assert_eq!(c.band, CandidateBand::Candidate, "{c:?}");
            let member = &members[c.member];
            let key = assets[c.record].record_key.to_string();
            (
                c.household_id.clone(),
                c.rule.as_str().to_owned(),
                key,
                member.id.raw().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        got.len(),
        out.len(),
        "one candidate per (household, rule, record, member)"
    );
    // The asset rules only: the truth's links are the asset departments', and the 关系保
    // rules (department `staff`) are scored end to end by hedui-engine's check_truth.
    let want: BTreeSet<(String, String, String, String)> = truth("expected_candidates.csv")
        .iter()
        .filter(|r| &r[2] != "staff")
        .map(|r| {
            (
                r[0].to_owned(),
                r[1].to_owned(),
                r[3].to_owned(),
                r[4].to_owned(),
            )
        })
        .collect();
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:#?}\nextra {extra:#?}"
    );
}
