//! The audit report: every candidate with the row it came from and why it matched, so an
//! auditor can check it without hedui. Two forms of the same content:
//!
//! - `report/` ([`write_report_folder`]), linked pages that open at once at prefecture
//!   scale: the default;
//! - `report.html` ([`write_report_html`]), one self-contained file (inline CSS, no script,
//!   nothing fetched) to archive, mail and print as it is: for small runs.
//!
//! The HTML lives in `templates/`; this module only prepares final strings.

mod charts;
mod labels;
mod site;
mod view;

use std::collections::BTreeMap;
use std::io::Write;

use hedui_core::CandidateBand;
use hedui_core::area::County;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value};
use serde::Serialize;

pub(crate) use labels::{candidate_band_zh, percent};
use view::{CandidateView, bar_scale};

use crate::changes::{Change, ChangeCounts};
use crate::mask::Masker;
use crate::model::{EvidenceRecord, PolicyRef};
use crate::write::{EvidenceError, masked};

pub use site::{PAGE_LIMIT, ReportSite, write_report_folder};

const STYLE: &str = include_str!("../templates/report.css");
/// The templates, by name; the `.html` names turn on HTML autoescaping for every value.
const TEMPLATES: [(&str, &str); 16] = [
    (
        "kin_tables.html",
        include_str!("../templates/kin_tables.html"),
    ),
    (
        "relatives_intro.html",
        include_str!("../templates/relatives_intro.html"),
    ),
    (
        "relatives.html",
        include_str!("../templates/relatives.html"),
    ),
    ("report.html", include_str!("../templates/report.html")),
    ("cover.html", include_str!("../templates/cover.html")),
    ("summary.html", include_str!("../templates/summary.html")),
    ("since.html", include_str!("../templates/since.html")),
    (
        "change_table.html",
        include_str!("../templates/change_table.html"),
    ),
    ("inputs.html", include_str!("../templates/inputs.html")),
    ("footer.html", include_str!("../templates/footer.html")),
    (
        "candidate.html",
        include_str!("../templates/candidate.html"),
    ),
    ("page.html", include_str!("../templates/page.html")),
    ("index.html", include_str!("../templates/index.html")),
    ("county.html", include_str!("../templates/county.html")),
    (
        "household.html",
        include_str!("../templates/household.html"),
    ),
    ("changes.html", include_str!("../templates/changes.html")),
];

/// The rules whose candidates the 关系保 chapter lists.
const KIN_RULES: [&str; 3] = [
    "staff_recipient",
    "undeclared_relative",
    "case_worker_conflict",
];

/// One 关系保 lead in the chapter's list.
#[derive(Debug, Serialize)]
struct KinRow {
    href: Option<String>,
    household_id: String,
    member: String,
    rule: String,
    staff: String,
    relation: String,
    evidence: String,
    band: String,
}

/// The 关系保 leads, in candidate order; `href` links a household to its section or page.
fn kin_rows(
    records: &[EvidenceRecord],
    mask: Masker,
    href: impl Fn(&str) -> Option<String>,
) -> Vec<KinRow> {
    records
        .iter()
        .filter(|r| KIN_RULES.contains(&r.rule.as_str()))
        .map(|r| {
            let m = masked(r, mask);
            let kin = m.kin.as_ref();
            KinRow {
                href: href(&r.household_id),
                household_id: mask.text(&r.household_id),
                member: format!("{} {}", m.member.name, m.member.id),
                rule: if m.rule_zh.is_empty() {
                    m.rule.clone()
                } else {
                    m.rule_zh.clone()
                },
                staff: kin.map_or(String::new(), |k| {
                    format!("{}（{}）", k.staff_name, k.position)
                }),
                relation: kin.map_or(String::new(), |k| {
                    if k.declared {
                        format!("{}（已备案）", k.relation_zh)
                    } else {
                        k.relation_zh.clone()
                    }
                }),
                evidence: labels::kin_evidence_zh(kin.and_then(|k| k.evidence.as_deref()))
                    .to_owned(),
                band: candidate_band_zh(Some(r.band)),
            }
        })
        .collect()
}

/// The county code given to a county name hedui cannot place, so it sorts last.
const UNPLACED_COUNTY: &str = "999999";

fn environment() -> Result<Environment<'static>, EvidenceError> {
    let mut env = Environment::new();
    // A misspelt variable must fail the render, not print an empty cell in an audit report.
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)?;
    }
    Ok(env)
}

/// What every page shows: the run's facts and whether it is masked.
fn common_context(meta: &ReportMeta, mask: Masker) -> Value {
    minijinja::context! {
        meta => Value::from(Serde(meta)),
        // What was done, not what the caller claims: the notice must never overstate it.
        masked => mask.enabled,
        policy_hash => labels::short_hash(&meta.policy.sha256),
        style => STYLE,
    }
}

fn input_rows(meta: &ReportMeta) -> Vec<InputRow> {
    meta.inputs
        .iter()
        .map(|i| InputRow {
            file: i.file.clone(),
            sha_short: labels::short_hash(&i.sha256),
            rows: i.rows_read,
            accepted: i.accepted,
            rejected: i.rejected,
            balanced: i.rows_read == i.accepted + i.rejected,
        })
        .collect()
}

/// Facts about the run that the records do not carry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportMeta {
    pub title: String,
    pub run_id: String,
    pub engine_version: String,
    /// The only value allowed to differ between two renders of the same run.
    pub generated_at: String,
    pub check_date: String,
    pub policy: PolicyRef,
    pub masked: bool,
    /// Per input file, in run order.
    pub inputs: Vec<ReportInput>,
    /// What changed since the previous run; `None` when there was none to compare with.
    pub changes: Option<ReportChanges>,
    /// What the run could not judge fully, one sentence each: a degraded or absent column,
    /// a status the policy does not understand. Shown above the results, because every
    /// count below is weaker for it.
    pub caveats: Vec<String>,
    /// How the match weights of every compared pair fell, per department.
    pub scores: Vec<ReportScores>,
    /// The 关系保 chapter's declared relatives and stale register rows, when the run read
    /// the staff exports.
    pub relatives: Option<crate::RelativesChapter>,
}

/// One department's match weights over every compared pair, with the thresholds that cut
/// them into links, review and no match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportScores {
    pub department: String,
    pub department_zh: String,
    /// The weight (bits) of the first bin; bins are one bit wide, the end bins also hold
    /// everything beyond them.
    pub low: i32,
    pub counts: Vec<u64>,
    pub review_threshold: f64,
    pub link_threshold: f64,
}

/// One input file of the run, as the report lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportInput {
    pub file: String,
    pub sha256: String,
    pub rows_read: u64,
    pub accepted: u64,
    pub rejected: u64,
}

/// The previous run and the candidates that changed since it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportChanges {
    pub since_run_id: String,
    pub since_generated_at: String,
    pub counts: ChangeCounts,
    pub rows: Vec<Change>,
    /// Why the previous results could not be compared with, when they could not.
    pub not_compared: Option<String>,
}

#[derive(Debug, Serialize)]
struct ChangeRow {
    kind: &'static str,
    kind_zh: &'static str,
    household_id: String,
    /// The household's section or page, when this report has one.
    href: Option<String>,
    rule: String,
    record_key: String,
    member: String,
    band_before: String,
    band_now: String,
}

fn change_rows(
    changes: &ReportChanges,
    records: &[EvidenceRecord],
    mask: Masker,
) -> Vec<ChangeRow> {
    let here: std::collections::BTreeSet<&str> =
        records.iter().map(|r| r.household_id.as_str()).collect();
    // A dropped candidate's rule is named like this run's; an id no record names stays an id.
    let names: BTreeMap<&str, &str> = records
        .iter()
        .filter(|r| !r.rule_zh.is_empty())
        .map(|r| (r.rule.as_str(), r.rule_zh.as_str()))
        .collect();
    changes
        .rows
        .iter()
        .map(|c| ChangeRow {
            kind: c.kind.as_str(),
            kind_zh: c.kind.label_zh(),
            household_id: c.household_id.clone(),
            href: here
                .contains(c.household_id.as_str())
                .then(|| format!("#hh-{}", c.household_id)),
            rule: names
                .get(c.rule.as_str())
                .map_or_else(|| c.rule.clone(), |n| (*n).to_owned()),
            record_key: c.record_key.clone(),
            member: format!("{} {}", mask.name(&c.member_name), mask.id(&c.member_id)),
            band_before: candidate_band_zh(c.band_before),
            band_now: candidate_band_zh(c.band_now),
        })
        .collect()
}

#[derive(Debug, Serialize)]
struct InputRow {
    file: String,
    sha_short: String,
    rows: u64,
    accepted: u64,
    rejected: u64,
    /// Rows in = accepted + rejected; a report that breaks this says so.
    balanced: bool,
}

/// Candidate and review counts for one (county, rule) cell, or a subtotal.
#[derive(Debug, Default, Clone, Copy, Serialize)]
struct Counts {
    candidates: u64,
    review: u64,
    total: u64,
}

impl Counts {
    fn add(&mut self, band: CandidateBand) {
        if band == CandidateBand::Candidate {
            self.candidates += 1;
        } else {
            self.review += 1;
        }
        self.total += 1;
    }
}

#[derive(Debug, Serialize)]
struct CountySummary {
    county: String,
    rules: Vec<(String, Counts)>,
    subtotal: Counts,
}

#[derive(Debug, Serialize)]
struct Household {
    id: String,
    county: String,
    candidates: Vec<CandidateView>,
}

/// Counties in code order (as every Honghe table lists them); names hedui cannot place go
/// last, in text order, so the table is still deterministic.
fn county_key(name: &str) -> (String, String) {
    let code = County::from_name(name).map_or(UNPLACED_COUNTY, |c| c.code);
    (code.to_owned(), name.to_owned())
}

fn summarise(records: &[EvidenceRecord]) -> (Vec<CountySummary>, Counts) {
    let mut cells: BTreeMap<(String, String), BTreeMap<String, Counts>> = BTreeMap::new();
    let mut total = Counts::default();
    for r in records {
        cells
            .entry(county_key(&r.member.county))
            .or_default()
            .entry(if r.rule_zh.is_empty() {
                r.rule.clone()
            } else {
                r.rule_zh.clone()
            })
            .or_default()
            .add(r.band);
        total.add(r.band);
    }
    let counties = cells
        .into_iter()
        .map(|((_, county), rules)| {
            let mut subtotal = Counts::default();
            for c in rules.values() {
                subtotal.candidates += c.candidates;
                subtotal.review += c.review;
                subtotal.total += c.total;
            }
            CountySummary {
                county,
                rules: rules.into_iter().collect(),
                subtotal,
            }
        })
        .collect();
    (counties, total)
}

/// Households sorted by id; candidates within one in a fixed order, so the report does not
/// depend on the order the engine produced them in.
fn households(records: &[EvidenceRecord], mask: Masker) -> Vec<Household> {
    let scale = bar_scale(records);
    let mut sorted: Vec<&EvidenceRecord> = records.iter().collect();
    sorted.sort_by(|a, b| {
        (
            &a.household_id,
            &a.rule,
            &a.record.department,
            &a.record.record_key,
        )
            .cmp(&(
                &b.household_id,
                &b.rule,
                &b.record.department,
                &b.record.record_key,
            ))
            .then_with(|| a.candidate_id.cmp(&b.candidate_id))
    });
    let mut out: Vec<Household> = Vec::new();
    for r in sorted {
        let view = CandidateView::new(&masked(r, mask), scale);
        match out.last_mut() {
            Some(h) if h.id == r.household_id => h.candidates.push(view),
            _ => out.push(Household {
                id: r.household_id.clone(),
                county: r.member.county.clone(),
                candidates: vec![view],
            }),
        }
    }
    out
}

/// Writes the audit report for `records`. With `mask.enabled`, names and identity numbers
/// are masked everywhere, raw cells included; `meta.masked` should say the same.
pub fn write_report_html(
    out: &mut dyn Write,
    meta: &ReportMeta,
    records: &[EvidenceRecord],
    mask: Masker,
) -> Result<(), EvidenceError> {
    let env = environment()?;
    let inputs = input_rows(meta);
    let (counties, total) = summarise(records);
    let households = households(records, mask);
    let changes = meta.changes.as_ref().map(|c| change_rows(c, records, mask));
    let kin_all = kin_rows(records, mask, |id| Some(format!("#hh-{id}")));
    let ctx = minijinja::context! {
        ..common_context(meta, mask),
        ..minijinja::context! {
        inputs => Value::from(Serde(&inputs)),
        chart_counties => charts::by_county_and_rule(&counties),
        chart_scores => meta.scores.iter().map(charts::score_distribution).collect::<Vec<_>>(),
        counties => Value::from(Serde(&counties)),
        total => Value::from(Serde(total)),
        household_count => households.len(),
        households => Value::from(Serde(&households)),
        changes => Value::from(Serde(&changes)),
        kin_all => Value::from(Serde(&kin_all)),
        }
    };
    let html = env.get_template("report.html")?.render(ctx)?;
    out.write_all(html.as_bytes())?;
    Ok(())
}
