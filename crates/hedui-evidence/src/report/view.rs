//! What the template sees for one candidate. Every string is final — masked, translated,
//! formatted — so the template only lays things out and cannot leak or misformat a value.

use serde::Serialize;

use super::labels::{candidate_band_zh, field_zh, level_zh, percent, short_hash};
use crate::model::{EvidenceRecord, SourceRef};
use hedui_core::{CandidateBand, LinkBand};

/// Columns per piece of the raw-row table: about what an A4 page holds legibly.
const RAW_COLUMNS: usize = 7;

#[derive(Debug, Serialize)]
pub(crate) struct CandidateView {
    candidate_id: String,
    rule: String,
    band_zh: String,
    /// Review band: drawn with the amber "uncertain" badge.
    uncertain: bool,
    member: MemberView,
    record: RecordView,
    matching: MatchView,
    reason_zh: String,
    fired_because: Vec<(String, String)>,
    /// The staff member and the kinship of a 关系保 candidate.
    kin: Option<KinView>,
    /// The case's status in the review loop, and its decisions, when the run keeps a store.
    status_zh: Option<String>,
    history: Vec<HistoryView>,
}

#[derive(Debug, Serialize)]
struct KinView {
    staff: String,
    post: String,
    source: String,
    relation: String,
    evidence_zh: String,
    via: String,
    declared: bool,
    /// The row that ties them, where it is and as it was.
    row_source: Option<String>,
    row: Vec<(String, String)>,
}

fn kin_view(k: &crate::KinEvidence) -> KinView {
    KinView {
        staff: format!("{} {}", k.staff_name, k.staff_id),
        post: [
            k.position.as_str(),
            k.unit.as_str(),
            k.serves.as_str(),
            k.term.as_str(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("，"),
        source: locate(&k.staff_source),
        relation: k.relation_zh.clone(),
        evidence_zh: super::labels::kin_evidence_zh(k.evidence.as_deref()).to_owned(),
        via: k.via.clone(),
        declared: k.declared,
        row_source: k.evidence_source.as_ref().map(locate),
        row: k.evidence_raw.clone(),
    }
}

#[derive(Debug, Serialize)]
struct HistoryView {
    decided_at: String,
    decision_zh: &'static str,
    reviewer: String,
    reason: String,
    /// Made on earlier evidence than this run's.
    earlier_evidence: bool,
}

#[derive(Debug, Serialize)]
struct MemberView {
    name: String,
    relation: String,
    id: String,
    county: String,
    address: String,
    source: String,
}

#[derive(Debug, Serialize)]
struct RecordView {
    department_zh: String,
    department: String,
    record_key: String,
    source: String,
    sha_short: String,
    /// The raw row as `(header, value)` pairs, cut into pieces of [`RAW_COLUMNS`] so a
    /// wide export still fits an A4 page as a few stacked two-row tables.
    raw: Vec<RawPiece>,
    normalised: Vec<(String, String)>,
    warnings: Vec<String>,
}

/// Part of the raw row. `pad` empty cells follow the last piece so its columns line up
/// with the pieces above instead of stretching across the page.
#[derive(Debug, Serialize)]
struct RawPiece {
    cells: Vec<(String, String)>,
    pad: usize,
}

#[derive(Debug, Serialize)]
struct MatchView {
    band_zh: String,
    is_link: bool,
    note: Option<String>,
    score: String,
    probability: String,
    steps: Vec<StepView>,
    blocking_rules: Vec<String>,
}

/// One bar of the waterfall. `width` is a percentage of the whole track (at most 50, half
/// of it, from the central axis), scaled so the largest weight in the report reaches the
/// edge and bars are comparable across households.
#[derive(Debug, Serialize)]
struct StepView {
    field_zh: String,
    level_zh: String,
    /// `pos`, `neg` or `zero`: which side of the axis the bar sits on.
    side: &'static str,
    width: String,
    weight: String,
    running: String,
}

/// "file · 工作表 sheet · 第 N 行": where to find the row.
fn locate(s: &SourceRef) -> String {
    match &s.sheet {
        Some(sheet) => format!("{} · 工作表 {} · 第 {} 行", s.file, sheet, s.line),
        None => format!("{} · 第 {} 行", s.file, s.line),
    }
}

fn step(field_zh: String, level_zh: String, weight: f64, running: f64, scale: f64) -> StepView {
    let side = if weight > 0.0 {
        "pos"
    } else if weight < 0.0 {
        "neg"
    } else {
        "zero"
    };
    StepView {
        field_zh,
        level_zh,
        side,
        width: format!("{:.1}", (weight.abs() / scale * 50.0).min(50.0)),
        // A neutral level reads "0.00", not "+0.00": it neither supports nor opposes.
        weight: if weight == 0.0 {
            "0.00".to_owned()
        } else {
            format!("{weight:+.2}")
        },
        running: format!("{running:+.2}"),
    }
}

/// The largest |weight| in any waterfall, the common scale of all bars (at least 1 bit, so
/// a report of tiny weights does not blow them up to full width).
pub(crate) fn bar_scale(records: &[EvidenceRecord]) -> f64 {
    records
        .iter()
        .flat_map(|r| {
            std::iter::once(r.matching.prior).chain(r.matching.steps.iter().map(|s| s.weight))
        })
        .filter(|w| w.is_finite())
        .fold(1.0_f64, |acc, w| acc.max(w.abs()))
}

impl CandidateView {
    /// `r` must already be masked when masking is on.
    pub(crate) fn new(r: &EvidenceRecord, scale: f64) -> Self {
        let m = &r.matching;
        let mut running = m.prior;
        let mut steps = vec![step(
            "先验".to_owned(),
            "基础比率".to_owned(),
            m.prior,
            running,
            scale,
        )];
        for s in &m.steps {
            running += s.weight;
            steps.push(step(
                field_zh(&s.field),
                level_zh(&s.level),
                s.weight,
                running,
                scale,
            ));
        }
        CandidateView {
            kin: r.kin.as_ref().map(kin_view),
            candidate_id: r.candidate_id.clone(),
            rule: if r.rule_zh.is_empty() {
                r.rule.clone()
            } else {
                r.rule_zh.clone()
            },
            band_zh: candidate_band_zh(Some(r.band)),
            uncertain: r.band != CandidateBand::Candidate || m.band != LinkBand::Link,
            member: MemberView {
                name: r.member.name.clone(),
                relation: r.member.relation.clone(),
                id: r.member.id.clone(),
                county: r.member.county.clone(),
                address: r.member.address.clone(),
                source: locate(&r.member.source),
            },
            record: RecordView {
                department_zh: r.record.department_zh.clone(),
                department: r.record.department.clone(),
                record_key: r.record.record_key.clone(),
                source: locate(&r.record.source),
                sha_short: short_hash(&r.record.source.sha256),
                raw: r
                    .record
                    .raw
                    .chunks(RAW_COLUMNS)
                    .map(|cells| RawPiece {
                        cells: cells.to_vec(),
                        pad: RAW_COLUMNS - cells.len(),
                    })
                    .collect(),
                normalised: r.record.normalised.clone(),
                warnings: r.record.warnings.clone(),
            },
            matching: MatchView {
                band_zh: m.band.label_zh().to_owned(),
                is_link: m.band == LinkBand::Link,
                note: m.note.clone(),
                score: format!("{:.2}", m.score),
                probability: percent(m.probability),
                steps,
                blocking_rules: m.blocking_rules.clone(),
            },
            reason_zh: r.reason_zh.clone(),
            status_zh: r.case.as_ref().map(|c| c.status.label_zh().to_owned()),
            history: r.case.as_ref().map_or_else(Vec::new, |c| {
                c.history
                    .iter()
                    .map(|d| HistoryView {
                        decided_at: d.decided_at.clone(),
                        decision_zh: d.decision.label_zh(),
                        reviewer: d.reviewer.clone(),
                        reason: d.reason.clone(),
                        earlier_evidence: !d.on_this_evidence,
                    })
                    .collect()
            }),
            fired_because: r.fired_because.clone(),
        }
    }
}
