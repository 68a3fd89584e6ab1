//! What a run writes, handed to the output crate (`hedui-evidence`), which owns every file:
//! the engine only gathers the run's parts and the manifest's facts.

use std::collections::HashSet;
use std::path::Path;

use hedui_evidence::folder::{
    CheckFolder, CountsManifest, ExecutionManifest, InputManifest, LinkTable, Manifest,
    MatchingManifest, PolicyManifest, Presence, write_check_folder, write_json, write_rejects,
};
use hedui_evidence::{DeclaredRelative, Masker, RegisterFinding, RelativesChapter, folder};
use rayon::prelude::*;
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
        present: presence(ingested, baseline),
        relatives: relatives_chapter(run, config),
    };
    Ok(write_check_folder(out_dir, folder, options, baseline)?)
}

/// Which of the previous run's households and records this run's inputs still hold. Only
/// those are looked up: a set of every record key would cost millions of strings at
/// prefecture scale to answer a few thousand questions.
fn presence(ingested: &crate::ingest::Ingested, baseline: Option<&Baseline>) -> Presence {
    let Some(baseline) = baseline else {
        return Presence::default();
    };
    let households: HashSet<&str> = baseline
        .candidates
        .iter()
        .map(|p| p.household_id.as_str())
        .collect();
    let records: HashSet<(&str, &str)> = baseline
        .candidates
        .iter()
        .map(|p| (p.department.as_str(), p.record_key.as_str()))
        .collect();
    Presence {
        households: ingested
            .members
            .par_iter()
            .filter(|m| households.contains(&*m.household_id))
            .map(|m| m.household_id.to_string())
            .collect(),
        records: ingested
            .assets
            .par_iter()
            .filter(|a| records.contains(&(a.department().as_str(), &*a.record_key)))
            .map(|a| (a.department().as_str().to_owned(), a.record_key.to_string()))
            .collect(),
    }
}

/// The 关系保 chapter's declared relatives and stale register rows; `None` when the run
/// read no staff roster, register or registration export.
fn relatives_chapter(run: &CheckRun, config: &RunConfig) -> Option<RelativesChapter> {
    use hedui_core::{AssetDetail, Department};
    use hedui_ingest::TableKind;
    let ingested = &run.linked.ingested;
    let rows: Vec<(String, u64)> = ingested
        .reports
        .iter()
        .filter(|r| {
            matches!(
                r.kind,
                TableKind::Staff | TableKind::RelativesRegister | TableKind::Hukou
            )
        })
        .map(|r| {
            let label = match r.kind {
                TableKind::Staff => "工作人员名册",
                TableKind::RelativesRegister => "亲属备案登记",
                _ => "户籍资料",
            };
            (label.to_owned(), r.accepted)
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let (members, assets) = (&ingested.members, &ingested.assets);
    // Staff rows by identity number: (in office on the check date).
    let mut in_office: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    for a in assets {
        if let AssetDetail::Staff(staff) = &a.detail
            && let Some(id) = a.owners.first().and_then(|o| o.id.valid())
        {
            let now =
                hedui_policy::kin::in_office(staff.term_start, staff.term_end, config.check_date);
            *in_office.entry(id.as_str()).or_default() |= now;
        }
    }
    let person = |a: &hedui_core::AssetRecord, o: usize| {
        a.owners.get(o).map_or((String::new(), String::new()), |o| {
            (o.name_raw().to_owned(), o.id.raw().to_owned())
        })
    };
    let relation = |a: &hedui_core::AssetRecord| match &a.detail {
        AssetDetail::Register { relation, .. } => relation.to_string(),
        _ => String::new(),
    };
    let mut declared = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for l in &run.linked.matched.links {
        let Some(a) = assets.get(l.record) else {
            continue;
        };
        if a.department() != Department::Register || l.owner != 0 {
            continue;
        }
        let Some(m) = members.get(l.member) else {
            continue;
        };
        if !seen.insert((l.record, l.member)) {
            continue;
        }
        let (staff_name, staff_id) = person(a, 1);
        let staff_in_office = a
            .owners
            .get(1)
            .and_then(|o| o.id.valid())
            .and_then(|id| in_office.get(id.as_str()).copied());
        declared.push(DeclaredRelative {
            household_id: m.household_id.to_string(),
            member_name: m.name_raw().to_owned(),
            member_id: m.id.raw().to_owned(),
            staff_name,
            staff_id,
            relation: relation(a),
            staff_in_office,
            source: crate::evidence::source(&a.provenance),
        });
    }
    declared.sort_by(|a, b| {
        (&a.household_id, &a.member_id, &a.source.line).cmp(&(
            &b.household_id,
            &b.member_id,
            &b.source.line,
        ))
    });
    let stale = run
        .findings
        .iter()
        .filter_map(|f| {
            let a = assets.get(f.record)?;
            let (recipient_name, recipient_id) = person(a, 0);
            let (staff_name, staff_id) = person(a, 1);
            Some(RegisterFinding {
                kind: f.kind.to_owned(),
                reason_zh: f.reason_zh.clone(),
                recipient_name,
                recipient_id,
                staff_name,
                staff_id,
                relation: relation(a),
                source: crate::evidence::source(&a.provenance),
            })
        })
        .collect();
    Some(RelativesChapter {
        declared,
        stale,
        rows,
    })
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
        execution: ExecutionManifest {
            partition: config.partition.as_str(),
            partitions: &run.linked.matched.partitions,
            raw_cells: config.raw_cells.as_str(),
            raw_cells_stored_bytes: run.linked.ingested.cells.as_ref().map(|c| c.bytes()),
        },
        counts: CountsManifest {
            links: summary.links,
            reviews: summary.reviews,
            candidates: run.evidence.len(),
            households_with_candidates: households,
            households_review_only: review_only,
            rejected_rows: run.linked.ingested.rejects.len(),
            not_matched: run.not_matched.clone(),
            by: candidate_counts(run),
        },
        changes: None,
        timings: run.timings.clone(),
    }
}
