//! A close relative of a staff member in a recipient household, not in the register (未备案的近亲属).
//!
//! ## What it does
//!
//! Proposes every member whom the data shows to be a close relative of a staff member in
//! office on the check date, when the register (备案) has no row for the two. The
//! evidence level goes into the candidate (`fired_because` `evidence`):
//!
//! - `strong`: the two share a 户号 in the registration export and the relation follows
//!   from both rows' 与户主关系;
//! - `medium`: they share a 户号 but the relation cannot be derived, or they hold one
//!   property title together;
//! - `weak`: same surname and the same house address (village, group and house number),
//!   nothing else.
//!
//! Weak evidence never makes a plain candidate, only a review one; `levels` chooses which
//! levels are looked for at all. A relative the register declares is never a candidate:
//! the report lists the declared ones as context.
//!
//! ## Why
//!
//! 关系保 and 人情保 — enrolment through a relative or a favour — are the hardest problem
//! the survey names. The province requires recipients who are close relatives of staff to
//! be declared; an undeclared one is what a review must look at first.
//!
//! ## Evidence it needs
//!
//! The staff roster (with identity numbers: a staff member is tied to other files by a
//! valid number only), the registration export (户号, 与户主关系), the register, and links
//! from the relative's rows to a current member. The property export shows co-owned titles.
//!
//! ## Example
//!
//! ```toml
//! [rules.undeclared_relative]
//! levels = ["strong", "medium", "weak"]
//! ```

use serde::{Deserialize, Serialize};

use crate::candidate::{Candidate, KinRef, kin_candidate, pair};
use crate::error::PolicyError;
use crate::household::Context;
use crate::kin::Evidence;
use crate::rules::{Rule, RuleId, RuleMeta};
use hedui_core::{CandidateBand, Department};

/// What the registry knows of the rule.
pub const META: RuleMeta = RuleMeta {
    id: RuleId::new("undeclared_relative"),
    name_zh: "工作人员近亲属未备案",
    department: Department::Staff,
};

/// `[rules.undeclared_relative]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UndeclaredRelativeRule {
    #[serde(default = "super::enabled")]
    pub enabled: bool,
    /// Evidence levels looked for: `strong`, `medium`, `weak`.
    #[serde(default = "all_levels")]
    pub levels: Vec<String>,
}

fn all_levels() -> Vec<String> {
    ["strong", "medium", "weak"].map(str::to_owned).to_vec()
}

impl Rule for UndeclaredRelativeRule {
    fn meta(&self) -> RuleMeta {
        META
    }

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn validate(&self, origin: &str) -> Result<(), PolicyError> {
        match self
            .levels
            .iter()
            .find(|l| !["strong", "medium", "weak"].contains(&l.as_str()))
        {
            Some(level) => Err(PolicyError::invalid(
                origin,
                "rules.undeclared_relative.levels",
                format!("{level:?} is no level; use strong, medium or weak"),
            )),
            None => Ok(()),
        }
    }

    fn apply(&self, ctx: &Context<'_>, out: &mut Vec<Candidate>) {
        let kin = ctx.kin();
        for r in &kin.relatives {
            let staff = &kin.staff[r.staff];
            if !staff.in_office(ctx.check_date)
                || kin.is_declared(r.staff, r.member)
                || !self.levels.iter().any(|l| l == r.evidence.as_str())
            {
                continue;
            }
            let band = CandidateBand::of(r.review || r.evidence == Evidence::Weak);
            let fired = vec![
                pair("evidence", r.evidence.as_str()),
                pair("relation", &r.relation_zh),
                pair("via", &r.via),
                pair("staff", &format!("{}（{}）", staff.name, staff.describe())),
                pair("declared", "no"),
            ];
            let reason = format!(
                "户内成员与在任工作人员{}（{}）为{}，登记册中没有备案；证据{}：{}。",
                staff.name,
                staff.position,
                r.relation_zh,
                r.evidence.label_zh(),
                r.via
            );
            out.extend(kin_candidate(
                ctx,
                META.id,
                r.member,
                band,
                fired,
                reason,
                KinRef {
                    staff_record: staff.record,
                    evidence_record: r.record,
                    evidence: Some(r.evidence),
                    relation_zh: r.relation_zh.clone(),
                    via: r.via.clone(),
                    declared: false,
                },
            ));
        }
    }

    fn reads(&self) -> Vec<&'static str> {
        vec!["staff_id", "hukou_no", "relation"]
    }
}
