//! The hand-off between format readers and column mapping.
//!
//! Readers (CSV, Excel, Parquet) know about bytes, encodings, sheets and title rows; they
//! know nothing about departments. They locate the header with a scoring callback supplied
//! by the mapping layer, and hand over physical rows with their line numbers.

use std::path::PathBuf;

use hedui_core::date::DateSystem;

use crate::reject::RejectReason;

/// One physical row, before mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhysicalRow {
    /// 1-based physical line (CSV) or spreadsheet row number, as a person would look it up.
    pub line: u64,
    pub cells: Vec<String>,
}

/// Something the reader saw that is not a data row, or could not read at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderReject {
    pub line: u64,
    pub reason: RejectReason,
    /// The row's text as found, for the rejects file.
    pub raw: String,
}

/// A reader's output, row by row.
#[derive(Debug, Clone, PartialEq)]
pub enum RowEvent {
    Row(PhysicalRow),
    Reject(ReaderReject),
}

/// Scores a candidate header row: how many of its cells name a known field. The reader
/// takes the best-scoring row near the top of the file as the header, which skips title
/// rows such as `…信息导出（导出日期：…）`.
pub type HeaderScorer<'a> = &'a (dyn Fn(&[String]) -> usize + Sync);

/// How many rows from the top a header may be searched for.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// Words that mark a totals line, in a workbook or a text file; matched after removing all
/// whitespace, as exports write `合　计` with spaces for alignment.
pub(crate) const FOOTER_WORDS: [&str; 4] = ["合计", "总计", "小计", "共计"];

/// A table located in a file, ready for mapping.
pub struct RawTable {
    pub path: PathBuf,
    pub sheet: Option<String>,
    /// For CSV: the encoding used, and whether it was detected or configured.
    pub encoding: Option<EncodingUsed>,
    /// For CSV: the delimiter found.
    pub delimiter: Option<char>,
    /// Line of the header row (0 when the format has no header row, as in Parquet).
    pub header_line: u64,
    pub headers: Vec<String>,
    /// Title rows above the header, reported so staff see what was skipped; they are not
    /// data rows and do not enter the row accounting.
    pub title_rows: Vec<PhysicalRow>,
    pub rows: Box<dyn Iterator<Item = RowEvent> + Send>,
    /// For delimited text: the rows below the header in chunks of whole records, parsed
    /// in parallel; `rows` is then empty.
    pub text: Option<crate::csv_reader::TextRows>,
    /// Worksheets after this one, to be tried too when no sheet was configured: one export
    /// split over sheets (`2019年`, `2020年`, or an `.xls` cut at 65,536 rows) is one source.
    pub later_sheets: Vec<String>,
    /// How the workbook counts serial dates, for bare numbers in date columns (its date
    /// cells are already dates); the 1900 system for text and Parquet.
    pub date_system: DateSystem,
    /// The workbook, still open, for the sheet after this one; `None` for other formats.
    pub(crate) book: Option<crate::excel_reader::Book>,
}

impl std::fmt::Debug for RawTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawTable")
            .field("path", &self.path)
            .field("sheet", &self.sheet)
            .field("encoding", &self.encoding)
            .field("header_line", &self.header_line)
            .field("headers", &self.headers)
            .finish_non_exhaustive()
    }
}

/// The text encoding a CSV was read with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EncodingUsed {
    /// WHATWG name, e.g. `UTF-8` or `gb18030`.
    pub name: String,
    pub had_bom: bool,
    /// False when the configuration named the encoding.
    pub detected: bool,
}

/// Picks the header among the first rows: the highest score wins, the earliest on ties, and
/// a score under `min_score` means no header was found.
pub fn pick_header(
    rows: &[Vec<String>],
    score: HeaderScorer<'_>,
    min_score: usize,
) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (index, row) in rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
        let s = score(row);
        if s >= min_score && best.is_none_or(|(_, b)| s > b) {
            best = Some((index, s));
        }
    }
    best.map(|(index, _)| index)
}
