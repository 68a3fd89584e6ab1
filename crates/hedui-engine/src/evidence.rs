//! Building evidence records from a candidate, its link and the two rows behind them.

use std::collections::HashMap;

use hedui_core::record::{AssetDetail, AssetRecord, Member, Provenance};
use hedui_evidence::{
    EvidenceRecord, KinEvidence, MatchEvidence, MemberEvidence, PolicyRef, RecordEvidence,
    SourceRef, WaterfallStep, candidate_id,
};
use hedui_match::Link;
use hedui_policy::{Candidate, Policy};

use crate::config::RunConfig;
use crate::error::EngineError;
use crate::ingest::Ingested;
use crate::link::LinkRun;

pub(crate) fn source(p: &Provenance) -> SourceRef {
    SourceRef {
        source: p.file.source.clone(),
        file: p.file.path.clone(),
        sha256: p.file.sha256.to_string(),
        sheet: p.sheet().map(str::to_owned),
        line: p.line,
    }
}

/// How the member was found on a record no link joins them to: a 关系保 candidate on weak
/// evidence, where the staff row is the record and the member is someone else.
fn unlinked() -> MatchEvidence {
    MatchEvidence {
        band: hedui_match::Band::Review,
        score: 0.0,
        probability: 0.0,
        prior: 0.0,
        steps: Vec::new(),
        blocking_rules: Vec::new(),
        note: Some("此记录的人不是该成员本人；成员由亲属关系证据找到，见下文。".to_owned()),
    }
}

/// The staff member and the kinship of a 关系保 candidate.
fn kin_evidence(c: &Candidate, ingested: &Ingested) -> Result<Option<KinEvidence>, EngineError> {
    let assets = &ingested.assets;
    let Some(kin) = c.kin.as_ref() else {
        return Ok(None);
    };
    let Some(staff) = assets.get(kin.staff_record) else {
        return Ok(None);
    };
    let Some(owner) = staff.owners.first() else {
        return Ok(None);
    };
    let AssetDetail::Staff(post) = &staff.detail else {
        return Ok(None);
    };
    let term = hedui_policy::kin::term_text(post.term_start, post.term_end);
    let evidence = kin.evidence_record.and_then(|r| assets.get(r));
    let evidence_raw = match evidence {
        Some(r) => raw_pairs(ingested, r)?,
        None => Vec::new(),
    };
    Ok(Some(KinEvidence {
        staff_name: owner.name_raw().to_owned(),
        staff_id: owner.id.raw().to_owned(),
        position: post.position.to_string(),
        unit: post.unit.to_string(),
        serves: post.serves(),
        term,
        staff_source: source(&staff.provenance),
        evidence: kin.evidence.map(|e| e.as_str().to_owned()),
        relation_zh: kin.relation_zh.clone(),
        via: kin.via.clone(),
        declared: kin.declared,
        evidence_source: evidence.map(|r| source(&r.provenance)),
        evidence_raw,
    }))
}

/// The record's cells as read, under their headers, read back from the cell store when
/// the run keeps them on disk.
fn raw_pairs(
    ingested: &Ingested,
    record: &AssetRecord,
) -> Result<Vec<(String, String)>, EngineError> {
    let raw = ingested.raw_cells(&record.raw)?;
    Ok(record
        .provenance
        .pairs(&raw)
        .map(|(h, v)| (h.to_owned(), v.to_owned()))
        .collect())
}

#[allow(clippy::too_many_arguments)] // the candidate's parts, each from its own stage
fn build_evidence(
    c: &Candidate,
    link: Option<&Link>,
    member: &Member,
    record: &AssetRecord,
    policy: &Policy,
    config: &RunConfig,
    name_headers: &HashMap<String, Vec<String>>,
    ingested: &Ingested,
) -> Result<EvidenceRecord, EngineError> {
    let department = record.department().as_str();
    Ok(EvidenceRecord {
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
            department_zh: record.department().label_zh().to_owned(),
            record_key: record.record_key.to_string(),
            source: source(&record.provenance),
            raw: raw_pairs(ingested, record)?,
            name_headers: name_headers
                .get(&record.provenance.file.path)
                .cloned()
                .unwrap_or_default(),
            normalised: normalised_values(record, link.map_or(0, |l| l.owner), member),
            owner_position: link.map_or(0, |l| l.owner),
            warnings: record.warnings.to_vec(),
        },
        matching: link.map_or_else(unlinked, |link| MatchEvidence {
            band: link.band,
            score: link.weight,
            probability: link.probability,
            prior: link.waterfall.prior,
            steps: link
                .waterfall
                .steps
                .iter()
                .map(|s| WaterfallStep {
                    field: s.field().to_owned(),
                    level: s.level().to_owned(),
                    weight: s.weight(),
                    m: s.m(),
                    u: s.u(),
                    term_frequency: s.term_frequency(),
                })
                .collect(),
            blocking_rules: link.rules.iter().map(|r| (*r).to_owned()).collect(),
            note: link.note.clone(),
        }),
        fired_because: c.fired_because.clone(),
        reason_zh: c.reason_zh.clone(),
        case: None,
        kin: kin_evidence(c, ingested)?,
    })
}

/// The evidence trail of every candidate, in candidate order.
pub(crate) fn evidence_records(
    linked: &LinkRun,
    candidates: &[Candidate],
    policy: &Policy,
    config: &RunConfig,
) -> Result<Vec<EvidenceRecord>, EngineError> {
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
            // A candidate stands on a link, except a 关系保 one on weak evidence, whose
            // member no row names.
            let linked_record = c
                .kin
                .as_ref()
                .and_then(|k| k.evidence_record)
                .unwrap_or(c.record);
            let link = by_pair.get(&(linked_record, c.member)).copied();
            if link.is_none() && c.kin.is_none() {
                return None;
            }
            Some(build_evidence(
                c,
                link,
                members.get(c.member)?,
                assets.get(c.record)?,
                policy,
                config,
                &name_headers,
                &linked.ingested,
            ))
        })
        .collect()
}

/// Per input file, the headers that hold personal names (for masking raw rows).
fn name_headers(run: &LinkRun) -> HashMap<String, Vec<String>> {
    const NAME_FIELDS: [&str; 7] = [
        "owner_name",
        "owner_names",
        "operator_name",
        "member_name",
        "staff_name",
        "recipient_name",
        "person_name",
    ];
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
                    .get()
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
                floor_area
                    .get()
                    .map(|a| format!("{a:.2}"))
                    .unwrap_or_default(),
            ));
            v.push(("co_ownership".into(), co_ownership.to_string()));
        }
        AssetDetail::Staff(post) => {
            v.push(("position".into(), post.position.to_string()));
            v.push(("unit".into(), post.unit.to_string()));
            v.push(("serves".into(), post.serves()));
            v.push(("term_start".into(), date(post.term_start)));
            v.push(("term_end".into(), date(post.term_end)));
        }
        AssetDetail::Register {
            relation,
            certificate_no,
        } => {
            v.push(("relation".into(), relation.to_string()));
            v.push(("certificate_no".into(), certificate_no.to_string()));
        }
        AssetDetail::Hukou { hukou_no, relation } => {
            v.push(("hukou_no".into(), hukou_no.to_string()));
            v.push(("relation".into(), relation.to_string()));
        }
    }
    v.push(("address".into(), record.address.to_string()));
    v.push(("member_address".into(), member.address.to_string()));
    v
}
