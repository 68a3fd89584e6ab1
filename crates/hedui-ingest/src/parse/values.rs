//! Reading typed values out of a mapped row.

use std::sync::Arc;

use chrono::NaiveDate;
use hedui_core::date::{DateError, DateSystem, parse_date, parse_date_or_serial_in};
use hedui_core::quantity::{Quantity, parse_quantity_in};

use crate::field_id::FieldId;
use crate::mapping::ColumnMap;
use crate::reject::RejectReason;

/// How date cells may be written in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateMode {
    /// Text files: a bare number in a date column is an error, not a date.
    Text,
    /// Spreadsheets (and data exported from them): a bare number may be an Excel serial,
    /// counted in the workbook's date system.
    TextOrSerial(DateSystem),
}

/// One row's cells seen through the column map.
pub(crate) struct Cells<'a> {
    pub map: &'a ColumnMap,
    pub cells: &'a [&'a str],
    pub dates: DateMode,
}

impl Cells<'_> {
    pub fn get(&self, field: FieldId) -> &str {
        self.map.get(field, self.cells)
    }

    pub fn required(&self, field: FieldId) -> Result<&str, RejectReason> {
        let value = self.get(field);
        if value.is_empty() {
            Err(RejectReason::MissingValue {
                field: field.name().to_owned(),
            })
        } else {
            Ok(value)
        }
    }

    pub fn bad(&self, field: FieldId, error: impl std::fmt::Display) -> RejectReason {
        RejectReason::BadValue {
            field: field.name().to_owned(),
            message: error.to_string(),
        }
    }

    /// An empty (or explicitly blank, like `-`) date is `None`; an unreadable one rejects
    /// the row, because activity on the check date depends on it.
    pub fn date(&self, field: FieldId) -> Result<Option<NaiveDate>, RejectReason> {
        let raw = self.get(field);
        if raw.is_empty() {
            return Ok(None);
        }
        let parsed = match self.dates {
            DateMode::Text => parse_date(raw),
            DateMode::TextOrSerial(system) => parse_date_or_serial_in(raw, system),
        };
        match parsed {
            Ok(date) => Ok(Some(date)),
            Err(DateError::Empty { .. }) => Ok(None),
            Err(e) => Err(self.bad(field, e)),
        }
    }

    pub fn yuan(&self, field: FieldId) -> Result<Option<f64>, RejectReason> {
        self.quantity(field, Quantity::Yuan)
    }

    pub fn area(&self, field: FieldId) -> Result<Option<f64>, RejectReason> {
        self.quantity(field, Quantity::SquareMetres)
    }

    /// A bare number takes the unit its header declares (`注册资本（万元）`).
    fn quantity(&self, field: FieldId, kind: Quantity) -> Result<Option<f64>, RejectReason> {
        parse_quantity_in(self.get(field), self.map.unit(field), kind)
            .map_err(|e| self.bad(field, e))
    }
}

/// Splits a cell listing several values (`抵押,违法未处理`, `宅基地/住宅`), trimmed, empties
/// dropped, order kept.
///
/// A separator inside brackets does not split: the market-regulation register writes one
/// state as `存续（在营、开业、在册）`, and its parts are not three states.
pub(crate) fn split_list(raw: &str, separators: &[char]) -> Arc<[Box<str>]> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in raw.char_indices() {
        match c {
            '(' | '（' | '[' | '【' => depth += 1,
            ')' | '）' | ']' | '】' => depth = depth.saturating_sub(1),
            c if depth == 0 && separators.contains(&c) => {
                parts.push(&raw[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&raw[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(Box::from)
        .collect()
}

/// Folds full-width forms and spaces out of an identifier such as a certificate number, so
/// the same certificate written twice is one key.
pub(crate) fn fold_width(raw: &str) -> String {
    let folded = hedui_core::nfkc::nfkc(raw);
    // Most cells hold no space: copied whole, not rebuilt a character at a time.
    if !folded.chars().any(char::is_whitespace) {
        return folded.into_owned();
    }
    folded.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Cells without spaces are copied whole; they must fold as every other cell does.
        #[test]
        fn folding_drops_exactly_the_spaces_and_folds_the_width(
            raw in "[0-9A-Za-z()（）０-９Ａ-Ｚ 　\t云泸西县不动产权第号-]{0,24}",
        ) {
            let expected: String = hedui_core::nfkc::nfkc(&raw)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            proptest::prop_assert_eq!(fold_width(&raw), expected);
        }
    }

    #[test]
    fn folding_a_certificate_number() {
        assert_eq!(
            fold_width("云（2015）泸西县 第１３４号"),
            "云(2015)泸西县第134号"
        );
        assert_eq!(fold_width("云(2015)第1号"), "云(2015)第1号");
    }
}
