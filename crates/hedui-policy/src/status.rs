//! Status vocabularies: which status words end a holding, per department.
//!
//! Each department writes its own words, and one word can be part of another with the
//! opposite meaning: `报废` (scrapped) ends a vehicle, `达到报废标准` (reached the scrapping
//! standard) does not. So the policy gives each department its own list
//! (`[status.vehicle]`, `[status.licence]`, `[status.property]`), written with the same
//! `{ exact = … }` / `{ pattern = … }` entries as the exemptions.
//!
//! A state is read in three steps:
//!
//! 1. A cell is split into states at ingest (`抵押,违法未处理` is two).
//! 2. A state made only of code letters the table knows (`GQ`) is one state per letter,
//!    translated with the department's code table (built in for vehicles, see
//!    [`BUILTIN_STATUSES`]; a policy can override single codes).
//! 3. Each state is **inactive** when a policy entry matches its word (also without a
//!    leading `已`, "already": `已注销` is 注销, and without a bracketed gloss:
//!    `存续（在营、开业、在册）` is 存续) or its code,
//!    **active** when a known active word does (the built-in list plus the policy's
//!    `active`), and otherwise **not understood**.
//!
//! A holding with any inactive state has ended (subject to the change date, see
//! [`mod@crate::activity`]). A holding with a state nobody understands still counts, but
//! only as a review candidate: an unknown code could mean deregistered, and a plain
//! candidate must not rest on a guess.

use std::collections::BTreeMap;

use hedui_core::Department;
use serde::{Deserialize, Serialize};
use strum_macros::IntoStaticStr;

use crate::error::PolicyError;
use crate::text::{NameMatch, fold};

/// The built-in vocabulary file, also rendered into `docs/rules/README.md`.
pub const BUILTIN_STATUSES: &str = include_str!("../statuses.toml");

/// `[status.<department>]` as written in the policy file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusTable {
    /// States that end a holding.
    pub inactive: Vec<NameMatch>,
    /// States that leave it live, besides the built-in ones.
    #[serde(default)]
    pub active: Vec<NameMatch>,
    /// Code → word, overriding or extending the built-in table.
    #[serde(default)]
    pub codes: BTreeMap<String, String>,
}

/// `[status]` of the policy file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusTables {
    pub vehicle: Option<StatusTable>,
    pub licence: Option<StatusTable>,
    pub property: Option<StatusTable>,
}

/// The built-in file's layout: per department, active words and codes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BuiltinDepartment {
    active: Vec<String>,
    #[serde(default)]
    codes: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Builtin {
    vehicle: BuiltinDepartment,
    licence: BuiltinDepartment,
    property: BuiltinDepartment,
}

/// One department's vocabulary, ready to read states.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vocabulary {
    pub inactive: Vec<NameMatch>,
    /// The policy's active entries, then the built-in words (as exact entries).
    pub active: Vec<NameMatch>,
    /// How many of `active` the policy gave; the rest are built in.
    pub policy_active: usize,
    /// Single-character codes (uppercase), to words.
    pub codes: BTreeMap<char, String>,
    /// Where the inactive entries came from, for messages: `[status.vehicle]` or
    /// `inactive_statuses`.
    pub source: String,
}

/// What a state means under a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum StateMeaning {
    Active,
    Inactive,
    NotUnderstood,
}

impl StateMeaning {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One state of a cell, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct State {
    /// The code letter, when the state was written as a code.
    pub code: Option<char>,
    /// The word: the code's translation, or the state as written.
    pub word: String,
    pub meaning: StateMeaning,
    /// The policy entry that decided it (`exact 注销`), when one did.
    pub by: Option<String>,
}

impl Vocabulary {
    /// The states of one ingest-split part: several for a compound code, else one.
    pub fn read(&self, part: &str) -> Vec<State> {
        let folded = fold(part);
        if folded.is_empty() {
            return Vec::new();
        }
        let letters: Option<Vec<(char, &String)>> = folded
            .chars()
            .map(|c| {
                let c = c.to_ascii_uppercase();
                self.codes.get(&c).map(|w| (c, w))
            })
            .collect();
        match letters {
            Some(letters) => letters
                .into_iter()
                .map(|(code, word)| self.state(Some(code), word))
                .collect(),
            None => vec![self.state(None, part.trim())],
        }
    }

    fn state(&self, code: Option<char>, word: &str) -> State {
        let code_text = code.map(String::from);
        // `已注销` is 注销 that has happened: the prefix says when, not what. `存续（在营、开业）`
        // is 存续 with the register's gloss in brackets.
        let folded = fold(word);
        let unbracketed = folded
            .split(['(', '['])
            .next()
            .filter(|b| !b.is_empty() && b.len() < folded.len());
        let bare = unbracketed
            .unwrap_or(&folded)
            .strip_prefix('已')
            .filter(|b| !b.is_empty())
            .or(unbracketed);
        // An entry may also name the code itself (`{ exact = "E" }`).
        let matches = |m: &NameMatch| {
            let (NameMatch::Exact(text) | NameMatch::Pattern(text)) = m;
            m.matches(word)
                || bare.is_some_and(|b| m.matches(b))
                || code_text
                    .as_deref()
                    .is_some_and(|c| fold(text).eq_ignore_ascii_case(c))
        };
        let (meaning, by) = if let Some(m) = self.inactive.iter().find(|m| matches(m)) {
            (StateMeaning::Inactive, Some(m.describe()))
        } else if let Some((i, m)) = self.active.iter().enumerate().find(|(_, m)| matches(m)) {
            let by = match m {
                NameMatch::Exact(w) if i >= self.policy_active => format!("built-in {w}"),
                _ => m.describe(),
            };
            (StateMeaning::Active, Some(by))
        } else {
            (StateMeaning::NotUnderstood, None)
        };
        State {
            code,
            word: word.to_owned(),
            meaning,
            by,
        }
    }

    /// Every state of a record's parts.
    pub fn read_all(&self, parts: &[impl AsRef<str>]) -> Vec<State> {
        parts.iter().flat_map(|p| self.read(p.as_ref())).collect()
    }

    /// A part as a person reads it: `GQ（违法未处理、逾期未检验）` for a code, else as written.
    pub fn shown(&self, part: &str) -> String {
        let states = self.read(part);
        let part = part.trim();
        if states.iter().all(|s| s.code.is_none()) {
            return part.to_owned();
        }
        let words: Vec<&str> = states.iter().map(|s| s.word.as_str()).collect();
        format!("{part}（{}）", words.join("、"))
    }
}

/// The three departments' vocabularies of a loaded policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vocabularies {
    pub vehicle: Option<Vocabulary>,
    pub licence: Option<Vocabulary>,
    pub property: Option<Vocabulary>,
}

impl Vocabularies {
    /// The vocabulary of a department; `None` when the policy gives none (its rules are
    /// then disabled, which loading checks).
    pub fn of(&self, department: Department) -> Option<&Vocabulary> {
        match department {
            Department::Vehicle => self.vehicle.as_ref(),
            Department::Licence => self.licence.as_ref(),
            Department::Property => self.property.as_ref(),
            Department::Staff | Department::Register | Department::Hukou => None,
        }
    }
}

/// Builds the vocabularies from the policy's `[status]` and its deprecated
/// `inactive_statuses`, and says what a reader of the file should be warned about.
pub(crate) fn vocabularies(
    origin: &str,
    tables: &StatusTables,
    legacy: Option<&[String]>,
    warnings: &mut Vec<String>,
) -> Result<Vocabularies, PolicyError> {
    let builtin: Builtin = toml::from_str(BUILTIN_STATUSES)
        .map_err(|e| PolicyError::invalid("built-in statuses.toml", "", e.to_string()))?;
    let legacy_entries: Option<Vec<NameMatch>> = legacy.map(|words| {
        words
            .iter()
            .map(|w| NameMatch::Pattern(w.clone()))
            .collect()
    });
    let mut one = |name: &str,
                   table: Option<&StatusTable>,
                   base: BuiltinDepartment|
     -> Result<Option<Vocabulary>, PolicyError> {
        let key = format!("status.{name}");
        let (inactive, source, mut active, overrides) = match (table, &legacy_entries) {
            (Some(t), _) => {
                check_entries(origin, &format!("{key}.inactive"), &t.inactive, false)?;
                check_entries(origin, &format!("{key}.active"), &t.active, true)?;
                (
                    t.inactive.clone(),
                    format!("[{key}]"),
                    t.active.clone(),
                    t.codes.clone(),
                )
            }
            (None, Some(entries)) => (
                entries.clone(),
                "inactive_statuses".to_owned(),
                Vec::new(),
                BTreeMap::new(),
            ),
            (None, None) => return Ok(None),
        };
        let policy_active = active.len();
        active.extend(base.active.into_iter().map(NameMatch::Exact));
        let mut codes: BTreeMap<char, String> = BTreeMap::new();
        for (code, word) in base.codes.into_iter().chain(overrides) {
            codes.insert(code_char(origin, &key, &code)?, word);
        }
        if let Some((i, _)) = codes
            .iter()
            .enumerate()
            .find(|(_, (_, w))| fold(w).is_empty())
        {
            return Err(PolicyError::invalid(
                origin,
                format!("{key}.codes[{i}]"),
                "a code must stand for a word",
            ));
        }
        let vocabulary = Vocabulary {
            inactive,
            active,
            policy_active,
            codes,
            source,
        };
        warnings.extend(shadowed_active_words(name, &vocabulary));
        Ok(Some(vocabulary))
    };
    Ok(Vocabularies {
        vehicle: one("vehicle", tables.vehicle.as_ref(), builtin.vehicle)?,
        licence: one("licence", tables.licence.as_ref(), builtin.licence)?,
        property: one("property", tables.property.as_ref(), builtin.property)?,
    })
}

/// A code is one letter or digit: longer keys could not be told apart inside `GQ`.
fn code_char(origin: &str, key: &str, code: &str) -> Result<char, PolicyError> {
    let folded = fold(code);
    let mut chars = folded.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphanumeric() => Ok(c.to_ascii_uppercase()),
        _ => Err(PolicyError::invalid(
            origin,
            format!("{key}.codes"),
            format!("{code:?} is not a code: a code is one letter or digit"),
        )),
    }
}

/// Entries must name something: an empty or all-`*` entry would end (or keep) every holding.
fn check_entries(
    origin: &str,
    key: &str,
    entries: &[NameMatch],
    may_be_empty: bool,
) -> Result<(), PolicyError> {
    if entries.is_empty() && !may_be_empty {
        return Err(PolicyError::invalid(
            origin,
            key,
            "must list at least one status that ends a holding",
        ));
    }
    for (i, m) in entries.iter().enumerate() {
        let (NameMatch::Exact(text) | NameMatch::Pattern(text)) = m;
        if fold(text).replace('*', "").is_empty() {
            return Err(PolicyError::invalid(
                origin,
                format!("{key}[{i}]"),
                "must name a status",
            ));
        }
    }
    Ok(())
}

/// Warnings for inactive entries that also catch a word hedui knows to be active, e.g. a
/// pattern `报废` that ends `达到报废标准`.
fn shadowed_active_words(department: &str, v: &Vocabulary) -> Vec<String> {
    let mut out = Vec::new();
    for entry in &v.inactive {
        let caught: Vec<String> = v
            .active
            .iter()
            .filter_map(|a| match a {
                NameMatch::Exact(word) if entry.matches(word) => Some(word.clone()),
                _ => None,
            })
            .collect();
        if !caught.is_empty() {
            out.push(format!(
                "{}: {} also ends {} of {department}, which hedui otherwise counts as active",
                v.source,
                entry.describe(),
                caught.join(", ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab(inactive: &[NameMatch], codes: &[(&str, &str)]) -> Vocabulary {
        let table = StatusTable {
            inactive: inactive.to_vec(),
            active: Vec::new(),
            codes: codes
                .iter()
                .map(|(c, w)| ((*c).to_owned(), (*w).to_owned()))
                .collect(),
        };
        let tables = StatusTables {
            vehicle: Some(table),
            ..StatusTables::default()
        };
        let mut warnings = Vec::new();
        vocabularies("p.toml", &tables, None, &mut warnings)
            .unwrap()
            .vehicle
            .unwrap()
    }

    fn exact(w: &str) -> NameMatch {
        NameMatch::Exact(w.into())
    }

    fn meanings(v: &Vocabulary, part: &str) -> Vec<StateMeaning> {
        v.read(part).iter().map(|s| s.meaning).collect()
    }

    #[test]
    fn scrapped_ends_a_vehicle_reaching_the_standard_does_not() {
        let v = vocab(&[exact("报废"), exact("注销")], &[]);
        assert_eq!(meanings(&v, "报废"), [StateMeaning::Inactive]);
        assert_eq!(meanings(&v, "达到报废标准"), [StateMeaning::Active]);
        assert_eq!(meanings(&v, " 注销　"), [StateMeaning::Inactive]);
        assert_eq!(meanings(&v, "已被法院拍卖"), [StateMeaning::NotUnderstood]);
        assert_eq!(meanings(&v, "已报废（强制）"), [StateMeaning::Inactive]);
        assert_eq!(meanings(&v, ""), []);
    }

    #[test]
    fn compound_codes_are_several_states() {
        let v = vocab(&[exact("注销"), exact("强制注销"), exact("转出")], &[]);
        let states = v.read("GQ");
        assert_eq!(
            states.iter().map(|s| s.word.as_str()).collect::<Vec<_>>(),
            ["违法未处理", "逾期未检验"]
        );
        assert!(states.iter().all(|s| s.meaning == StateMeaning::Active));
        assert_eq!(
            meanings(&v, "gE"),
            [StateMeaning::Active, StateMeaning::Inactive]
        );
        assert_eq!(v.shown("GQ"), "GQ（违法未处理、逾期未检验）");
        assert_eq!(v.shown("正常"), "正常");
        // Not every letter is a code: read as one word.
        assert_eq!(meanings(&v, "GZ"), [StateMeaning::NotUnderstood]);
    }

    #[test]
    fn a_policy_code_overrides_the_builtin_one() {
        let v = vocab(&[exact("强制注销")], &[("m", "达到报废标准")]);
        assert_eq!(meanings(&v, "M"), [StateMeaning::Active]);
        let v = vocab(&[exact("强制注销")], &[]);
        assert_eq!(meanings(&v, "M"), [StateMeaning::Inactive]);
        // An exact entry may name the code itself.
        let v = vocab(&[exact("P")], &[]);
        assert_eq!(meanings(&v, "P"), [StateMeaning::Inactive]);
    }

    #[test]
    fn legacy_words_match_by_containment_and_say_so() {
        let mut warnings = Vec::new();
        let legacy = ["报废".to_owned()];
        let v = vocabularies(
            "p.toml",
            &StatusTables::default(),
            Some(&legacy),
            &mut warnings,
        )
        .unwrap();
        let vehicle = v.vehicle.unwrap();
        assert_eq!(meanings(&vehicle, "达到报废标准"), [StateMeaning::Inactive]);
        assert_eq!(vehicle.source, "inactive_statuses");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("pattern 报废 also ends 达到报废标准")),
            "{warnings:?}"
        );
    }

    #[test]
    fn the_registers_glossed_and_compound_licence_states_are_understood() {
        let tables = StatusTables {
            licence: Some(StatusTable {
                inactive: vec![exact("注销"), exact("吊销")],
                ..StatusTable::default()
            }),
            ..StatusTables::default()
        };
        let v = vocabularies("p.toml", &tables, None, &mut Vec::new())
            .unwrap()
            .licence
            .unwrap();
        assert_eq!(
            meanings(&v, "存续（在营、开业、在册）"),
            [StateMeaning::Active]
        );
        assert_eq!(meanings(&v, "未注销"), [StateMeaning::Active]);
        assert_eq!(meanings(&v, "吊销"), [StateMeaning::Inactive]);
        // Codes are the vehicle registry's: a licence's `E` is not understood.
        assert_eq!(meanings(&v, "E"), [StateMeaning::NotUnderstood]);
    }

    #[test]
    fn bad_tables_are_refused_naming_the_key() {
        let tables = |t: StatusTable| StatusTables {
            licence: Some(t),
            ..StatusTables::default()
        };
        let err = |t: StatusTable| {
            vocabularies("p.toml", &tables(t), None, &mut Vec::new())
                .unwrap_err()
                .to_string()
        };
        let e = err(StatusTable::default());
        assert!(e.contains("status.licence.inactive"), "{e}");
        let e = err(StatusTable {
            inactive: vec![NameMatch::Pattern("*".into())],
            ..StatusTable::default()
        });
        assert!(e.contains("status.licence.inactive[0]"), "{e}");
        let e = err(StatusTable {
            inactive: vec![exact("注销")],
            codes: [("AB".to_owned(), "x".to_owned())].into(),
            ..StatusTable::default()
        });
        assert!(e.contains("not a code"), "{e}");
    }
}
