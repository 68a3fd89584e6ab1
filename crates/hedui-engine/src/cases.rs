//! The review loop around a check: each case's status from the store before the outputs
//! are written, and the run recorded in the store once they are.

use std::path::Path;

use hedui_evidence::folder::baseline::{Baseline, ChangesSummary};

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

/// Gives every case of `run` its status and decision history from the store, and names
/// the store's run `seq` after the run's inputs.
pub fn assign(
    store: &mut Store,
    seq: i64,
    run: &mut CheckRun,
    config: &RunConfig,
) -> Result<CaseCounts, EngineError> {
    store.name_run(seq, &crate::output::run_id(run, config))?;
    let mut counts = CaseCounts::default();
    for record in &mut run.evidence {
        let hash = record.evidence_hash();
        let (status, history) = store.standing(&record.candidate_id, &hash)?;
        let history = history
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
    Ok(counts)
}

/// A candidate as the store keeps it.
fn case_version(r: &hedui_evidence::EvidenceRecord) -> CaseVersion {
    CaseVersion {
        candidate_id: r.candidate_id.clone(),
        household_id: r.household_id.clone(),
        rule: r.rule.clone(),
        department: r.record.department.clone(),
        record_key: r.record.record_key.clone(),
        member_id: r.member.id.clone(),
        county: r.member.county.clone(),
        band: r.band.as_str().to_owned(),
        evidence_hash: evidence_hash(r),
    }
}

/// The hash a case's status was given on, or (a run without a store) the record's own.
fn evidence_hash(r: &hedui_evidence::EvidenceRecord) -> String {
    r.case
        .as_ref()
        .map_or_else(|| r.evidence_hash(), |c| c.evidence_hash.clone())
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
    let cases: Vec<CaseVersion> = run.evidence.iter().map(case_version).collect();
    Ok(store.finish_run(seq, finished_at, &manifest, &cases)?)
}

/// One check with everything around it: the case store, the output folder, what changed.
#[derive(Debug)]
pub struct CheckCycle {
    pub run: CheckRun,
    pub changes: ChangesSummary,
    /// Where the cases stand, when the run keeps a store.
    pub cases: Option<CaseCounts>,
    /// The run's number in the store, when the run keeps one.
    pub seq: Option<i64>,
}

/// Runs a check into `out_dir` and keeps the store in step. The run is recorded in the
/// store before anything is read, so a run that is killed is found `interrupted` by the
/// next; it is finished only once its folder is in place, and recorded as failed (with the
/// previous outputs intact) when anything goes wrong. `stage` is told what is being done.
pub fn check_and_write(
    config: &RunConfig,
    out_dir: &Path,
    options: crate::output::OutputOptions,
    baseline: Option<&Baseline>,
    stage: &dyn Fn(&str),
) -> Result<CheckCycle, EngineError> {
    let now = || chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let mut store = open_store(config)?;
    let seq = match store.as_mut() {
        Some(store) => Some(store.begin_run("", &out_dir.display().to_string(), &now())?),
        None => None,
    };
    let mut cycle = || -> Result<CheckCycle, EngineError> {
        stage("reading sources, linking owners to members, applying the policy…");
        let mut run = crate::check::check(config)?;
        let cases = match (store.as_mut(), seq) {
            (Some(store), Some(seq)) => Some(assign(store, seq, &mut run, config)?),
            _ => None,
        };
        stage(&format!("writing outputs to {}…", out_dir.display()));
        let changes = crate::output::write_check_outputs(out_dir, &run, config, options, baseline)?;
        if let (Some(store), Some(seq)) = (store.as_mut(), seq) {
            finish(store, seq, &run, out_dir, &now())?;
        }
        Ok(CheckCycle {
            run,
            changes,
            cases,
            seq,
        })
    };
    let result = cycle();
    if result.is_err()
        && let (Some(store), Some(seq)) = (store.as_mut(), seq)
    {
        let _ = store.fail_run(seq, &now());
    }
    result
}

/// What `store verify` found: each problem in a sentence; empty when the store agrees with
/// every run folder still on disk.
pub fn verify(store: &Store) -> Result<Vec<String>, EngineError> {
    let mut problems = Vec::new();
    for run in store.runs()? {
        let dir = Path::new(&run.out_dir);
        let label = format!("run {} ({}, {})", run.seq, run.run_id, run.started_at);
        match run.outcome {
            hedui_store::RunOutcome::Ok => {}
            // A run still marked running was killed (the next run marks it interrupted)
            // or is running now; its folder is the previous run's, whole.
            _ => continue,
        }
        if !dir.join("candidates.csv").exists() {
            // Retention removed it, or it was moved: the store is the only index left.
            continue;
        }
        let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap_or_default();
        let on_disk_id = serde_json::from_str::<serde_json::Value>(&manifest)
            .ok()
            .and_then(|m| m["run_id"].as_str().map(str::to_owned));
        if on_disk_id.as_deref() != Some(run.run_id.as_str()) {
            // The folder was written again by a later run: compare that one instead.
            continue;
        }
        let evidence = match hedui_evidence::folder::read_evidence(dir) {
            Ok(evidence) => evidence,
            Err(e) => {
                problems.push(format!("{label}: {e}"));
                continue;
            }
        };
        let mut in_folder: Vec<(String, String)> = evidence
            .iter()
            .map(|r| (r.candidate_id.clone(), evidence_hash(r)))
            .collect();
        in_folder.sort();
        let in_store = store.run_cases(run.seq)?;
        if in_folder != in_store {
            let missing = in_folder.iter().filter(|c| !in_store.contains(c)).count();
            let extra = in_store.iter().filter(|c| !in_folder.contains(c)).count();
            problems.push(format!(
                "{label}: {} holds {} cases, the store {}: {missing} not in the store, \
                 {extra} not in the folder",
                dir.display(),
                in_folder.len(),
                in_store.len()
            ));
        }
    }
    for d in store.decisions()? {
        if !store.knows(&d.candidate_id, Some(&d.evidence_hash))? {
            problems.push(format!(
                "decision {} on {}: evidence {} is no version of the case",
                d.id, d.candidate_id, d.evidence_hash
            ));
        }
    }
    Ok(problems)
}

/// Recreates a store at `path` (which must not exist) from run folders and an exported
/// decision log: the runs in the order they were generated, each with the cases of its
/// `evidence.jsonl`, then every decision of the log on the evidence it names. Returns the
/// number of runs and decisions.
pub fn rebuild(
    path: &Path,
    run_dirs: &[std::path::PathBuf],
    decisions: Option<&Path>,
) -> Result<(usize, usize), EngineError> {
    if path.exists() {
        return Err(EngineError::Config {
            path: path.to_owned(),
            message: "exists; rebuild writes a new store, move the old one aside first".into(),
        });
    }
    let mut runs = Vec::new();
    for dir in run_dirs {
        let manifest = std::fs::read_to_string(dir.join("manifest.json")).map_err(|e| {
            EngineError::Config {
                path: dir.join("manifest.json"),
                message: format!("not a run folder: {e}"),
            }
        })?;
        let json: serde_json::Value =
            serde_json::from_str(&manifest).map_err(|e| EngineError::Config {
                path: dir.join("manifest.json"),
                message: e.to_string(),
            })?;
        let at = json["generated_at"].as_str().unwrap_or_default().to_owned();
        let run_id = json["run_id"].as_str().unwrap_or_default().to_owned();
        runs.push((at, run_id, dir.clone(), manifest));
    }
    runs.sort();
    let mut store = Store::open(path)?;
    for (at, run_id, dir, manifest) in &runs {
        let seq = store.begin_run(run_id, &dir.display().to_string(), at)?;
        let evidence = hedui_evidence::folder::read_evidence(dir)?;
        let cases: Vec<CaseVersion> = evidence.iter().map(case_version).collect();
        store.finish_run(seq, at, manifest, &cases)?;
    }
    let mut imported = 0;
    if let Some(log) = decisions {
        #[derive(serde::Deserialize)]
        struct Row {
            candidate_id: String,
            decision: String,
            reviewer: String,
            decided_at: String,
            reason: String,
            evidence_hash: String,
        }
        let bad = |message: String| EngineError::Config {
            path: log.to_owned(),
            message,
        };
        let mut reader = csv::Reader::from_path(log).map_err(|e| bad(e.to_string()))?;
        let mut rows = Vec::new();
        for (i, row) in reader.deserialize::<Row>().enumerate() {
            let row = row.map_err(|e| bad(e.to_string()))?;
            let decision = hedui_store::from_word(&row.decision)
                .map_err(|e| bad(format!("line {}: {e}", i + 2)))?;
            rows.push(hedui_store::NewDecision {
                candidate_id: row.candidate_id,
                decision,
                reviewer: row.reviewer,
                reason: row.reason,
                decided_at: row.decided_at,
                evidence_hash: Some(row.evidence_hash),
            });
        }
        imported = store.import(&rows)?;
    }
    Ok((runs.len(), imported))
}
