//! From a located header to canonical fields.

use std::collections::BTreeMap;

use std::path::Path;

use crate::aliases::{AliasTable, TableKind, header_key, header_unit};
use crate::error::IngestError;
use crate::field_id::{FIELD_IDS, FieldId};

/// Which columns carry which canonical field.
#[derive(Debug, Clone)]
pub(crate) struct ColumnMap {
    /// Per field (by [`FieldId`]), the columns that carry it, best alias first. A licence
    /// export may have both 经营者 and 法定代表人; each row fills one of them, so the first
    /// non-empty wins.
    columns: Box<[Box<[usize]>]>,
    /// Per field, a unit written in its header, e.g. `万元`, applied to bare numbers.
    units: Box<[Option<String>]>,
    /// `(header, field)` per column, for the validate report.
    pub mapping: Vec<(String, Option<&'static str>)>,
}

/// How many distinct fields of `kind` a row's cells name: the header score.
pub(crate) fn header_score(aliases: &AliasTable, kind: TableKind, cells: &[String]) -> usize {
    let mut fields: Vec<&str> = cells
        .iter()
        .filter_map(|c| aliases.field_for(kind, c))
        .collect();
    fields.sort_unstable();
    fields.dedup();
    fields.len()
}

/// A header needs at least this many known fields: enough to skip a title row that happens
/// to contain one field name, few enough for a lean export.
pub(crate) fn min_header_score(kind: TableKind) -> usize {
    kind.fields().iter().filter(|f| f.required).count().max(2)
}

impl ColumnMap {
    /// Maps `headers`, or explains which required field is missing and what is close to it.
    pub fn build(
        kind: TableKind,
        headers: &[String],
        aliases: &AliasTable,
        path: &Path,
        sheet: Option<&str>,
    ) -> Result<Self, IngestError> {
        let mut ranked: BTreeMap<FieldId, Vec<(usize, usize)>> = BTreeMap::new();
        let mut units = vec![None; FIELD_IDS].into_boxed_slice();
        let mut mapping = Vec::with_capacity(headers.len());
        for (index, header) in headers.iter().enumerate() {
            let found = aliases.field_and_rank(kind, header);
            if let Some((id, rank)) = found.and_then(|(f, rank)| Some((FieldId::find(f)?, rank))) {
                ranked.entry(id).or_default().push((rank, index));
                let unit = &mut units[id.index()];
                if unit.is_none() {
                    *unit = header_unit(header);
                }
            }
            mapping.push((header.clone(), found.map(|(field, _)| field)));
        }
        // Indexed: `get` runs for every field of every row.
        let mut columns = vec![Box::default(); FIELD_IDS].into_boxed_slice();
        for (id, mut cols) in ranked {
            cols.sort_unstable();
            columns[id.index()] = cols.into_iter().map(|(_, index)| index).collect();
        }
        let mapped = |name| FieldId::find(name).is_some_and(|id| !columns[id.index()].is_empty());
        if let Some(missing) = kind.fields().iter().find(|f| f.required && !mapped(f.name)) {
            let names = aliases.names(kind, missing.name);
            return Err(IngestError::MissingColumn {
                path: path.to_owned(),
                sheet: sheet.map(str::to_owned),
                field: missing.name.to_owned(),
                found: headers.join(", "),
                aliases: names.join(", "),
                suggestion: nearest(headers, names, missing.name),
            });
        }
        Ok(Self {
            columns,
            units,
            mapping,
        })
    }

    /// The first non-empty value of `field`, trimmed and unguarded; empty when the field is
    /// absent.
    pub fn get<'a, S: AsRef<str>>(&self, field: FieldId, cells: &'a [S]) -> &'a str {
        self.columns
            .get(field.index())
            .into_iter()
            .flatten()
            .filter_map(|&i| cells.get(i))
            .map(|c| unguarded(trim_cell(c.as_ref())))
            .find(|c| !c.is_empty())
            .unwrap_or("")
    }

    /// The unit a header declared for `field`.
    pub fn unit(&self, field: FieldId) -> Option<&str> {
        self.units.get(field.index())?.as_deref()
    }

    /// Headers that map to no field, reported so staff can extend the aliases.
    pub fn unmapped(&self) -> Vec<String> {
        self.mapping
            .iter()
            .filter(|(h, f)| f.is_none() && !h.trim().is_empty())
            .map(|(h, _)| h.clone())
            .collect()
    }
}

/// `str::trim`, without decoding a character when the cell begins and ends with one that
/// cannot be white space: printable ASCII, or a character above U+3FFF (every Han
/// character of a name or an address), since Unicode's white space all lies below U+3001.
/// Every cell of every row is trimmed, most of them with nothing to trim.
pub(crate) fn trim_cell(cell: &str) -> &str {
    let bytes = cell.as_bytes();
    // A byte that starts a character: ASCII, or the lead byte of a longer one.
    let cannot_be_space = |b: u8| (0x21..=0x7e).contains(&b) || b >= 0xe4;
    let last_lead = bytes.iter().rev().take(4).find(|&&b| b & 0xc0 != 0x80);
    match (bytes.first(), last_lead) {
        (Some(&first), Some(&last)) if cannot_be_space(first) && cannot_be_space(last) => cell,
        _ => cell.trim(),
    }
}

/// The text inside an Excel text guard: exports write long numbers as `="532524…"` so that
/// Excel keeps every digit, and the CSV holds the formula, not the number.
pub(crate) fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix("=\"").and_then(|c| c.strip_suffix('"')) {
        Some(inner) if !inner.contains('"') => inner.trim(),
        _ => cell,
    }
}

/// The found header most similar to any accepted name, if it is similar enough to be a
/// plausible variant rather than a different column.
fn nearest(headers: &[String], names: &[String], field: &str) -> String {
    let best = headers
        .iter()
        .flat_map(|h| {
            names.iter().map(move |n| {
                let score = strsim::normalized_levenshtein(&header_key(h), &header_key(n));
                (score, h, n)
            })
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((score, header, name)) if score >= 0.5 => format!(
            "\n  nearest header: {header:?} (close to {name:?}); if it is the same field, add it to \
             the source's [sources.columns] as {field} = [{header:?}]"
        ),
        _ => format!(
            "\n  add the column's header to the source's [sources.columns] as {field} = [\"…\"]"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field_id::field;

    /// The shortcut and `str::trim` agree for every character alone, first or last.
    #[test]
    fn trimming_a_cell_is_str_trim_for_every_character() {
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            for cell in [
                format!("{c}"),
                format!("{c}a"),
                format!("a{c}"),
                format!("{c}张{c}"),
            ] {
                assert_eq!(trim_cell(&cell), cell.trim(), "U+{:04X}", u32::from(c));
            }
        }
        assert_eq!(trim_cell(""), "");
    }

    proptest::proptest! {
        #[test]
        fn trimming_a_cell_is_str_trim(cell in "[ \t\u{3000}\u{a0}\u{2003}a-z0-9张王云\u{ff10}\u{1f600}]{0,8}") {
            proptest::prop_assert_eq!(trim_cell(&cell), cell.trim());
        }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn maps_and_prefers_first_non_empty_of_several_columns() {
        let aliases = AliasTable::builtin().unwrap();
        let headers = strings(&[
            "统一社会信用代码",
            "经营者",
            "法定代表人",
            "备注",
            "注册资本（万元）",
        ]);
        let map = ColumnMap::build(
            TableKind::Licence,
            &headers,
            &aliases,
            Path::new("x.csv"),
            None,
        )
        .unwrap();
        let row = strings(&["92532530MA6K000001", "", "李四", "x", "50"]);
        assert_eq!(map.get(field!("operator_name"), &row), "李四");
        let guarded = strings(&["=\"92532530MA6K000001\"", "=\"\"", " =\" 李四 \"", "", ""]);
        assert_eq!(
            map.get(field!("credit_code"), &guarded),
            "92532530MA6K000001"
        );
        assert_eq!(
            map.get(field!("operator_name"), &guarded),
            "李四",
            "an empty guard is empty"
        );
        assert_eq!(unguarded("=\"a\"b\""), "=\"a\"b\"", "not one guarded value");
        assert_eq!(map.unmapped(), vec!["备注".to_owned()]);
        assert_eq!(map.unit(field!("registered_capital")), Some("万元"));
    }

    #[test]
    fn missing_required_column_names_file_headers_and_nearest_alias() {
        let aliases = AliasTable::builtin().unwrap();
        let headers = strings(&["号牌号码", "车主名称", "身份证明号码"]);
        let err = ColumnMap::build(
            TableKind::Vehicle,
            &headers,
            &aliases,
            Path::new("v.csv"),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("v.csv"), "{err}");
        assert!(err.contains("owner_name"), "{err}");
        assert!(err.contains("号牌号码, 车主名称, 身份证明号码"), "{err}");
        assert!(err.contains("nearest header: \"车主名称\""), "{err}");
    }

    #[test]
    fn header_score_counts_distinct_fields() {
        let aliases = AliasTable::builtin().unwrap();
        let title = strings(&["红河州机动车信息导出（导出日期：2026-07-01）"]);
        let header = strings(&["号牌号码", "机动车所有人", "身份证明号码", "车辆类型"]);
        assert_eq!(header_score(&aliases, TableKind::Vehicle, &title), 0);
        assert_eq!(header_score(&aliases, TableKind::Vehicle, &header), 4);
    }
}
