//! The policy file: versioned, dated data that says what disqualifies a household.
//!
//! Rules differ by county and change every year, so they are data a county administrator
//! edits, not code. The file is read strictly (`deny_unknown_fields` everywhere) because a
//! misspelt key silently ignored would change who is proposed for losing their benefit.

use std::path::Path;

use chrono::NaiveDate;
use hedui_core::{County, Department};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::PolicyError;
use crate::rules::Rules;
use crate::status::{StatusTables, Vocabularies, vocabularies};
use crate::text::fold;

/// A loaded, validated policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub name: String,
    pub version: String,
    /// The first date the policy is in force; see [`Policy::check_in_force`].
    pub effective_from: NaiveDate,
    /// Current six-digit codes of the counties it applies to (former codes in the file are
    /// mapped to current ones); empty means every county.
    pub counties: Vec<String>,
    /// Per department, which states end a holding (see [`mod@crate::status`]).
    pub status: Vocabularies,
    pub rules: Rules,
    /// What a reader of the file should know: deprecated keys, entries that catch more
    /// than they seem to. Printed by every command that loads the policy.
    pub warnings: Vec<String>,
    /// SHA-256 of the file's bytes, lowercase hex, so every output names the exact policy.
    pub sha256: String,
    /// Where the policy came from (the path, for a file), for messages.
    pub origin: String,
}

/// The file as written, before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    name: String,
    version: String,
    /// A TOML date (`2026-01-01`) or a string (`"2026-01-01"`); both are common.
    effective_from: toml::Value,
    #[serde(default)]
    counties: Vec<String>,
    /// Deprecated: words matched by containment in every department.
    #[serde(default)]
    inactive_statuses: Option<Vec<String>>,
    #[serde(default)]
    status: StatusTables,
    #[serde(default)]
    rules: Rules,
}

impl Policy {
    /// Reads and validates the policy file at `path`.
    pub fn load(path: &Path) -> Result<Policy, PolicyError> {
        let bytes = std::fs::read(path).map_err(|source| PolicyError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let origin = path.display().to_string();
        let text = std::str::from_utf8(&bytes).map_err(|_| PolicyError::NotUtf8 {
            origin: origin.clone(),
        })?;
        Self::from_toml(text, &origin)
    }

    /// Parses and validates policy text; `origin` names it in errors (a path, usually).
    /// The hash is of `text`'s UTF-8 bytes, which are the file's bytes for a UTF-8 file.
    pub fn from_toml(text: &str, origin: &str) -> Result<Policy, PolicyError> {
        let sha256 = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        // Windows editors save UTF-8 with a byte-order mark, which TOML does not allow.
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let file: PolicyFile =
            toml::from_str(body).map_err(|e| PolicyError::toml(origin, body, &e))?;
        let effective_from = parse_date(&file.effective_from).ok_or_else(|| {
            PolicyError::invalid(origin, "effective_from", "expected a date like 2026-01-01")
        })?;
        for (key, value) in [("name", &file.name), ("version", &file.version)] {
            if value.trim().is_empty() {
                return Err(PolicyError::invalid(origin, key, "must not be empty"));
            }
        }
        let counties = file
            .counties
            .iter()
            .enumerate()
            .map(|(i, code)| {
                County::from_code(code.trim())
                    .map(|c| c.code.to_owned())
                    .ok_or_else(|| {
                        PolicyError::invalid(
                            origin,
                            format!("counties[{i}]"),
                            format!("{code:?} is not the code of a Yunnan county"),
                        )
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut warnings = Vec::new();
        if let Some(words) = &file.inactive_statuses {
            check_words(origin, "inactive_statuses", words)?;
            warnings.push(legacy_warning(origin, words, &file.status));
        }
        let status = vocabularies(
            origin,
            &file.status,
            file.inactive_statuses.as_deref(),
            &mut warnings,
        )?;
        let rules = file.rules;
        for (department, enabled) in rules.enabled_departments() {
            // Staff, register and registration rows have terms and relations, not statuses.
            if enabled && department.is_asset() && status.of(department).is_none() {
                let name = department.as_str();
                return Err(PolicyError::invalid(
                    origin,
                    format!("status.{name}"),
                    format!(
                        "a {name} rule is enabled but no status says when a {name} holding \
                         has ended; add [status.{name}] with inactive = [{{ exact = \"注销\" }}, …]"
                    ),
                ));
            }
        }
        for rule in rules.present() {
            rule.validate(origin)?;
        }
        check_claims(origin, &rules)?;
        if !rules.any_enabled() {
            return Err(PolicyError::invalid(
                origin,
                "rules",
                "no rule is enabled, so the policy could never find anything",
            ));
        }
        Ok(Policy {
            name: file.name.trim().to_owned(),
            version: file.version.trim().to_owned(),
            effective_from,
            counties,
            status,
            rules,
            warnings,
            sha256,
            origin: origin.to_owned(),
        })
    }

    /// Errs when the policy took effect after `check_date`: judging a date by a later
    /// policy would apply rules nobody had announced yet.
    pub fn check_in_force(&self, check_date: NaiveDate) -> Result<(), PolicyError> {
        if self.effective_from <= check_date {
            return Ok(());
        }
        Err(PolicyError::NotInForce {
            name: self.name.clone(),
            version: self.version.clone(),
            effective_from: self.effective_from,
            check_date,
        })
    }

    /// Whether a county code is covered: every county when the list is empty.
    pub fn covers_county(&self, code: &str) -> bool {
        self.counties.is_empty() || self.counties.iter().any(|c| c == code)
    }
}

/// The deprecation warning of `inactive_statuses`, saying what its words match.
fn legacy_warning(origin: &str, words: &[String], tables: &StatusTables) -> String {
    let unused = [&tables.vehicle, &tables.licence, &tables.property]
        .iter()
        .all(|t| t.is_some());
    if unused {
        return format!(
            "{origin}: `inactive_statuses` is deprecated and unused here: every department \
             has its own [status.*] table; delete the line"
        );
    }
    format!(
        "{origin}: `inactive_statuses` is deprecated: each of its words ({}) ends any status \
         that contains it, in every department without its own table; write [status.vehicle], \
         [status.licence] and [status.property] with {{ exact = … }} entries instead",
        words.join(", ")
    )
}

impl Rules {
    /// Each department with whether one of its rules is enabled.
    pub fn enabled_departments(&self) -> [(Department, bool); 6] {
        let enabled: Vec<Department> = self
            .present()
            .iter()
            .filter(|r| r.enabled())
            .map(|r| r.meta().department)
            .collect();
        Department::ALL.map(|d| (d, enabled.contains(&d)))
    }

    /// Whether any rule table is present and enabled.
    pub fn any_enabled(&self) -> bool {
        self.present().iter().any(|r| r.enabled())
    }

    /// Fields the enabled rules of `department` read besides statuses and dates.
    pub fn reads(&self, department: Department) -> Vec<&'static str> {
        let mut fields: Vec<&'static str> = self
            .present()
            .iter()
            .filter(|r| r.enabled() && r.meta().department == department)
            .flat_map(|r| r.reads())
            .collect();
        fields.dedup();
        fields
    }
}

fn parse_date(value: &toml::Value) -> Option<NaiveDate> {
    match value {
        toml::Value::String(s) => s.trim().parse().ok(),
        toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
            let date = dt.date?;
            NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
        }
        _ => None,
    }
}

/// A list of words must be non-empty and hold no blank word: an empty word would match
/// everything under a contains match.
pub(crate) fn check_words(origin: &str, key: &str, words: &[String]) -> Result<(), PolicyError> {
    if words.is_empty() {
        return Err(PolicyError::invalid(
            origin,
            key,
            "must list at least one word",
        ));
    }
    match words.iter().position(|w| fold(w).is_empty()) {
        Some(i) => Err(PolicyError::invalid(
            origin,
            format!("{key}[{i}]"),
            "must not be empty",
        )),
        None => Ok(()),
    }
}

/// No value may be listed by two rules (a building use both commercial and residential):
/// the two would count the same certificate twice and the reason a family is given would
/// contradict itself.
fn check_claims(origin: &str, rules: &Rules) -> Result<(), PolicyError> {
    let mut seen: Vec<(&'static str, String, String)> = Vec::new();
    for rule in rules.present() {
        let id = rule.meta().id;
        for (field, key, value) in rule.claims() {
            if let Some((_, other, _)) = seen.iter().find(|(f, k, v)| {
                *f == field && *v == value && !k.starts_with(&format!("rules.{id}."))
            }) {
                return Err(PolicyError::invalid(
                    origin,
                    key,
                    format!("{value:?} is also listed in {other}"),
                ));
            }
            seen.push((field, key, value));
        }
    }
    Ok(())
}
