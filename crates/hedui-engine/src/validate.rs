//! `hedui validate`: read every source, account for every row, write the rejects, and,
//! with a policy, the centre's dry run.

use std::path::Path;

use hedui_ingest::SourceReport;
use hedui_policy::Policy;
use serde::Serialize;

use crate::config::RunConfig;
use crate::contract::{Contract, assess};
use crate::error::EngineError;
use crate::ingest::{free_in_background, ingest_all};
use hedui_evidence::folder::write_rejects;

/// What `hedui validate` reports.
#[derive(Debug, Serialize)]
pub struct ValidateReport {
    pub config: String,
    pub check_date: String,
    pub sources: Vec<SourceReport>,
    pub rejects_file: String,
    pub rejects: usize,
    /// The policy of the run, when the configuration names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicyInfo>,
    /// The dry run against that policy: degraded and absent fields, and every status,
    /// type and use with what the policy makes of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract: Option<Contract>,
}

/// Which policy the dry run used.
#[derive(Debug, Serialize)]
pub struct PolicyInfo {
    pub file: String,
    pub name: String,
    pub version: String,
    pub sha256: String,
}

/// Reads every source and writes `rejects.csv` into `out_dir`.
pub fn validate(config: &RunConfig, out_dir: &Path) -> Result<ValidateReport, EngineError> {
    // The policy first: a broken policy file is reported before minutes of reading.
    let policy = match &config.policy {
        Some(path) => Some(Policy::load(path).map_err(EngineError::Policy)?),
        None => None,
    };
    let mut ingested = ingest_all(config)?;
    let rejects_path = out_dir.join("rejects.csv");
    write_rejects(&rejects_path, &ingested.rejects)?;
    let contract = match &policy {
        Some(policy) => Some(assess(config, policy, &ingested)?),
        None => None,
    };
    let report = ValidateReport {
        config: config.path.display().to_string(),
        check_date: config.check_date.to_string(),
        sources: std::mem::take(&mut ingested.reports),
        rejects_file: rejects_path.display().to_string(),
        rejects: ingested.rejects.len(),
        policy: policy.map(|p| PolicyInfo {
            file: p.origin,
            name: p.name,
            version: p.version,
            sha256: p.sha256,
        }),
        contract,
    };
    free_in_background(ingested);
    Ok(report)
}
