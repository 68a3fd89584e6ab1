//! `hedui link`: ingest, then match; write the links and the model that produced them.

use std::path::Path;
use std::time::Instant;

use hedui_evidence::Masker;
use hedui_match::{Band, MatchOutput};
use rayon::prelude::*;
use serde::Serialize;

use crate::config::RunConfig;
use crate::error::EngineError;
use crate::output::{write_atomically, write_rejects};
use crate::validate::{Ingested, ingest_all};

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
    link_ingested(config, ingested, started.elapsed().as_secs_f64())
}

/// Links the owners of records already read; `ingest_secs` is reported as the ingest time.
pub fn link_ingested(
    config: &RunConfig,
    ingested: Ingested,
    ingest_secs: f64,
) -> Result<LinkRun, EngineError> {
    check_not_empty(config, &ingested)?;
    let started = Instant::now();
    let matched = hedui_match::link(&ingested.members, &ingested.assets, &config.matching)
        .map_err(|e| EngineError::Config {
            path: config.path.clone(),
            message: e.to_string(),
        })?;
    let match_secs = started.elapsed().as_secs_f64();
    tracing::info!(
        links = matched.links.len(),
        pairs = matched.pairs_compared,
        "matched"
    );
    Ok(LinkRun {
        ingested,
        matched,
        timings: vec![("ingest", ingest_secs), ("match", match_secs)],
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

/// `links.csv`: one row per owner–member pair in the link or review band.
pub fn write_links(path: &Path, run: &LinkRun) -> Result<(), EngineError> {
    write_links_masked(path, run, Masker { enabled: false })
}

/// `links.csv`, with identity numbers and names masked when asked.
pub fn write_links_masked(path: &Path, run: &LinkRun, mask: Masker) -> Result<(), EngineError> {
    let (members, assets) = (&run.ingested.members, &run.ingested.assets);
    write_atomically(path, |out| {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "department",
            "record_key",
            "household_id",
            "member_id",
            "score",
            "band",
            "probability",
            "owner_position",
            "owner_name",
            "member_name",
            "file",
            "sheet",
            "line",
            "rules",
            "note",
            "waterfall",
        ])?;
        w.flush()?;
        let out = w.into_inner().map_err(|e| e.into_error())?;
        // Rows are formatted in parallel batches and written in order: formatting is most of
        // the cost, and a bounded batch keeps memory flat however many links there are.
        for batch in run.matched.links.chunks(1 << 16) {
            let parts: Vec<Vec<u8>> = batch
                .par_chunks(1 << 11)
                .map(|links| link_rows(links, members, assets, mask))
                .collect::<Result<_, _>>()?;
            for part in parts {
                out.write_all(&part)?;
            }
        }
        Ok(())
    })
}

/// The CSV rows of some links, without header.
fn link_rows(
    links: &[hedui_match::Link],
    members: &[hedui_core::record::Member],
    assets: &[hedui_core::record::AssetRecord],
    mask: Masker,
) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for link in links {
        let (a, m) = (&assets[link.record], &members[link.member]);
        let owner = &a.owners[link.owner];
        w.write_record([
            a.department.as_str(),
            &a.record_key,
            &m.household_id,
            &mask.id(m.id.raw()),
            &format!("{:.3}", link.weight),
            link.band.as_str(),
            &format!("{:.6}", link.probability),
            &link.owner.to_string(),
            &mask.names_in(owner.name_raw()),
            &mask.name(m.name_raw()),
            &a.provenance.file.path,
            a.provenance.sheet().unwrap_or(""),
            &a.provenance.line.to_string(),
            &link.rules.join("+"),
            link.note.as_deref().unwrap_or(""),
            &waterfall_text(&link.waterfall),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error())
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
    let json =
        serde_json::to_string_pretty(&report).map_err(|e| EngineError::Internal(e.to_string()))?;
    write_atomically(&out_dir.join("match.json"), |w| {
        w.write_all(json.as_bytes())
    })
}

/// `prior -14.2; id exact +21.3; name homophone +9.1; …`: the waterfall in one cell, so a
/// spreadsheet user sees why without opening the evidence file.
fn waterfall_text(w: &hedui_match::Waterfall) -> String {
    let mut parts = vec![format!("prior {:+.1}", w.prior)];
    parts.extend(
        w.steps
            .iter()
            .filter(|s| s.weight != 0.0)
            .map(|s| format!("{} {} {:+.1}", s.field, s.level, s.weight)),
    );
    parts.join("; ")
}
