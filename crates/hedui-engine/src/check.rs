//! `hedui check`: the main job, in memory. Ingest, check the contract, link, assess against
//! the policy, and build the evidence trails; `output` writes them.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use hedui_core::CandidateBand;
use hedui_evidence::EvidenceRecord;
use hedui_policy::{Candidate, Policy};

use crate::assess::load_policy;
use crate::config::RunConfig;
use crate::contract::{Contract, assess};
use crate::error::EngineError;
use crate::evidence::evidence_records;
use crate::ingest::ingest_all;
use crate::link::{LinkRun, link_ingested};

/// A completed check, before writing.
#[derive(Debug)]
pub struct CheckRun {
    pub linked: LinkRun,
    pub policy: Policy,
    pub candidates: Vec<Candidate>,
    /// What the policy found wrong with the centre's own data: no lead against anyone.
    pub findings: Vec<hedui_policy::Finding>,
    pub evidence: Vec<EvidenceRecord>,
    /// What the exports and the policy left uncertain (see [`crate::contract`]).
    pub contract: Contract,
    /// `(stage, seconds)` in order.
    pub timings: Vec<(&'static str, f64)>,
    /// Accepted rows left out of matching because no rule reads them, by department.
    pub not_matched: BTreeMap<String, u64>,
}

/// Runs the whole job in memory: ingest, the contract check, link, assess, evidence.
pub fn check(config: &RunConfig) -> Result<CheckRun, EngineError> {
    let policy = load_policy(config)?;
    let started = Instant::now();
    let mut ingested = ingest_all(config)?;
    let ingest_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    // Before matching: a run that will be refused should not spend minutes first.
    let contract = assess(config, &policy, &ingested)?;
    contract.refuse_degraded(config)?;
    tracing::debug!(
        seconds = started.elapsed().as_secs_f64(),
        "contract assessed"
    );
    for warning in contract.warnings() {
        tracing::warn!("{warning}");
    }
    // Counted by the contract; matching never sees them.
    let not_matched = std::mem::take(&mut ingested.not_matched);
    ingested.drop_unread();
    tracing::debug!(
        seconds = started.elapsed().as_secs_f64(),
        "unread rows freed"
    );
    let timings = vec![
        ("ingest", ingest_secs),
        ("contract", started.elapsed().as_secs_f64()),
    ];
    let linked = link_ingested(config, ingested, timings)?;
    let started = Instant::now();
    let (candidates, findings) = crate::assess::candidates(&policy, config, &linked);
    let policy_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let evidence = evidence_records(&linked, &candidates, &policy, config)?;
    let mut timings = linked.timings.clone();
    timings.push(("policy", policy_secs));
    timings.push(("evidence", started.elapsed().as_secs_f64()));
    Ok(CheckRun {
        linked,
        policy,
        candidates,
        findings,
        evidence,
        contract,
        timings,
        not_matched,
    })
}

/// Counts per band, rule and county, for the manifest and the summary table.
pub fn candidate_counts(run: &CheckRun) -> BTreeMap<String, BTreeMap<String, u64>> {
    let mut counts: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for r in &run.evidence {
        let band = r.band.as_str();
        *counts
            .entry("band".into())
            .or_default()
            .entry(band.to_owned())
            .or_default() += 1;
        *counts
            .entry("rule".into())
            .or_default()
            .entry(format!("{}/{band}", r.rule))
            .or_default() += 1;
        let county = if r.member.county.is_empty() {
            "未知".to_owned()
        } else {
            r.member.county.clone()
        };
        *counts
            .entry("county".into())
            .or_default()
            .entry(format!("{county}/{band}"))
            .or_default() += 1;
    }
    counts
}

/// Distinct households with at least one plain candidate, and with only review candidates.
pub fn household_counts(run: &CheckRun) -> (usize, usize) {
    let mut plain = BTreeSet::new();
    let mut any = BTreeSet::new();
    for c in &run.candidates {
        any.insert(&c.household_id);
        if c.band == CandidateBand::Candidate {
            plain.insert(&c.household_id);
        }
    }
    (plain.len(), any.len() - plain.len())
}
