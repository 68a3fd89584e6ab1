//! `changes.csv`: a previous run's `candidates.csv`, read back as the writer wrote it, against
//! this run's candidates.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use crate::common;

use hedui_core::CandidateBand;
use hedui_evidence::{
    ChangeCounts, ChangeKind, EvidenceRecord, Masker, PreviousCandidate, changes_among,
    changes_since, read_candidates_csv, write_candidates_csv, write_changes_csv,
};

/// `records` as a previous run would have left them on disk.
fn previous_run(records: &[EvidenceRecord], mask: bool) -> Vec<PreviousCandidate> {
    let mut csv = Vec::new();
    write_candidates_csv(&mut csv, records, Masker { enabled: mask }).unwrap();
    read_candidates_csv(csv.as_slice()).unwrap()
}

#[test]
fn the_same_candidates_are_no_change() {
    let records = common::records();
    let (changes, counts) = changes_since(&previous_run(&records, false), &records);
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(
        counts,
        ChangeCounts {
            unchanged: records.len() as u64,
            ..ChangeCounts::default()
        }
    );
}

#[test]
fn new_dropped_and_band_changes_are_told_apart_and_ordered() {
    let records = common::records();
    let (review, plain): (Vec<_>, Vec<_>) = records
        .iter()
        .partition(|r| r.band == CandidateBand::Review);
    assert!(
        !review.is_empty() && plain.len() >= 2,
        "fixture shape changed"
    );

    // Last night: the first plain candidate was for review, the review one was plain, the
    // second plain one did not exist yet, and a candidate since gone was there.
    let mut before: Vec<EvidenceRecord> = records.clone();
    before.retain(|r| r.candidate_id != plain[1].candidate_id);
    for r in &mut before {
        if r.candidate_id == plain[0].candidate_id {
            r.band = CandidateBand::Review;
        } else if r.candidate_id == review[0].candidate_id {
            r.band = CandidateBand::Candidate;
        }
    }
    let mut gone = plain[0].clone();
    gone.candidate_id = "Cgone00000000".to_owned();
    gone.household_id = "H0-gone".to_owned();
    before.push(gone);

    let (changes, counts) = changes_since(&previous_run(&before, false), &records);
    let got: Vec<(ChangeKind, &str, &str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c.kind,
                c.candidate_id.as_str(),
                c.band_before.map_or("", CandidateBand::as_str),
                c.band_now.map_or("", CandidateBand::as_str),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                ChangeKind::New,
                plain[1].candidate_id.as_str(),
                "",
                "candidate"
            ),
            (
                ChangeKind::ToCandidate,
                plain[0].candidate_id.as_str(),
                "review",
                "candidate"
            ),
            (
                ChangeKind::ToReview,
                review[0].candidate_id.as_str(),
                "candidate",
                "review"
            ),
            (ChangeKind::Dropped, "Cgone00000000", "candidate", ""),
        ]
    );
    assert_eq!(
        counts,
        ChangeCounts {
            new: 1,
            to_candidate: 1,
            to_review: 1,
            dropped: 1,
            resolved: 0,
            unchanged: 0,
        }
    );
    // A dropped candidate is described from the previous run's file.
    let dropped = changes.last().unwrap();
    assert_eq!(dropped.household_id, "H0-gone");
    assert_eq!(dropped.member_id, plain[0].member.id);

    // The same, knowing that household H0-gone left the roster: resolved, not dropped.
    let (changes, counts) = changes_among(&previous_run(&before, false), &records, &|p| {
        p.household_id != "H0-gone"
    });
    assert_eq!((counts.dropped, counts.resolved), (0, 1));
    let resolved = changes.last().unwrap();
    assert_eq!(resolved.kind, ChangeKind::Resolved);
    assert_eq!(resolved.candidate_id, "Cgone00000000");
}

#[test]
fn changes_are_masked_whichever_run_was() {
    let records = common::records();
    let mut before = records.clone();
    let gone = before.remove(0);
    // The previous run was masked; this one is not; the file is asked to be masked.
    let (changes, _) = changes_since(&previous_run(&before, true), &records[1..]);
    let (unmasked_changes, _) = changes_since(&previous_run(&before, false), &records[1..]);
    assert!(changes.is_empty() && unmasked_changes.is_empty());

    let (changes, counts) = changes_since(&previous_run(&records, false), &records[1..]);
    assert_eq!(counts.dropped, 1);
    let mut out = Vec::new();
    write_changes_csv(&mut out, &changes, Masker { enabled: true }).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!common::has_full_id(&text), "{text}");
    assert!(!text.contains(&gone.member.name), "{text}");
    assert!(
        text.starts_with("change,candidate_id,household_id,"),
        "{text}"
    );
    assert!(
        text.contains(&format!("dropped,{},", gone.candidate_id)),
        "{text}"
    );

    let mut out = Vec::new();
    write_changes_csv(&mut out, &changes, Masker { enabled: false }).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains(&gone.member.id), "{text}");
}

#[test]
fn a_file_without_the_band_column_is_an_error_naming_it() {
    let csv = "candidate_id,household_id,rule,department,record_key,member_id,member_name\n\
               C1,H1,vehicle,vehicle,云G12345,532501197506150034,张三\n";
    let err = read_candidates_csv(csv.as_bytes()).unwrap_err().to_string();
    assert!(err.contains("band"), "{err}");
}

#[test]
fn a_file_not_as_hedui_wrote_it_is_refused_naming_the_line() {
    let header =
        "candidate_id,household_id,rule,department,record_key,member_id,member_name,band\n";
    let row = |id: &str, band: &str| {
        format!("{id},H1,vehicle,vehicle,云G12345,532501197506150034,张三,{band}\n")
    };
    for (rows, expected) in [
        (row("", "candidate"), "line 2: candidate_id is empty"),
        (row("C1", "已核实"), "line 2: band is \"已核实\""),
        (
            row("C1", "candidate") + &row("C2", "review") + &row("C1", "review"),
            "line 4: candidate_id C1 is also on line 2",
        ),
    ] {
        let text = format!("{header}{rows}");
        let err = read_candidates_csv(text.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{err}");
    }
    let fine = format!("{header}{}", row("C1", "review"));
    assert_eq!(read_candidates_csv(fine.as_bytes()).unwrap().len(), 1);
}
