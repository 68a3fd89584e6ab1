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

use std::collections::{BTreeMap, BTreeSet, HashSet};

use hedui_core::AssetDetail;
use serde::{Deserialize, Serialize};

use crate::candidate::{Candidate, CandidateBand, candidate, pair};
use crate::error::PolicyError;
use crate::household::{Context, Holding};
use crate::policy::check_words;
use crate::rules::property_commercial::{building_use, folded, listed};
use crate::text::fold;

/// The rule's id.
pub const ID: &str = "property_multi_residential";

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
    pub(crate) fn validate(&self, origin: &str) -> Result<(), PolicyError> {
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

pub(crate) fn apply(
    rule: &PropertyMultiResidentialRule,
    ctx: &Context<'_>,
    out: &mut Vec<Candidate>,
) {
    let owners = rule
        .max_floor_area_per_capita
        .map(|_| owners_per_certificate(ctx))
        .unwrap_or_default();
    let residential_uses = folded(&rule.residential_uses);
    let mut households: BTreeMap<&str, BTreeMap<String, Home<'_>>> = BTreeMap::new();
    for h in &ctx.holdings {
        let Some(record) = ctx.record(h) else {
            continue;
        };
        let AssetDetail::Property { use_parts, .. } = &record.detail else {
            continue;
        };
        if !building_use(use_parts).is_some_and(|u| listed(&residential_uses, &u)) {
            continue;
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
        let home = households
            .entry(ctx.household(h))
            .or_default()
            .entry(key)
            .or_default();
        home.sure |= !h.review;
        home.holders.push(h);
    }
    for (household, homes) in &mut households {
        for (key, home) in homes.iter_mut() {
            home.area = household_area(ctx, key, home, &owners);
        }
        let size = ctx.sizes.get(household).copied().unwrap_or(1).max(1);
        judge(rule, ctx, homes, size, out);
    }
}

/// Decides one household and emits its rows.
fn judge(
    rule: &PropertyMultiResidentialRule,
    ctx: &Context<'_>,
    homes: &BTreeMap<String, Home<'_>>,
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
            out.push(candidate(ctx, ID, h, band, fired, reason));
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
                floor_area.filter(|a| a.is_finite() && *a > 0.0)
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
    let mut out: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for record in ctx.assets {
        if matches!(record.detail, AssetDetail::Property { .. })
            && !record.record_key.trim().is_empty()
            && held.contains(record.record_key.trim())
        {
            let names = out.entry(record.record_key.trim()).or_default();
            names.extend(record.owners.iter().map(|o| fold(o.name_raw())));
        }
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
