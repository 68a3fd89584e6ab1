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
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use strum_macros::IntoStaticStr;

use crate::policy::Policy;
use crate::rules::Rule;
use crate::rules::property_commercial::building_use;
use crate::status::StateMeaning;

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
///
/// Counted in parallel over borrowed text: a province's sources are millions of rows, and
/// a `String` per row and state made this one thread's work for seconds.
pub fn dry_run(policy: &Policy, department: Department, records: &[&AssetRecord]) -> Vec<ValueRow> {
    let counted = records
        .par_iter()
        .fold(FxHashMap::default, |mut counts, record| {
            count_record(&mut counts, department, record);
            counts
        })
        .reduce(FxHashMap::default, |a, b| {
            let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (key, n) in small {
                *big.entry(key).or_default() += n;
            }
            big
        });
    // Written out and merged again: two lists of uses can join to one text.
    let mut counts: BTreeMap<(&'static str, String), u64> = BTreeMap::new();
    for ((field, written), n) in counted {
        *counts.entry((field, written.text())).or_default() += n;
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

/// A value as the record holds it, counted before it is written out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Written<'a> {
    Text(&'a str),
    /// A property's uses, written joined by `/`.
    Uses(&'a [Box<str>]),
}

impl Written<'_> {
    fn text(self) -> String {
        match self {
            Self::Text(text) => text.to_owned(),
            Self::Uses(parts) => parts.join("/"),
        }
    }
}

type Counts<'a> = FxHashMap<(&'static str, Written<'a>), u64>;

fn count_record<'a>(counts: &mut Counts<'a>, department: Department, record: &'a AssetRecord) {
    if record.department() != department {
        return;
    }
    if record.statuses.is_empty() && department.is_asset() {
        *counts.entry(("status", Written::Text(""))).or_default() += 1;
    }
    for part in record.statuses.iter() {
        *counts
            .entry(("status", Written::Text(part.trim())))
            .or_default() += 1;
    }
    let (field, value) = match &record.detail {
        AssetDetail::Vehicle { vehicle_type, .. } => ("vehicle_type", vehicle_type.trim()),
        AssetDetail::Licence { entity_type, .. } => ("entity_type", entity_type.trim()),
        AssetDetail::Property { use_parts, .. } => {
            *counts.entry(("use", Written::Uses(use_parts))).or_default() += 1;
            return;
        }
        AssetDetail::Staff(post) => ("position", post.position.trim()),
        AssetDetail::Register { relation, .. } | AssetDetail::Hukou { relation, .. } => {
            ("relation", relation.trim())
        }
    };
    *counts.entry((field, Written::Text(value))).or_default() += 1;
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
        field => {
            // Every enabled rule of the department that reads the field has its say; the
            // first that decides wins (registry order), and a value no rule decides on is
            // judged by none of them.
            let readers: Vec<&dyn Rule> = rules
                .present()
                .into_iter()
                .filter(|r| r.enabled() && r.meta().department == department)
                .filter(|r| r.reads().contains(&field) || r.judge(field, value).is_some())
                .collect();
            if readers.is_empty() {
                return (Outcome::NoRule, format!("no enabled rule reads {field}"));
            }
            readers
                .iter()
                .find_map(|r| r.judge(field, value))
                .unwrap_or_else(|| {
                    let building = building_use(&value.split('/').collect::<Vec<_>>());
                    let detail = building.map_or_else(
                        || "no use given".to_owned(),
                        |b| format!("building use {b}"),
                    );
                    (Outcome::Neither, detail)
                })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use hedui_testkit::Rec;

    use super::*;

    fn policy() -> Policy {
        Policy::from_toml(
            "name = \"t\"\nversion = \"1\"\neffective_from = \"2026-01-01\"\n\
             [status.vehicle]\ninactive = [{ exact = \"注销\" }]\n\
             [status.property]\ninactive = [{ exact = \"注销\" }]\n\
             [rules.vehicle]\n[rules.property_commercial]\ncommercial_uses = [\"商业\"]\n",
            "t.toml",
        )
        .unwrap()
    }

    fn counts(rows: &[ValueRow]) -> Vec<(&str, &str, u64)> {
        rows.iter()
            .map(|r| (r.field, r.value.as_str(), r.count))
            .collect()
    }

    #[test]
    fn counts_every_state_and_value_across_many_records() {
        // Enough records for the parallel count to split them, with every kind of value.
        let mut records = Vec::new();
        for i in 0..5_000 {
            let statuses: &[&str] = match i % 4 {
                0 => &["正常"],
                1 => &[" 抵押 ", "违法未处理"],
                2 => &[],
                _ => &["注销"],
            };
            let vehicle_type = if i % 3 == 0 {
                "小型轿车"
            } else {
                " 货车 "
            };
            records.push(
                Rec::vehicle(&format!("云G{i:05}"), vehicle_type)
                    .status(statuses, None)
                    .build(),
            );
        }
        // Another department's records are not counted.
        records.push(Rec::property("P1", "商业", None).build());
        let refs: Vec<&AssetRecord> = records.iter().collect();
        let rows = dry_run(&policy(), Department::Vehicle, &refs);
        assert_eq!(
            counts(&rows),
            [
                ("status", "(blank)", 1_250),
                ("status", "抵押", 1_250),
                ("status", "正常", 1_250),
                ("status", "注销", 1_250),
                ("status", "违法未处理", 1_250),
                ("vehicle_type", "货车", 3_333),
                ("vehicle_type", "小型轿车", 1_667),
            ]
        );
        let inactive = rows.iter().find(|r| r.value == "注销").unwrap();
        assert_eq!(inactive.outcome, Outcome::Inactive);
    }

    #[test]
    fn uses_are_counted_as_written_whichever_list_holds_them() {
        // Two titles sharing one list of uses and one with its own equal list count as one
        // value; the uses are written joined by `/`.
        let shared = Rec::property("P1", "宅基地/住宅", None).build();
        let same = Rec::property("P2", "宅基地/住宅", None).build();
        if let (
            AssetDetail::Property { use_parts: a, .. },
            AssetDetail::Property { use_parts: b, .. },
        ) = (&shared.detail, &same.detail)
        {
            assert!(!Arc::ptr_eq(a, b));
        }
        let copy = shared.clone();
        let other = Rec::property("P3", "商业", None).build();
        let records = [&shared, &copy, &same, &other];
        let rows = dry_run(&policy(), Department::Property, &records);
        let uses: Vec<_> = counts(&rows)
            .into_iter()
            .filter(|(field, ..)| *field == "use")
            .collect();
        assert_eq!(uses, [("use", "宅基地/住宅", 3), ("use", "商业", 1)]);
    }
}
