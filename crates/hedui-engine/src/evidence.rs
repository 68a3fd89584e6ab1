//! Building evidence records from a candidate, its link and the two rows behind them.

use std::collections::HashMap;

use hedui_core::record::{AssetRecord, Member, Provenance};
use hedui_evidence::{
    EvidenceRecord, MatchEvidence, MemberEvidence, PolicyRef, RecordEvidence, SourceRef,
    WaterfallStep, candidate_id,
};
use hedui_match::Link;
use hedui_policy::{Candidate, Policy};

use crate::check::normalised_values;
use crate::config::RunConfig;

fn source(p: &Provenance) -> SourceRef {
    SourceRef {
        source: p.file.source.clone(),
        file: p.file.path.clone(),
        sha256: p.file.sha256.to_string(),
        sheet: p.sheet().map(str::to_owned),
        line: p.line,
    }
}

pub(crate) fn build_evidence(
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
    }
}
