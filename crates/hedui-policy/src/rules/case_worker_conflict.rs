//! A case worker or committee member who serves the village of a relative's recipient household (经办人与亲属同村).
//!
//! ## What it does
//!
//! Proposes every member who is a relative of a staff member in office on the check date —
//! declared in the register, or found in the data as for `undeclared_relative` — when the
//! staff member's position is one of `positions` (words matched by containment) and the
//! village or community they serve is the member household's own. A declared relative is
//! still proposed here: the register makes the tie known, it does not take the case out of
//! the hands of the relative who prepares it.
//!
//! The band follows the weaker of the links; weak kinship evidence (same surname and house
//! only) gives a review candidate at most.
//!
//! ## Why
//!
//! The village case worker (低保专干) and the committee collect applications, run the
//! democratic appraisal and post the public notice. Serving one's own relative's household
//! is the situation the recusal rules (回避制度) exist for.
//!
//! ## Evidence it needs
//!
//! The staff roster with positions and the township and village served, spelled as the
//! recipients' roster spells them (`阿倮村委会` and `阿倮村` are one village), the register,
//! and the kinship evidence `undeclared_relative` reads.
//!
//! ## Example
//!
//! ```toml
//! [rules.case_worker_conflict]
//! positions = ["低保专干", "民政助理员", "村委会", "村民委员会", "村民小组长", "社区书记", "社区主任", "居委会"]
//! ```

use serde::{Deserialize, Serialize};

use crate::candidate::{Candidate, KinRef, kin_candidate, pair};
use crate::error::PolicyError;
use crate::household::Context;
use crate::kin::Evidence;
use crate::policy::check_words;
use crate::rules::staff_recipient::position_listed;
use crate::rules::{Rule, RuleId, RuleMeta};
use hedui_core::{CandidateBand, Department};

/// What the registry knows of the rule.
pub const META: RuleMeta = RuleMeta {
    id: RuleId::new("case_worker_conflict"),
    name_zh: "经办人员与亲属同村",
    department: Department::Staff,
};

/// `[rules.case_worker_conflict]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseWorkerConflictRule {
    #[serde(default = "super::enabled")]
    pub enabled: bool,
    /// Words a position must contain: the posts that handle a village's cases.
    pub positions: Vec<String>,
}

impl Rule for CaseWorkerConflictRule {
    fn meta(&self) -> RuleMeta {
        META
    }

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn validate(&self, origin: &str) -> Result<(), PolicyError> {
        check_words(origin, "rules.case_worker_conflict.positions", &self.positions)
    }

    fn apply(&self, ctx: &Context<'_>, out: &mut Vec<Candidate>) {
        let kin = ctx.kin();
        // (staff, member, evidence row, review, evidence, relation, via, declared)
        #[allow(clippy::type_complexity)] // one tuple per tie, read right below
        let mut ties: Vec<(
            usize,
            usize,
            Option<usize>,
            bool,
            Option<Evidence>,
            String,
            String,
            bool,
        )> = Vec::new();
        for r in &kin.relatives {
            ties.push((
                r.staff,
                r.member,
                r.record,
                r.review || r.evidence == Evidence::Weak,
                Some(r.evidence),
                r.relation_zh.clone(),
                r.via.clone(),
                kin.is_declared(r.staff, r.member),
            ));
        }
        for d in &kin.declarations {
            for &s in &d.staff {
                for &(member, review) in &d.members {
                    // Found in the data too: that tie is already listed, with its evidence.
                    if kin.relatives.iter().any(|r| r.staff == s && r.member == member) {
                        continue;
                    }
                    let relation = if d.relation.is_empty() {
                        "已备案亲属".to_owned()
                    } else {
                        d.relation.clone()
                    };
                    ties.push((
                        s,
                        member,
                        Some(d.record),
                        review,
                        None,
                        relation,
                        "亲属备案登记".to_owned(),
                        true,
                    ));
                }
            }
        }
        for (s, member, record, review, evidence, relation, via, declared) in ties {
            let staff = &kin.staff[s];
            let Some(m) = ctx.members.get(member) else {
                continue;
            };
            let same_village = staff.served.village.is_some()
                && staff.served.village == m.address.village
                && (staff.served.township.is_none()
                    || m.address.township.is_none()
                    || staff.served.township == m.address.township);
            if !same_village
                || !staff.in_office(ctx.check_date)
                || !position_listed(&self.positions, &staff.position)
            {
                continue;
            }
            let fired = vec![
                pair("position", &staff.position),
                pair("serves", &format!("{}{}", staff.township, staff.village)),
                pair("relation", &relation),
                pair("evidence", evidence.map_or("declared", Evidence::as_str)),
                pair("via", &via),
                pair("declared", if declared { "yes" } else { "no" }),
            ];
            let reason = format!(
                "{}{}（{}）服务本户所在的{}，与户内成员为{}（{}）；经办人员须回避亲属的低保事项。",
                if declared { "已备案亲属：" } else { "" },
                staff.name,
                staff.position,
                staff.village,
                relation,
                via
            );
            out.extend(kin_candidate(
                ctx,
                META.id,
                member,
                CandidateBand::of(review),
                fired,
                reason,
                KinRef {
                    staff_record: staff.record,
                    evidence_record: record,
                    evidence,
                    relation_zh: relation,
                    via,
                    declared,
                },
            ));
        }
    }

    fn reads(&self) -> Vec<&'static str> {
        vec!["position", "served_township", "served_village"]
    }
}
