//! The evidence record: everything an auditor needs about one candidate, in one object.
//! One JSON line per candidate in `evidence.jsonl`; the report and worksheet are views of it.

use hedui_core::{CandidateBand, CaseStatus, Decision, LinkBand};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Which policy produced a candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PolicyRef {
    pub name: String,
    pub version: String,
    pub sha256: String,
}

/// Where a row is: enough to open the file and find it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    pub source: String,
    pub file: String,
    pub sha256: String,
    pub sheet: Option<String>,
    pub line: u64,
}

/// The household member the candidate is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberEvidence {
    pub name: String,
    pub id: String,
    pub relation: String,
    pub county: String,
    pub address: String,
    pub source: SourceRef,
}

/// The department record that triggered the candidate, as found and as understood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordEvidence {
    pub department: String,
    pub department_zh: String,
    pub record_key: String,
    pub source: SourceRef,
    /// `(header, value)` exactly as in the file.
    pub raw: Vec<(String, String)>,
    /// Headers of `raw` that hold personal names, so masking can find them.
    pub name_headers: Vec<String>,
    /// What hedui read from the row: normalised owner name and number, dates, statuses.
    pub normalised: Vec<(String, String)>,
    /// Which owner on the row (co-owner cells name several).
    pub owner_position: usize,
    pub warnings: Vec<String>,
}

/// One term of the match explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaterfallStep {
    pub field: String,
    pub level: String,
    pub weight: f64,
    pub m: Option<f64>,
    pub u: Option<f64>,
    pub term_frequency: Option<f64>,
}

/// Why hedui believes the record's owner is the member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchEvidence {
    pub band: LinkBand,
    /// Match weight in bits: `prior + Σ steps`.
    pub score: f64,
    pub probability: f64,
    pub prior: f64,
    pub steps: Vec<WaterfallStep>,
    pub blocking_rules: Vec<String>,
    pub note: Option<String>,
}

/// One candidate with its full trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRecord {
    /// Stable across runs on the same inputs: a hash of household, rule, record and member.
    pub candidate_id: String,
    pub household_id: String,
    pub rule: String,
    /// The rule's Chinese name (`车辆`), for what a person reads; the CSV keeps the id.
    #[serde(default)]
    pub rule_zh: String,
    /// `Review` when the link or the rule is uncertain.
    pub band: CandidateBand,
    pub policy: PolicyRef,
    pub check_date: String,
    pub member: MemberEvidence,
    pub record: RecordEvidence,
    #[serde(rename = "match")]
    pub matching: MatchEvidence,
    /// The values that made the rule fire.
    pub fired_because: Vec<(String, String)>,
    /// One sentence for the report, in Simplified Chinese.
    pub reason_zh: String,
    /// The case's standing in the review loop, when the run keeps a case store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseState>,
    /// For the 关系保 rules: the staff member and how the member is related.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kin: Option<KinEvidence>,
}

/// The staff member behind a 关系保 candidate, and the kinship: who, on what evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KinEvidence {
    pub staff_name: String,
    pub staff_id: String,
    pub position: String,
    pub unit: String,
    /// The township and village served.
    pub serves: String,
    /// Post, area and term in one sentence.
    pub term: String,
    /// The staff roster row.
    pub staff_source: SourceRef,
    /// `strong`, `medium` or `weak`; `None` for the member themself or a declared relative.
    pub evidence: Option<String>,
    pub relation_zh: String,
    /// Where the kinship was seen.
    pub via: String,
    pub declared: bool,
    /// The row that ties the member to the staff member (a registration row, a shared
    /// title, a register row), as it was; the match shown is its link to the member.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_source: Option<SourceRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_raw: Vec<(String, String)>,
}

/// Where a case stands: its status in this run and every decision made on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseState {
    pub status: CaseStatus,
    /// The hash of this run's evidence ([`EvidenceRecord::evidence_hash`]).
    pub evidence_hash: String,
    /// Oldest first.
    pub history: Vec<DecisionEntry>,
}

/// One reviewer's decision on a case, as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionEntry {
    pub decision: Decision,
    pub reviewer: String,
    pub decided_at: String,
    pub reason: String,
    /// Made on the evidence of this run, not an earlier version of it.
    pub on_this_evidence: bool,
}

impl EvidenceRecord {
    /// What a decision is made on: the source row's cells, the match (its band and what each
    /// field's comparison found) and the values that made the rule fire. Where the row was
    /// (file, line), when the run was, and the match's weights are not part of it: the
    /// weights are re-estimated from every night's data, and a decision must not lapse
    /// because other rows arrived.
    pub fn evidence_hash(&self) -> String {
        #[derive(Serialize)]
        struct Decided<'a> {
            rule: &'a str,
            band: CandidateBand,
            raw: &'a [(String, String)],
            matching: (&'a LinkBand, Vec<(&'a str, &'a str)>),
            fired_because: &'a [(String, String)],
        }
        // Fired-because values that only locate the row are left out with it.
        let fired: Vec<(String, String)> = self
            .fired_because
            .iter()
            .filter(|(label, _)| label != "same_record_rows")
            .cloned()
            .collect();
        let decided = Decided {
            rule: &self.rule,
            band: self.band,
            raw: &self.record.raw,
            matching: (
                &self.matching.band,
                self.matching
                    .steps
                    .iter()
                    .map(|s| (s.field.as_str(), s.level.as_str()))
                    .collect(),
            ),
            fired_because: &fired,
        };
        let json = serde_json::to_vec(&decided).unwrap_or_default();
        let digest = Sha256::digest(&json);
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

/// A short stable identifier for a candidate, so review decisions recorded against it
/// survive the next run.
pub fn candidate_id(
    household_id: &str,
    rule: &str,
    department: &str,
    record_key: &str,
    member_id: &str,
) -> String {
    let mut h = Sha256::new();
    for part in [household_id, rule, department, record_key, member_id] {
        h.update(part.as_bytes());
        h.update([0x1f]);
    }
    let digest = h.finalize();
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("C{hex}")
}
