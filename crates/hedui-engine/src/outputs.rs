//! The output folder of `hedui check`, written as a whole: everything goes into a temporary
//! sibling folder, which replaces the previous results only once complete. A killed run
//! leaves the previous results intact.

use std::io::Write;
use std::path::{Path, PathBuf};

use hedui_evidence::{
    Change, Masker, changes_since, write_candidates_csv, write_changes_csv, write_evidence_jsonl,
};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::baseline::{Baseline, ChangesSummary};
use crate::check::{CheckRun, candidate_counts, household_counts};
use crate::config::RunConfig;
use crate::error::EngineError;
use crate::link::write_links_masked;

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

/// The changes since `baseline` (every candidate is new without one), and their summary.
fn compare(run: &CheckRun, baseline: Option<&Baseline>) -> (Vec<Change>, ChangesSummary) {
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
    let (changes, counts) = changes_since(previous, &run.evidence);
    let summary = ChangesSummary {
        since,
        previous: baseline.map(|b| b.facts.clone()).unwrap_or_default(),
        counts,
        not_compared: None,
    };
    (changes, summary)
}

/// Writes every output into a fresh temporary folder beside `out_dir`, then swaps it in.
/// Returns what changed since `baseline`.
pub(crate) fn write_all(
    out_dir: &Path,
    run: &CheckRun,
    config: &RunConfig,
    mask: bool,
    baseline: Option<&Baseline>,
) -> Result<ChangesSummary, EngineError> {
    let (changes, summary) = compare(run, baseline);
    let tmp = sibling(out_dir, "tmp");
    let old = sibling(out_dir, "old");
    if !out_dir.exists() && old.exists() {
        // A run killed between the two renames of a swap: its predecessor's results are
        // whole under the old name; put them back before anything else.
        std::fs::rename(&old, out_dir).map_err(err(out_dir))?;
    }
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(err(&tmp))?;
    }
    std::fs::create_dir_all(&tmp).map_err(err(&tmp))?;
    let compared = Compared {
        changes: &changes,
        summary: &summary,
    };
    let result = fill(&tmp, run, config, mask, compared).and_then(|()| swap(&tmp, out_dir));
    if result.is_err() {
        // A failed run leaves nothing of itself beside the output folder; the previous
        // results, if any, are still in place.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result.map(|()| summary)
}

/// This run against the previous one, for `changes.csv`, the manifest and the report.
#[derive(Clone, Copy)]
pub(crate) struct Compared<'a> {
    pub changes: &'a [Change],
    pub summary: &'a ChangesSummary,
}

/// Writes every output file into the temporary folder `tmp`.
fn fill(
    tmp: &Path,
    run: &CheckRun,
    config: &RunConfig,
    mask: bool,
    compared: Compared<'_>,
) -> Result<(), EngineError> {
    let masker = Masker { enabled: mask };
    let file = |name: &str| tmp.join(name);
    let create = |name: &str| -> Result<std::io::BufWriter<std::fs::File>, EngineError> {
        let path = file(name);
        std::fs::File::create(&path)
            .map(std::io::BufWriter::new)
            .map_err(err(&path))
    };
    let ev_err = |name: &str| {
        let path = file(name);
        move |source: hedui_evidence::EvidenceError| EngineError::View { path, source }
    };

    let started = std::time::Instant::now();
    let lap =
        |file: &str| tracing::debug!(file, seconds = started.elapsed().as_secs_f64(), "written");
    // Three independent groups of files, written side by side: links.csv alone is as long
    // as the rest together at prefecture scale. Each file is still written whole by one
    // task, so what lands on disk does not depend on the thread count.
    let links = || {
        write_links_masked(&file("links.csv"), &run.linked, masker)?;
        lap("links.csv");
        Ok::<(), EngineError>(())
    };
    let tables = || {
        let mut out = create("candidates.csv")?;
        write_candidates_csv(&mut out, &run.evidence, masker).map_err(ev_err("candidates.csv"))?;
        out.flush().map_err(err(&file("candidates.csv")))?;
        let mut out = create("evidence.jsonl")?;
        write_evidence_jsonl(&mut out, &run.evidence, masker).map_err(ev_err("evidence.jsonl"))?;
        out.flush().map_err(err(&file("evidence.jsonl")))?;
        let mut out = create("changes.csv")?;
        write_changes_csv(&mut out, compared.changes, masker).map_err(ev_err("changes.csv"))?;
        out.flush().map_err(err(&file("changes.csv")))?;
        let names = crate::output::name_columns(&run.linked.ingested.reports);
        crate::output::write_rejects_masked(
            &file("rejects.csv"),
            &run.linked.ingested.rejects,
            masker,
            &names,
        )?;
        lap("rejects.csv");
        Ok::<(), EngineError>(())
    };
    let views = || {
        let manifest = manifest(run, config, mask, compared.summary);
        let json = serde_json::to_string_pretty(&manifest)
            .map_err(|e| EngineError::Internal(e.to_string()))?;
        std::fs::write(file("manifest.json"), json).map_err(err(&file("manifest.json")))?;
        crate::report::write_views(tmp, run, &manifest, compared, masker)?;
        lap("views");
        Ok::<(), EngineError>(())
    };
    let (links, (tables, views)) = rayon::join(links, || rayon::join(tables, views));
    // The first error in file order is the one reported, whichever task finished first.
    links.and(tables).and(views)
}

/// Swap: the old results move aside, the new ones take their name, the old ones go.
fn swap(tmp: &Path, out_dir: &Path) -> Result<(), EngineError> {
    let old = sibling(out_dir, "old");
    if out_dir.exists() {
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(err(&old))?;
        }
        std::fs::rename(out_dir, &old).map_err(err(out_dir))?;
    }
    if let Err(e) = std::fs::rename(tmp, out_dir) {
        // Put the previous results back under their name.
        if old.exists() {
            let _ = std::fs::rename(&old, out_dir);
        }
        return Err(err(out_dir)(e));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(err(&old))?;
    }
    Ok(())
}

/// Maps an I/O error on `path` to an output error naming it.
fn err(path: &Path) -> impl FnOnce(std::io::Error) -> EngineError + use<> {
    let path = path.to_owned();
    move |source| EngineError::Output { path, source }
}

pub(crate) fn sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Fixed names (no process id), so the next run finds and cleans up what a killed run
    // left, and can restore results a kill left moved aside.
    parent.join(format!(".{name}.{tag}"))
}
