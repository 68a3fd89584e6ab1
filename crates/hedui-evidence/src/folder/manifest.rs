//! `manifest.json`: what was run, on what, with which parameters, and what came out.

use serde::Serialize;

use super::baseline::ChangesSummary;

/// `manifest.json`: what was run, on what, with which parameters, and what came out.
#[derive(Debug, Serialize)]
pub struct Manifest<'a, C: Serialize> {
    pub engine: &'static str,
    pub engine_version: &'static str,
    /// Derived from the inputs, policy, check date and settings: the same run gets the same id.
    pub run_id: String,
    pub generated_at: String,
    pub check_date: String,
    pub config: String,
    pub masked: bool,
    pub policy: PolicyManifest<'a>,
    pub inputs: Vec<InputManifest<'a>>,
    /// Degraded and absent fields, the dry-run tables and the policy's warnings.
    pub contract: &'a C,
    /// Set when the run went on past a degraded field (`--allow-degraded`).
    pub allow_degraded: bool,
    pub matching: MatchingManifest<'a>,
    /// How the run was carried out: it changes memory and time, never a result, so it is
    /// kept apart from the settings and the run id.
    pub execution: ExecutionManifest<'a>,
    pub counts: CountsManifest,
    /// What changed since the previous run (see `changes.csv`); filled in when the folder
    /// is written.
    pub changes: Option<ChangesSummary>,
    /// Seconds per stage: the check's stages, then `report` and `worksheets` (written
    /// beside the other files) and `outputs`, the wall time of writing the whole folder.
    pub timings: Vec<(&'static str, f64)>,
}

#[derive(Debug, Serialize)]
pub struct PolicyManifest<'a> {
    pub file: String,
    pub name: &'a str,
    pub version: &'a str,
    pub effective_from: String,
    pub sha256: &'a str,
}

#[derive(Debug, Serialize)]
pub struct InputManifest<'a> {
    pub source: &'a str,
    pub kind: &'static str,
    pub file: &'a str,
    pub sha256: &'a str,
    pub format: &'static str,
    pub encoding: Option<&'a str>,
    pub rows_read: u64,
    pub accepted: u64,
    pub rejected: u64,
}

#[derive(Debug, Serialize)]
pub struct MatchingManifest<'a> {
    pub settings: &'a hedui_match::MatchConfig,
    pub parameters: &'a std::collections::BTreeMap<&'static str, hedui_match::ModelParameters>,
    pub blocking: &'a std::collections::BTreeMap<&'static str, hedui_match::BlockingStats>,
    /// Every compared pair's final weight, in one-bit bins, per department.
    pub score_histograms: &'a std::collections::BTreeMap<&'static str, hedui_match::ScoreHistogram>,
    pub owners: u64,
    pub pairs_compared: u64,
}

#[derive(Debug, Serialize)]
pub struct ExecutionManifest<'a> {
    /// `none` or `county` (`--partition`).
    pub partition: &'static str,
    /// Each partition's records, owners and compared pairs, in the order they ran.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub partitions: &'a [hedui_match::PartitionSummary],
    /// `disk` or `memory`: where the rows' raw cells were kept (`raw_cells`).
    pub raw_cells: &'static str,
    /// Bytes of raw cells written to the temporary store, for a `disk` run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_cells_stored_bytes: Option<u64>,
}

#[derive(Debug, Serialize)]
pub struct CountsManifest {
    pub links: usize,
    pub reviews: usize,
    pub candidates: usize,
    pub households_with_candidates: usize,
    pub households_review_only: usize,
    pub rejected_rows: usize,
    /// Accepted rows left out of matching because no enabled rule reads them, by department
    /// (registration rows outside every staff member's household).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub not_matched: std::collections::BTreeMap<String, u64>,
    pub by: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
}
