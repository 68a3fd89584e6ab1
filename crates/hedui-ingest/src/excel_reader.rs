//! Reads one sheet of an `.xlsx` or `.xls` workbook into a [`RawTable`].
//!
//! # Cell text
//!
//! Every cell becomes a `String`; the conventions matter because the text is what ends up
//! as evidence and in `rejects.csv`:
//!
//! | cell                     | text                                                      |
//! |--------------------------|-----------------------------------------------------------|
//! | text                     | as stored (no trimming)                                   |
//! | integer                  | decimal                                                   |
//! | float, integral, < 1e15  | decimal without `.0` (`532522197506150`)                  |
//! | float, ≥ 1e15            | shortest round-trip mantissa with `E+`: `5.3252219750615E+17` |
//! | other float              | shortest round-trip decimal (`46.07`)                     |
//! | date cell (real date)    | `YYYY-MM-DD`, or `YYYY-MM-DD HH:MM:SS` if the time is not midnight |
//! | duration or time-of-day  | `H:MM:SS` (hours may exceed 23 for durations)             |
//! | ISO date / duration text | as stored                                                 |
//! | boolean                  | `true` / `false`                                          |
//! | error                    | Excel's spelling, e.g. `#N/A`, `#VALUE!`                  |
//! | empty                    | empty string                                              |
//!
//! An 18-digit identity number typed into a number cell has already lost its last digits
//! in the file (f64 holds 15–17 significant digits). It is deliberately printed with `E+`
//! so that the identity parser reports "scientific notation" instead of accepting a
//! plausible-looking but wrong number. A bare serial number in a date column (`43529`) is a
//! number, not a date cell, and stays a number string: the mapping layer decides whether
//! the column holds dates.
//!
//! # Sheets and rows
//!
//! The configured sheet is read, else the first worksheet (not chart sheet) whose top
//! [`HEADER_SEARCH_ROWS`] rows contain a header; a `说明` page in front is skipped. `.xlsb`
//! and `.ods` open too, but calamine gives no merge regions for them.
//!
//! Row numbers are those Excel shows (1-based from the sheet's first row, even when the
//! used range starts lower). Rows above the header are title rows, not data (empty ones
//! are left out). Trailing empty cells are trimmed to the header's width; filled cells
//! beyond it stay, so the mapping layer rejects the row for its field count. Below the
//! header, every row is a [`RowEvent`]: empty rows and totals footers (`合计`, `总计`, `小计`,
//! `共计` after the last well-filled row) are rejects, the rest are rows. Empty rows after
//! the last non-empty row are dropped without a trace: they are formatting left by the
//! exporting system, not records. A cell holding only whitespace counts as empty.
//!
//! # Reading
//!
//! An `.xlsx` sheet is read by [`scan`], which handles the cell shapes exports are written
//! in and asks calamine about the rest; a sheet it cannot read in order is streamed cell by
//! cell through calamine ([`stream`]). Other formats go through calamine's ranges.
//!
//! Merged regions that start in a data row are filled with their top-left value, because a
//! property certificate merged across co-owner rows belongs to every one of those rows.
//! Regions starting in a title or header row are left alone: filling them down would copy a
//! title or a column name into data.

mod merges;
mod scan;
mod stream;
#[cfg(test)]
mod tests;
mod xls_guard;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use calamine::{
    CellType, Data, DataRef, Dimensions, Range, Reader, ReaderRef, SheetType, Sheets,
    open_workbook_auto,
};
use chrono::{Datelike, Timelike};
use hedui_core::date::DateSystem;
use rayon::prelude::*;

use crate::error::IngestError;
use crate::reject::RejectReason;
use crate::table::{
    HEADER_SEARCH_ROWS, HeaderScorer, PhysicalRow, RawTable, ReaderReject, RowEvent, pick_header,
};

type Workbook = Sheets<std::io::BufReader<std::fs::File>>;

/// A workbook left open once a sheet of it is read, for its next sheet.
///
/// Opening parses the workbook's shared strings, which Excel writes for every text cell of
/// every sheet: opening again per sheet parsed them once per sheet, and a workbook of five
/// sheets held two copies while one sheet was read ahead of the next.
pub(crate) struct Book {
    path: std::path::PathBuf,
    workbook: Workbook,
}

impl Book {
    /// `book` if it is `path`'s, else `path` opened.
    fn of(path: &Path, book: Option<Book>) -> Result<Workbook, IngestError> {
        match book {
            Some(book) if book.path == path => Ok(book.workbook),
            _ => open(path),
        }
    }
}

/// Opens the workbook at `path`: its shared strings for an xlsx, every sheet for an `.xls`.
/// An `.xls`'s sheet sizes are checked first ([`xls_guard`]), once per opening: it is the
/// opening that a damaged size would abort.
fn open(path: &Path) -> Result<Workbook, IngestError> {
    #[cfg(test)]
    tests::opened(path);
    let is_xls = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xls"));
    if is_xls {
        xls_guard::check_sheet_sizes(path).map_err(|message| IngestError::Workbook {
            path: path.to_path_buf(),
            message,
        })?;
    }
    guarded(path, || open_workbook_auto(path))
}

/// A sheet's cells as text, row by row.
type Grid = Vec<Vec<String>>;

/// Reads `sheet`, or the first sheet with a recognisable header, from a workbook; `book`
/// is the workbook already open, when an earlier sheet of it was read. The table keeps
/// the workbook open for the sheet after it ([`RawTable::book`]).
pub(crate) fn read_workbook(
    path: &Path,
    sheet: Option<&str>,
    book: Option<Book>,
    score: HeaderScorer<'_>,
    min_score: usize,
) -> Result<RawTable, IngestError> {
    let mut book = Book::of(path, book)?;
    let names = book.sheet_names();
    let candidates: Vec<String> = match sheet {
        Some(wanted) if names.iter().any(|n| n == wanted) => vec![wanted.to_owned()],
        Some(wanted) => {
            return Err(IngestError::SheetNotFound {
                path: path.to_path_buf(),
                sheet: wanted.to_owned(),
                available: names.join(", "),
            });
        }
        // Chart and macro sheets hold no table, and calamine cannot read them as ranges.
        None => book
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet)
            .map(|s| s.name.clone())
            .collect(),
    };
    for (at, name) in candidates.iter().enumerate() {
        let started = std::time::Instant::now();
        let scanned = match &book {
            Sheets::Xlsx(xlsx) => scanned_sheet(path, name, xlsx.has_1904_epoch()),
            _ => None,
        };
        let (cells, merges) = if let Some((grid, origin, merges)) = scanned {
            (Ok((grid, origin)), Ok(merges))
        } else if matches!(book, Sheets::Xlsx(_)) {
            // Merges are looked up while the cells are read: each pass inflates the whole
            // sheet, and they need not wait for each other.
            rayon::join(
                || read_cells(path, &mut book, name),
                || xlsx_merge_regions(path, name),
            )
        } else {
            let cells = read_cells(path, &mut book, name);
            (cells, merge_regions(path, &mut book, name))
        };
        let (mut grid, (first_row, first_col)) = cells?;
        tracing::debug!(
            sheet = %name,
            rows = grid.len(),
            seconds = started.elapsed().as_secs_f64(),
            "sheet's cells read"
        );
        // Only the top rows are needed to rule out a sheet such as a 说明 page.
        let top = &grid[..grid.len().min(HEADER_SEARCH_ROWS)];
        let Some(header_index) = pick_header(top, score, min_score) else {
            continue;
        };
        let merges = merges?;
        fill_merges(&mut grid, &merges, (first_row, first_col), header_index + 1);
        let mut table = build_table(path, name, grid, header_index, first_row);
        tracing::debug!(
            sheet = %name,
            seconds = started.elapsed().as_secs_f64(),
            "sheet's rows laid out"
        );
        table.date_system = date_system(&book);
        if sheet.is_none() {
            table.later_sheets = candidates[at + 1..].to_vec();
        }
        table.book = Some(Book {
            path: path.to_path_buf(),
            workbook: book,
        });
        return Ok(table);
    }
    Err(IngestError::NoHeader {
        path: path.to_path_buf(),
        searched: HEADER_SEARCH_ROWS,
        expected: format!(
            "the configured column names (sheets searched: {})",
            candidates.join(", ")
        ),
    })
}

/// Runs a calamine call, turning both its errors and its panics into [`IngestError::Workbook`].
///
/// calamine 0.38 panics on some damaged files (index out of bounds in its `.xls` compound
/// file and record parsers; the fuzz test in `tests.rs` finds several within a few thousand
/// cases). One corrupt export must end as an error naming the file, not abort a run that
/// has other sources to read. The default panic hook still prints the panic to stderr.
fn guarded<T, E: std::fmt::Display>(
    path: &Path,
    call: impl FnOnce() -> Result<T, E>,
) -> Result<T, IngestError> {
    match catch_unwind(AssertUnwindSafe(call)) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(IngestError::Workbook {
            path: path.to_path_buf(),
            message: err.to_string(),
        }),
        Err(_) => Err(IngestError::Workbook {
            path: path.to_path_buf(),
            message: "the file is corrupt (the spreadsheet parser failed on it)".to_owned(),
        }),
    }
}

/// An xlsx sheet's cells and merges by the [`scan`], or `None` when calamine must read it;
/// a panic inside calamine (asked about a few cells) also leaves the sheet to calamine.
fn scanned_sheet(path: &Path, name: &str, is_1904: bool) -> Option<scan::Scanned> {
    let scanned = catch_unwind(AssertUnwindSafe(|| {
        let file = std::fs::File::open(path).ok()?;
        scan::sheet(std::io::BufReader::new(file), name, is_1904)
    }))
    .ok()
    .flatten();
    tracing::debug!(sheet = %name, scanned = scanned.is_some(), "sheet's cells scanned");
    scanned
}

/// Merged regions of one xlsx sheet, scanned for directly (see [`merges`]); calamine looks
/// through a second handle when that scan cannot read the package. A second handle is
/// cheap there, since opening an xlsx reads no sheet.
fn xlsx_merge_regions(path: &Path, name: &str) -> Result<Vec<Dimensions>, IngestError> {
    if let Some(found) = guarded(path, || merges::sheet_merges(path, name))? {
        return Ok(found);
    }
    let mut book = open(path)?;
    merge_regions(path, &mut book, name)
}

/// Merged regions of one sheet, from the open workbook; formats without merge information
/// yield none. An `.xls` is parsed whole when it is opened, every sheet's merges with its
/// cells, so they are asked of the workbook already open: a second handle per sheet parsed
/// the whole file again for each.
fn merge_regions(
    path: &Path,
    book: &mut Workbook,
    name: &str,
) -> Result<Vec<Dimensions>, IngestError> {
    match book {
        Sheets::Xlsx(xlsx) => guarded(path, || xlsx.merge_cells_by_sheet_name(name)),
        Sheets::Xls(xls) => guarded(path, || xls.merge_cells_by_sheet_name(name)),
        Sheets::Xlsb(_) | Sheets::Ods(_) => Ok(Vec::new()),
    }
}

/// The sheet's cells as text, and the absolute (row, column) of its first cell.
fn read_cells(
    path: &Path,
    book: &mut Workbook,
    name: &str,
) -> Result<(Grid, (u32, u32)), IngestError> {
    if let Sheets::Xlsx(xlsx) = book {
        return guarded(path, || stream::sheet_grid(xlsx, name));
    }
    if matches!(book, Sheets::Xlsb(_)) {
        // Shared strings borrowed from the workbook are copied once, into the grid, not
        // first into the range and then again.
        let range = guarded(path, || book.worksheet_range_ref(name))?;
        return Ok((
            to_strings(&range, cell_text_ref),
            range.start().unwrap_or((0, 0)),
        ));
    }
    let range = guarded(path, || book.worksheet_range(name))?;
    Ok((
        to_strings(&range, cell_text),
        range.start().unwrap_or((0, 0)),
    ))
}

fn to_strings<T: CellType + Sync>(range: &Range<T>, text: impl Fn(&T) -> String + Sync) -> Grid {
    let rows: Vec<&[T]> = range.rows().collect();
    rows.into_par_iter()
        .map(|row| row.iter().map(&text).collect())
        .collect()
}

/// Copies each merged region's top-left value into the rest of the region, for regions
/// whose top row is at or below `first_data` (grid-relative). `origin` is the absolute
/// (row, column) of the grid's first cell; merge regions use absolute positions.
fn fill_merges(
    grid: &mut [Vec<String>],
    merges: &[Dimensions],
    origin: (u32, u32),
    first_data: usize,
) {
    let relative = |absolute: u32, start: u32| absolute.checked_sub(start).map(|v| v as usize);
    // Streamed rows end at their last cell; a region still fills across the used range.
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    for region in merges {
        let (Some(top), Some(left)) = (
            relative(region.start.0, origin.0),
            relative(region.start.1, origin.1),
        ) else {
            continue;
        };
        if top < first_data {
            continue;
        }
        let Some(top_row) = grid.get(top).filter(|_| left < width) else {
            continue;
        };
        let value = top_row.get(left).cloned().unwrap_or_default();
        let bottom = relative(region.end.0, origin.0).unwrap_or(top);
        let right = relative(region.end.1, origin.1).unwrap_or(left);
        for row in grid.iter_mut().take(bottom + 1).skip(top) {
            let reach = (right + 1).min(width);
            if row.len() < reach {
                row.resize(reach, String::new());
            }
            for cell in row.iter_mut().take(right + 1).skip(left) {
                cell.clone_from(&value);
            }
        }
    }
}

fn build_table(
    path: &Path,
    sheet: &str,
    grid: Vec<Vec<String>>,
    header_index: usize,
    first_row: u32,
) -> RawTable {
    // Excel numbers rows from 1; the used range may start below the sheet's first row.
    let line_of = |index: usize| u64::from(first_row) + index as u64 + 1;
    let mut rows = grid.into_iter().enumerate();

    let mut title_rows = Vec::new();
    let mut headers = Vec::new();
    for (index, cells) in rows.by_ref() {
        if index == header_index {
            headers = trimmed(cells, 0);
            break;
        }
        let cells = trimmed(cells, 0);
        if !cells.is_empty() {
            title_rows.push(PhysicalRow {
                line: line_of(index),
                cells,
            });
        }
    }
    let width = headers.len();

    let data: Vec<(usize, Vec<String>)> = rows.collect();
    let last_nonempty = data.iter().rposition(|(_, cells)| !is_empty_row(cells));
    // The end of the table: the last row filled across at least half the header. A totals
    // line does not count even when it is that full (sums under every numeric column).
    let last_full = data
        .iter()
        .rposition(|(_, cells)| 2 * filled(cells) >= width && !is_footer(cells));

    // Below the table, empty rows are spacing before a footer or a stray note, not rows:
    // a note typed into the sheet's last row must not become a million empty rows.
    let below_table = |position: usize| last_full.is_none_or(|full| position > full);
    let events: Vec<RowEvent> = data
        .into_iter()
        .enumerate()
        .take(last_nonempty.map_or(0, |i| i + 1))
        .filter(|(position, (_, cells))| !(below_table(*position) && is_empty_row(cells)))
        .map(|(position, (index, cells))| {
            let line = line_of(index);
            let cells = trimmed(cells, width);
            let reject = |reason| {
                RowEvent::Reject(ReaderReject {
                    line,
                    reason,
                    raw: cells.join(","),
                })
            };
            if is_empty_row(&cells) {
                reject(RejectReason::EmptyRow)
            } else if below_table(position) && is_footer(&cells) {
                reject(RejectReason::Footer)
            } else {
                RowEvent::Row(PhysicalRow { line, cells })
            }
        })
        .collect();

    RawTable {
        path: path.to_path_buf(),
        sheet: Some(sheet.to_owned()),
        encoding: None,
        delimiter: None,
        header_line: line_of(header_index),
        headers,
        title_rows,
        rows: Box::new(events.into_iter()),
        text: None,
        later_sheets: Vec::new(),
        date_system: DateSystem::default(),
        book: None,
    }
}

/// The workbook's serial date system: a bare serial in a workbook saved with the 1904
/// system names a date four years and a day later than the same number elsewhere.
fn date_system(book: &Workbook) -> DateSystem {
    let is_1904 = match book {
        Sheets::Xlsx(xlsx) => xlsx.has_1904_epoch(),
        Sheets::Xls(xls) => xls.has_1904_epoch(),
        Sheets::Xlsb(xlsb) => xlsb.has_1904_epoch(),
        Sheets::Ods(_) => false,
    };
    if is_1904 {
        DateSystem::Excel1904
    } else {
        DateSystem::Excel1900
    }
}

/// Exactly `keep` cells, or more when cells beyond that hold something (they stay, so the
/// mapping layer sees the row is too wide): trailing empty cells are dropped, and a
/// streamed row, which ends at its last cell, is padded.
fn trimmed(mut cells: Vec<String>, keep: usize) -> Vec<String> {
    let used = cells
        .iter()
        .rposition(|c| !c.trim().is_empty())
        .map_or(0, |i| i + 1);
    cells.resize(used.max(keep), String::new());
    cells
}

fn filled(cells: &[String]) -> usize {
    cells.iter().filter(|c| !c.trim().is_empty()).count()
}

fn is_empty_row(cells: &[String]) -> bool {
    filled(cells) == 0
}

fn is_footer(cells: &[String]) -> bool {
    let Some(first) = cells.iter().find(|c| !c.trim().is_empty()) else {
        return false;
    };
    let compact: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    crate::table::FOOTER_WORDS
        .iter()
        .any(|word| compact.contains(word))
}

/// [`cell_text`] of a cell whose strings may still be borrowed from the workbook.
fn cell_text_ref(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::SharedString(text) => (*text).to_owned(),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            text.clone()
        }
        other => cell_text(&Data::from(other.clone())),
    }
}

/// The text of one cell; see the module documentation for the conventions.
pub(crate) fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(value) => value.to_string(),
        Data::Float(value) => float_text(*value),
        Data::Bool(value) => value.to_string(),
        Data::Error(error) => error.to_string(),
        Data::Empty => String::new(),
        // A time of day is a date cell below 1 (day 0); its date part would read 1899-12-31.
        Data::DateTime(value) if value.is_duration() || (0.0..1.0).contains(&value.as_f64()) => {
            let seconds = (value.as_f64() * 86_400.0).round() as i64;
            let sign = if seconds < 0 { "-" } else { "" };
            let seconds = seconds.unsigned_abs();
            format!(
                "{sign}{}:{:02}:{:02}",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            )
        }
        // calamine's conversion panics on serials this far out (a damaged file's bytes);
        // chrono has no date there anyway, so nothing readable is lost.
        Data::DateTime(value) if !value.as_f64().is_finite() || value.as_f64().abs() >= 1e9 => {
            float_text(value.as_f64())
        }
        Data::DateTime(value) => match value.as_datetime() {
            Some(at) => datetime_text(at),
            // Outside chrono's range: no date a department could mean; keep the number.
            None => float_text(value.as_f64()),
        },
    }
}

/// `YYYY-MM-DD`, with ` HH:MM:SS` only when the time is not midnight.
pub(crate) fn datetime_text(at: chrono::NaiveDateTime) -> String {
    let year = at.year();
    // Digits written by hand for four-digit years, which are all a department writes: this
    // runs for every date cell, and `format!` cost ten times as much.
    let Ok(year @ 1000..=9999) = u32::try_from(year) else {
        return datetime_text_formatted(at);
    };
    let mut text = String::with_capacity(19);
    push_digits(&mut text, year / 100);
    push_digits(&mut text, year % 100);
    text.push('-');
    push_digits(&mut text, at.month());
    text.push('-');
    push_digits(&mut text, at.day());
    if at.num_seconds_from_midnight() != 0 {
        text.push(' ');
        push_digits(&mut text, at.hour());
        text.push(':');
        push_digits(&mut text, at.minute());
        text.push(':');
        push_digits(&mut text, at.second());
    }
    text
}

/// Two digits of `n` (below 100), with a leading zero.
fn push_digits(text: &mut String, n: u32) {
    text.push(char::from(b'0' + (n / 10 % 10) as u8));
    text.push(char::from(b'0' + (n % 10) as u8));
}

/// [`datetime_text`] for any year, through the formatting machinery.
fn datetime_text_formatted(at: chrono::NaiveDateTime) -> String {
    let date = format!("{:04}-{:02}-{:02}", at.year(), at.month(), at.day());
    if at.num_seconds_from_midnight() == 0 {
        date
    } else {
        format!(
            "{date} {:02}:{:02}:{:02}",
            at.hour(),
            at.minute(),
            at.second()
        )
    }
}

/// Float text as described in the module documentation.
pub(crate) fn float_text(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value.abs() >= 1e15 {
        // Shortest round-trip digits, in Excel's `E+17` spelling so identity parsing
        // recognises a number that spreadsheet software has already rounded.
        let text = format!("{value:E}");
        return match text.split_once('E') {
            Some((mantissa, exponent)) if !exponent.starts_with('-') => {
                format!("{mantissa}E+{exponent}")
            }
            _ => text,
        };
    }
    if value.fract() == 0.0 {
        // Exact: |value| < 1e15 < 2^53, so the conversion neither saturates nor rounds.
        return (value as i64).to_string();
    }
    value.to_string()
}
