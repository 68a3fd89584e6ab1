//! A motor vehicle in use that is not an exempt type (在用机动车).
//!
//! ## What it does
//!
//! Proposes every household member who holds a vehicle that is active on the check date,
//! one candidate per vehicle and member, unless the vehicle's type (车辆类型) is exempt.
//! An exemption is an exact type name (`{ exact = "三轮汽车" }`) or a pattern
//! (`{ pattern = "拖拉机" }`): a pattern without `*` matches anywhere in the type, one with
//! `*` must match the whole type with `*` standing for any characters (`*摩托车`). Spaces
//! and full-width characters are ignored on both sides.
//!
//! A vehicle whose type is blank cannot be shown not to be exempt, so when the policy has
//! exemptions it becomes a review candidate, never a plain one.
//!
//! ## Why
//!
//! A motor vehicle is among the assets for which Honghe has removed recipients, and the
//! easiest to verify from a registry. Counties exempt what a poor rural family relies on to work or to
//! move: disability mobility vehicles, and often motorcycles, three-wheelers and tractors.
//! A mortgaged, seized or unpaid-fine vehicle (抵押, 查封, 违法未处理) is still in use; a
//! scrapped, deregistered or transferred one (报废, 注销, 转出) before the check date is not.
//!
//! ## Evidence it needs
//!
//! The vehicle row's type, plate, status and status change date, registration date, and a
//! link from its owner (所有人) to a current household member. The candidate names the type,
//! the use (使用性质) when given, the state on the check date and the link band.
//!
//! ## Example
//!
//! ```toml
//! [rules.vehicle]
//! enabled = true
//! exempt_vehicle_types = [
//!     { exact = "普通二轮摩托车" },
//!     { exact = "三轮汽车" },
//!     { pattern = "拖拉机" },
//!     { pattern = "残疾人*汽车" },
//! ]
//! ```

use hedui_core::AssetDetail;
use serde::{Deserialize, Serialize};

use crate::candidate::{Candidate, candidate, pair};
use crate::dry_run::Outcome;
use crate::rules::{Rule, RuleId, RuleMeta};
use crate::error::PolicyError;
use crate::household::Context;
use crate::text::{NameMatch, fold};
use hedui_core::{CandidateBand, Department};

/// What the registry knows of the rule.
pub const META: RuleMeta = RuleMeta {
    id: RuleId::new("vehicle"),
    name_zh: "车辆",
    department: Department::Vehicle,
};

/// `[rules.vehicle]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleRule {
    #[serde(default = "super::enabled")]
    pub enabled: bool,
    #[serde(default)]
    pub exempt_vehicle_types: Vec<NameMatch>,
}

impl VehicleRule {
    fn check(&self, origin: &str) -> Result<(), PolicyError> {
        for (i, m) in self.exempt_vehicle_types.iter().enumerate() {
            let key = || format!("rules.vehicle.exempt_vehicle_types[{i}]");
            let (NameMatch::Exact(text) | NameMatch::Pattern(text)) = m;
            // An empty or all-`*` pattern would exempt every vehicle and silently switch the
            // rule off.
            if fold(text).replace('*', "").is_empty() {
                return Err(PolicyError::invalid(
                    origin,
                    key(),
                    "must name a vehicle type",
                ));
            }
        }
        Ok(())
    }

    /// The first exemption matching `vehicle_type`, if any.
    pub fn exemption(&self, vehicle_type: &str) -> Option<&NameMatch> {
        self.exempt_vehicle_types
            .iter()
            .find(|m| m.matches(vehicle_type))
    }
}

fn apply(rule: &VehicleRule, ctx: &Context<'_>, out: &mut Vec<Candidate>) {
    for h in &ctx.holdings {
        let Some(record) = ctx.record(h) else {
            continue;
        };
        let AssetDetail::Vehicle {
            vehicle_type,
            use_nature,
            ..
        } = &record.detail
        else {
            continue;
        };
        let blank_type = fold(vehicle_type).is_empty();
        if !blank_type && rule.exemption(vehicle_type).is_some() {
            continue;
        }
        let uncertain_type = blank_type && !rule.exempt_vehicle_types.is_empty();
        let mut fired = vec![if uncertain_type {
            pair("vehicle_type", "unknown: cannot rule out an exempt type")
        } else {
            pair("vehicle_type", vehicle_type.trim())
        }];
        if !use_nature.trim().is_empty() {
            fired.push(pair("use_nature", use_nature.trim()));
        }
        let exemptions = format!("none of {} matches", rule.exempt_vehicle_types.len());
        fired.push(pair("exempt_vehicle_types", &exemptions));
        let shown_type = if blank_type {
            "车辆类型未填"
        } else {
            vehicle_type.trim()
        };
        let reason = format!(
            "户内成员名下有在用机动车（{shown_type}，状态：{}），{}。",
            h.activity.status_zh(),
            if uncertain_type {
                "车辆类型未填，无法判断是否属于豁免车型"
            } else {
                "不属于豁免车型"
            }
        );
        let band = CandidateBand::of(h.review || uncertain_type);
        out.push(candidate(ctx, META.id, h, band, fired, reason));
    }
}

impl Rule for VehicleRule {
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
        if self.exempt_vehicle_types.is_empty() {
            Vec::new()
        } else {
            vec!["vehicle_type"]
        }
    }

    fn judge(&self, field: &str, value: &str) -> Option<(Outcome, String)> {
        if field != "vehicle_type" {
            return None;
        }
        let blank = fold(value).is_empty();
        Some(match self.exemption(value) {
            _ if blank && !self.exempt_vehicle_types.is_empty() => (
                Outcome::Review,
                "blank: cannot rule out an exempt type".into(),
            ),
            Some(m) if !blank => (Outcome::Exempt, m.describe()),
            _ => (
                Outcome::Counts,
                format!("none of {} exemptions", self.exempt_vehicle_types.len()),
            ),
        })
    }
}
