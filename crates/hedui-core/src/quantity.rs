//! Numbers as departments write them: with units, thousands separators and full-width digits.

use std::borrow::Cow;

/// What a number measures, which decides the units it may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantity {
    /// Money, returned in yuan (`50万元` is 500,000).
    Yuan,
    /// Floor area, returned in square metres.
    SquareMetres,
}

/// Why a number could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("{0:?} is not a number")]
    NotANumber(String),
    #[error("{raw:?} has unit {unit:?}, which is not a unit of {expected}")]
    WrongUnit {
        raw: String,
        unit: String,
        expected: &'static str,
    },
}

/// Parses `46.07㎡`, `46.07平方米`, `50万元`, `50万`, `1,200.5`, `３万` and the like.
/// Returns `Ok(None)` for an empty cell.
pub fn parse_quantity(raw: &str, kind: Quantity) -> Result<Option<f64>, QuantityError> {
    parse_quantity_in(raw, None, kind)
}

/// [`parse_quantity`] for a column whose header declares `header_unit`
/// (`注册资本（万元）`): a bare number (digits, `.` and `,` only) takes that unit.
pub fn parse_quantity_in(
    raw: &str,
    header_unit: Option<&str>,
    kind: Quantity,
) -> Result<Option<f64>, QuantityError> {
    let bare = !raw.is_empty()
        && raw
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b','));
    // Most cells are plain numbers, which normalising would only copy; this runs on every
    // row of a prefecture's exports.
    let text = if raw.is_empty() || (bare && !raw.contains(',')) {
        Cow::Borrowed(raw)
    } else {
        normalised(raw)
    };
    if crate::missing::is_missing_marker(&text) {
        return Ok(None);
    }
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit = match header_unit {
        Some(declared) if bare => normalised(declared),
        _ => Cow::Borrowed(unit),
    };
    // Errors quote the cell with the unit it was read in, as a person would write it.
    let written = || match header_unit {
        Some(declared) if bare => format!("{raw}{declared}"),
        _ => raw.to_owned(),
    };
    let value: f64 = number
        .parse()
        .map_err(|_| QuantityError::NotANumber(written()))?;
    if !value.is_finite() {
        return Err(QuantityError::NotANumber(written()));
    }
    let factor = match (kind, &*unit) {
        (Quantity::Yuan, "" | "元" | "人民币元" | "元人民币") => 1.0,
        (Quantity::Yuan, "万" | "万元" | "万元人民币" | "万人民币") => 1e4,
        (Quantity::Yuan, "亿" | "亿元" | "亿元人民币") => 1e8,
        (Quantity::Yuan, "千元" | "千元人民币") => 1e3,
        // NFKC turns ㎡ into "m2".
        (Quantity::SquareMetres, "" | "m2" | "平方米" | "平米" | "平方" | "m²") => 1.0,
        _ => {
            return Err(QuantityError::WrongUnit {
                raw: written(),
                unit: unit.into_owned(),
                expected: match kind {
                    Quantity::Yuan => "money",
                    Quantity::SquareMetres => "area",
                },
            });
        }
    };
    Ok(Some(value * factor))
}

/// NFKC, without whitespace and thousands separators; borrowed when that is the text as
/// written, as a header's unit (`万元`) nearly always is: it is read again for every row.
fn normalised(text: &str) -> Cow<'_, str> {
    let folded = crate::nfkc::nfkc(text);
    let dropped = |c: char| c.is_whitespace() || c == ',';
    if !folded.chars().any(dropped) {
        return folded;
    }
    Cow::Owned(folded.chars().filter(|&c| !dropped(c)).collect())
}

#[cfg(test)]
mod tests {
    use unicode_normalization::UnicodeNormalization;

    use super::*;

    #[test]
    fn a_bare_number_takes_the_headers_unit_and_errors_quote_it() {
        let capital = |s, unit| parse_quantity_in(s, unit, Quantity::Yuan);
        assert_eq!(capital("50", Some("万元")), Ok(Some(500_000.0)));
        assert_eq!(capital("1,200", Some("千元")), Ok(Some(1_200_000.0)));
        // Only a bare number: a cell with its own unit keeps it, a signed one is not bare.
        assert_eq!(capital("3亿", Some("万元")), Ok(Some(3e8)));
        assert_eq!(capital("-5", Some("万元")), Ok(Some(-5.0)));
        assert_eq!(capital("-", Some("万元")), Ok(None));
        assert_eq!(
            capital("50", Some("万美元")),
            Err(QuantityError::WrongUnit {
                raw: "50万美元".to_owned(),
                unit: "万美元".to_owned(),
                expected: "money",
            })
        );
        assert_eq!(
            capital("1.2.3", Some("万元")),
            Err(QuantityError::NotANumber("1.2.3万元".to_owned()))
        );
    }

    #[test]
    fn reads_units() {
        let area = |s| parse_quantity(s, Quantity::SquareMetres);
        let money = |s| parse_quantity(s, Quantity::Yuan);
        assert_eq!(area("46.07㎡"), Ok(Some(46.07)));
        assert_eq!(area("46.07平方米"), Ok(Some(46.07)));
        assert_eq!(area(" 120 "), Ok(Some(120.0)));
        assert_eq!(money("50万元"), Ok(Some(500_000.0)));
        assert_eq!(money("３万"), Ok(Some(30_000.0)));
        assert_eq!(money("1,200.5元"), Ok(Some(1200.5)));
        assert_eq!(money(""), Ok(None));
        assert_eq!(money("千元"), Err(QuantityError::NotANumber("千元".into())));
        assert_eq!(money("12千元"), Ok(Some(12_000.0)));
        for blank in ["-", "—", "/", "无", "NULL"] {
            assert_eq!(money(blank), Ok(None), "{blank}");
            assert_eq!(area(blank), Ok(None), "{blank}");
        }
    }

    #[test]
    fn rejects_garbage_and_wrong_units() {
        assert!(matches!(
            parse_quantity("abc", Quantity::Yuan),
            Err(QuantityError::NotANumber(_))
        ));
        assert!(matches!(
            parse_quantity("50万元", Quantity::SquareMetres),
            Err(QuantityError::WrongUnit { .. })
        ));
    }

    proptest::proptest! {
        /// Text that needs no change is borrowed; it must be what folding it gives.
        #[test]
        fn normalising_is_nfkc_without_spaces_and_commas(
            text in "[0-9.,万元亿千平方米㎡ｍ２０-９ 　\t-]{0,12}",
        ) {
            let expected: String = text
                .nfkc()
                .filter(|c| !c.is_whitespace() && *c != ',')
                .collect();
            proptest::prop_assert_eq!(normalised(&text), expected);
        }
    }
}
