//! A register row that no longer describes anyone (备案登记过期): hygiene for the centre.
//!
//! ## What it does
//!
//! Lists every row of the register (备案) whose recipient is in no current household, whose
//! staff member is on the roster but no longer in office on the check date, or whose staff
//! member is on no row of the roster, by identity number or by name. It proposes no candidate: the rows
//! go to `register_stale.csv` and the report's 关系保 chapter, for the centre to tidy.
//!
//! ## Why
//!
//! The register is what tells a declared relative from an undeclared one. A row for a
//! family that left the programme, or for someone who left office, makes the register look
//! more complete than it is; a register nobody tidies stops being read.
//!
//! ## Evidence it needs
//!
//! The register, the staff roster with term dates, and the links from the register's
//! recipients to current members.
//!
//! ## Example
//!
//! ```toml
//! [rules.register_stale]
//! ```

use serde::{Deserialize, Serialize};

use crate::candidate::{Candidate, Finding};
use crate::error::PolicyError;
use crate::household::Context;
use crate::rules::{Rule, RuleId, RuleMeta};
use hedui_core::Department;

/// What the registry knows of the rule.
pub const META: RuleMeta = RuleMeta {
    id: RuleId::new("register_stale"),
    name_zh: "备案登记过期",
    department: Department::Register,
};

/// `[rules.register_stale]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterStaleRule {
    #[serde(default = "super::enabled")]
    pub enabled: bool,
}

impl Rule for RegisterStaleRule {
    fn meta(&self) -> RuleMeta {
        META
    }

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn validate(&self, _origin: &str) -> Result<(), PolicyError> {
        Ok(())
    }

    fn apply(&self, _ctx: &Context<'_>, _out: &mut Vec<Candidate>) {}

    fn hygiene(&self, ctx: &Context<'_>) -> Vec<Finding> {
        let kin = ctx.kin();
        let mut out = Vec::new();
        for d in &kin.declarations {
            if d.members.is_empty() {
                out.push(Finding {
                    rule: META.id,
                    record: d.record,
                    kind: "recipient_gone",
                    reason_zh: "登记的低保对象不在本次任何在保家庭中".to_owned(),
                });
            }
            // Not on the roster by number, nor by name: a roster row with the name (or a
            // homophone) but no readable number is more likely the same person with a broken
            // number.
            let named_on_roster = !d.named_staff.is_empty();
            if d.staff.is_empty() && !named_on_roster {
                out.push(Finding {
                    rule: META.id,
                    record: d.record,
                    kind: "staff_unknown",
                    reason_zh: "登记的工作人员身份证号不在工作人员名册中".to_owned(),
                });
            } else if !d.staff.is_empty()
                && !d
                    .staff
                    .iter()
                    .any(|&s| kin.staff[s].in_office(ctx.check_date))
            {
                let ended = d
                    .staff
                    .iter()
                    .filter_map(|&s| kin.staff[s].term_end)
                    .max()
                    .map_or(String::new(), |d| format!("（{d} 离任）"));
                out.push(Finding {
                    rule: META.id,
                    record: d.record,
                    kind: "staff_left",
                    reason_zh: format!("登记的工作人员在核对日已不在任{ended}"),
                });
            }
        }
        out
    }

    fn reads(&self) -> Vec<&'static str> {
        vec!["recipient_id", "staff_id"]
    }
}
