//! The rules, one per file, and their documentation.
//!
//! Each rule file opens with a `//!` comment in four sections (What it does, Why, Evidence it
//! needs, Example). That comment is the only copy of the text: rustdoc shows it, [`rules`]
//! parses it from the file (embedded with `include_str!`), and `docs/rules/` is rendered
//! from [`rules`] by the `rule_docs` test. Editing a rule's comment and forgetting the docs
//! fails that test.

pub mod licence;
pub mod property_commercial;
pub mod property_multi_residential;
pub mod vehicle;

use std::fmt::Write as _;
use std::sync::OnceLock;

use hedui_core::Department;
use serde::Serialize;

use crate::candidate::Candidate;
use crate::household::Context;

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

/// Every rule, in evaluation and documentation order: (id, Chinese name, department,
/// source text).
const SOURCES: [(&str, &str, Department, &str); 4] = [
    (
        vehicle::ID,
        vehicle::NAME_ZH,
        Department::Vehicle,
        include_str!("vehicle.rs"),
    ),
    (
        licence::ID,
        licence::NAME_ZH,
        Department::Licence,
        include_str!("licence.rs"),
    ),
    (
        property_commercial::ID,
        property_commercial::NAME_ZH,
        Department::Property,
        include_str!("property_commercial.rs"),
    ),
    (
        property_multi_residential::ID,
        property_multi_residential::NAME_ZH,
        Department::Property,
        include_str!("property_multi_residential.rs"),
    ),
];

/// A rule's Chinese name; an unknown id is returned as it is, so it still shows.
pub fn rule_name_zh(id: &str) -> &str {
    SOURCES
        .iter()
        .find(|(rule, ..)| *rule == id)
        .map_or(id, |(_, name, ..)| name)
}

/// Documentation of every rule, parsed once.
pub fn rules() -> &'static [RuleDoc] {
    static DOCS: OnceLock<Vec<RuleDoc>> = OnceLock::new();
    DOCS.get_or_init(|| {
        SOURCES
            .iter()
            .map(|&(id, name_zh, department, source)| parse_doc(id, name_zh, department, source))
            .collect()
    })
}

/// Runs every enabled rule.
pub(crate) fn apply_all(ctx: &Context<'_>, out: &mut Vec<Candidate>) {
    let rules = &ctx.policy.rules;
    // Rules only read the holdings, so they run side by side; their rows are joined in a
    // fixed order (and sorted afterwards), whichever rule finishes first.
    let mut parts: [Vec<Candidate>; 4] = Default::default();
    let [vehicles, licences, commercial, homes] = &mut parts;
    rayon::scope(|s| {
        if let Some(r) = rules.vehicle.as_ref().filter(|r| r.enabled) {
            s.spawn(move |_| vehicle::apply(r, ctx, vehicles));
        }
        if let Some(r) = rules.licence.as_ref().filter(|r| r.enabled) {
            s.spawn(move |_| licence::apply(r, ctx, licences));
        }
        if let Some(r) = rules.property_commercial.as_ref().filter(|r| r.enabled) {
            s.spawn(move |_| property_commercial::apply(r, ctx, commercial));
        }
        let multi = rules.property_multi_residential.as_ref();
        if let Some(r) = multi.filter(|r| r.enabled) {
            s.spawn(move |_| property_multi_residential::apply(r, ctx, homes));
        }
    });
    out.extend(parts.into_iter().flatten());
}

/// Serde default of every rule's `enabled`: a table that is present applies.
pub(crate) fn enabled() -> bool {
    true
}

/// Splits the leading `//!` block into the title and its `## ` sections.
fn parse_doc(
    id: &'static str,
    name_zh: &'static str,
    department: Department,
    source: &str,
) -> RuleDoc {
    let lines: Vec<&str> = source
        .lines()
        .map_while(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let mut doc = RuleDoc {
        id,
        name_zh,
        department,
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
             crates/hedui-policy/tests/rule_docs.rs; do not edit by hand. -->\n\n\
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
        out
    }
}

/// The page `docs/rules/README.md`: one line per rule.
pub fn index_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from crates/hedui-policy/src/rules/*.rs by \
         crates/hedui-policy/tests/rule_docs.rs; do not edit by hand. -->\n\n\
         # Policy rules\n\n\
         Each rule is one file under `crates/hedui-policy/src/rules/` and one table \
         `[rules.<id>]` in the policy file; a rule whose table is absent or has \
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
