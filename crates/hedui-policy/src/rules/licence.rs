//! The operator or legal representative of an active business (在营市场主体).
//!
//! ## What it does
//!
//! Proposes every household member who is the operator (经营者) or legal representative
//! (法定代表人) of a business that is active on the check date and whose type (市场主体类型)
//! is listed in `entity_types`. A listed type also covers its bracketed subtypes:
//! `有限责任公司` covers `有限责任公司（自然人独资）`.
//!
//! With `min_registered_capital` above zero, a business whose registered capital is known
//! and below the floor does not disqualify. A business whose capital is unknown, or whose
//! type is blank, cannot be judged from the row, so it becomes a review candidate, never a
//! plain one.
//!
//! ## Why
//!
//! Running a business is evidence of income the household did not declare, and a business
//! licence is one of the reasons Honghe has removed recipients. Types a county does not
//! count stay off the list (the demo policy leaves out 农民专业合作社). Some places spare
//! very small businesses; a registered-capital floor expresses that. A business
//! deregistered or revoked (注销, 吊销) on or before the check date does not count.
//!
//! ## Evidence it needs
//!
//! The licence row's credit code, entity name and type, registered capital (in yuan, units
//! resolved), status with its change date, establishment date, and a link from its operator
//! or legal representative to a current household member.
//!
//! ## Example
//!
//! ```toml
//! [rules.licence]
//! entity_types = ["个体工商户", "有限责任公司", "个人独资企业", "合伙企业"]
//! min_registered_capital = 100000
//! ```

use hedui_core::AssetDetail;
use serde::{Deserialize, Serialize};

use crate::candidate::{Candidate, candidate, pair};
use crate::dry_run::Outcome;
use crate::rules::{Rule, RuleId, RuleMeta};
use crate::error::PolicyError;
use crate::household::Context;
use crate::policy::check_words;
use crate::text::{entity_type_matches, fold};
use hedui_core::{CandidateBand, Department};

/// What the registry knows of the rule.
pub const META: RuleMeta = RuleMeta {
    id: RuleId::new("licence"),
    name_zh: "营业执照",
    department: Department::Licence,
};

/// `[rules.licence]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicenceRule {
    #[serde(default = "super::enabled")]
    pub enabled: bool,
    pub entity_types: Vec<String>,
    /// Yuan. Known capital below it does not disqualify; absent or zero means no floor.
    #[serde(default)]
    pub min_registered_capital: Option<f64>,
}

impl LicenceRule {
    fn check(&self, origin: &str) -> Result<(), PolicyError> {
        check_words(origin, "rules.licence.entity_types", &self.entity_types)?;
        match self.min_registered_capital {
            Some(floor) if !floor.is_finite() || floor < 0.0 => Err(PolicyError::invalid(
                origin,
                "rules.licence.min_registered_capital",
                "must be a number of yuan, zero or more",
            )),
            _ => Ok(()),
        }
    }

    /// The capital floor in yuan, when there is one.
    fn floor(&self) -> Option<f64> {
        self.min_registered_capital.filter(|f| *f > 0.0)
    }
}

fn apply(rule: &LicenceRule, ctx: &Context<'_>, out: &mut Vec<Candidate>) {
    for h in &ctx.holdings {
        let Some(record) = ctx.record(h) else {
            continue;
        };
        let AssetDetail::Licence {
            entity_name,
            entity_type,
            registered_capital,
            ..
        } = &record.detail
        else {
            continue;
        };
        let blank_type = fold(entity_type).is_empty();
        let listed = rule
            .entity_types
            .iter()
            .any(|t| entity_type_matches(t, entity_type));
        if !blank_type && !listed {
            continue;
        }
        let mut fired = vec![if blank_type {
            pair("entity_type", "unknown: cannot tell whether it is listed")
        } else {
            pair("entity_type", entity_type.trim())
        }];
        if !entity_name.trim().is_empty() {
            fired.push(pair("entity_name", entity_name.trim()));
        }
        let mut uncertain = blank_type;
        match (rule.floor(), registered_capital.get()) {
            (Some(floor), Some(capital)) if capital < floor => continue,
            (Some(floor), Some(capital)) => fired.push(pair(
                "registered_capital",
                &format!("{capital} yuan >= floor {floor}"),
            )),
            (Some(floor), None) => {
                uncertain = true;
                fired.push(pair(
                    "registered_capital",
                    &format!("unknown; floor {floor} yuan"),
                ));
            }
            (None, Some(capital)) => {
                fired.push(pair("registered_capital", &format!("{capital} yuan")));
            }
            (None, None) => {}
        }
        let name = if entity_name.trim().is_empty() {
            "名称未填"
        } else {
            entity_name.trim()
        };
        let shown_type = if blank_type {
            "类型未填"
        } else {
            entity_type.trim()
        };
        let reason = format!(
            "户内成员是在营市场主体（{name}，{shown_type}，状态：{}）的经营者或法定代表人{}。",
            h.activity.status_zh(),
            match (blank_type, uncertain) {
                (true, _) => "，主体类型未填，无法判断是否属于政策所列类型",
                (false, true) => "，注册资本未知，无法判断是否达到政策下限",
                (false, false) => "",
            }
        );
        let band = CandidateBand::of(h.review || uncertain);
        out.push(candidate(ctx, META.id, h, band, fired, reason));
    }
}

impl Rule for LicenceRule {
    fn meta(&self) -> RuleMeta {
        META
    }

    fn enabled(&self) -> bool {
        self.enabled
    }

    fn validate(&self, origin: &str) -> Result<(), PolicyError> {
        self.check(origin)
    }

    fn apply(&self, ctx: &Context<'_>, out: &mut Vec<Candidate>) {
        apply(self, ctx, out);
    }

    fn reads(&self) -> Vec<&'static str> {
        let mut fields = vec!["entity_type"];
        if self.floor().is_some() {
            fields.push("registered_capital");
        }
        fields
    }

    fn judge(&self, field: &str, value: &str) -> Option<(Outcome, String)> {
        if field != "entity_type" {
            return None;
        }
        if fold(value).is_empty() {
            return Some((
                Outcome::Review,
                "blank: cannot tell whether it is listed".into(),
            ));
        }
        Some(
            match self
                .entity_types
                .iter()
                .find(|t| entity_type_matches(t, value))
            {
                Some(t) => (Outcome::Listed, format!("entity_types {t}")),
                None => (Outcome::NotListed, String::new()),
            },
        )
    }
}
