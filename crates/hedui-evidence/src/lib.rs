//! Everything a run writes, and the readers of a finished run: candidates with evidence
//! trails, and (in [`folder`]) links, rejects, the manifest, the folder swap and the
//! previous run a check is compared with.
//!
//! The engine builds one [`EvidenceRecord`] per candidate; everything written — CSVs, the
//! JSONL evidence file, the HTML report, the staff worksheet — is a view of those records,
//! so every number in a report traces back to an input row. Masking is applied here, at the
//! last step, so no writer can forget it.

mod changes;
pub mod folder;
mod mask;
mod model;
mod relatives;
mod report;
mod worksheet;
mod write;

pub use changes::{
    Change, ChangeCounts, ChangeKind, PreviousCandidate, changes_among, changes_since,
    read_candidates_csv, write_changes_csv,
};
pub use mask::{Masker, mask_name};
pub use model::{
    CaseState, DecisionEntry, EvidenceRecord, KinEvidence, MatchEvidence, MemberEvidence,
    PolicyRef, RecordEvidence, SourceRef, WaterfallStep, candidate_id,
};
pub use relatives::{
    DeclaredRelative, RegisterFinding, RelativesChapter, write_register_stale_csv,
};
pub use report::{
    PAGE_LIMIT, ReportChanges, ReportInput, ReportMeta, ReportScores, ReportSite,
    write_report_folder, write_report_html,
};
pub use worksheet::{write_county_worksheets, write_worksheet_xlsx};
pub use write::{EvidenceError, write_candidates_csv, write_evidence_jsonl};
