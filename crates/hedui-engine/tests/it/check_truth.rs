//! `check` on the committed demo world, scored against the generator's truth
//! (`fixtures/demo/truth/expected_candidates.csv`): no false plain candidates at all, and
//! nearly all true ones found. Review-band candidates are not scored here: they are
//! uncertain by design and a person looks at each.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use std::collections::BTreeSet;
use std::path::Path;

use hedui_engine::RunConfig;
use hedui_engine::check::check;

/// `(household_id, rule, department, record_key)`.
type Key = (String, String, String, String);

#[test]
fn plain_candidates_match_the_truth() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo");
    let run = check(&RunConfig::load(&demo.join("hedui.toml")).unwrap()).unwrap();

    // The truth has one row per holding member; `department` is the export's name.
    let mut truth: BTreeSet<Key> = BTreeSet::new();
    let mut truth_members: BTreeSet<(Key, String)> = BTreeSet::new();
    let mut reader = csv::Reader::from_path(demo.join("truth/expected_candidates.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "household_id",
            "rule",
            "department",
            "record_key",
            "member_id"
        ]
    );
    for row in reader.records() {
        let row = row.unwrap();
        let department = match &row[2] {
            "vehicles" => "vehicle",
            "licences" => "licence",
            "property" => "property",
            // The 关系保 rules: keyed by the staff member's identity number.
            "staff" => "staff",
            other => panic!("unknown department {other:?} in the truth"),
        };
        let key = (
            row[0].to_owned(),
            row[1].to_owned(),
            department.to_owned(),
            row[3].to_ascii_uppercase(),
        );
        truth.insert(key.clone());
        truth_members.insert((key, row[4].to_owned()));
    }
    assert!(!truth.is_empty());

    let plain: Vec<_> = run
        .evidence
        .iter()
        .filter(|e| e.band == hedui_core::CandidateBand::Candidate)
        .collect();
    let key = |e: &hedui_evidence::EvidenceRecord| -> Key {
        (
            e.household_id.clone(),
            e.rule.clone(),
            e.record.department.clone(),
            e.record.record_key.to_ascii_uppercase(),
        )
    };
    let found: BTreeSet<Key> = plain.iter().map(|e| key(e)).collect();
    let correct = found.intersection(&truth).count();
    let precision = correct as f64 / found.len().max(1) as f64;
    let recall = correct as f64 / truth.len() as f64;
    println!(
        "demo plain candidates: {} found, {} true, {correct} correct; \
         precision {precision:.3}, recall {recall:.3}",
        found.len(),
        truth.len()
    );

    // A false plain candidate is shown with its whole evidence line: that is what a case
    // worker would have been sent to a family with.
    let false_lines: Vec<String> = plain
        .iter()
        .filter(|e| !truth.contains(&key(e)))
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    assert!(
        false_lines.is_empty() && precision == 1.0,
        "false plain candidates:\n{}",
        false_lines.join("\n")
    );
    let missed: Vec<&Key> = truth.difference(&found).collect();
    assert!(recall >= 0.9, "recall {recall:.3}; missed {missed:#?}");

    // And the member it names holds the asset (the truth lists every holding member).
    for e in &plain {
        assert!(
            truth_members.contains(&(key(e), e.member.id.clone())),
            "candidate {} names member {} ({}), who does not hold {}",
            e.candidate_id,
            e.member.name,
            e.member.relation,
            e.record.record_key
        );
    }
}
