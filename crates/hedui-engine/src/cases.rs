//! The review loop around a check: each case's status from the store before the outputs
//! are written, and the run recorded in the store once they are.

use std::path::Path;

use hedui_evidence::{CaseState, DecisionEntry};
use hedui_store::{CaseStatus, CaseVersion, Store};
use serde::Serialize;

use crate::check::CheckRun;
use crate::config::RunConfig;
use crate::error::EngineError;

/// The run's case store, opened (and created) when the configuration names one.
pub fn open_store(config: &RunConfig) -> Result<Option<Store>, EngineError> {
    config
        .store
        .as_deref()
        .map(Store::open)
        .transpose()
        .map_err(EngineError::from)
}

/// How many cases of a run stand where, for the summary and the nightly log.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CaseCounts {
    pub new: usize,
    pub open: usize,
    pub changed: usize,
    pub confirmed: usize,
    pub needs_visit: usize,
    pub suppressed: usize,
}

impl CaseCounts {
    fn add(&mut self, status: CaseStatus) {
        *match status {
            CaseStatus::New => &mut self.new,
            CaseStatus::Open => &mut self.open,
            CaseStatus::Changed => &mut self.changed,
            CaseStatus::Confirmed => &mut self.confirmed,
            CaseStatus::NeedsVisit => &mut self.needs_visit,
            CaseStatus::Suppressed => &mut self.suppressed,
        } += 1;
    }
}

impl std::fmt::Display for CaseCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} new, {} changed, {} open, {} confirmed, {} needs_visit, {} suppressed",
            self.new, self.changed, self.open, self.confirmed, self.needs_visit, self.suppressed
        )
    }
}

/// Starts the run in the store and gives every case of `run` its status and decision
/// history. Returns the run's sequence number in the store.
pub fn begin(
    store: &mut Store,
    run: &mut CheckRun,
    config: &RunConfig,
    out_dir: &Path,
    started_at: &str,
) -> Result<(i64, CaseCounts), EngineError> {
    let run_id = crate::output::run_id(run, config);
    let seq = store.begin_run(&run_id, &out_dir.display().to_string(), started_at)?;
    let hashes: Vec<String> = run.evidence.iter().map(|r| r.evidence_hash()).collect();
    let keys: Vec<(&str, &str)> = run
        .evidence
        .iter()
        .zip(&hashes)
        .map(|(r, h)| (r.candidate_id.as_str(), h.as_str()))
        .collect();
    let statuses = store.statuses(&keys)?;
    let mut counts = CaseCounts::default();
    for ((record, hash), status) in run.evidence.iter_mut().zip(hashes).zip(statuses) {
        let history = store
            .history(&record.candidate_id)?
            .into_iter()
            .map(|d| DecisionEntry {
                on_this_evidence: d.evidence_hash == hash,
                decision: d.decision,
                reviewer: d.reviewer,
                decided_at: d.decided_at,
                reason: d.reason,
            })
            .collect();
        counts.add(status);
        record.case = Some(CaseState {
            status,
            evidence_hash: hash,
            history,
        });
    }
    Ok((seq, counts))
}

/// Records the finished run and its cases, after its folder was written.
pub fn finish(
    store: &mut Store,
    seq: i64,
    run: &CheckRun,
    out_dir: &Path,
    finished_at: &str,
) -> Result<(), EngineError> {
    let manifest = std::fs::read_to_string(out_dir.join("manifest.json")).unwrap_or_default();
    let cases: Vec<CaseVersion> = run
        .evidence
        .iter()
        .map(|r| CaseVersion {
            candidate_id: r.candidate_id.clone(),
            household_id: r.household_id.clone(),
            rule: r.rule.clone(),
            department: r.record.department.clone(),
            record_key: r.record.record_key.clone(),
            member_id: r.member.id.clone(),
            county: r.member.county.clone(),
            band: r.band.as_str().to_owned(),
            evidence_hash: r
                .case
                .as_ref()
                .map_or_else(|| r.evidence_hash(), |c| c.evidence_hash.clone()),
        })
        .collect();
    Ok(store.finish_run(seq, finished_at, &manifest, &cases)?)
}
