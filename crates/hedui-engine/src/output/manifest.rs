//! `manifest.json`: what was run, on what, with which parameters, and what came out.

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::baseline::ChangesSummary;
use crate::check::{CheckRun, candidate_counts, household_counts};
use crate::config::RunConfig;

/// `manifest.json`: what was run, on what, with which parameters, and what came out.
#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
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
    pub contract: &'a crate::contract::Contract,
    /// Set when the run went on past a degraded field (`--allow-degraded`).
    pub allow_degraded: bool,
    pub matching: MatchingManifest<'a>,
    pub counts: CountsManifest,
    /// What changed since the previous run (see `changes.csv`).
    pub changes: &'a ChangesSummary,
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
    pub owners: u64,
    pub pairs_compared: u64,
}

#[derive(Debug, Serialize)]
pub struct CountsManifest {
    pub links: usize,
    pub reviews: usize,
    pub candidates: usize,
    pub households_with_candidates: usize,
    pub households_review_only: usize,
    pub rejected_rows: usize,
    pub by: std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
}

pub(crate) fn manifest<'a>(
    run: &'a CheckRun,
    config: &'a RunConfig,
    mask: bool,
    changes: &'a ChangesSummary,
) -> Manifest<'a> {
    let mut inputs = Vec::new();
    for report in &run.linked.ingested.reports {
        for f in &report.files {
            inputs.push(InputManifest {
                source: &report.name,
                kind: report.kind.as_str(),
                file: &f.path,
                sha256: &f.sha256,
                format: f.format,
                encoding: f.encoding.as_ref().map(|e| e.name.as_str()),
                rows_read: f.rows_read,
                accepted: f.accepted,
                rejected: f.rejected,
            });
        }
    }
    let summary = run.linked.summary();
    let (households, review_only) = household_counts(run);
    let mut id = Sha256::new();
    id.update(env!("CARGO_PKG_VERSION"));
    id.update(config.check_date.to_string());
    id.update(&run.policy.sha256);
    for input in &inputs {
        id.update(input.sha256);
    }
    id.update(serde_json::to_string(&config.matching).unwrap_or_default());
    let run_id: String = id
        .finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect();
    Manifest {
        engine: "hedui",
        engine_version: env!("CARGO_PKG_VERSION"),
        run_id: format!("R{run_id}"),
        generated_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        check_date: config.check_date.to_string(),
        config: config.path.display().to_string(),
        masked: mask,
        policy: PolicyManifest {
            file: config
                .policy
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            name: &run.policy.name,
            version: &run.policy.version,
            effective_from: run.policy.effective_from.to_string(),
            sha256: &run.policy.sha256,
        },
        inputs,
        contract: &run.contract,
        allow_degraded: config.allow_degraded,
        matching: MatchingManifest {
            settings: &config.matching,
            parameters: &run.linked.matched.parameters,
            blocking: &run.linked.matched.blocking,
            owners: run.linked.matched.owners,
            pairs_compared: run.linked.matched.pairs_compared,
        },
        counts: CountsManifest {
            links: summary.links,
            reviews: summary.reviews,
            candidates: run.evidence.len(),
            households_with_candidates: households,
            households_review_only: review_only,
            rejected_rows: run.linked.ingested.rejects.len(),
            by: candidate_counts(run),
        },
        changes,
        timings: run.timings.clone(),
    }
}
