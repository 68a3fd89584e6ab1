//! Excel serial dates.
//!
//! Excel counts days from 1900-01-01 = 1 and, copying a Lotus 1-2-3 bug, treats 1900 as a
//! leap year: serial 60 is the non-existent 1900-02-29 and every later serial is one day
//! ahead of a plain count. Spreadsheets saved by the departments store dates this way, and
//! a CSV exported from such a sheet can carry the bare number.
//!
//! A workbook saved with the 1904 date system (old Mac Excel, or the option set in a
//! template) counts from 1904-01-01 = 0 instead, so the same number is a date four years
//! and a day later. Its date cells carry the system with them; a bare number in a date
//! column does not, and is read in the system its workbook declares ([`DateSystem`]).

use chrono::{Datelike, NaiveDate};

use super::{DateError, MAX_YEAR, MIN_YEAR, parse_date_in_full};

/// Serials from 61 on count from here; 1..=59 count from one day later.
const EPOCH_AFTER_LEAP_BUG: NaiveDate = date(1899, 12, 30);
const EPOCH_BEFORE_LEAP_BUG: NaiveDate = date(1899, 12, 31);
/// The serial of 2100-12-31, the last accepted date.
const MAX_SERIAL: f64 = 73_415.0;
/// The range in which [`parse_date_or_serial`] reads a bare number as a serial:
/// 1927-05-18 (10000) to 2099-12-31 (73050). Five digits only, so `20190305` is never a
/// serial, and no plausible birth or registration date falls outside it.
const BARE_SERIAL_RANGE: std::ops::RangeInclusive<u32> = 10_000..=73_050;

/// How a workbook counts its serial dates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DateSystem {
    /// 1900-01-01 is 1, with Excel's fake 1900-02-29 as 60: nearly every workbook.
    #[default]
    Excel1900,
    /// 1904-01-01 is 0 (`date1904` in the workbook's properties).
    Excel1904,
}

/// Day 0 of the 1904 system.
const EPOCH_1904: NaiveDate = date(1904, 1, 1);
/// The serial of 2100-12-31 in the 1904 system.
const MAX_SERIAL_1904: f64 = 71_953.0;

/// Evaluated at compile time, so an invalid constant fails the build, not a run.
const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid constant date"),
    }
}

/// Converts an Excel serial (1900 date system) to a date; the fractional part is a time
/// of day and is ignored. `43529.0` is 2019-03-05 and `61.0` is 1900-03-01. Serial 60,
/// Excel's fake 1900-02-29, is [`DateError::Impossible`].
pub fn from_excel_serial(serial: f64) -> Result<NaiveDate, DateError> {
    let raw = || serial.to_string();
    let days = whole_days(serial, 1.0..=MAX_SERIAL)?;
    let (epoch, days) = match days {
        60 => {
            return Err(DateError::Impossible {
                raw: raw(),
                reason: "1900-02-29 exists only in Excel's 1900 date system",
            });
        }
        ..60 => (EPOCH_BEFORE_LEAP_BUG, days),
        _ => (EPOCH_AFTER_LEAP_BUG, days),
    };
    epoch
        .checked_add_days(chrono::Days::new(days))
        .ok_or(DateError::OutOfRange { raw: raw() })
}

/// The Excel serial (1900 date system) of a date from 1900-01-01 to 2100-12-31; the
/// inverse of [`from_excel_serial`]. `None` outside that range.
pub fn to_excel_serial(date: NaiveDate) -> Option<u32> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
        return None;
    }
    let epoch = if date < self::date(1900, 3, 1) {
        EPOCH_BEFORE_LEAP_BUG
    } else {
        EPOCH_AFTER_LEAP_BUG
    };
    u32::try_from((date - epoch).num_days()).ok()
}

/// [`from_excel_serial`] in the given date system: `42067.0` is 2019-03-05 in the 1904
/// system, as `43529.0` is in the 1900 one.
pub fn from_excel_serial_in(serial: f64, system: DateSystem) -> Result<NaiveDate, DateError> {
    if system == DateSystem::Excel1900 {
        return from_excel_serial(serial);
    }
    let days = whole_days(serial, 0.0..=MAX_SERIAL_1904)?;
    EPOCH_1904
        .checked_add_days(chrono::Days::new(days))
        .ok_or(DateError::OutOfRange {
            raw: serial.to_string(),
        })
}

/// The whole days of `serial` (its time of day dropped), if they are within `range`.
fn whole_days(serial: f64, range: std::ops::RangeInclusive<f64>) -> Result<u64, DateError> {
    let raw = || serial.to_string();
    if !serial.is_finite() {
        return Err(DateError::Unrecognised { raw: raw() });
    }
    let days = serial.floor();
    if !range.contains(&days) {
        return Err(DateError::OutOfRange { raw: raw() });
    }
    // Exact: `days` is a whole number in a range of non-negative five-digit numbers.
    Ok(days as u64)
}

/// Like [`parse_date`](super::parse_date), but also reads a bare five-digit number
/// (optionally with a fractional time part, `43529.375`) in 10000..=73050 as an Excel serial.
///
/// This is a separate function because a bare number in a CSV date column is just as
/// likely to be a shifted column or an ID fragment; the caller opts in per column, for
/// sources known to come from spreadsheets.
pub fn parse_date_or_serial(raw: &str) -> Result<NaiveDate, DateError> {
    parse_date_or_serial_in(raw, DateSystem::Excel1900)
}

/// [`parse_date_or_serial`] for a workbook that counts its serials in `system`.
pub fn parse_date_or_serial_in(raw: &str, system: DateSystem) -> Result<NaiveDate, DateError> {
    // A serial has five digits, so no plain date is one.
    if let Some(date) = super::plain_date(raw) {
        return Ok(date);
    }
    let normal = crate::nfkc::nfkc(raw);
    let text = normal.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let is_serial = whole.len() == 5
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && whole
            .parse::<u32>()
            .is_ok_and(|days| BARE_SERIAL_RANGE.contains(&days));
    match (is_serial, text.parse::<f64>()) {
        (true, Ok(serial)) => from_excel_serial_in(serial, system).map_err(|e| with_raw(e, raw)),
        _ => parse_date_in_full(raw),
    }
}

/// Reports the caller's text rather than the float's rendering of it.
fn with_raw(error: DateError, raw: &str) -> DateError {
    let raw = raw.to_owned();
    match error {
        DateError::Empty { .. } => DateError::Empty { raw },
        DateError::Unrecognised { .. } => DateError::Unrecognised { raw },
        DateError::Impossible { reason, .. } => DateError::Impossible { raw, reason },
        DateError::Ambiguous { reason, .. } => DateError::Ambiguous { raw, reason },
        DateError::OutOfRange { .. } => DateError::OutOfRange { raw },
    }
}
