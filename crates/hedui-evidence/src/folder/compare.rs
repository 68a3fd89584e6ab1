//! This run against the previous one.

use std::collections::HashSet;

use crate::{Change, EvidenceRecord, PreviousCandidate, changes_among};

use super::baseline::{Baseline, ChangesSummary};

/// This run against the previous one, for `changes.csv`, the manifest and the report.
#[derive(Clone, Copy)]
pub(crate) struct Compared<'a> {
    pub changes: &'a [Change],
    pub summary: &'a ChangesSummary,
}

/// The changes since `baseline` (every candidate is new without one), and their summary.
pub(crate) fn compare(
    evidence: &[EvidenceRecord],
    baseline: Option<&Baseline>,
    present: &Presence,
) -> (Vec<Change>, ChangesSummary) {
    let since = baseline.map(|b| b.dir.display().to_string());
    if let Some(problem) = baseline.and_then(|b| b.problem.clone()) {
        let summary = ChangesSummary {
            since,
            not_compared: Some(problem),
            ..ChangesSummary::default()
        };
        return (Vec::new(), summary);
    }
    let previous = baseline.map_or(&[][..], |b| &b.candidates);
    let (changes, counts) = changes_among(previous, evidence, &|p| present.still_there(p));
    let summary = ChangesSummary {
        since,
        previous: baseline.map(|b| b.facts.clone()).unwrap_or_default(),
        counts,
        not_compared: None,
    };
    (changes, summary)
}

/// What this run's inputs still hold: households on the roster and department records, so a
/// previous candidate that is gone can be told `resolved` (nothing left to check) from
/// `dropped` (still there, no longer firing).
#[derive(Debug, Clone, Default)]
pub struct Presence {
    pub households: HashSet<String>,
    /// `(department, record key)`.
    pub records: HashSet<(String, String)>,
}

impl Presence {
    fn still_there(&self, p: &PreviousCandidate) -> bool {
        self.households.contains(&p.household_id)
            && self
                .records
                .contains(&(p.department.clone(), p.record_key.clone()))
    }
}
