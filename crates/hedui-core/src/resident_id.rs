//! Resident identity numbers (居民身份证号码), GB 11643-1999.
//!
//! Department exports hold these numbers with full-width digits, spaces, lowercase `x`, the
//! legacy 15-digit form and plain typos. Parsing cleans what is cosmetic, upgrades what is
//! legacy, and classifies everything else as an [`IdDefect`] so that the matcher can decide
//! how much to trust a number instead of dropping the record.
//!
//! `Debug` and `Display` are masked on purpose: identity numbers are personal data, and a
//! stray `tracing::debug!("{id:?}")` must never write one to a log in full.

mod check;
mod neighbours;

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use check::{check_char, clean};
pub use neighbours::{
    legacy_neighbours, legacy_neighbours_among, one_edit_neighbours, one_slip, typed_digits,
};

use crate::area::County;

/// What is wrong with a would-be identity number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IdDefect {
    /// Nothing but whitespace.
    #[error("identity number is empty")]
    Empty,
    /// Spreadsheet software turned the number into a float (`5.32501E+17`); digits are lost.
    #[error("identity number was mangled into scientific notation")]
    ScientificNotation,
    /// A character that is not a digit (or a final `X`).
    #[error("identity number has invalid character {ch:?} at position {position}")]
    BadCharacter { position: usize, ch: char },
    /// Neither 15 nor 18 characters (17 is reported as [`IdDefect::MissingCheckChar`]).
    #[error("identity number has {0} characters, expected 18 (or legacy 15)")]
    BadLength(usize),
    /// 17 digits: the check character was cut off.
    #[error("identity number has 17 digits: the check character is missing")]
    MissingCheckChar,
    /// The first two digits are not a GB/T 2260 province code.
    ///
    /// The digits are a `Box<str>`, not a `String`: the defect is held in every owner's
    /// [`IdField`](crate::record::IdField), and the capacity word made each owner one
    /// allocator size class larger.
    #[error("identity number starts with {0:?}, which is not a province code")]
    UnknownArea(Box<str>),
    /// The embedded birth date is not a real calendar date in 1900..=2099.
    #[error("identity number embeds an impossible birth date {0:?}")]
    ImpossibleBirthDate(Box<str>),
    /// ISO 7064 MOD 11-2 check failed: almost always a typo.
    #[error("identity number check character is {found:?}, expected {expected:?}")]
    CheckMismatch { expected: char, found: char },
}

/// Sex encoded by the parity of the sequence code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// A valid 18-character resident identity number.
///
/// Equality, hashing and order look at the number only: a number upgraded from the legacy
/// 15-digit form is the same person's number as its 18-digit form.
#[derive(Clone, Copy)]
pub struct ResidentId {
    chars: [u8; 18],
    upgraded_from_15: bool,
}

/// GB/T 2260 province-level codes, the only part of the address code we can check without
/// shipping the full national table.
const PROVINCE_CODES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

/// [`PROVINCE_CODES`] as a lookup by number: every 15-digit upgrade searches some 160
/// neighbours, each checked here, so the check must not compare strings.
const IS_PROVINCE: [bool; 100] = {
    let mut table = [false; 100];
    let mut i = 0;
    while i < PROVINCE_CODES.len() {
        table[PROVINCE_CODES[i] as usize] = true;
        i += 1;
    }
    table
};

/// `raw` itself when it is 17 ASCII digits and a digit or `X`: what [`clean`] would return
/// unchanged.
fn plain_18(raw: &str) -> Option<&[u8]> {
    let bytes = raw.as_bytes();
    let (body, last) = bytes
        .split_last_chunk::<1>()
        .filter(|_| bytes.len() == 18)?;
    (body.iter().all(u8::is_ascii_digit) && (last[0].is_ascii_digit() || last[0] == b'X'))
        .then_some(bytes)
}

impl ResidentId {
    /// Parses any text a department might hold for an identity number.
    pub fn parse(raw: &str) -> Result<Self, IdDefect> {
        // Nearly every cell is already 18 plain characters; cleaning it would only copy it.
        if let Some(plain) = plain_18(raw) {
            return Self::from_18(plain);
        }
        let cleaned = clean(raw);
        if cleaned.is_empty() {
            return Err(IdDefect::Empty);
        }
        if cleaned.contains("E+") || cleaned.contains("e+") {
            return Err(IdDefect::ScientificNotation);
        }
        let bytes = cleaned.as_bytes();
        let last = cleaned.chars().count() - 1;
        for (position, ch) in cleaned.chars().enumerate() {
            let final_x = ch == 'X' && position == 17 && last == 17;
            if !(ch.is_ascii_digit() || final_x) {
                return Err(IdDefect::BadCharacter { position, ch });
            }
        }
        match bytes.len() {
            18 => Self::from_18(bytes),
            15 => Self::from_15(bytes),
            17 => {
                validate_body(bytes)?;
                Err(IdDefect::MissingCheckChar)
            }
            n => Err(IdDefect::BadLength(n)),
        }
    }

    fn from_18(bytes: &[u8]) -> Result<Self, IdDefect> {
        let mut chars = [0u8; 18];
        chars.copy_from_slice(bytes);
        validate_body(&chars[..17])?;
        let body: &[u8; 17] = chars.first_chunk().ok_or(IdDefect::BadLength(18))?;
        let expected = check_char(body);
        if expected != chars[17] {
            return Err(IdDefect::CheckMismatch {
                expected: char::from(expected),
                found: char::from(chars[17]),
            });
        }
        Ok(Self {
            chars,
            upgraded_from_15: false,
        })
    }

    /// Legacy numbers (issued before 1999) have a two-digit year and no check character.
    /// Every holder was born in the 1900s, so the upgrade inserts `19`.
    fn from_15(bytes: &[u8]) -> Result<Self, IdDefect> {
        let mut body = [0u8; 17];
        body[..6].copy_from_slice(&bytes[..6]);
        body[6..8].copy_from_slice(b"19");
        body[8..17].copy_from_slice(&bytes[6..15]);
        validate_body(&body)?;
        let mut chars = [0u8; 18];
        chars[..17].copy_from_slice(&body);
        chars[17] = check_char(&body);
        Ok(Self {
            chars,
            upgraded_from_15: true,
        })
    }

    /// Builds an ID from 17 body digits by computing the check character; `None` if the body
    /// is not a plausible number.
    pub fn from_body(body: &[u8; 17]) -> Option<Self> {
        // Digits only, so the quick date check is the whole answer: no defect is built to be
        // thrown away for each of the neighbours a slip repair tries that is no date.
        if !body.iter().all(u8::is_ascii_digit)
            || !province_known(body)
            || !is_calendar_date(&body[6..14])
        {
            return None;
        }
        let mut chars = [0u8; 18];
        chars[..17].copy_from_slice(body);
        chars[17] = check_char(body);
        Some(Self {
            chars,
            upgraded_from_15: false,
        })
    }

    /// The full 18-character number. Personal data: do not log it.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.chars).unwrap_or_default()
    }

    /// [`ResidentId::as_str`] as the ASCII bytes it is made of, for comparisons on the hot
    /// paths of matching: taking the text checks the bytes as UTF-8 every time.
    pub fn as_bytes(&self) -> &[u8; 18] {
        &self.chars
    }

    /// The 17 digits before the check character, a blocking key for numbers whose check
    /// character was mistyped.
    pub fn body(&self) -> &str {
        &self.as_str()[..17]
    }

    /// The number as one integer: the 17 digits, then the check character (`X` as ten).
    /// Equal exactly when the numbers are, and in their order; eight bytes instead of
    /// nineteen, for lists of millions of numbers that are sorted or grouped.
    pub fn as_u64(&self) -> u64 {
        let body = self.chars[..17]
            .iter()
            .fold(0_u64, |n, &c| n * 10 + u64::from(c.wrapping_sub(b'0') % 10));
        let check = match self.chars[17] {
            b'X' => 10,
            c => u64::from(c.wrapping_sub(b'0') % 10),
        };
        body * 11 + check
    }

    /// Whether the number came in the legacy 15-digit form.
    pub fn upgraded_from_15(&self) -> bool {
        self.upgraded_from_15
    }

    /// The six-digit address code where the number was first issued (not where the person
    /// lives now).
    pub fn area_code(&self) -> &str {
        &self.as_str()[..6]
    }

    /// The Yunnan county that issued the number, current or former code.
    pub fn county(&self) -> Option<&'static County> {
        County::from_code(self.area_code())
    }

    /// The embedded birth date. Always valid: parsing rejected impossible dates, so the
    /// digits are read by arithmetic, without `birth_date_of`'s text parsing.
    pub fn birth_date(&self) -> NaiveDate {
        date_digits(&self.chars[6..14])
            .and_then(|(year, month, day)| NaiveDate::from_ymd_opt(year as i32, month, day))
            .unwrap_or_default()
    }

    /// Sex from the parity of the sequence code (odd is male).
    pub fn sex(&self) -> Sex {
        if (self.chars[16] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The legacy 15-digit form, for people born in the 1900s (used by the generator).
    pub fn to_legacy15(&self) -> Option<String> {
        if self.birth_date().year() / 100 != 19 {
            return None;
        }
        let s = self.as_str();
        Some(format!("{}{}", &s[..6], &s[8..17]))
    }

    /// `532501********1234`: the form for logs and masked reports.
    pub fn masked(&self) -> String {
        mask(self.as_str())
    }
}

/// Masks the middle of an identity-number-like string, keeping six leading and four trailing
/// characters; short strings are masked whole.
pub fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 12 {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - 10;
    let mut out: String = chars[..6].iter().collect();
    out.push_str(&"*".repeat(hidden));
    out.extend(&chars[chars.len() - 4..]);
    out
}

fn province_known(body: &[u8]) -> bool {
    match body {
        [a @ b'0'..=b'9', b @ b'0'..=b'9', ..] => {
            IS_PROVINCE[usize::from((a - b'0') * 10 + (b - b'0'))]
        }
        _ => false,
    }
}

fn validate_body(body: &[u8]) -> Result<(), IdDefect> {
    if !province_known(body) {
        let province = body.get(..2).unwrap_or(body);
        return Err(IdDefect::UnknownArea(
            String::from_utf8_lossy(province).into(),
        ));
    }
    if is_calendar_date(&body[6..14]) {
        return Ok(());
    }
    birth_date_of(&body[6..14]).map(|_| ())
}

/// Year, month and day of eight ASCII digits `YYYYMMDD`, whatever their values; `None`
/// for anything else.
fn date_digits(yyyymmdd: &[u8]) -> Option<(u32, u32, u32)> {
    let digits = yyyymmdd.first_chunk::<8>()?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |from: usize, to: usize| {
        digits[from..to]
            .iter()
            .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
    };
    Some((number(0, 4), number(4, 6), number(6, 8)))
}

/// Whether eight bytes are a date `birth_date_of` accepts, by digit arithmetic: every number
/// read, every neighbour a slip repair tries, is validated, and parsing three numbers and
/// building a calendar date for each took a tenth of identity parsing. It is the whole
/// answer: `birth_date_of` is asked only for the text of a defect.
fn is_calendar_date(yyyymmdd: &[u8]) -> bool {
    let Some((year, month, day)) = date_digits(yyyymmdd) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1900..=2099).contains(&year) && (1..=days).contains(&day)
}

fn birth_date_of(yyyymmdd: &[u8]) -> Result<NaiveDate, IdDefect> {
    let text = std::str::from_utf8(yyyymmdd).unwrap_or_default();
    let impossible = || IdDefect::ImpossibleBirthDate(text.into());
    let number =
        |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse::<u32>().ok());
    let (year, month, day) = (number(0..4), number(4..6), number(6..8));
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(impossible());
    };
    if !(1900..=2099).contains(&year) {
        return Err(impossible());
    }
    NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(impossible)
}

impl PartialEq for ResidentId {
    fn eq(&self, other: &Self) -> bool {
        self.chars == other.chars
    }
}

impl Eq for ResidentId {}

impl std::hash::Hash for ResidentId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.chars.hash(state);
    }
}

impl PartialOrd for ResidentId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ResidentId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.chars.cmp(&other.chars)
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl std::str::FromStr for ResidentId {
    type Err = IdDefect;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for ResidentId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResidentId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;
