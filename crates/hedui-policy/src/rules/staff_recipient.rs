//! A staff member in office who is a member of a recipient household (工作人员本人享受低保).
//!
//! ## What it does
//!
//! Proposes every member of a recipient household who is, by matching, the person of a row
//! of the staff roster, when that person is in office on the check date: the term started
//! on or before it and has not ended before it. With `positions` set, only rows whose
//! position contains one of the words count; without it, every row of the roster counts.
//!
//! ## Why
//!
//! Civil-affairs staff, dibao case workers and village or community committee members
//! decide or prepare the decisions on dibao. One of them drawing it is the plainest case of
//! 关系保: the province requires such enrolments to be registered and reviewed with extra
//! care. Someone who left office before the check date is an ordinary applicant again.
//!
//! ## Evidence it needs
//!
//! The roster row (name, identity number, position, unit, the area served, term dates) and
//! a link from its person to a current member. The link's band carries over: a review-band
//! link makes a review candidate.
//!
//! ## Example
//!
//! ```toml
//! [rules.staff_recipient]
//! # every row of the roster counts; list words to narrow it, e.g. ["低保专干", "村委会"]
//! positions = []
//! ```

use serde::{Deserialize, Serialize};

use crate::candidate::{Candidate, KinRef, kin_candidate, pair};
use crate::error::PolicyError;
use crate::household::Context;
use crate::policy::check_words;
use crate::rules::{Rule, RuleId, RuleMeta};
use hedui_core::{CandidateBand, Department};

/// What the registry knows of the rule.
pub const META: RuleMeta = RuleMeta {
    id: RuleId::new("staff_recipient"),
    name_zh: "工作人员本人享受低保",
    department: Department::Staff,
};

/// `[rules.staff_recipient]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffRecipientRule {
    #[serde(default = "super::enabled")]
    pub enabled: bool,
    /// Words a position must contain to count; empty: every row.
    #[serde(default)]
    pub positions: Vec<String>,
}

/// Whether `position` is one `words` name (containment); no words: every position.
pub(crate) fn position_listed(words: &[String], position: &str) -> bool {
    words.is_empty() || words.iter().any(|w| position.contains(w.trim()))
}

impl Rule for StaffRecipientRule {
    fn meta(&self) -> RuleMeta {
        META
    }

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn validate(&self, origin: &str) -> Result<(), PolicyError> {
        if self.positions.is_empty() {
            return Ok(());
        }
        check_words(origin, "rules.staff_recipient.positions", &self.positions)
    }

    fn apply(&self, ctx: &Context<'_>, out: &mut Vec<Candidate>) {
        let kin = ctx.kin();
        for &(s, member, review) in &kin.staff_members {
            let staff = &kin.staff[s];
            if !staff.in_office(ctx.check_date) || !position_listed(&self.positions, &staff.position)
            {
                continue;
            }
            let fired = vec![
                pair("position", &staff.position),
                pair("unit", &staff.unit),
                pair("in_office_on_check_date", &staff.describe()),
                pair("link_band", if review { "review" } else { "link" }),
            ];
            let reason = format!(
                "户内成员{}本人是在任工作人员（{}），在任期间享受低保，须按规定备案并重点复核。",
                staff.name,
                staff.describe()
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
                    evidence_record: None,
                    evidence: None,
                    relation_zh: "本人".to_owned(),
                    via: "工作人员名册与低保成员为同一人".to_owned(),
                    declared: kin.is_declared(s, member),
                },
            ));
        }
    }

    fn reads(&self) -> Vec<&'static str> {
        vec!["staff_id", "term_start", "term_end"]
    }
}
