//! The link stage: every owner of every record against every member.

use std::time::Instant;

use hedui_match::{Band, MatchOutput};
use serde::Serialize;

use crate::config::RunConfig;
use crate::error::EngineError;
use crate::ingest::{Ingested, ingest_all};

/// A run up to and including matching.
#[derive(Debug)]
pub struct LinkRun {
    pub ingested: Ingested,
    pub matched: MatchOutput,
    pub timings: Vec<(&'static str, f64)>,
}

/// Counts for the summary.
#[derive(Debug, Serialize)]
pub struct LinkSummary {
    pub members: usize,
    pub records: usize,
    pub owners: u64,
    pub pairs_compared: u64,
    pub links: usize,
    pub reviews: usize,
}

impl LinkRun {
    pub fn summary(&self) -> LinkSummary {
        let count = |band| self.matched.links.iter().filter(|l| l.band == band).count();
        LinkSummary {
            members: self.ingested.members.len(),
            records: self.ingested.assets.len(),
            owners: self.matched.owners,
            pairs_compared: self.matched.pairs_compared,
            links: count(Band::Link),
            reviews: count(Band::Review),
        }
    }
}

/// Reads every source and links owners to members.
pub fn link(config: &RunConfig) -> Result<LinkRun, EngineError> {
    let started = Instant::now();
    let ingested = ingest_all(config)?;
    link_ingested(
        config,
        ingested,
        vec![("ingest", started.elapsed().as_secs_f64())],
    )
}

/// Links the owners of records already read; `timings` are the stages before matching.
pub fn link_ingested(
    config: &RunConfig,
    mut ingested: Ingested,
    mut timings: Vec<(&'static str, f64)>,
) -> Result<LinkRun, EngineError> {
    check_not_empty(config, &ingested)?;
    ingested.drop_unread();
    let started = Instant::now();
    let matched = hedui_match::link_partitioned(
        &ingested.members,
        &ingested.assets,
        std::mem::take(&mut ingested.dwellings_not_matched),
        &config.matching,
        config.partition,
    )
    .map_err(|e| EngineError::Config {
        path: config.path.clone(),
        message: e.to_string(),
    })?;
    timings.push(("match", started.elapsed().as_secs_f64()));
    // Matching's working sets (member index, candidate pairs, comparison vectors) are
    // gone; handing them back now keeps them out of the outputs' peak.
    hedui_alloc::release_freed_memory();
    tracing::info!(
        links = matched.links.len(),
        pairs = matched.pairs_compared,
        "matched"
    );
    Ok(LinkRun {
        ingested,
        matched,
        timings,
    })
}

/// A roster with no members would link nothing and, against the previous run, report every
/// lead as dropped: a broken roster export must stop the run, not clear the leads. An empty
/// department export may be real, but it drops that department's leads, so it is said loudly.
fn check_not_empty(config: &RunConfig, ingested: &Ingested) -> Result<(), EngineError> {
    if ingested.members.is_empty() {
        let read = ingested
            .reports
            .iter()
            .find(|r| r.kind == hedui_ingest::TableKind::Recipients)
            .map_or(0, |r| r.rows_read);
        return Err(EngineError::Config {
            path: config.base.join(&config.recipients.path),
            message: format!(
                "the recipient roster has no accepted members ({read} rows read); \
                 check the export (see `hedui validate`) before comparing anything with it"
            ),
        });
    }
    for report in &ingested.reports {
        if let Some(first) = report.ids_in_several_households.first() {
            // The same person in two households gets the department's record matched to
            // both, or to whichever scores higher: the roster must be put right.
            tracing::warn!(
                count = report.ids_in_several_households.len(),
                first = %first.id,
                households = %first.households.join(", "),
                "identity numbers listed in more than one recipient household (see `hedui validate`)"
            );
        }
        if report.kind != hedui_ingest::TableKind::Recipients && report.accepted == 0 {
            tracing::warn!(
                source = report.name.as_str(),
                rows_read = report.rows_read,
                "the export has no accepted records: none of its assets can be a lead this run"
            );
        }
    }
    Ok(())
}
