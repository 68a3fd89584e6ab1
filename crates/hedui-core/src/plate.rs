//! Motor-vehicle plates (号牌号码), GA 36-2018.
//!
//! Plates are the record key for vehicles, so two spellings of one plate must normalise to
//! the same text: `云G·12345`, `云g 12345` and `云Ｇ１２３４５` are one plate.

use std::fmt;

use serde::Serialize;

/// Province abbreviations that open a civilian plate.
const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
/// Traditional forms seen in exports from systems that stored plates in Big5-era fonts.
const TRADITIONAL_PROVINCES: [(char, char); 13] = [
    ('雲', '云'),
    ('滬', '沪'),
    ('遼', '辽'),
    ('貴', '贵'),
    ('魯', '鲁'),
    ('蘇', '苏'),
    ('贛', '赣'),
    ('陝', '陕'),
    ('閩', '闽'),
    ('寧', '宁'),
    ('瓊', '琼'),
    ('晉', '晋'),
    ('粵', '粤'),
];
/// Suffix characters of special-use plates (coach, police, trailer, consulate, test, over-limit).
const SUFFIXES: &str = "学警挂领使试超港澳";

/// A normalised plate.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Plate {
    text: String,
}

/// Why a text is not a plate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlateDefect {
    #[error("plate is empty")]
    Empty,
    #[error("plate {0:?} does not start with a province character")]
    MissingProvince(String),
    #[error("plate {0:?} has no issuing-authority letter after the province")]
    BadAuthority(String),
    #[error("plate {0:?} has a serial of {1} characters, expected 5 (or 6 for new energy)")]
    BadSerial(String, usize),
}

impl Plate {
    /// Normalises separators (`·`, `•`, `-`, spaces), full-width characters, case and
    /// traditional province characters, then checks the GA 36 shape.
    pub fn parse(raw: &str) -> Result<Self, PlateDefect> {
        // Nearly every cell is already in normal form; folding it character by character
        // was a twentieth of a vehicle export's parsing.
        let text = if is_plain(raw) {
            raw.to_owned()
        } else {
            fold(raw)
        };
        Self::checked(text)
    }

    /// [`Plate::parse`] without the shortcut for text already in normal form, to hold the
    /// two together in tests.
    #[doc(hidden)]
    pub fn parse_folding(raw: &str) -> Result<Self, PlateDefect> {
        Self::checked(fold(raw))
    }

    fn checked(text: String) -> Result<Self, PlateDefect> {
        let mut chars = text.chars();
        let Some(province) = chars.next() else {
            return Err(PlateDefect::Empty);
        };
        if !PROVINCES.contains(province) {
            return Err(PlateDefect::MissingProvince(text));
        }
        if !chars.next().is_some_and(|c| c.is_ascii_uppercase()) {
            return Err(PlateDefect::BadAuthority(text));
        }
        let serial = chars.as_str();
        let core = without_suffix(serial);
        let has_suffix = core.len() < serial.len();
        let core_len = core.chars().count();
        let alnum = is_capitals_and_digits(core);
        // Special-use plates put their suffix in place of the fifth serial character.
        let len_ok = (5..=6).contains(&core_len) || (has_suffix && core_len == 4);
        if !len_ok || !alnum {
            return Err(PlateDefect::BadSerial(text, core_len));
        }
        Ok(Self { text })
    }

    /// The normalised plate, as a record key.
    pub fn into_key(self) -> Box<str> {
        self.text.into_boxed_str()
    }

    /// The normalised plate, e.g. `云G12345`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Province abbreviation; `云` for every Honghe plate.
    pub fn province(&self) -> char {
        self.text.chars().next().unwrap_or_default()
    }

    /// Issuing-authority letter; `G` for Honghe.
    pub fn authority(&self) -> char {
        self.text.chars().nth(1).unwrap_or_default()
    }

    /// New-energy plates carry a six-character serial.
    pub fn is_new_energy(&self) -> bool {
        self.text
            .chars()
            .skip(2)
            .filter(|c| c.is_ascii_alphanumeric())
            .count()
            == 6
    }

    /// Whether the plate was issued in Honghe (云G).
    pub fn is_honghe(&self) -> bool {
        self.province() == '云' && self.authority() == 'G'
    }

    /// The Yunnan prefecture whose office issued the plate (`云A` is Kunming's), if any.
    pub fn prefecture(&self) -> Option<&'static crate::area::Prefecture> {
        (self.province() == '云')
            .then(|| crate::area::Prefecture::from_plate_letter(self.authority()))
            .flatten()
    }
}

/// Separators dropped, full-width forms, case and traditional provinces folded.
fn fold(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '∙' | '・' | '‧' | '.' | '-'))
        .map(fold_char)
        .collect()
}

/// Whether folding would leave `raw` as it is: a simplified province, then only ASCII
/// capitals and digits, and at most a suffix character at the end.
fn is_plain(raw: &str) -> bool {
    let mut chars = raw.chars();
    if !chars.next().is_some_and(|p| PROVINCES.contains(p)) {
        return false;
    }
    is_capitals_and_digits(without_suffix(chars.as_str()))
}

/// `serial` without its suffix character (`警`, `学`, …), if it ends in one.
fn without_suffix(serial: &str) -> &str {
    match serial.chars().next_back() {
        Some(last) if SUFFIXES.contains(last) => &serial[..serial.len() - last.len_utf8()],
        _ => serial,
    }
}

/// Only ASCII capitals and digits. A character outside ASCII fails as it should: none of
/// its bytes is an ASCII letter or digit.
fn is_capitals_and_digits(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn fold_char(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    };
    let c = TRADITIONAL_PROVINCES
        .iter()
        .find(|(t, _)| *t == c)
        .map_or(c, |(_, s)| *s);
    c.to_ascii_uppercase()
}

impl fmt::Debug for Plate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Plate({})", self.text)
    }
}

impl fmt::Display for Plate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_plate_agree() {
        for raw in [
            "云G12345",
            "云G·12345",
            "云g 12345",
            "云Ｇ１２３４５",
            " 雲G-12345 ",
            "云G•12345",
        ] {
            assert_eq!(Plate::parse(raw).unwrap().as_str(), "云G12345", "{raw:?}");
        }
    }

    #[test]
    fn shape_and_region() {
        let p = Plate::parse("云GD12345").unwrap();
        assert!(p.is_new_energy() && p.is_honghe());
        assert!(!Plate::parse("云G1234学").unwrap().is_new_energy());
        assert!(!Plate::parse("川A12345").unwrap().is_honghe());
        let prefecture = |text: &str| Plate::parse(text).unwrap().prefecture().map(|p| p.stem);
        assert_eq!(prefecture("云A12345"), Some("昆明"));
        assert_eq!(prefecture("云G12345"), Some("红河"));
        assert_eq!(prefecture("川A12345"), None);
    }

    #[test]
    fn classifies_defects() {
        assert_eq!(Plate::parse(" "), Err(PlateDefect::Empty));
        assert!(matches!(
            Plate::parse("G12345"),
            Err(PlateDefect::MissingProvince(_))
        ));
        assert!(matches!(
            Plate::parse("云112345"),
            Err(PlateDefect::BadAuthority(_))
        ));
        assert!(matches!(
            Plate::parse("云G123"),
            Err(PlateDefect::BadSerial(_, 3))
        ));
    }
}
