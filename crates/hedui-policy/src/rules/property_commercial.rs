//! Non-residential property: a shop, office, factory or garage (商铺、办公、车库).
//!
//! ## What it does
//!
//! Proposes every household member who owns or co-owns property that is active on the check
//! date and whose building use is in `commercial_uses`. The building use is the last part of
//! a compound use: `商服用地/商业` is `商业`, `宅基地/住宅` is `住宅`, `车库` is `车库`. One
//! candidate per certificate and member, so each co-owner in the household is named.
//!
//! A record with no use at all is not commercial: the rule needs the department to say so.
//!
//! ## Why
//!
//! Non-residential property earns rent or business income and can be sold; typical local
//! rules name 商铺, 车库 and 办公用房, and Honghe has removed recipients for shops. Co-ownership counts,
//! because a share of a shop is still an asset, but only for current household members: a
//! relative in another household does not make this household ineligible. Property whose
//! title was cancelled (注销) on or before the check date does not count.
//!
//! ## Evidence it needs
//!
//! The property row's certificate number, use (土地用途/房屋用途 as one compound value), owners
//! (a co-owner cell split into people, or one row per co-owner), status with its change date,
//! registration date, and a link from an owner to a current household member.
//!
//! ## Example
//!
//! ```toml
//! [rules.property_commercial]
//! commercial_uses = ["商业", "商服", "办公", "工业", "车库"]
//! ```

use hedui_core::AssetDetail;
use serde::{Deserialize, Serialize};

use crate::candidate::{Candidate, candidate, pair};
use crate::dry_run::Outcome;
use crate::rules::{Rule, RuleId, RuleMeta};
use crate::error::PolicyError;
use crate::household::Context;
use crate::policy::check_words;
use crate::text::fold;
use hedui_core::{CandidateBand, Department};

/// What the registry knows of the rule.
pub const META: RuleMeta = RuleMeta {
    id: RuleId::new("property_commercial"),
    name_zh: "非住宅房产",
    department: Department::Property,
};

/// `[rules.property_commercial]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertyCommercialRule {
    #[serde(default = "super::enabled")]
    pub enabled: bool,
    /// Building uses (the last part of a compound use) that disqualify.
    pub commercial_uses: Vec<String>,
}

impl PropertyCommercialRule {
    fn check(&self, origin: &str) -> Result<(), PolicyError> {
        check_words(
            origin,
            "rules.property_commercial.commercial_uses",
            &self.commercial_uses,
        )
    }
}

/// The building use of a compound use: its last non-empty part, folded.
pub fn building_use(use_parts: &[impl AsRef<str>]) -> Option<String> {
    use_parts
        .iter()
        .rev()
        .map(|p| fold(p.as_ref()))
        .find(|p| !p.is_empty())
}

/// The policy's use words, folded once per run rather than once per holding.
pub(crate) fn folded(uses: &[String]) -> Vec<String> {
    uses.iter().map(|u| fold(u)).collect()
}

/// Whether `building_use` (folded) is one of the `folded` words.
pub(crate) fn listed(folded: &[String], building_use: &str) -> bool {
    folded.iter().any(|u| u == building_use)
}

fn apply(rule: &PropertyCommercialRule, ctx: &Context<'_>, out: &mut Vec<Candidate>) {
    let commercial_uses = folded(&rule.commercial_uses);
    for h in &ctx.holdings {
        let Some(record) = ctx.record(h) else {
            continue;
        };
        let AssetDetail::Property {
            use_parts,
            co_ownership,
            ..
        } = &record.detail
        else {
            continue;
        };
        let Some(building) = building_use(use_parts) else {
            continue;
        };
        if !listed(&commercial_uses, &building) {
            continue;
        }
        let written = use_parts.join("/");
        let mut fired = vec![pair("building_use", &building), pair("use", &written)];
        if !co_ownership.trim().is_empty() {
            fired.push(pair("co_ownership", co_ownership.trim()));
        }
        let reason = format!(
            "户内成员名下（含共有）有非住宅不动产（用途：{written}，状态：{}）。",
            h.activity.status_zh()
        );
        out.push(candidate(
            ctx,
            META.id,
            h,
            CandidateBand::of(h.review),
            fired,
            reason,
        ));
    }
}

impl Rule for PropertyCommercialRule {
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
        vec!["use"]
    }

    fn judge(&self, field: &str, value: &str) -> Option<(Outcome, String)> {
        let building = building_use(&value.split('/').collect::<Vec<_>>())?;
        (field == "use" && listed(&folded(&self.commercial_uses), &building))
            .then(|| (Outcome::Commercial, format!("building use {building}")))
    }

    fn claims(&self) -> Vec<(&'static str, String, String)> {
        self.commercial_uses
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let key = format!("rules.{}.commercial_uses[{i}]", META.id);
                ("use", key, fold(u))
            })
            .collect()
    }
}
