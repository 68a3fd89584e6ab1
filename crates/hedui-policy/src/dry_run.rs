//! The centre's dry run: every distinct value the rules decide on, with its count and what
//! the policy makes of it.
//!
//! A policy is written against words, and exports drift: a registry switches to letter
//! codes, a county writes `商住` where the policy lists `商业`. Nothing fails then; the rule
//! just stops firing or fires on everything. This table shows, before a run, each status,
//! vehicle type, entity type and property use as it occurs in the data and the outcome the
//! policy gives it, so that a person can see the gap.

use std::collections::BTreeMap;

use hedui_core::{AssetDetail, AssetRecord, Department};
use serde::Serialize;
use strum_macros::IntoStaticStr;

use crate::policy::Policy;
use crate::rules::property_commercial::building_use;
use crate::status::StateMeaning;
use crate::text::{entity_type_matches, fold};

/// What the policy makes of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    /// A status that leaves the holding live.
    Active,
    /// A status that ends it.
    Inactive,
    /// A status neither the policy nor hedui knows: review only.
    NotUnderstood,
    /// No rule of the department is enabled.
    NoRule,
    /// A blank value a rule cannot judge: review only.
    Review,
    /// A vehicle type the policy exempts.
    Exempt,
    /// A vehicle type that counts.
    Counts,
    /// An entity type the licence rule lists.
    Listed,
    NotListed,
    /// A building use of the commercial rule.
    Commercial,
    /// A building use of the multi-home rule.
    Residential,
    Neither,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl From<StateMeaning> for Outcome {
    fn from(meaning: StateMeaning) -> Self {
        match meaning {
            StateMeaning::Active => Self::Active,
            StateMeaning::Inactive => Self::Inactive,
            StateMeaning::NotUnderstood => Self::NotUnderstood,
        }
    }
}

/// One distinct value of one field, with how many records carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueRow {
    /// `status`, `vehicle_type`, `entity_type` or `use`.
    pub field: &'static str,
    /// As written (trimmed); `(blank)` for an empty cell.
    pub value: String,
    /// Records carrying it (a record with two states counts once for each).
    pub count: u64,
    /// What the policy makes of it.
    pub outcome: Outcome,
    /// Why, in a few words: the matching entry, a code's translation.
    pub detail: String,
}

impl ValueRow {
    /// Whether the policy could not place the value: a person should look at it.
    pub fn not_understood(&self) -> bool {
        self.outcome == Outcome::NotUnderstood
    }
}

/// The dry-run table of some records of one department, sorted by field, then by count
/// (most first), then value. Records of other departments are ignored.
pub fn dry_run<'a>(
    policy: &Policy,
    department: Department,
    records: impl IntoIterator<Item = &'a AssetRecord>,
) -> Vec<ValueRow> {
    let mut counts: BTreeMap<(&'static str, String), u64> = BTreeMap::new();
    for record in records {
        if record.department != department {
            continue;
        }
        if record.statuses.is_empty() {
            *counts.entry(("status", String::new())).or_default() += 1;
        }
        for part in record.statuses.iter() {
            *counts
                .entry(("status", part.trim().to_owned()))
                .or_default() += 1;
        }
        let (field, value) = match &record.detail {
            AssetDetail::Vehicle { vehicle_type, .. } => ("vehicle_type", vehicle_type.trim()),
            AssetDetail::Licence { entity_type, .. } => ("entity_type", entity_type.trim()),
            AssetDetail::Property { use_parts, .. } => {
                let written = use_parts.join("/");
                *counts.entry(("use", written)).or_default() += 1;
                continue;
            }
        };
        *counts.entry((field, value.to_owned())).or_default() += 1;
    }
    let mut rows: Vec<ValueRow> = counts
        .into_iter()
        .map(|((field, value), count)| {
            let (outcome, detail) = outcome(policy, department, field, &value);
            ValueRow {
                field,
                value: if value.is_empty() {
                    "(blank)".to_owned()
                } else {
                    value
                },
                count,
                outcome,
                detail,
            }
        })
        .collect();
    let order = |f: &str| {
        ["status", "vehicle_type", "entity_type", "use"]
            .iter()
            .position(|x| *x == f)
    };
    rows.sort_by(|a, b| {
        (order(a.field), std::cmp::Reverse(a.count), &a.value).cmp(&(
            order(b.field),
            std::cmp::Reverse(b.count),
            &b.value,
        ))
    });
    rows
}

fn outcome(policy: &Policy, department: Department, field: &str, value: &str) -> (Outcome, String) {
    let rules = &policy.rules;
    match field {
        "status" => {
            let Some(vocabulary) = policy.status.of(department) else {
                return (
                    Outcome::NoRule,
                    "no rule of this department is enabled".into(),
                );
            };
            let states = vocabulary.read(value);
            let worst = states
                .iter()
                .map(|s| s.meaning)
                .max_by_key(|m| match m {
                    StateMeaning::Active => 0,
                    StateMeaning::NotUnderstood => 1,
                    StateMeaning::Inactive => 2,
                })
                .unwrap_or(StateMeaning::Active);
            let detail: Vec<String> = states
                .iter()
                .map(|s| {
                    let how = s.by.clone().unwrap_or_else(|| "no entry".into());
                    match s.code {
                        Some(c) => format!("{c} = {}: {} ({how})", s.word, s.meaning.as_str()),
                        None => how,
                    }
                })
                .collect();
            let detail = if value.is_empty() {
                "no status: counts".to_owned()
            } else {
                detail.join("; ")
            };
            (Outcome::from(worst), detail)
        }
        "vehicle_type" => match rules.vehicle.as_ref().filter(|r| r.enabled) {
            None => (Outcome::NoRule, "rules.vehicle is not enabled".into()),
            Some(r) if fold(value).is_empty() && !r.exempt_vehicle_types.is_empty() => (
                Outcome::Review,
                "blank: cannot rule out an exempt type".into(),
            ),
            Some(r) => match r.exemption(value) {
                Some(m) if !fold(value).is_empty() => (Outcome::Exempt, m.describe()),
                _ => (
                    Outcome::Counts,
                    format!("none of {} exemptions", r.exempt_vehicle_types.len()),
                ),
            },
        },
        "entity_type" => match rules.licence.as_ref().filter(|r| r.enabled) {
            None => (Outcome::NoRule, "rules.licence is not enabled".into()),
            Some(_) if fold(value).is_empty() => (
                Outcome::Review,
                "blank: cannot tell whether it is listed".into(),
            ),
            Some(r) => match r
                .entity_types
                .iter()
                .find(|t| entity_type_matches(t, value))
            {
                Some(t) => (Outcome::Listed, format!("entity_types {t}")),
                None => (Outcome::NotListed, String::new()),
            },
        },
        _ => {
            let Some(building) = building_use(&value.split('/').collect::<Vec<_>>()) else {
                return (Outcome::Neither, "no use given".into());
            };
            let listed = |words: &[String]| words.iter().any(|w| fold(w) == building);
            if let Some(r) = rules.property_commercial.as_ref().filter(|r| r.enabled)
                && listed(&r.commercial_uses)
            {
                return (Outcome::Commercial, format!("building use {building}"));
            }
            if let Some(r) = rules
                .property_multi_residential
                .as_ref()
                .filter(|r| r.enabled)
                && listed(&r.residential_uses)
            {
                return (Outcome::Residential, format!("building use {building}"));
            }
            (Outcome::Neither, format!("building use {building}"))
        }
    }
}
