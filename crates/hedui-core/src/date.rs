//! Calendar dates in every form department exports write them.
//!
//! The formats seen in real exports are ISO-like (`2019-03-05`, `2019/3/5`, `2019.3.5`),
//! compact (`20190305`), Chinese (`2019年3月5日`), any of those with a time of day, and
//! Excel serial numbers. A date decides whether a vehicle or licence still counted on the
//! check date, so a value the parser cannot read with certainty is an error that names the
//! problem, never a guess.

mod excel;

pub use excel::{
    DateSystem, from_excel_serial, from_excel_serial_in, parse_date_or_serial,
    parse_date_or_serial_in, to_excel_serial,
};

use chrono::NaiveDate;
use thiserror::Error;

/// Earliest year accepted; older dates in these exports are typing errors.
pub const MIN_YEAR: i32 = 1900;
/// Latest year accepted.
pub const MAX_YEAR: i32 = 2100;

/// Why a date could not be read. Every variant carries the raw text for the report.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    /// Blank, or an explicit "no date" marker (`-`, `无`, `NULL`, `0000-00-00`).
    #[error("no date given ({raw:?})")]
    Empty {
        /// The text as received.
        raw: String,
    },
    /// Not in any known date format.
    #[error("unrecognised date format: {raw:?}")]
    Unrecognised {
        /// The text as received.
        raw: String,
    },
    /// Well-formed, but no such date or time exists.
    #[error("impossible date {raw:?}: {reason}")]
    Impossible {
        /// The text as received.
        raw: String,
        /// What is impossible about it.
        reason: &'static str,
    },
    /// Readable in more than one way, e.g. `03/05/2019` (day/month order unknown).
    #[error("ambiguous date {raw:?}: {reason}")]
    Ambiguous {
        /// The text as received.
        raw: String,
        /// Which readings compete.
        reason: &'static str,
    },
    /// A real date, but outside the years this engine accepts.
    #[error("date {raw:?} is outside the years {MIN_YEAR}–{MAX_YEAR}")]
    OutOfRange {
        /// The text as received.
        raw: String,
    },
}

/// Parses one date cell. Accepts `2019-03-05`, `2019-3-5`, `2019/03/05`, `2019.3.5`,
/// `20190305`, `2019年3月5日` (also with `号`), each optionally followed by a time of day
/// (`2019-03-05 00:00:00`, `2019-03-05T08:30:00`, `2019/3/5 8:30`), full-width digits and
/// surrounding whitespace. `03/05/2019` is accepted only when the day/month order is
/// decidable (`25/03/2019`). A bare Excel serial is refused here: see
/// [`parse_date_or_serial`].
pub fn parse_date(raw: &str) -> Result<NaiveDate, DateError> {
    if let Some(date) = plain_date(raw) {
        return Ok(date);
    }
    parse_date_in_full(raw)
}

/// The forms nearly every row uses (`2019-03-05`, `2019/3/5`, `2019.03.05`, `20190305`),
/// read without normalising first: a date cell is read millions of times per run. `None`
/// sends anything else, and any date that is out of range or impossible, the long way,
/// which reads these forms the same (a test holds the two together).
fn plain_date(raw: &str) -> Option<NaiveDate> {
    let b = raw.as_bytes();
    let digits = |s: &[u8]| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.iter().all(u8::is_ascii_digit))
            .then(|| s.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (y, m, d) = if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        (digits(&b[..4])?, digits(&b[4..6])?, digits(&b[6..])?)
    } else {
        let sep = *b.get(4)?;
        if !matches!(sep, b'-' | b'/' | b'.') {
            return None;
        }
        let rest = &b[5..];
        let at = rest.iter().position(|&c| c == sep)?;
        let (month, day) = (&rest[..at], &rest[at + 1..]);
        if !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
            return None;
        }
        (digits(&b[..4])?, digits(month)?, digits(day)?)
    };
    let y = i32::try_from(y)
        .ok()
        .filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))?;
    NaiveDate::from_ymd_opt(y, m, d)
}

fn parse_date_in_full(raw: &str) -> Result<NaiveDate, DateError> {
    let normal = crate::nfkc::nfkc(raw);
    let text = normal.trim();
    let err = Fail(raw);
    if is_empty_marker(text) {
        return Err(err.empty());
    }
    if text.contains('年') {
        return parse_chinese(text, err);
    }
    let (date_part, time_part) = split_time(text);
    let date = parse_date_part(date_part, err)?;
    if let Some(time) = time_part {
        check_time(time, err)?;
    }
    Ok(date)
}

/// Builds errors carrying the raw text, so call sites stay one line each.
#[derive(Clone, Copy)]
struct Fail<'a>(&'a str);

impl Fail<'_> {
    fn empty(self) -> DateError {
        DateError::Empty {
            raw: self.0.to_owned(),
        }
    }
    fn unrecognised(self) -> DateError {
        DateError::Unrecognised {
            raw: self.0.to_owned(),
        }
    }
    fn impossible(self, reason: &'static str) -> DateError {
        DateError::Impossible {
            raw: self.0.to_owned(),
            reason,
        }
    }
    fn ambiguous(self, reason: &'static str) -> DateError {
        DateError::Ambiguous {
            raw: self.0.to_owned(),
            reason,
        }
    }
    fn out_of_range(self) -> DateError {
        DateError::OutOfRange {
            raw: self.0.to_owned(),
        }
    }
}

/// Exports mark a missing date in several ways; all of them mean "no date", which the
/// caller must handle differently from a garbled one.
fn is_empty_marker(text: &str) -> bool {
    // Excel shows serial day 0 as `1900-01-00` (`1900/1/0`): an empty date cell.
    let zero_day = ["1900-01-00", "1900/1/0", "1900-1-0", "1900/01/00"]
        .iter()
        .any(|z| {
            text.strip_prefix(z).is_some_and(|rest| {
                rest.trim_start()
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ':')
            })
        });
    zero_day
        || crate::missing::is_missing_marker(text)
        || (text.bytes().any(|b| b == b'0')
            && text
                .bytes()
                .all(|b| matches!(b, b'0' | b'-' | b'/' | b'.' | b' ' | b':')))
}

fn split_time(text: &str) -> (&str, Option<&str>) {
    if let Some((date, time)) = text.split_once(char::is_whitespace) {
        return (date, Some(time.trim()));
    }
    // ISO `T` only counts between a digit and a digit, so it cannot split words.
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if (b == b'T' || b == b't')
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            return (&text[..i], Some(&text[i + 1..]));
        }
    }
    (text, None)
}

fn parse_date_part(text: &str, err: Fail<'_>) -> Result<NaiveDate, DateError> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.len() {
            8 => ymd(&text[..4], &text[4..6], &text[6..8], err),
            // `yyyymmddHHMM[SS]` is how several registry systems stamp records.
            12 | 14 => {
                let date = ymd(&text[..4], &text[4..6], &text[6..8], err)?;
                check_clock(&text[8..10], &text[10..12], text.get(12..14), err)?;
                Ok(date)
            }
            6 => Err(err.ambiguous("six digits could be yymmdd or ddmmyy")),
            _ => Err(err.unrecognised()),
        };
    }
    let Some(sep) = text.chars().find(|c| matches!(c, '-' | '/' | '.')) else {
        return Err(err.unrecognised());
    };
    let parts: Vec<&str> = text.split(sep).collect();
    let [a, b, c] = parts[..] else {
        return Err(err.unrecognised());
    };
    match (a.len(), b.len(), c.len()) {
        (4, 1..=2, 1..=2) => ymd(a, b, c, err),
        (1..=2, 1..=2, 4) => day_month_year(a, b, c, err),
        (1..=2, 1..=2, 1..=2) => Err(err.ambiguous("two-digit year; field order unknowable")),
        _ => Err(err.unrecognised()),
    }
}

/// `2019年3月5日`, also with `号`, spaces between the parts, and a time after the day.
fn parse_chinese(text: &str, err: Fail<'_>) -> Result<NaiveDate, DateError> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let (year, rest) = compact.split_once('年').ok_or_else(|| err.unrecognised())?;
    let (month, rest) = rest.split_once('月').ok_or_else(|| err.unrecognised())?;
    let (day, time) = rest.split_once(['日', '号']).unwrap_or((rest, ""));
    let date = ymd(year, month, day, err)?;
    if !time.is_empty() {
        check_time(time, err)?;
    }
    Ok(date)
}

/// `dd/mm/yyyy` or `mm/dd/yyyy`: decidable only when one of the first two fields cannot
/// be a month, or both are equal.
fn day_month_year(a: &str, b: &str, year: &str, err: Fail<'_>) -> Result<NaiveDate, DateError> {
    let (Some(x), Some(y)) = (number(a), number(b)) else {
        return Err(err.unrecognised());
    };
    match (x > 12, y > 12) {
        (true, true) => Err(err.impossible("neither of the first two fields is a month")),
        (true, false) => ymd(year, b, a, err),
        (false, true) => ymd(year, a, b, err),
        (false, false) if x == y => ymd(year, a, b, err),
        (false, false) => Err(err.ambiguous("day/month order unknowable")),
    }
}

/// Year range is checked before the calendar, so `1800-02-30` reports the range.
fn ymd(year: &str, month: &str, day: &str, err: Fail<'_>) -> Result<NaiveDate, DateError> {
    if year.len() != 4 || !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
        return Err(err.unrecognised());
    }
    let (Some(y), Some(m), Some(d)) = (number(year), number(month), number(day)) else {
        return Err(err.unrecognised());
    };
    let y = i32::try_from(y).map_err(|_| err.unrecognised())?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
        return Err(err.out_of_range());
    }
    if !(1..=12).contains(&m) {
        return Err(err.impossible("month must be 1–12"));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| err.impossible("no such day in that month"))
}

/// Accepts `H:MM`, `H:MM:SS` and `H:MM:SS.fff`, with an optional zone (`Z`, `+08:00`)
/// or AM/PM marker. The time itself is validated but discarded: only the day matters.
fn check_time(time: &str, err: Fail<'_>) -> Result<(), DateError> {
    let time = strip_time_decorations(time);
    let (clock, fraction) = time.split_once('.').unwrap_or((time, "0"));
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err.unrecognised());
    }
    let fields: Vec<&str> = clock.split(':').collect();
    match fields[..] {
        [h, m] if (1..=2).contains(&h.len()) && m.len() == 2 => check_clock(h, m, None, err),
        [h, m, s] if (1..=2).contains(&h.len()) && m.len() == 2 && s.len() == 2 => {
            check_clock(h, m, Some(s), err)
        }
        _ => Err(err.unrecognised()),
    }
}

fn strip_time_decorations(time: &str) -> &str {
    let mut time = time.trim();
    for marker in ["上午", "下午"] {
        time = time.strip_prefix(marker).unwrap_or(time);
    }
    for marker in ["AM", "PM", "am", "pm"] {
        time = time.strip_suffix(marker).unwrap_or(time).trim_end();
    }
    time = time.strip_suffix(['Z', 'z']).unwrap_or(time);
    if let Some(at) = time.rfind(['+', '-'])
        && time[at + 1..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b':')
        && (4..=5).contains(&time[at + 1..].len())
    {
        time = &time[..at];
    }
    time
}

fn check_clock(h: &str, m: &str, s: Option<&str>, err: Fail<'_>) -> Result<(), DateError> {
    let (Some(h), Some(m)) = (number(h), number(m)) else {
        return Err(err.unrecognised());
    };
    let s = match s {
        Some(s) => number(s).ok_or_else(|| err.unrecognised())?,
        None => 0,
    };
    // 60 allows a leap second; 24:00:00 is how some systems write end of day.
    if h > 24 || m > 59 || s > 60 || (h == 24 && (m, s) != (0, 0)) {
        return Err(err.impossible("time of day out of range"));
    }
    Ok(())
}

/// Parses a short run of ASCII digits; longer runs are not date fields.
fn number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests;
