//! Unified social credit codes (统一社会信用代码), GB 32100-2015, and legacy registration
//! numbers (注册号).
//!
//! Some early codes were issued with a wrong check character and are still valid legal
//! identifiers, so a failed check is recorded as a flag on the value, never a rejection.

use std::fmt;

use serde::Serialize;

/// The 31-symbol alphabet: digits and capitals without I, O, S, V, Z.
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A business identifier as found in a licence export: a unified code (18 characters, its
/// check character flagged when wrong) or a legacy registration number (15 digits).
///
/// Held inline, not as a `String`: every licence row carries one, millions of them at once,
/// and both forms are short ASCII.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode {
    /// The code's ASCII characters; a registration number fills the first 15.
    bytes: [u8; 18],
    /// 18 for a unified code, 15 for a registration number.
    len: u8,
    /// Whether a unified code's check character is right (always true for the other).
    check_ok: bool,
}

impl Serialize for CreditCode {
    /// As the two kinds were written when they were an enum: `{"kind": "unified", "code",
    /// "check_ok"}` or `{"kind": "legacy_registration", "number"}`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        if self.is_legacy() {
            let mut s = serializer.serialize_struct("CreditCode", 2)?;
            s.serialize_field("kind", "legacy_registration")?;
            s.serialize_field("number", self.as_str())?;
            s.end()
        } else {
            let mut s = serializer.serialize_struct("CreditCode", 3)?;
            s.serialize_field("kind", "unified")?;
            s.serialize_field("code", self.as_str())?;
            s.serialize_field("check_ok", &self.check_ok)?;
            s.end()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeDefect {
    #[error("credit code is empty")]
    Empty,
    #[error("credit code has invalid character {ch:?} at position {position}")]
    BadCharacter { position: usize, ch: char },
    #[error("credit code has {0} characters, expected 18 (or a 15-digit registration number)")]
    BadLength(usize),
}

/// The check character for the first 17 characters of a unified code, or `None` if any of
/// them is outside the alphabet or the length is wrong.
pub fn check_char(body17: &str) -> Option<char> {
    if body17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (byte, weight) in body17.bytes().zip(WEIGHTS) {
        sum += value_of(byte)? * weight;
    }
    let check = (31 - sum % 31) % 31;
    ALPHABET.get(check as usize).map(|&b| char::from(b))
}

/// Each byte's place in [`ALPHABET`], or 31 for a byte outside it: looked up, not searched,
/// because every licence row's code looks up 35 bytes.
const VALUES: [u8; 256] = {
    let mut values = [31u8; 256];
    let mut i = 0;
    while i < ALPHABET.len() {
        values[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    values
};

fn value_of(byte: u8) -> Option<u32> {
    let value = VALUES[usize::from(byte)];
    (value < 31).then_some(u32::from(value))
}

impl CreditCode {
    /// Parses a code after folding full-width characters, case, spaces and dashes.
    pub fn parse(raw: &str) -> Result<Self, CreditCodeDefect> {
        let raw = raw.trim();
        // Most cells are the bare code: its case is folded on the stack, with no string built
        // character by character.
        if raw.len() <= 18 && raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
            let mut bytes = [0u8; 18];
            for (to, from) in bytes.iter_mut().zip(raw.bytes()) {
                *to = from.to_ascii_uppercase();
            }
            let cleaned = std::str::from_utf8(&bytes[..raw.len()]).unwrap_or_default();
            return Self::from_cleaned(cleaned);
        }
        Self::parse_folding(raw)
    }

    /// [`CreditCode::parse`] for any cell: full-width forms, spaces and dashes folded.
    fn parse_folding(raw: &str) -> Result<Self, CreditCodeDefect> {
        let cleaned: String = raw
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{3000}'))
            .map(|c| match c {
                '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                c => c,
            })
            .map(|c| c.to_ascii_uppercase())
            .collect();
        Self::from_cleaned(&cleaned)
    }

    /// The code of a folded cell: no spaces, dashes or full-width forms, letters in capitals.
    fn from_cleaned(cleaned: &str) -> Result<Self, CreditCodeDefect> {
        if cleaned.is_empty() {
            return Err(CreditCodeDefect::Empty);
        }
        let len = cleaned.chars().count();
        if len == 15 {
            return match cleaned.chars().position(|c| !c.is_ascii_digit()) {
                None => Ok(Self::inline(cleaned, true)),
                Some(position) => Err(bad_char(cleaned, position)),
            };
        }
        if len != 18 {
            return Err(CreditCodeDefect::BadLength(len));
        }
        if let Some(position) = cleaned.bytes().position(|b| value_of(b).is_none()) {
            return Err(bad_char(cleaned, position));
        }
        let check_ok = check_char(&cleaned[..17]) == cleaned[17..].chars().next();
        Ok(Self::inline(cleaned, check_ok))
    }

    /// `code`: 15 or 18 ASCII characters, checked by `parse`.
    fn inline(code: &str, check_ok: bool) -> Self {
        let mut bytes = [0u8; 18];
        let len = code.len().min(18);
        bytes[..len].copy_from_slice(&code.as_bytes()[..len]);
        Self {
            bytes,
            len: len as u8,
            check_ok,
        }
    }

    /// The identifier as text: the record key for licences.
    pub fn as_str(&self) -> &str {
        // Only ASCII is ever stored (`parse` refuses anything else).
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// A 15-digit registration number (注册号) rather than a unified code.
    pub fn is_legacy(&self) -> bool {
        self.len == 15
    }

    /// Whether the check character verifies; legacy numbers have none and report `true`.
    pub fn check_ok(&self) -> bool {
        self.check_ok
    }

    /// Position 2 of a unified code: 1 enterprise, 2 individual business (个体工商户),
    /// 3 farmers' co-operative.
    pub fn entity_type(&self) -> Option<char> {
        (!self.is_legacy()).then(|| char::from(self.bytes[1]))
    }

    /// The GB/T 2260 area code (positions 3–8) of a unified code, or the first six digits of a
    /// registration number, which also begin with the registering authority's area.
    pub fn area_code(&self) -> &str {
        let area = if self.is_legacy() { 0..6 } else { 2..8 };
        self.as_str().get(area).unwrap_or_default()
    }
}

fn bad_char(cleaned: &str, position: usize) -> CreditCodeDefect {
    let ch = cleaned.chars().nth(position).unwrap_or('?');
    CreditCodeDefect::BadCharacter { position, ch }
}

impl fmt::Debug for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Business codes are public registry data, unlike personal identity numbers.
        write!(
            f,
            "CreditCode({}, check_ok={})",
            self.as_str(),
            self.check_ok()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_worked_example_check_is_6() {
        assert_eq!(check_char("91440300192203821"), Some('6'));
        let code = CreditCode::parse("914403001922038216").unwrap();
        assert!(code.check_ok());
        assert_eq!(code.entity_type(), Some('1'));
        assert_eq!(code.area_code(), "440300");
    }

    #[test]
    fn failed_check_is_a_flag_not_a_rejection() {
        let code = CreditCode::parse("914403001922038217").unwrap();
        assert!(!code.check_ok());
        assert_eq!(code.as_str(), "914403001922038217");
    }

    #[test]
    fn folds_case_width_and_spaces() {
        let code = CreditCode::parse(" ９１４４０３００１９２２０３８２１６ ").unwrap();
        assert_eq!(code.as_str(), "914403001922038216");
        assert!(CreditCode::parse("92532530ma6kxxxx1x").is_ok());
    }

    #[test]
    fn legacy_registration_number_is_its_own_kind() {
        let code = CreditCode::parse("532530600012345").unwrap();
        assert!(code.is_legacy());
        assert!(code.check_ok() && code.entity_type().is_none());
        assert_eq!(code.area_code(), "532530");
    }

    #[test]
    fn both_kinds_serialise_as_they_always_have() {
        let unified = CreditCode::parse("914403001922038217").unwrap();
        let legacy = CreditCode::parse("532530600012345").unwrap();
        assert_eq!(
            serde_json::to_string(&unified).unwrap(),
            r#"{"kind":"unified","code":"914403001922038217","check_ok":false}"#
        );
        assert_eq!(
            serde_json::to_string(&legacy).unwrap(),
            r#"{"kind":"legacy_registration","number":"532530600012345"}"#
        );
        // Held inline, with room for `Option` in its flag.
        assert_eq!(size_of::<Option<CreditCode>>(), 20);
    }

    #[test]
    fn classifies_defects() {
        assert_eq!(CreditCode::parse(""), Err(CreditCodeDefect::Empty));
        assert_eq!(
            CreditCode::parse("9144"),
            Err(CreditCodeDefect::BadLength(4))
        );
        assert_eq!(
            CreditCode::parse("91440300192203821O"),
            Err(CreditCodeDefect::BadCharacter {
                position: 17,
                ch: 'O'
            })
        );
        assert!(matches!(
            CreditCode::parse("53253060001234A"),
            Err(CreditCodeDefect::BadCharacter { position: 14, .. })
        ));
    }

    proptest::proptest! {
        /// A bare cell skips the folding; it must read as the folding reads it, defects
        /// included. The alphabet's letters and the ones outside it, in both cases, at every
        /// length around the two valid ones.
        #[test]
        fn a_bare_cell_reads_as_the_folding_reads_it(
            raw in "[0-9A-Za-z]{0,20}",
            padded in proptest::bool::ANY,
        ) {
            let cell = if padded { format!(" {raw} ") } else { raw.clone() };
            proptest::prop_assert_eq!(
                CreditCode::parse(&cell),
                CreditCode::parse_folding(&cell)
            );
        }
    }

    #[test]
    fn the_value_table_is_the_alphabet() {
        for byte in 0..=u8::MAX {
            let place = ALPHABET.iter().position(|&a| a == byte).map(|p| p as u32);
            assert_eq!(value_of(byte), place, "{byte}");
        }
    }
}
