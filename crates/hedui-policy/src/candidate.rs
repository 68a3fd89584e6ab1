//! Candidates: what the rules propose, with the values that made them fire.

use chrono::NaiveDate;
use hedui_core::{AssetRecord, CandidateBand, Department, LinkBand, Member};
use serde::Serialize;

use crate::household::{Context, Holding};
use crate::policy::Policy;
use crate::rules::{self, RuleId};

/// A link from matching, as indices into the slices given to [`evaluate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct LinkRef {
    /// Index into the assets.
    pub record: usize,
    /// Position of the owner within the record.
    pub owner: usize,
    /// Index into the members.
    pub member: usize,
    /// The link is in the review band: the engine is not sure it is the same person.
    pub review: bool,
}

/// One proposal for a person to check: this household, this rule, this record, this member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub household_id: String,
    pub rule: RuleId,
    pub department: Department,
    /// Index into the assets.
    pub record: usize,
    /// Index into the members.
    pub member: usize,
    pub band: CandidateBand,
    /// The values that made the rule fire, as (label, value) pairs for evidence, e.g.
    /// `("vehicle_type", "小型轿车")`, `("active_on_check_date", "yes: status 正常")`,
    /// `("homes", "2 > 1")`.
    pub fired_because: Vec<(String, String)>,
    /// One sentence in Simplified Chinese for the report.
    pub reason_zh: String,
    /// For the relatives rules: the staff member and the kinship the candidate stands on.
    /// `record` is then the staff roster row, so one staff member and one member make one
    /// candidate whatever the evidence.
    pub kin: Option<KinRef>,
}

/// The staff member behind a relatives candidate, and how the member is related.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KinRef {
    /// Index into the assets: the staff roster row.
    pub staff_record: usize,
    /// The row that ties the member to the staff member (their registration row, the title
    /// they share, the register row), whose link to the member says how surely it is them;
    /// `None` when the member is the staff member, or when no row of theirs does (weak).
    pub evidence_record: Option<usize>,
    /// `None` when the member is the staff member, or a declared relative.
    pub evidence: Option<crate::kin::Evidence>,
    pub relation_zh: String,
    /// Where the kinship was seen.
    pub via: String,
    /// The register declares it.
    pub declared: bool,
}

/// A finding about the centre's own data that is no lead against a family (a stale
/// register row): listed for the centre to tidy, never a candidate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: RuleId,
    /// Index into the assets.
    pub record: usize,
    /// What is wrong, as a short code (`recipient_gone`, `staff_left`).
    pub kind: &'static str,
    pub reason_zh: String,
}

/// Applies every enabled rule of `policy` on `check_date`.
///
/// Links are trusted as given; indices out of range are skipped. The result is sorted by
/// household id, rule, record key, member, then band and record. Rows of the same record key
/// for the same member and rule (an export's duplicate rows) are merged into one candidate,
/// the surest band kept and the other rows listed under `same_record_rows`.
pub fn evaluate(
    policy: &Policy,
    check_date: NaiveDate,
    members: &[Member],
    assets: &[AssetRecord],
    links: &[LinkRef],
) -> Vec<Candidate> {
    assess(policy, check_date, members, assets, links).0
}

/// [`evaluate`], and what the enabled rules find wrong with the centre's own data (see
/// [`Finding`]), in record order: one pass over the households for both.
pub fn assess(
    policy: &Policy,
    check_date: NaiveDate,
    members: &[Member],
    assets: &[AssetRecord],
    links: &[LinkRef],
) -> (Vec<Candidate>, Vec<Finding>) {
    let ctx = Context::new(policy, check_date, members, assets, links);
    let mut out = Vec::new();
    rules::apply_all(&ctx, &mut out);
    let mut findings: Vec<Finding> = ctx
        .policy
        .rules
        .present()
        .into_iter()
        .filter(|r| r.enabled())
        .flat_map(|r| r.hygiene(&ctx))
        .collect();
    findings.sort_by_key(|f| (f.record, f.rule, f.kind));
    (finish(out, assets), findings)
}

/// A relatives candidate: `member` and the staff row of `kin` (see [`Candidate::kin`]).
pub(crate) fn kin_candidate(
    ctx: &Context<'_>,
    rule: RuleId,
    member: usize,
    band: CandidateBand,
    fired_because: Vec<(String, String)>,
    reason_zh: String,
    kin: KinRef,
) -> Option<Candidate> {
    let household_id = ctx.members.get(member)?.household_id.to_string();
    let reason_zh = match band {
        CandidateBand::Candidate => reason_zh,
        CandidateBand::Review => format!(
            "{}；所依据的身份匹配或亲属关系证据不确定，须人工核实。",
            reason_zh.trim_end_matches('。')
        ),
    };
    Some(Candidate {
        household_id,
        rule,
        department: Department::Staff,
        record: kin.staff_record,
        member,
        band,
        fired_because,
        reason_zh,
        kin: Some(kin),
    })
}

/// Builds a candidate from a holding, adding the evidence every rule shares after the rule's
/// own pairs.
pub(crate) fn candidate(
    ctx: &Context<'_>,
    rule: RuleId,
    h: &Holding,
    band: CandidateBand,
    mut fired_because: Vec<(String, String)>,
    reason_zh: String,
) -> Candidate {
    let record = ctx.record(h);
    if let Some(record) = record {
        fired_because.push(pair("record_key", &record.record_key));
        if let Some(owner) = record.owners.get(h.owner) {
            fired_because.push(pair("holder", owner.name_raw()));
            if record.owners.len() > 1 {
                let position = format!("{} of {}", h.owner + 1, record.owners.len());
                fired_because.push(pair("holder_position", &position));
            }
        }
    }
    fired_because.push(pair("active_on_check_date", &h.activity.describe()));
    fired_because.push(pair("link_band", LinkBand::of(h.review).as_str()));
    // A state nobody understood may mean the holding ended: never a plain candidate.
    let unclear = h.activity.unclear();
    let (band, reason_zh) = if unclear.is_empty() {
        (band, reason_zh)
    } else {
        fired_because.push(pair("status_not_understood", &unclear.join(", ")));
        let reason = format!(
            "{}，状态「{}」不在政策的状态词表中，无法判断是否已注销。",
            reason_zh.trim_end_matches('。'),
            unclear.join("、")
        );
        (CandidateBand::Review, reason)
    };
    let reason_zh = match band {
        CandidateBand::Candidate => reason_zh,
        // The sentence stays one sentence: the caveat replaces its full stop.
        CandidateBand::Review => format!(
            "{}；所依据的身份匹配或数据不确定，须人工核实。",
            reason_zh.trim_end_matches('。')
        ),
    };
    Candidate {
        household_id: ctx.household(h).to_owned(),
        rule,
        department: record.map_or(Department::Property, |r| r.department()),
        record: h.record,
        member: h.member,
        band,
        fired_because,
        reason_zh,
        kin: None,
    }
}

/// A `(label, value)` evidence pair.
pub(crate) fn pair(label: &str, value: &str) -> (String, String) {
    (label.to_owned(), value.to_owned())
}

/// Sorts, then merges rows of one record key for one member and rule.
fn finish(mut out: Vec<Candidate>, assets: &[AssetRecord]) -> Vec<Candidate> {
    let key = |c: &Candidate| assets.get(c.record).map_or("", |r| &*r.record_key);
    out.sort_by(|a, b| {
        (&*a.household_id, a.rule, key(a), a.member, a.band, a.record).cmp(&(
            &*b.household_id,
            b.rule,
            key(b),
            b.member,
            b.band,
            b.record,
        ))
    });
    let mut merged: Vec<Candidate> = Vec::with_capacity(out.len());
    let mut others: Vec<Vec<String>> = Vec::with_capacity(out.len());
    for c in out {
        if let (Some(last), Some(rows)) = (merged.last(), others.last_mut())
            && !key(&c).is_empty()
            && (&*last.household_id, last.rule, key(last), last.member)
                == (&*c.household_id, c.rule, key(&c), c.member)
        {
            rows.push(row_ref(assets.get(c.record)));
            continue;
        }
        merged.push(c);
        others.push(Vec::new());
    }
    for (c, rows) in merged.iter_mut().zip(others) {
        if !rows.is_empty() {
            c.fired_because
                .push(pair("same_record_rows", &rows.join("; ")));
        }
    }
    merged
}

/// `path:line` or `path[sheet]:line`, so a reviewer can open the other row.
fn row_ref(record: Option<&AssetRecord>) -> String {
    record.map_or_else(String::new, |r| {
        let p = &r.provenance;
        match p.sheet() {
            Some(sheet) => format!("{}[{sheet}]:{}", p.file.path, p.line),
            None => format!("{}:{}", p.file.path, p.line),
        }
    })
}
