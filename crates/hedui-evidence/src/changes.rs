//! What changed since a previous run: the nightly job's question.
//!
//! A candidate is the same candidate in two runs when its `candidate_id` is the same: the id
//! hashes household, rule, department, record key and member, and nothing that changes
//! from one night's export to the next (file, row, hash, score). So a car that is still
//! registered tomorrow is not "new" because the export was re-sorted, and a review
//! decision recorded against an id still finds its case.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use hedui_core::CandidateBand;
use serde::de::IntoDeserializer;
use serde::{Deserialize, Serialize};

use crate::mask::Masker;
use crate::model::EvidenceRecord;
use crate::write::EvidenceError;

/// One row of a previous run's `candidates.csv`, as much of it as a comparison needs.
/// Columns are found by name, so a file with more or reordered columns still reads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PreviousCandidate {
    pub candidate_id: String,
    pub household_id: String,
    pub rule: String,
    pub department: String,
    pub record_key: String,
    pub member_id: String,
    pub member_name: String,
    pub band: CandidateBand,
}

/// A row of a previous `candidates.csv` as written, before its band is checked.
#[derive(Deserialize)]
struct PreviousRow {
    candidate_id: String,
    household_id: String,
    rule: String,
    department: String,
    record_key: String,
    member_id: String,
    member_name: String,
    band: String,
}

/// How a candidate differs from the previous run. Unchanged candidates are not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Not in the previous run.
    New,
    /// Was for review, is now a plain candidate.
    ToCandidate,
    /// Was a plain candidate, is now only for review.
    ToReview,
    /// In the previous run, not in this one, while its household and record are still in
    /// this run's inputs: the asset ended, the member left, the match weakened or the policy
    /// changed.
    Dropped,
    /// In the previous run, and its household is gone from the roster or its record from
    /// the exports: nothing is left to check.
    Resolved,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::ToCandidate => "to_candidate",
            Self::ToReview => "to_review",
            Self::Dropped => "dropped",
            Self::Resolved => "resolved",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::New => "新增",
            Self::ToCandidate => "待复核转为线索",
            Self::ToReview => "线索转为待复核",
            Self::Dropped => "不再出现",
            Self::Resolved => "已消除（户或记录已不在）",
        }
    }
}

/// One changed candidate. `band_before` is empty for a new one, `band_now` for a dropped one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    pub candidate_id: String,
    pub household_id: String,
    pub rule: String,
    pub department: String,
    pub record_key: String,
    pub member_id: String,
    pub member_name: String,
    pub band_before: Option<CandidateBand>,
    pub band_now: Option<CandidateBand>,
}

/// How many candidates changed in each way, and how many stayed as they were.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ChangeCounts {
    pub new: u64,
    pub to_candidate: u64,
    pub to_review: u64,
    pub dropped: u64,
    /// Gone with their household or record.
    pub resolved: u64,
    pub unchanged: u64,
}

/// Reads a previous run's `candidates.csv`, refusing one that is no longer as hedui wrote
/// it (an empty id, a band it never writes, an id twice): compared with such a file, the
/// change counts a nightly job reports would be wrong without anyone noticing.
pub fn read_candidates_csv(input: impl Read) -> Result<Vec<PreviousCandidate>, EvidenceError> {
    let mut reader = csv::Reader::from_reader(input);
    let rows = reader
        .deserialize()
        .collect::<Result<Vec<PreviousRow>, csv::Error>>()?;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        // Line 1 is the header.
        let line = i + 2;
        let not_as_written = |problem: String| {
            EvidenceError::NotAsWritten(format!(
                "line {line}: {problem}; the file is not as hedui wrote it"
            ))
        };
        if row.candidate_id.trim().is_empty() {
            return Err(not_as_written("candidate_id is empty".to_owned()));
        }
        let band = CandidateBand::deserialize(row.band.as_str().into_deserializer()).map_err(
            |e: serde::de::value::Error| not_as_written(format!("band is {:?}: {e}", row.band)),
        )?;
        if let Some(first) = seen.insert(row.candidate_id.clone(), line) {
            return Err(not_as_written(format!(
                "candidate_id {} is also on line {first}",
                row.candidate_id
            )));
        }
        out.push(PreviousCandidate {
            candidate_id: row.candidate_id,
            household_id: row.household_id,
            rule: row.rule,
            department: row.department,
            record_key: row.record_key,
            member_id: row.member_id,
            member_name: row.member_name,
            band,
        });
    }
    Ok(out)
}

/// The changes from `previous` to `current`, ordered by kind, household, rule, record and id,
/// and the counts of each kind.
pub fn changes_since(
    previous: &[PreviousCandidate],
    current: &[EvidenceRecord],
) -> (Vec<Change>, ChangeCounts) {
    changes_among(previous, current, &|_| true)
}

/// [`changes_since`], telling a candidate whose household or record is gone from this run's
/// inputs (`still_there` is false: `resolved`) from one that merely stopped firing
/// (`dropped`).
pub fn changes_among(
    previous: &[PreviousCandidate],
    current: &[EvidenceRecord],
    still_there: &dyn Fn(&PreviousCandidate) -> bool,
) -> (Vec<Change>, ChangeCounts) {
    let mut before: BTreeMap<&str, &PreviousCandidate> = previous
        .iter()
        .map(|p| (p.candidate_id.as_str(), p))
        .collect();
    let mut counts = ChangeCounts::default();
    let mut changes = Vec::new();
    for r in current {
        let (kind, band_before) = match before.remove(r.candidate_id.as_str()) {
            None => (ChangeKind::New, None),
            Some(p) if p.band == r.band => {
                counts.unchanged += 1;
                continue;
            }
            Some(p) if r.band == CandidateBand::Candidate => {
                (ChangeKind::ToCandidate, Some(p.band))
            }
            Some(p) => (ChangeKind::ToReview, Some(p.band)),
        };
        changes.push(Change {
            kind,
            candidate_id: r.candidate_id.clone(),
            household_id: r.household_id.clone(),
            rule: r.rule.clone(),
            department: r.record.department.clone(),
            record_key: r.record.record_key.clone(),
            member_id: r.member.id.clone(),
            member_name: r.member.name.clone(),
            band_before,
            band_now: Some(r.band),
        });
    }
    changes.extend(before.into_values().map(|p| Change {
        kind: if still_there(p) {
            ChangeKind::Dropped
        } else {
            ChangeKind::Resolved
        },
        candidate_id: p.candidate_id.clone(),
        household_id: p.household_id.clone(),
        rule: p.rule.clone(),
        department: p.department.clone(),
        record_key: p.record_key.clone(),
        member_id: p.member_id.clone(),
        member_name: p.member_name.clone(),
        band_before: Some(p.band),
        band_now: None,
    }));
    changes.sort_by(|a, b| {
        (
            a.kind,
            &a.household_id,
            &a.rule,
            &a.record_key,
            &a.candidate_id,
        )
            .cmp(&(
                b.kind,
                &b.household_id,
                &b.rule,
                &b.record_key,
                &b.candidate_id,
            ))
    });
    for c in &changes {
        *match c.kind {
            ChangeKind::New => &mut counts.new,
            ChangeKind::ToCandidate => &mut counts.to_candidate,
            ChangeKind::ToReview => &mut counts.to_review,
            ChangeKind::Dropped => &mut counts.dropped,
            ChangeKind::Resolved => &mut counts.resolved,
        } += 1;
    }
    (changes, counts)
}

/// `changes.csv`: one row per changed candidate. A dropped candidate's member comes from the
/// previous run's file, masked if that run was.
pub fn write_changes_csv(
    out: &mut dyn Write,
    changes: &[Change],
    mask: Masker,
) -> Result<(), EvidenceError> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "change",
        "candidate_id",
        "household_id",
        "rule",
        "department",
        "record_key",
        "member_id",
        "member_name",
        "band_before",
        "band_now",
    ])?;
    for c in changes {
        w.write_record([
            c.kind.as_str(),
            &c.candidate_id,
            &c.household_id,
            &c.rule,
            &c.department,
            &mask.record_key(&c.department, &c.record_key),
            &mask.id(&c.member_id),
            &mask.name(&c.member_name),
            c.band_before.map_or("", CandidateBand::as_str),
            c.band_now.map_or("", CandidateBand::as_str),
        ])?;
    }
    w.flush()?;
    Ok(())
}
