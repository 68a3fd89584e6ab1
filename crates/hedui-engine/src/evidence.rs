//! Building evidence records from a candidate, its link and the two rows behind them.

use std::collections::HashMap;

use hedui_core::record::{AssetDetail, AssetRecord, Member, Provenance};
use hedui_evidence::{
    EvidenceRecord, MatchEvidence, MemberEvidence, PolicyRef, RecordEvidence, SourceRef,
    WaterfallStep, candidate_id,
};
use hedui_match::Link;
use hedui_policy::{Candidate, Policy};

use crate::config::RunConfig;
use crate::link::LinkRun;

fn source(p: &Provenance) -> SourceRef {
    SourceRef {
        source: p.file.source.clone(),
        file: p.file.path.clone(),
        sha256: p.file.sha256.to_string(),
        sheet: p.sheet().map(str::to_owned),
        line: p.line,
    }
}

fn build_evidence(
    c: &Candidate,
    link: &Link,
    member: &Member,
    record: &AssetRecord,
    policy: &Policy,
    config: &RunConfig,
    name_headers: &HashMap<String, Vec<String>>,
) -> EvidenceRecord {
    let department = record.department.as_str();
    EvidenceRecord {
        candidate_id: candidate_id(
            &c.household_id,
            c.rule.as_str(),
            department,
            &record.record_key,
            member.id.raw(),
        ),
        household_id: c.household_id.clone(),
        rule: c.rule.as_str().to_owned(),
        rule_zh: hedui_policy::rule_name_zh(c.rule.as_str()).to_owned(),
        band: c.band,
        policy: PolicyRef {
            name: policy.name.clone(),
            version: policy.version.clone(),
            sha256: policy.sha256.clone(),
        },
        check_date: config.check_date.to_string(),
        member: MemberEvidence {
            name: member.name_raw().to_owned(),
            id: member.id.raw().to_owned(),
            relation: member.relation.to_string(),
            county: member
                .address
                .county
                .map(|c| c.common_name.to_owned())
                .unwrap_or_default(),
            address: member.address.to_string(),
            source: source(&member.provenance),
        },
        record: RecordEvidence {
            department: department.to_owned(),
            department_zh: record.department.label_zh().to_owned(),
            record_key: record.record_key.to_string(),
            source: source(&record.provenance),
            raw: record
                .provenance
                .pairs(&record.raw)
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect(),
            name_headers: name_headers
                .get(&record.provenance.file.path)
                .cloned()
                .unwrap_or_default(),
            normalised: normalised_values(record, link.owner, member),
            owner_position: link.owner,
            warnings: record.warnings.to_vec(),
        },
        matching: MatchEvidence {
            band: link.band,
            score: link.weight,
            probability: link.probability,
            prior: link.waterfall.prior,
            steps: link
                .waterfall
                .steps
                .iter()
                .map(|s| WaterfallStep {
                    field: s.field.to_owned(),
                    level: s.level.to_owned(),
                    weight: s.weight,
                    m: s.m,
                    u: s.u,
                    term_frequency: s.term_frequency,
                })
                .collect(),
            blocking_rules: link.rules.iter().map(|r| (*r).to_owned()).collect(),
            note: link.note.clone(),
        },
        fired_because: c.fired_because.clone(),
        reason_zh: c.reason_zh.clone(),
        case: None,
    }
}

/// The evidence trail of every candidate, in candidate order.
pub(crate) fn evidence_records(
    linked: &LinkRun,
    candidates: &[Candidate],
    policy: &Policy,
    config: &RunConfig,
) -> Vec<EvidenceRecord> {
    let by_pair: HashMap<(usize, usize), &Link> = linked
        .matched
        .links
        .iter()
        .map(|l| ((l.record, l.member), l))
        .collect();
    let name_headers = name_headers(linked);
    let (members, assets) = (&linked.ingested.members, &linked.ingested.assets);
    candidates
        .iter()
        .filter_map(|c| {
            let link = by_pair.get(&(c.record, c.member))?;
            Some(build_evidence(
                c,
                link,
                &members[c.member],
                &assets[c.record],
                policy,
                config,
                &name_headers,
            ))
        })
        .collect()
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
