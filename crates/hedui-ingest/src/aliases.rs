//! Which header names mean which canonical field.
//!
//! The table is data (`aliases.toml`, compiled in) because header wording is the part of an
//! export that drifts most between departments and years; staff can read it, and a run
//! configuration can add names per source without a new release.

use std::collections::BTreeMap;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

/// The built-in alias file, also rendered into `docs/ingest.md`.
pub const BUILTIN_ALIASES: &str = include_str!("../aliases.toml");

/// The kinds of table hedui reads.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Recipients,
    Vehicle,
    Licence,
    Property,
    Staff,
    RelativesRegister,
    Hukou,
}

impl TableKind {
    /// Every kind, in declaration order.
    pub const ALL: [TableKind; 7] = [
        TableKind::Recipients,
        TableKind::Vehicle,
        TableKind::Licence,
        TableKind::Property,
        TableKind::Staff,
        TableKind::RelativesRegister,
        TableKind::Hukou,
    ];
}

/// A canonical field of a table kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    /// A source without this column is refused.
    pub required: bool,
}

const fn req(name: &'static str) -> Field {
    Field {
        name,
        required: true,
    }
}
const fn opt(name: &'static str) -> Field {
    Field {
        name,
        required: false,
    }
}

const RECIPIENT_FIELDS: &[Field] = &[
    req("household_id"),
    req("member_name"),
    req("member_id"),
    opt("relation"),
    opt("sex"),
    opt("birth_date"),
    opt("category"),
    opt("county"),
    opt("township"),
    opt("village"),
    opt("address"),
    opt("enrolled_on"),
    opt("head_name"),
    opt("monthly_amount"),
];
const VEHICLE_FIELDS: &[Field] = &[
    req("plate"),
    opt("vin"),
    opt("vehicle_type"),
    opt("plate_kind"),
    opt("use_nature"),
    req("owner_name"),
    opt("owner_id"),
    opt("owner_id_kind"),
    opt("owner_address"),
    opt("owner_area"),
    opt("registered_on"),
    opt("status"),
    opt("status_changed_on"),
];
const LICENCE_FIELDS: &[Field] = &[
    req("credit_code"),
    opt("entity_name"),
    opt("entity_type"),
    req("operator_name"),
    opt("operator_id"),
    opt("registered_capital"),
    opt("established_on"),
    opt("approved_on"),
    opt("status"),
    opt("status_changed_on"),
    opt("address"),
    opt("area"),
    opt("registry_office"),
];
const PROPERTY_FIELDS: &[Field] = &[
    req("certificate_no"),
    opt("unit_no"),
    req("owner_names"),
    opt("owner_ids"),
    opt("co_owner_names"),
    opt("co_owner_ids"),
    opt("co_ownership"),
    opt("right_type"),
    opt("location"),
    opt("area"),
    opt("use"),
    opt("floor_area"),
    opt("registered_on"),
    opt("status"),
    opt("status_changed_on"),
];
const STAFF_FIELDS: &[Field] = &[
    req("staff_name"),
    opt("staff_id"),
    opt("position"),
    opt("unit"),
    opt("served_township"),
    opt("served_village"),
    opt("term_start"),
    opt("term_end"),
    opt("address"),
];
const REGISTER_FIELDS: &[Field] = &[
    req("recipient_name"),
    opt("recipient_id"),
    opt("certificate_no"),
    req("staff_name"),
    opt("staff_id"),
    opt("relation"),
    opt("registered_on"),
];
const HUKOU_FIELDS: &[Field] = &[
    req("hukou_no"),
    req("person_name"),
    opt("person_id"),
    opt("relation"),
    opt("address"),
];

impl TableKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recipients => "recipients",
            Self::Vehicle => "vehicle",
            Self::Licence => "licence",
            Self::Property => "property",
            Self::Staff => "staff",
            Self::RelativesRegister => "relatives_register",
            Self::Hukou => "hukou",
        }
    }

    /// The canonical fields, in output order.
    pub const fn fields(self) -> &'static [Field] {
        match self {
            Self::Recipients => RECIPIENT_FIELDS,
            Self::Vehicle => VEHICLE_FIELDS,
            Self::Licence => LICENCE_FIELDS,
            Self::Property => PROPERTY_FIELDS,
            Self::Staff => STAFF_FIELDS,
            Self::RelativesRegister => REGISTER_FIELDS,
            Self::Hukou => HUKOU_FIELDS,
        }
    }

    /// The field spec by name.
    pub fn field(self, name: &str) -> Option<Field> {
        self.fields().iter().copied().find(|f| f.name == name)
    }
}

/// Header names per field, per table kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasTable {
    names: BTreeMap<TableKind, BTreeMap<&'static str, Vec<String>>>,
}

/// Why an alias table or override is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AliasError {
    #[error("aliases: {0}")]
    Toml(String),
    #[error("aliases: `{field}` is not a field of {kind}; fields are: {known}")]
    UnknownField {
        kind: &'static str,
        field: String,
        known: String,
    },
}

impl AliasTable {
    /// The built-in table.
    pub fn builtin() -> Result<Self, AliasError> {
        Self::from_toml(BUILTIN_ALIASES)
    }

    /// Parses an alias file with the layout of `aliases.toml`.
    pub fn from_toml(text: &str) -> Result<Self, AliasError> {
        let raw: BTreeMap<TableKind, BTreeMap<String, Vec<String>>> =
            toml::from_str(text).map_err(|e| AliasError::Toml(e.to_string()))?;
        let mut table = Self {
            names: BTreeMap::new(),
        };
        for (kind, fields) in raw {
            table.extend(kind, &fields)?;
        }
        Ok(table)
    }

    /// Adds names for some fields of one kind; configured names take precedence over the
    /// built-in ones because they are tried first.
    pub fn extend(
        &mut self,
        kind: TableKind,
        fields: &BTreeMap<String, Vec<String>>,
    ) -> Result<(), AliasError> {
        for (field, names) in fields {
            let spec = kind.field(field).ok_or_else(|| AliasError::UnknownField {
                kind: kind.as_str(),
                field: field.clone(),
                known: kind
                    .fields()
                    .iter()
                    .map(|f| f.name)
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
            let entry = self
                .names
                .entry(kind)
                .or_default()
                .entry(spec.name)
                .or_default();
            for (i, name) in names.iter().enumerate() {
                entry.insert(i, name.clone());
            }
        }
        Ok(())
    }

    /// The accepted names for a field, configured ones first.
    pub fn names(&self, kind: TableKind, field: &str) -> &[String] {
        self.names
            .get(&kind)
            .and_then(|f| f.get(field))
            .map_or(&[], Vec::as_slice)
    }

    /// The field a header names, comparing normalised forms.
    pub fn field_for(&self, kind: TableKind, header: &str) -> Option<&'static str> {
        self.field_and_rank(kind, header).map(|(field, _)| field)
    }

    /// The field a header names and the rank of the alias that matched (0 = first listed,
    /// configured names first). When several columns carry one field, lower rank wins: an
    /// export with both 车辆类型 and 号牌种类 should read the vehicle type from the former.
    pub fn field_and_rank(&self, kind: TableKind, header: &str) -> Option<(&'static str, usize)> {
        let key = header_key(header);
        if key.is_empty() {
            return None;
        }
        let fields = self.names.get(&kind)?;
        kind.fields().iter().find_map(|f| {
            let rank = fields
                .get(f.name)?
                .iter()
                .position(|n| header_key(n) == key)?;
            Some((f.name, rank))
        })
    }
}

/// The comparable form of a header: NFKC, no whitespace or `*`, bracketed parts removed,
/// and in a Chinese header the English beside it dropped (`号牌号码 Plate No.` is
/// `号牌号码`), so bilingual exports map like Chinese ones.
pub fn header_key(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    let mut depth = 0usize;
    for c in header.nfkc() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            c if depth > 0 || c.is_whitespace() || c == '*' || c == ':' || c == '\u{feff}' => {}
            c => out.extend(c.to_uppercase()),
        }
    }
    if out.chars().any(hedui_core::name::is_han) && out.chars().any(|c| c.is_ascii_alphabetic()) {
        out.retain(|c| !(c.is_ascii_alphabetic() || matches!(c, '.' | '/' | '_' | '-' | '#')));
    }
    out
}

/// Words that make bracketed header text a unit (`万元`, `万元人民币`, `千元`, `万美元`, `㎡`),
/// as opposed to a remark (`注册资本（金）`, `住所（经营场所）`). A unit hedui cannot convert
/// (`万美元`) is still taken: its numbers are then rejected naming the unit, where reading
/// `50` under `（万美元）` as fifty yuan would pass a capital floor silently.
const UNIT_WORDS: [&str; 9] = ["元", "万", "亿", "千", "美元", "平方", "平米", "m2", "m²"];

/// The unit written in a header's brackets, e.g. `万元` in `注册资本（万元）` or
/// `注册资本[万元人民币]`.
pub fn header_unit(header: &str) -> Option<String> {
    let text: String = header.nfkc().collect();
    let start = text.find(['(', '[', '【', '〔'])?;
    let inner = &text[start..];
    let inner = &inner[inner.chars().next().map_or(0, char::len_utf8)..];
    let end = inner.find([')', ']', '】', '〕'])?;
    let unit = inner[..end].trim();
    let unit = unit.strip_prefix("单位:").unwrap_or(unit).trim();
    let unit = unit.strip_prefix("人民币").unwrap_or(unit);
    UNIT_WORDS
        .iter()
        .any(|w| unit.contains(w))
        .then(|| unit.to_owned())
}

#[cfg(test)]
mod tests;
