//! What a run hands to people: candidates with evidence trails.
//!
//! The engine builds one [`EvidenceRecord`] per candidate; everything written — CSVs, the
//! JSONL evidence file, the HTML report, the staff worksheet — is a view of those records,
//! so every number in a report traces back to an input row. Masking is applied here, at the
//! last step, so no writer can forget it.

mod changes;
mod mask;
mod model;
mod report;
mod worksheet;
mod write;

pub use changes::{
    Change, ChangeCounts, ChangeKind, PreviousCandidate, changes_since, read_candidates_csv,
    write_changes_csv,
};
pub use mask::{Masker, mask_name};
pub use model::{
    EvidenceRecord, MatchEvidence, MemberEvidence, PolicyRef, RecordEvidence, SourceRef,
    WaterfallStep, candidate_id,
};
pub use report::{ReportChanges, ReportMeta, write_report_html};
pub use worksheet::write_worksheet_xlsx;
pub use write::{EvidenceError, write_candidates_csv, write_evidence_jsonl};
