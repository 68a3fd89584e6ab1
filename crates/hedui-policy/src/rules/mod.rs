//! The rules, one per file, their registry and their documentation.
//!
//! A rule is a file here that declares its [`RuleMeta`], its `[rules.<id>]` table as a
//! struct, and implements [`Rule`] (apply, validate, what it reads, how it judges a value in
//! the dry run); one line in `registry!` adds it to the policy schema, evaluation, the dry
//! run, the contract check and the docs.
//!
//! Each rule file opens with a `//!` comment in four sections (What it does, Why, Evidence it
//! needs, Example). That comment is the only copy of the text: rustdoc shows it, [`rules`]
//! parses it from the file (embedded with `include_str!`), and `docs/rules/` is rendered
//! from [`rules`] by the `rule_docs` test. Editing a rule's comment and forgetting the docs
//! fails that test.

use std::fmt::Write as _;
use std::sync::OnceLock;

use hedui_core::Department;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::candidate::Candidate;
use crate::dry_run::Outcome;
use crate::error::PolicyError;
use crate::household::Context;

/// Declares every rule: its module, its `[rules.<id>]` table in [`Rules`], and its place in
/// evaluation and documentation order. **Adding a rule is one file in this folder and one
/// line in the `registry!` call below**; the policy schema, the docs and their test follow.
macro_rules! registry {
    ($($id:ident => $rule:ident),+ $(,)?) => {
        $(pub mod $id;)+

        /// The rule tables of a policy file. A rule whose table is absent does not apply.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Rules {
            $(pub $id: Option<$id::$rule>,)+
        }

        impl Rules {
            /// Every rule whose table is present, in registry order.
            pub(crate) fn present(&self) -> Vec<&dyn Rule> {
                let mut out: Vec<&dyn Rule> = Vec::new();
                $(if let Some(rule) = &self.$id {
                    out.push(rule);
                })+
                out
            }
        }

        /// Every rule's metadata and the text of its file, in registry order.
        const SOURCES: &[(RuleMeta, &str)] = &[
            $(($id::META, include_str!(concat!(stringify!($id), ".rs"))),)+
        ];

        // A rule's id is its table name: a mismatch would be a table no rule reads.
        $(const _: () = assert!(
            hedui_core::same_text($id::META.id.as_str(), stringify!($id)),
            "a rule's META.id must be its module's name"
        );)+
    };
}

registry! {
    vehicle => VehicleRule,
    licence => LicenceRule,
    property_commercial => PropertyCommercialRule,
    property_multi_residential => PropertyMultiResidentialRule,
    staff_recipient => StaffRecipientRule,
    undeclared_relative => UndeclaredRelativeRule,
    case_worker_conflict => CaseWorkerConflictRule,
    register_stale => RegisterStaleRule,
}

/// A rule's id: its table name in the policy file and the `rule` of its candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct RuleId(&'static str);

impl RuleId {
    /// Only the rule files name ids, in their [`RuleMeta`].
    pub(crate) const fn new(id: &'static str) -> Self {
        Self(id)
    }

    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// What the registry knows of a rule without its configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleMeta {
    pub id: RuleId,
    /// The name in Chinese, for everything a person reads (`车辆`).
    pub name_zh: &'static str,
    pub department: Department,
}

/// A configured rule, as its `[rules.<id>]` table gave it.
pub(crate) trait Rule: std::fmt::Debug + Send + Sync {
    fn meta(&self) -> RuleMeta;
    /// `enabled = false` keeps a table in the file without applying it.
    fn enabled(&self) -> bool;
    /// Values that make no sense, named by their key.
    fn validate(&self, origin: &str) -> Result<(), PolicyError>;
    /// Proposes candidates from the household holdings.
    fn apply(&self, ctx: &Context<'_>, out: &mut Vec<Candidate>);
    /// What it finds wrong with the centre's own data, for the centre to tidy.
    fn hygiene(&self, _ctx: &Context<'_>) -> Vec<crate::candidate::Finding> {
        Vec::new()
    }
    /// Fields (besides the status and dates every rule reads) that its decisions read, as
    /// configured: a vehicle rule without exemptions does not need the vehicle type.
    fn reads(&self) -> Vec<&'static str>;
    /// The outcome it gives a value of `field` in the dry run; `None` when it does not
    /// decide on the value (a use it does not list).
    fn judge(&self, _field: &str, _value: &str) -> Option<(Outcome, String)> {
        None
    }
    /// Values it lists, as `(field, key in the file, folded value)`: two rules may not both
    /// list one value, or one certificate would count twice with contradicting reasons.
    fn claims(&self) -> Vec<(&'static str, String, String)> {
        Vec::new()
    }
}

/// A rule's documentation, parsed from its file's `//!` comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleDoc {
    /// The id candidates carry and the policy file's table name: `rules.<id>`.
    pub id: &'static str,
    /// The name in Chinese, for everything a person reads (`车辆`).
    pub name_zh: &'static str,
    pub department: Department,
    /// The comment's first line.
    pub title: String,
    pub what_it_does: String,
    pub why: String,
    pub evidence_it_needs: String,
    /// A `[rules.<id>]` table in TOML, fenced as in the source.
    pub example: String,
}

/// A rule's Chinese name; an unknown id is returned as it is, so it still shows.
pub fn rule_name_zh(id: &str) -> &str {
    SOURCES
        .iter()
        .find(|(meta, _)| meta.id.as_str() == id)
        .map_or(id, |(meta, _)| meta.name_zh)
}

/// Documentation of every rule, parsed once.
pub fn rules() -> &'static [RuleDoc] {
    static DOCS: OnceLock<Vec<RuleDoc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        SOURCES
            .iter()
            .map(|(meta, source)| parse_doc(meta, source))
            .collect()
    })
}

/// Runs every enabled rule. Rules only read the holdings, so they run side by side; their
/// rows are joined in registry order (and sorted afterwards), whichever finishes first.
pub(crate) fn apply_all(ctx: &Context<'_>, out: &mut Vec<Candidate>) {
    let enabled: Vec<&dyn Rule> = ctx
        .policy
        .rules
        .present()
        .into_iter()
        .filter(|r| r.enabled())
        .collect();
    let parts: Vec<Vec<Candidate>> = enabled
        .par_iter()
        .map(|rule| {
            let mut part = Vec::new();
            rule.apply(ctx, &mut part);
            part
        })
        .collect();
    out.extend(parts.into_iter().flatten());
}

/// Serde default of every rule's `enabled`: a table that is present applies.
pub(crate) fn enabled() -> bool {
    true
}

/// Splits the leading `//!` block into the title and its `## ` sections.
fn parse_doc(meta: &RuleMeta, source: &str) -> RuleDoc {
    let lines: Vec<&str> = source
        .lines()
        .map_while(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let mut doc = RuleDoc {
        id: meta.id.as_str(),
        name_zh: meta.name_zh,
        department: meta.department,
        title: lines
            .first()
            .map(|l| l.trim().to_owned())
            .unwrap_or_default(),
        what_it_does: String::new(),
        why: String::new(),
        evidence_it_needs: String::new(),
        example: String::new(),
    };
    let mut section: Option<&mut String> = None;
    for line in lines.iter().skip(1) {
        if let Some(heading) = line.strip_prefix("## ") {
            section = match heading.trim() {
                "What it does" => Some(&mut doc.what_it_does),
                "Why" => Some(&mut doc.why),
                "Evidence it needs" => Some(&mut doc.evidence_it_needs),
                "Example" => Some(&mut doc.example),
                _ => None,
            };
        } else if let Some(text) = section.as_deref_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    for text in [
        &mut doc.what_it_does,
        &mut doc.why,
        &mut doc.evidence_it_needs,
        &mut doc.example,
    ] {
        *text = text.trim().to_owned();
    }
    doc
}

impl RuleDoc {
    /// The page `docs/rules/<id>.md`.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "<!-- Generated from crates/hedui-policy/src/rules/{id}.rs by \
             crates/hedui-policy/tests/it/rule_docs.rs; do not edit by hand. -->\n\n\
             # `{id}` ({name_zh}): {title}\n\nDepartment: {dept} ({dept_zh}). Policy table: \
             `[rules.{id}]`.\n",
            id = self.id,
            name_zh = self.name_zh,
            title = self.title,
            dept = self.department.as_str(),
            dept_zh = self.department.label_zh(),
        );
        for (heading, text) in [
            ("What it does", &self.what_it_does),
            ("Why", &self.why),
            ("Evidence it needs", &self.evidence_it_needs),
            ("Example", &self.example),
        ] {
            let _ = write!(out, "\n## {heading}\n\n{text}\n");
        }
        if let Some(text) = measured(self.id) {
            let _ = write!(out, "\n## Measured\n\n{}\n", text.trim());
        }
        out
    }
}

/// The latest measured quality of a rule, from `rules/measured.toml` (data kept beside the
/// rules so the docs show it without measurements living in code comments).
fn measured(id: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Entry {
        text: String,
    }
    static TABLE: OnceLock<std::collections::BTreeMap<String, Entry>> = OnceLock::new();
    TABLE
        .get_or_init(|| toml::from_str(include_str!("measured.toml")).unwrap_or_default())
        .get(id)
        .map(|e| e.text.clone())
}

/// The page `docs/rules/README.md`: one line per rule.
pub fn index_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from crates/hedui-policy/src/rules/*.rs by \
         crates/hedui-policy/tests/it/rule_docs.rs; do not edit by hand. -->\n\n\
         # Policy rules\n\n\
         Each rule is one file under `crates/hedui-policy/src/rules/`, one line in the \
         `registry!` of `rules/mod.rs`, and one table `[rules.<id>]` in the policy file; a rule whose table is absent or has \
         `enabled = false` does not apply. Every rule counts only records active on the \
         check date and held by a current household member, and a candidate resting on a \
         review-band link is always a review candidate.\n\n\
         **Active on the check date.** A record registered after the check date does not \
         count. Each department has its own status vocabulary in the policy, \
         `[status.vehicle]`, `[status.licence]` and `[status.property]`, whose `inactive` \
         entries (`{ exact = \"注销\" }`, `{ pattern = \"*注销\" }`) say which states end a \
         holding: exactly `报废` ends a vehicle, `达到报废标准` does not. A cell holding several \
         states (`抵押,违法未处理`) is split first, and vehicle letter codes (`E`, compound \
         `GQ`) are translated with the built-in GA table below, which a policy can override \
         per code (`codes = { M = \"达到报废标准\" }`). A holding with an inactive state does \
         not count if the status changed on or before the check date, and does count if it \
         changed after it. An inactive status with **no change date** is taken as ended: \
         hedui never proposes a lead on an asset its own department marks as ended, even \
         when it cannot say when. A state that neither the policy nor the built-in list of \
         active words knows is **not understood**: the holding counts, but only as a review \
         candidate, and `hedui validate` and `hedui check` warn about the value. The old \
         top-level `inactive_statuses` (words matched by containment in every department) \
         still works, with a deprecation warning.\n\n\
         Run `hedui validate` with a policy in the run configuration to see every status, \
         vehicle type, entity type and property use in the exports, with its count and what \
         the policy makes of it.\n\n\
         | rule | 名称 | department | what it flags |\n|---|---|---|---|\n",
    );
    for doc in rules() {
        let _ = writeln!(
            out,
            "| [`{id}`]({id}.md) | {name_zh} | {dept} | {title} |",
            id = doc.id,
            name_zh = doc.name_zh,
            dept = doc.department.as_str(),
            title = doc.title,
        );
    }
    let _ = write!(
        out,
        "\n## Built-in status vocabulary\n\n\
         The words hedui knows to leave a holding live, and the vehicle registry's letter \
         codes (`crates/hedui-policy/statuses.toml`). Which states *end* a holding is always \
         the policy's choice.\n\n```toml\n{}```\n",
        crate::status::BUILTIN_STATUSES
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_measured_table_parses_and_names_only_rules() {
        let table: std::collections::BTreeMap<String, toml::Value> =
            toml::from_str(include_str!("measured.toml")).unwrap();
        assert!(!table.is_empty());
        for id in table.keys() {
            assert!(SOURCES.iter().any(|(m, _)| m.id.as_str() == id), "{id}");
            assert!(measured(id).is_some_and(|t| t.contains('|')), "{id}");
        }
    }
}
