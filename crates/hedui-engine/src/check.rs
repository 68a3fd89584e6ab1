//! `hedui check`: the main job. Ingest, match, apply the policy, and write candidates with
//! their evidence trails.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

use hedui_core::record::{AssetDetail, AssetRecord, Member};
use hedui_evidence::EvidenceRecord;
use hedui_match::{Band, Link};
use hedui_policy::{Candidate, CandidateBand, LinkRef, Policy};

use crate::baseline::{Baseline, ChangesSummary};
use crate::config::RunConfig;
use crate::contract::{Contract, assess};
use crate::error::EngineError;
use crate::evidence::build_evidence;
use crate::link::{LinkRun, link_ingested};
use crate::validate::ingest_all;

/// A completed check, before writing.
#[derive(Debug)]
pub struct CheckRun {
    pub linked: LinkRun,
    pub policy: Policy,
    pub candidates: Vec<Candidate>,
    pub evidence: Vec<EvidenceRecord>,
    /// What the exports and the policy left uncertain (see [`crate::contract`]).
    pub contract: Contract,
    /// `(stage, seconds)` in order.
    pub timings: Vec<(&'static str, f64)>,
}

/// Runs the whole job in memory.
pub fn check(config: &RunConfig) -> Result<CheckRun, EngineError> {
    let policy_path = config.policy.as_ref().ok_or_else(|| EngineError::Config {
        path: config.path.clone(),
        message: "no `policy` file given; `hedui check` needs one".into(),
    })?;
    // A policy that takes effect after the check date must not be applied silently.
    let policy = Policy::load(policy_path)
        .and_then(|p| p.check_in_force(config.check_date).map(|()| p))
        .map_err(EngineError::Policy)?;
    let started = Instant::now();
    let ingested = ingest_all(config)?;
    // Before matching: a run that will be refused should not spend minutes first.
    let contract = assess(config, &policy, &ingested)?;
    contract.refuse_degraded(config)?;
    for warning in contract.warnings() {
        tracing::warn!("{warning}");
    }
    let linked = link_ingested(config, ingested, started.elapsed().as_secs_f64())?;
    let started = Instant::now();
    let refs: Vec<LinkRef> = linked
        .matched
        .links
        .iter()
        .map(|l| LinkRef {
            record: l.record,
            owner: l.owner,
            member: l.member,
            review: l.band == Band::Review,
        })
        .collect();
    let (members, assets) = (&linked.ingested.members, &linked.ingested.assets);
    let candidates = hedui_policy::evaluate(&policy, config.check_date, members, assets, &refs);
    let policy_secs = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let by_pair: HashMap<(usize, usize), &Link> = linked
        .matched
        .links
        .iter()
        .map(|l| ((l.record, l.member), l))
        .collect();
    let name_headers = name_headers(&linked);
    let evidence = candidates
        .iter()
        .filter_map(|c| {
            let link = by_pair.get(&(c.record, c.member))?;
            Some(build_evidence(
                c,
                link,
                &members[c.member],
                &assets[c.record],
                &policy,
                config,
                &name_headers,
            ))
        })
        .collect();
    let mut timings = linked.timings.clone();
    timings.push(("policy", policy_secs));
    timings.push(("evidence", started.elapsed().as_secs_f64()));
    Ok(CheckRun {
        linked,
        policy,
        candidates,
        evidence,
        contract,
        timings,
    })
}

/// Per input file, the headers that hold personal names (for masking raw rows).
fn name_headers(run: &LinkRun) -> HashMap<String, Vec<String>> {
    const NAME_FIELDS: [&str; 4] = ["owner_name", "owner_names", "operator_name", "member_name"];
    let mut out = HashMap::new();
    for report in &run.ingested.reports {
        for file in &report.files {
            let headers = file
                .mapping
                .iter()
                .filter(|(_, f)| f.is_some_and(|f| NAME_FIELDS.contains(&f)))
                .map(|(h, _)| h.clone())
                .collect();
            out.insert(file.path.clone(), headers);
        }
    }
    out
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
    let mut plain = std::collections::BTreeSet::new();
    let mut any = std::collections::BTreeSet::new();
    for c in &run.candidates {
        any.insert(&c.household_id);
        if c.band == CandidateBand::Candidate {
            plain.insert(&c.household_id);
        }
    }
    (plain.len(), any.len() - plain.len())
}

/// A record's values as hedui understood them, for the evidence trail.
pub(crate) fn normalised_values(
    record: &AssetRecord,
    owner: usize,
    member: &Member,
) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = Vec::new();
    if let Some(o) = record.owners.get(owner) {
        v.push(("owner_name".into(), o.name.as_str().to_owned()));
        let id = match &o.id.parsed {
            Ok(id) => id.as_str().to_owned(),
            Err(e) => format!("{} ({e})", o.id.raw()),
        };
        v.push(("owner_id".into(), id));
    }
    v.push(("record_key".into(), record.record_key.to_string()));
    v.push(("statuses".into(), record.statuses.join("、")));
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    v.push(("registered_on".into(), date(record.registered_on)));
    v.push(("status_changed_on".into(), date(record.status_changed_on)));
    match &record.detail {
        AssetDetail::Vehicle {
            vehicle_type,
            use_nature,
            ..
        } => {
            v.push(("vehicle_type".into(), vehicle_type.to_string()));
            v.push(("use_nature".into(), use_nature.to_string()));
        }
        AssetDetail::Licence {
            entity_type,
            entity_name,
            registered_capital,
            ..
        } => {
            v.push(("entity_name".into(), entity_name.to_string()));
            v.push(("entity_type".into(), entity_type.to_string()));
            v.push((
                "registered_capital_yuan".into(),
                registered_capital
                    .map(|c| format!("{c:.0}"))
                    .unwrap_or_default(),
            ));
        }
        AssetDetail::Property {
            use_parts,
            floor_area,
            co_ownership,
            right_type,
        } => {
            v.push(("use".into(), use_parts.join("/")));
            if !right_type.is_empty() {
                v.push(("right_type".into(), right_type.to_string()));
            }
            v.push((
                "floor_area_m2".into(),
                floor_area.map(|a| format!("{a:.2}")).unwrap_or_default(),
            ));
            v.push(("co_ownership".into(), co_ownership.to_string()));
        }
    }
    v.push(("address".into(), record.address.to_string()));
    v.push(("member_address".into(), member.address.to_string()));
    v
}

/// Writes every output of a check into `out_dir`, replacing a previous run only when the
/// new one is complete, and says what changed since `baseline` (`changes.csv`; without a
/// baseline every candidate is new).
pub fn write_check_outputs(
    out_dir: &Path,
    run: &CheckRun,
    config: &RunConfig,
    mask: bool,
    baseline: Option<&Baseline>,
) -> Result<ChangesSummary, EngineError> {
    crate::outputs::write_all(out_dir, run, config, mask, baseline)
}
