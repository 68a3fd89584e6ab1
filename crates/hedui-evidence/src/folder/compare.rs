//! This run against the previous one.

use crate::{Change, EvidenceRecord, changes_since};

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
    let (changes, counts) = changes_since(previous, evidence);
    let summary = ChangesSummary {
        since,
        previous: baseline.map(|b| b.facts.clone()).unwrap_or_default(),
        counts,
        not_compared: None,
    };
    (changes, summary)
}
