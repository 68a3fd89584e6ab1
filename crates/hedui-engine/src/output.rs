//! What a run writes, handed to the output crate (`hedui-evidence`), which owns every file:
//! the engine only gathers the run's parts and the manifest's facts.

use std::path::Path;

use hedui_evidence::folder::{
    CheckFolder, CountsManifest, InputManifest, LinkTable, Manifest, MatchingManifest,
    PolicyManifest, Presence, write_check_folder, write_json, write_rejects,
};
use hedui_evidence::{Masker, folder};
use serde::Serialize;
use sha2::{Digest, Sha256};

use baseline::{Baseline, ChangesSummary};
pub use hedui_evidence::folder::baseline;
pub use hedui_evidence::folder::{OutputOptions, ReportStyle, recover_folder, replace_folder};

use crate::check::{CheckRun, candidate_counts, household_counts};
use crate::config::RunConfig;
use crate::contract::Contract;
use crate::error::EngineError;
use crate::link::{LinkRun, LinkSummary};

/// Writes every output of a check into `out_dir`, replacing a previous run only when the
/// new one is complete, and says what changed since `baseline` (`changes.csv`; without a
/// baseline every candidate is new).
pub fn write_check_outputs(
    out_dir: &Path,
    run: &CheckRun,
    config: &RunConfig,
    options: OutputOptions,
    baseline: Option<&Baseline>,
) -> Result<ChangesSummary, EngineError> {
    let ingested = &run.linked.ingested;
    let folder = CheckFolder {
        links: link_table(&run.linked),
        reports: &ingested.reports,
        rejects: &ingested.rejects,
        evidence: &run.evidence,
        manifest: manifest(run, config, options.mask),
        report_title: format!("居民家庭经济状况核对报告 · {}", run.policy.name),
        caveats_zh: run.contract.caveats_zh(),
        present: Presence {
            households: ingested
                .members
                .iter()
                .map(|m| m.household_id.to_string())
                .collect(),
            records: ingested
                .assets
                .iter()
                .map(|a| (a.department.as_str().to_owned(), a.record_key.to_string()))
                .collect(),
        },
    };
    Ok(write_check_folder(out_dir, folder, options, baseline)?)
}

/// `links.csv` of a link run, unmasked (the `link` command's output).
pub fn write_links(path: &Path, run: &LinkRun) -> Result<(), EngineError> {
    Ok(folder::write_links(
        path,
        link_table(run),
        Masker { enabled: false },
    )?)
}

/// Writes `links.csv`, `match.json` (parameters and blocking counts) and `rejects.csv`.
pub fn write_link_outputs(out_dir: &Path, run: &LinkRun) -> Result<(), EngineError> {
    write_links(&out_dir.join("links.csv"), run)?;
    write_rejects(&out_dir.join("rejects.csv"), &run.ingested.rejects)?;
    #[derive(Serialize)]
    struct MatchReport<'a> {
        parameters: &'a std::collections::BTreeMap<&'static str, hedui_match::ModelParameters>,
        blocking: &'a std::collections::BTreeMap<&'static str, hedui_match::BlockingStats>,
        summary: LinkSummary,
    }
    let report = MatchReport {
        parameters: &run.matched.parameters,
        blocking: &run.matched.blocking,
        summary: run.summary(),
    };
    Ok(write_json(&out_dir.join("match.json"), &report)?)
}

fn link_table(run: &LinkRun) -> LinkTable<'_> {
    LinkTable {
        links: &run.matched.links,
        members: &run.ingested.members,
        assets: &run.ingested.assets,
    }
}

/// Derived from the inputs, policy, check date and settings: the same run gets the same id.
pub fn run_id(run: &CheckRun, config: &RunConfig) -> String {
    let mut id = Sha256::new();
    id.update(env!("CARGO_PKG_VERSION"));
    id.update(config.check_date.to_string());
    id.update(&run.policy.sha256);
    for file in run.linked.ingested.reports.iter().flat_map(|r| &r.files) {
        id.update(&file.sha256);
    }
    id.update(serde_json::to_string(&config.matching).unwrap_or_default());
    let hex: String = id
        .finalize()
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("R{hex}")
}

/// `manifest.json`'s facts; `changes` is filled in when the folder is written.
fn manifest<'a>(run: &'a CheckRun, config: &'a RunConfig, mask: bool) -> Manifest<'a, Contract> {
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
    Manifest {
        engine: "hedui",
        engine_version: env!("CARGO_PKG_VERSION"),
        run_id: run_id(run, config),
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
            score_histograms: &run.linked.matched.score_histograms,
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
        changes: None,
        timings: run.timings.clone(),
    }
}
