//! `hedui validate`: read every source, account for every row, write the rejects.

use std::path::Path;

use hedui_core::record::{AssetRecord, Member};
use hedui_ingest::{Reject, SourceData, SourceReport, read_source};
use rayon::prelude::*;
use serde::Serialize;

use hedui_policy::Policy;

use crate::config::RunConfig;
use crate::contract::{Contract, assess};
use crate::error::EngineError;
use crate::output::write_rejects;

/// Everything ingest produced for a run.
#[derive(Debug)]
pub struct Ingested {
    pub members: Vec<Member>,
    pub assets: Vec<AssetRecord>,
    pub reports: Vec<SourceReport>,
    pub rejects: Vec<Reject>,
}

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

/// Reads every source of the run. Sources are read concurrently, one thread each, since
/// one may be waiting on disk while another decodes; results keep configuration order.
/// Plain threads, not an async runtime: the caller may itself be async (the nightly
/// service), and nesting a runtime there would panic.
pub fn ingest_all(config: &RunConfig) -> Result<Ingested, EngineError> {
    let jobs: Vec<_> = config
        .all_sources()
        .map(|spec| Ok((spec, config.aliases_for(spec)?)))
        .collect::<Result<_, EngineError>>()?;
    let base = &config.base;
    let results: Vec<Result<SourceData, EngineError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|(spec, aliases)| {
                scope.spawn(move || {
                    let span = tracing::info_span!("ingest", source = %spec.display_name());
                    let _guard = span.enter();
                    read_source(spec, base, &aliases).map_err(EngineError::from)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.join().unwrap_or_else(|_| {
                    Err(EngineError::Internal("a source's reader panicked".into()))
                })
            })
            .collect()
    });
    // Sized exactly before the first move: growing by doubling would hold the old and the
    // new buffer of millions of records at once, on top of the sources not yet moved.
    let count = |of: fn(&SourceData) -> usize| {
        results
            .iter()
            .map(|r| r.as_ref().map_or(0, of))
            .sum::<usize>()
    };
    let mut ingested = Ingested {
        members: Vec::with_capacity(count(|d| d.members.len())),
        assets: Vec::with_capacity(count(|d| d.assets.len())),
        reports: Vec::new(),
        rejects: Vec::with_capacity(count(|d| d.rejects.len())),
    };
    for result in results {
        let data = result?;
        tracing::info!(
            source = %data.report.name,
            read = data.report.rows_read,
            accepted = data.report.accepted,
            rejected = data.report.rejected,
            "source read"
        );
        // In parallel: the target's pages are fresh, and the kernel zeroing them on first
        // write cost 4 s on one core at prefecture scale while the other core idled.
        ingested.members.par_extend(data.members);
        ingested.assets.par_extend(data.assets);
        ingested.rejects.par_extend(data.rejects);
        ingested.reports.push(data.report);
    }
    Ok(ingested)
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

/// Drops `value` on a thread of its own. Freeing millions of records one allocation at a
/// time takes the better part of a second at prefecture scale, after the work is done; a
/// command that exits next does not wait for it, and a caller that goes on is not held up.
/// Where no thread can be started, `value` is dropped here.
fn free_in_background<T: Send + 'static>(value: T) {
    // A failed spawn returns the closure's error and drops the closure, and `value` in it.
    let _ = std::thread::Builder::new()
        .name("hedui-free".into())
        .spawn(move || drop(value));
}
