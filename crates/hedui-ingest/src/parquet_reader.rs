//! Reads a Parquet file into a [`RawTable`].
//!
//! Parquet has typed columns and no title rows: the headers are the column names,
//! `header_line` is 0 and each row's `line` is its 1-based position in the file.
//!
//! # Cell text
//!
//! | column type          | text                                                        |
//! |----------------------|-------------------------------------------------------------|
//! | string               | as stored                                                   |
//! | integer              | decimal                                                     |
//! | float                | as for Excel (see `excel_reader`): integral below 1e15 without `.0`, from 1e15 with `E+`, else shortest round-trip |
//! | date                 | `YYYY-MM-DD`                                                |
//! | datetime             | `YYYY-MM-DD HH:MM:SS` (fractions of a second dropped)       |
//! | boolean              | `true` / `false`                                            |
//! | null                 | empty string                                                |
//! | anything else        | polars' own text for the value                              |
//!
//! A datetime with a time zone is stored as a UTC instant. It is shown as wall-clock time
//! in its zone when the zone is a fixed offset, UTC or a China zone (`Asia/Shanghai`,
//! +08:00 since 1991); other zones keep the UTC time with a ` UTC` suffix, so a date is
//! never silently shifted by eight hours into the previous day.
//!
//! Rows whose cells are all empty are rejected as empty rows, as in the other readers.
//!
//! The file is read whole (Parquet is columnar, so a row-by-row stream gains little), but
//! cell text is produced in batches: a few million rows never exist as strings all at once.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use chrono::{DateTime, NaiveDateTime, TimeDelta};
use hedui_core::date::DateSystem;
use polars::prelude::*;
use polars_buffer::Buffer;

use crate::error::IngestError;
use crate::excel_reader::{datetime_text, float_text};
use crate::reject::RejectReason;
use crate::table::{PhysicalRow, RawTable, ReaderReject, RowEvent};

/// Rows converted to text at a time: large enough to amortise per-column dispatch, small
/// enough that the text of one batch stays in the tens of megabytes.
const BATCH_ROWS: usize = 65_536;

/// Largest page the header check reads, as polars' own reader allows.
const MAX_PAGE_BYTES: usize = 1 << 30;

/// Checks every data page's counts against its column chunk before polars decodes the file.
/// polars-parquet 0.55 reads a page's value count as a signed number and uses it as a size:
/// a damaged header with a negative count asked for 2⁶¹ bytes, which aborts the process
/// (found by the fuzz test in `tests.rs`); an abort cannot be caught as a panic can.
fn check_page_counts(bytes: &Buffer<u8>) -> Result<(), String> {
    use polars_parquet::parquet::page::CompressedPage;
    use polars_parquet::parquet::read::{get_page_iterator, read_metadata};

    let metadata = read_metadata(&mut Cursor::new(bytes.clone())).map_err(|e| e.to_string())?;
    for (group, row_group) in metadata.row_groups.iter().enumerate() {
        for column in row_group.parquet_columns() {
            let total = usize::try_from(column.num_values()).map_err(|_| {
                format!("row group {group}: a column chunk declares a negative number of values")
            })?;
            let pages = get_page_iterator(
                column,
                Cursor::new(bytes.clone()),
                Vec::new(),
                MAX_PAGE_BYTES,
            )
            .map_err(|e| e.to_string())?;
            for page in pages {
                let page = page.map_err(|e| e.to_string())?;
                if let CompressedPage::Data(data) = &page {
                    let counts_fit = data.num_values() <= total
                        && data.null_count().is_none_or(|n| n <= data.num_values())
                        && data.num_rows().is_none_or(|n| n <= row_group.num_rows());
                    if !counts_fit {
                        return Err(format!(
                            "row group {group}: a page's value counts do not fit its column \
                             (the file is corrupt)"
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Reads a whole Parquet file.
pub(crate) fn read_parquet(path: &Path) -> Result<RawTable, IngestError> {
    // Read once: the page check and the decoder read the same bytes.
    let bytes = Buffer::from(std::fs::read(path).map_err(|err| IngestError::io(path, err))?);
    let parquet_error = |message: String| IngestError::Parquet {
        path: path.to_path_buf(),
        message,
    };
    // polars-parquet 0.55 panics on some damaged files (out-of-range indexes in its
    // metadata and page decoders, found by the fuzz test in `tests.rs`), and the page check
    // reads the same metadata. A corrupt file must become an error naming that file rather
    // than end the whole run.
    let read = || -> Result<_, String> {
        check_page_counts(&bytes)?;
        ParquetReader::new(Cursor::new(bytes.clone()))
            .finish()
            .map_err(|err| err.to_string())
    };
    let frame = match catch_unwind(AssertUnwindSafe(read)) {
        Ok(Ok(frame)) => frame,
        Ok(Err(message)) => return Err(parquet_error(message)),
        Err(_) => {
            return Err(parquet_error(
                "the file is corrupt (the Parquet decoder failed on it)".to_owned(),
            ));
        }
    };
    let headers = frame
        .columns()
        .iter()
        .map(|column| column.name().to_string())
        .collect();
    Ok(RawTable {
        path: path.to_path_buf(),
        sheet: None,
        encoding: None,
        delimiter: None,
        header_line: 0,
        headers,
        title_rows: Vec::new(),
        rows: Box::new(ParquetRows {
            height: frame.height(),
            columns: frame.columns().to_vec(),
            next: 0,
            batch: Vec::new().into_iter(),
        }),
        later_sheets: Vec::new(),
        text: None,
        date_system: DateSystem::default(),
        book: None,
    })
}

/// Turns columns into rows one batch at a time.
struct ParquetRows {
    columns: Vec<Column>,
    height: usize,
    /// Index of the first row not yet converted.
    next: usize,
    batch: std::vec::IntoIter<RowEvent>,
}

impl Iterator for ParquetRows {
    type Item = RowEvent;

    fn next(&mut self) -> Option<RowEvent> {
        if let Some(event) = self.batch.next() {
            return Some(event);
        }
        if self.next >= self.height {
            return None;
        }
        let start = self.next;
        let len = BATCH_ROWS.min(self.height - start);
        self.next += len;
        self.batch = convert_batch(&self.columns, start, len).into_iter();
        self.batch.next()
    }
}

fn convert_batch(columns: &[Column], start: usize, len: usize) -> Vec<RowEvent> {
    let line_of = |row: usize| (start + row + 1) as u64;
    let texts: Result<Vec<Vec<String>>, PolarsError> = columns
        .iter()
        .map(|column| {
            let offset = i64::try_from(start)
                .map_err(|_| polars_err!(ComputeError: "row offset too large"))?;
            column_text(column.slice(offset, len).as_materialized_series())
        })
        .collect();
    let texts = match texts {
        Ok(texts) => texts,
        // Keeps the row accounting whole even if a column cannot be turned into text.
        Err(err) => {
            return (0..len)
                .map(|row| {
                    RowEvent::Reject(ReaderReject {
                        line: line_of(row),
                        reason: RejectReason::Unreadable {
                            message: err.to_string(),
                        },
                        raw: String::new(),
                    })
                })
                .collect();
        }
    };
    let mut cells_by_column: Vec<_> = texts.into_iter().map(Vec::into_iter).collect();
    (0..len)
        .map(|row| {
            let cells: Vec<String> = cells_by_column
                .iter_mut()
                .map(|column| column.next().unwrap_or_default())
                .collect();
            let line = line_of(row);
            if cells.iter().all(|cell| cell.trim().is_empty()) {
                RowEvent::Reject(ReaderReject {
                    line,
                    reason: RejectReason::EmptyRow,
                    raw: cells.join(","),
                })
            } else {
                RowEvent::Row(PhysicalRow { line, cells })
            }
        })
        .collect()
}

/// The text of every value of one column slice; see the module documentation.
fn column_text(series: &Series) -> PolarsResult<Vec<String>> {
    fn each<T>(values: impl Iterator<Item = Option<T>>, text: impl Fn(T) -> String) -> Vec<String> {
        values.map(|v| v.map(&text).unwrap_or_default()).collect()
    }
    Ok(match series.dtype() {
        DataType::String => each(series.str()?.iter(), str::to_owned),
        DataType::Boolean => each(series.bool()?.iter(), |v| v.to_string()),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            each(series.cast(&DataType::Int64)?.i64()?.iter(), |v| {
                v.to_string()
            })
        }
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
            each(series.cast(&DataType::UInt64)?.u64()?.iter(), |v| {
                v.to_string()
            })
        }
        DataType::Float32 => each(series.f32()?.iter(), f32_text),
        DataType::Float64 => each(series.f64()?.iter(), float_text),
        DataType::Date => each(series.date()?.physical().iter(), date_text),
        DataType::Datetime(unit, zone) => {
            let unit = *unit;
            let zone = zone.as_ref().map(|z| z.as_str().to_owned());
            each(series.datetime()?.physical().iter(), |v| {
                instant_text(v, unit, zone.as_deref())
            })
        }
        DataType::Null => vec![String::new(); series.len()],
        // Rare in department exports (durations, binary, lists): polars' own rendering is
        // enough for a person to read, and the mapping layer rejects what it cannot parse.
        _ => (0..series.len())
            .map(|i| match series.get(i) {
                Ok(AnyValue::Null) | Err(_) => String::new(),
                Ok(value) => value.to_string(),
            })
            .collect(),
    })
}

/// f32 values printed with f32's own shortest digits, so `46.07f32` is not `46.0699996…`.
fn f32_text(value: f32) -> String {
    if value.is_finite() && value.fract() != 0.0 && value.abs() < 1e15 {
        value.to_string()
    } else {
        float_text(f64::from(value))
    }
}

fn date_text(days_since_epoch: i32) -> String {
    match DateTime::from_timestamp(i64::from(days_since_epoch) * 86_400, 0) {
        Some(at) => datetime_text(at.naive_utc()),
        None => days_since_epoch.to_string(),
    }
}

fn instant_text(value: i64, unit: TimeUnit, zone: Option<&str>) -> String {
    let utc = match unit {
        TimeUnit::Nanoseconds => Some(DateTime::from_timestamp_nanos(value)),
        TimeUnit::Microseconds => DateTime::from_timestamp_micros(value),
        TimeUnit::Milliseconds => DateTime::from_timestamp_millis(value),
    };
    let Some(utc) = utc.map(|at| at.naive_utc()) else {
        return value.to_string();
    };
    let Some(zone) = zone else {
        return full_datetime_text(utc);
    };
    match zone_offset_seconds(zone).and_then(|s| utc.checked_add_signed(TimeDelta::seconds(s))) {
        Some(local) => full_datetime_text(local),
        None => format!("{} UTC", full_datetime_text(utc)),
    }
}

/// Always with the time: a Parquet datetime column says it holds times, unlike Excel cells.
fn full_datetime_text(at: NaiveDateTime) -> String {
    let text = datetime_text(at);
    if text.len() == 10 {
        format!("{text} 00:00:00")
    } else {
        text
    }
}

/// Offset from UTC for zones whose offset does not depend on the date (for China, since
/// daylight saving ended in 1991).
fn zone_offset_seconds(zone: &str) -> Option<i64> {
    match zone {
        "UTC" | "Etc/UTC" | "GMT" | "Etc/GMT" | "Z" => Some(0),
        "Asia/Shanghai" | "Asia/Chongqing" | "Asia/Chungking" | "Asia/Harbin" | "PRC" => {
            Some(8 * 3600)
        }
        _ => {
            // Fixed offsets such as `+08:00` or `-0530`.
            let (sign, rest) = match zone.split_at_checked(1)? {
                ("+", rest) => (1, rest),
                ("-", rest) => (-1, rest),
                _ => return None,
            };
            let digits: String = rest.chars().filter(|c| *c != ':').collect();
            if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let hours: i64 = digits.get(..2)?.parse().ok()?;
            let minutes: i64 = digits.get(2..)?.parse().ok()?;
            Some(sign * (hours * 3600 + minutes * 60))
        }
    }
}

#[cfg(test)]
mod tests;
