//! More homes than the policy allows, or too much floor area per person (多套住房).
//!
//! ## What it does
//!
//! Counts the distinct homes the household's current members own or co-own on the check
//! date: active property whose building use (the last part of a compound use, so
//! `宅基地/住宅` is `住宅`) is in `residential_uses`, distinct by certificate number. Rows
//! repeating one certificate, one per co-owner, are one home. When the count is above
//! `max_homes`, it proposes one candidate per home certificate and member holding it, so
//! every certificate that makes the homes too many is listed.
//!
//! With `max_floor_area_per_capita`, it also fires when the household's floor area divided
//! by its roster members is above the limit. A co-owned home counts in proportion to the
//! household's owners among all owners named for the certificate (a couple's home fully, a
//! home shared with a brother in another household half), since shares are rarely written as
//! numbers. Homes without a floor area add nothing, so the figure is never overstated.
//!
//! A home resting on a review-band link makes its rows review candidates. When the limit is
//! exceeded only because such homes are counted, every row of the household is a review
//! candidate.
//!
//! ## Why
//!
//! One home is shelter; a second one is an asset that could be sold or let. Typical local
//! rules name more than one home, or floor area per person above a multiple of the local
//! average, among the grounds for removal. Counting by certificate keeps a couple's shared home from
//! being counted twice and keeps one certificate exported as several rows from inflating
//! the count.
//!
//! ## Evidence it needs
//!
//! The property rows' certificate numbers, uses, owners (a co-owner cell split into people,
//! or one row per co-owner), floor areas for the per-person limit, statuses with their change
//! dates, registration dates, links from owners to current household members, and the
//! roster's member count per household.
//!
//! ## Example
//!
//! ```toml
//! [rules.property_multi_residential]
//! residential_uses = ["住宅"]
//! max_homes = 1
//! max_floor_area_per_capita = 60.0
//! ```

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use hedui_core::AssetDetail;
use serde::{Deserialize, Serialize};

use crate::candidate::{Candidate, candidate, pair};
use crate::dry_run::Outcome;
use crate::rules::{Rule, RuleId, RuleMeta};
use crate::error::PolicyError;
use crate::household::{Context, Holding};
use crate::policy::check_words;
use crate::rules::property_commercial::{building_use, folded, listed};
use crate::text::fold;
use hedui_core::{CandidateBand, Department};

/// What the registry knows of the rule.
pub const META: RuleMeta = RuleMeta {
    id: RuleId::new("property_multi_residential"),
    name_zh: "多套住房",
    department: Department::Property,
};

/// `[rules.property_multi_residential]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertyMultiResidentialRule {
    #[serde(default = "super::enabled")]
    pub enabled: bool,
    /// Building uses that make a property a home.
    pub residential_uses: Vec<String>,
    /// More distinct active homes than this disqualifies.
    pub max_homes: u32,
    /// Square metres per roster member; above it disqualifies.
    #[serde(default)]
    pub max_floor_area_per_capita: Option<f64>,
}

impl PropertyMultiResidentialRule {
    fn check(&self, origin: &str) -> Result<(), PolicyError> {
        let key = "rules.property_multi_residential";
        check_words(
            origin,
            &format!("{key}.residential_uses"),
            &self.residential_uses,
        )?;
        match self.max_floor_area_per_capita {
            Some(limit) if !limit.is_finite() || limit <= 0.0 => Err(PolicyError::invalid(
                origin,
                format!("{key}.max_floor_area_per_capita"),
                "must be a positive number of square metres",
            )),
            _ => Ok(()),
        }
    }
}

/// One distinct home of one household.
#[derive(Debug, Default)]
struct Home<'h> {
    /// Some holder's link is in the link band.
    sure: bool,
    /// The household's share of the floor area, from the first row that gives an area.
    area: Option<f64>,
    holders: Vec<&'h Holding>,
}

fn apply(
    rule: &PropertyMultiResidentialRule,
    ctx: &Context<'_>,
    out: &mut Vec<Candidate>,
) {
    let owners = rule
        .max_floor_area_per_capita
        .map(|_| owners_per_certificate(ctx))
        .unwrap_or_default();
    let residential_uses = folded(&rule.residential_uses);
    // (household, certificate, holding) for every residential holding. Gathered in
    // parallel and sorted, not inserted into a map keyed by household id: a prefecture has
    // a hundred thousand such holdings, and every comparison of two ids was a cache miss.
    // The sort is stable, so each home lists its holders in holding order.
    let mut homes_held: Vec<(&str, String, &Holding)> = ctx
        .holdings
        .par_iter()
        .filter_map(|h| {
            let record = ctx.record(h)?;
            let AssetDetail::Property { use_parts, .. } = &record.detail else {
                return None;
            };
            if !building_use(use_parts).is_some_and(|u| listed(&residential_uses, &u)) {
                return None;
            }
            // A row without a certificate number cannot be shown to be the same home as
            // another, so it stands alone.
            let key = match record.record_key.trim() {
                "" => format!(
                    "(no certificate: {}:{})",
                    record.provenance.file.path, record.provenance.line
                ),
                k => k.to_owned(),
            };
            Some((ctx.household(h), key, h))
        })
        .collect();
    homes_held.par_sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    for rows in homes_held.chunk_by(|a, b| a.0 == b.0) {
        let household = rows[0].0;
        let mut homes: BTreeMap<&str, Home<'_>> = BTreeMap::new();
        for (_, key, h) in rows {
            let home = homes.entry(key.as_str()).or_default();
            home.sure |= !h.review;
            home.holders.push(h);
        }
        for (key, home) in homes.iter_mut() {
            home.area = household_area(ctx, key, home, &owners);
        }
        let size = ctx.sizes.get(household).copied().unwrap_or(1).max(1);
        judge(rule, ctx, &homes, size, out);
    }
}

/// Decides one household and emits its rows.
fn judge(
    rule: &PropertyMultiResidentialRule,
    ctx: &Context<'_>,
    homes: &BTreeMap<&str, Home<'_>>,
    size: usize,
    out: &mut Vec<Candidate>,
) {
    let max = usize::try_from(rule.max_homes).unwrap_or(usize::MAX);
    let (all, sure) = (homes.len(), homes.values().filter(|h| h.sure).count());
    let area = |only_sure: bool| -> f64 {
        let homes = homes.values().filter(|h| h.sure || !only_sure);
        homes.filter_map(|h| h.area).sum::<f64>() / size as f64
    };
    let over_area = |only_sure| {
        rule.max_floor_area_per_capita
            .is_some_and(|l| area(only_sure) > l)
    };
    if !(all > max || over_area(false)) {
        return;
    }
    let certain = sure > max || over_area(true);
    let mut shared = vec![
        pair(
            "homes",
            &format!("{all} {} {max}", if all > max { ">" } else { "<=" }),
        ),
        pair(
            "certificates",
            &homes.keys().cloned().collect::<Vec<_>>().join("; "),
        ),
    ];
    if sure != all {
        shared.push(pair("homes_on_link_band", &sure.to_string()));
    }
    let mut clauses = Vec::new();
    if all > max {
        clauses.push(format!(
            "户内成员共持有{all}套住宅（含共有），超过政策允许的{max}套"
        ));
    }
    if let Some(limit) = rule.max_floor_area_per_capita {
        let per = area(false);
        let unknown = homes.values().filter(|h| h.area.is_none()).count();
        let cmp = if per > limit { ">" } else { "<=" };
        let text =
            format!("{per:.1} m² {cmp} {limit} ({size} members; {unknown} homes without area)");
        shared.push(pair("floor_area_per_capita", &text));
        if per > limit {
            clauses.push(format!(
                "户内人均住房建筑面积{per:.1}平方米，超过政策上限{limit}平方米"
            ));
        }
    }
    if !certain {
        let why = "over the limit only when homes on review-band links are counted";
        shared.push(pair("review_because", why));
    }
    for (key, home) in homes {
        for h in &home.holders {
            let mut fired = vec![pair("home", key)];
            fired.extend(shared.iter().cloned());
            let reason = format!("{}；本条为其中一套（{key}）。", clauses.join("，"));
            let band = CandidateBand::of(!certain || h.review);
            out.push(candidate(ctx, META.id, h, band, fired, reason));
        }
    }
}

/// The household's share of a home's floor area: the certificate's area times the share of
/// its named owners who are household holders.
fn household_area(
    ctx: &Context<'_>,
    key: &str,
    home: &Home<'_>,
    owners: &BTreeMap<&str, BTreeSet<String>>,
) -> Option<f64> {
    let area = home
        .holders
        .iter()
        .find_map(|h| match &ctx.record(h)?.detail {
            AssetDetail::Property { floor_area, .. } => {
                floor_area.get().filter(|a| a.is_finite() && *a > 0.0)
            }
            _ => None,
        })?;
    let held: BTreeSet<String> = home
        .holders
        .iter()
        .filter_map(|h| ctx.record(h)?.owners.get(h.owner))
        .map(|o| fold(o.name_raw()))
        .collect();
    let named = owners
        .get(key)
        .map_or(0, BTreeSet::len)
        .max(held.len())
        .max(1);
    Some(area * held.len().max(1) as f64 / named as f64)
}

/// Distinct owner names per certificate over every property row, for co-owned shares.
fn owners_per_certificate<'a>(ctx: &Context<'a>) -> BTreeMap<&'a str, BTreeSet<String>> {
    // Only certificates some household holds are ever looked up; folding every owner name
    // of every title in the prefecture cost most of the policy stage.
    let held: HashSet<&str> = ctx
        .holdings
        .iter()
        .filter_map(|h| ctx.record(h))
        .map(|r| r.record_key.trim())
        .collect();
    // Every title row of the prefecture is looked at, one cache miss each, so the scan runs
    // in parallel; rows keep their order, so the map is built as a serial scan would.
    let rows: Vec<(&str, Vec<String>)> = ctx
        .assets
        .par_iter()
        .filter(|record| matches!(record.detail, AssetDetail::Property { .. }))
        .filter_map(|record| {
            let key = record.record_key.trim();
            (!key.is_empty() && held.contains(key)).then(|| {
                (
                    key,
                    record.owners.iter().map(|o| fold(o.name_raw())).collect(),
                )
            })
        })
        .collect();
    let mut out: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (key, names) in rows {
        out.entry(key).or_default().extend(names);
    }
    names_cleanup(&mut out);
    out
}

/// Blank owner names say nothing about how many owners there are.
fn names_cleanup(map: &mut BTreeMap<&str, BTreeSet<String>>) {
    for names in map.values_mut() {
        names.remove("");
    }
}

impl Rule for PropertyMultiResidentialRule {
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
        let mut fields = vec!["use"];
        if self.max_floor_area_per_capita.is_some() {
            fields.push("floor_area");
        }
        fields
    }

    fn judge(&self, field: &str, value: &str) -> Option<(Outcome, String)> {
        let building = building_use(&value.split('/').collect::<Vec<_>>())?;
        (field == "use" && listed(&folded(&self.residential_uses), &building))
            .then(|| (Outcome::Residential, format!("building use {building}")))
    }

    fn claims(&self) -> Vec<(&'static str, String, String)> {
        self.residential_uses
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let key = format!("rules.{}.residential_uses[{i}]", META.id);
                ("use", key, fold(u))
            })
            .collect()
    }
}
