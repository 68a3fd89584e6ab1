//! Delimited text: encoding, delimiter, header search, and the body in chunks of whole
//! records that can be parsed in parallel (see `chunks` and `records`).

mod chunks;
mod records;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::path::Path;

use hedui_core::date::DateSystem;

use crate::decode::open_decoded;
use crate::error::IngestError;
use crate::table::{HEADER_SEARCH_ROWS, HeaderScorer, PhysicalRow, RawTable, pick_header};

pub(crate) use chunks::{Chunk, UNDECODABLE};
pub(crate) use records::{Found, Span, each_record};

use chunks::Chunker;

const DELIMITERS: [char; 4] = [',', '\t', ';', '|'];

/// Text per chunk: large enough that per-chunk costs vanish, small enough that a few
/// chunks in flight per core keep memory flat.
const CHUNK_BYTES: usize = 2 << 20;

/// The body of a delimited text file below its header, chunk by chunk.
pub struct TextRows {
    first: Option<Chunk>,
    chunker: Chunker,
    /// The line after the header (and the line breaks inside it).
    pub(crate) first_data_line: u64,
    /// Lines in the file, extrapolated from its head, to size the outputs once.
    pub(crate) estimated_lines: usize,
    pub(crate) delimiter: u8,
    /// Whether the exporter ends every data row with a delimiter (one empty field more
    /// than the header has). Only then is such a row whole; in another file the extra
    /// field is a delimiter typed inside a value, and every value after it has moved.
    pub(crate) trailing_delimiter: bool,
}

impl TextRows {
    /// The next chunk of whole records; a read error ends the file.
    pub(crate) fn next_chunk(&mut self) -> Option<std::io::Result<Chunk>> {
        match self.first.take() {
            Some(first) => Some(Ok(first)),
            None => self.chunker.next_chunk(),
        }
    }
}

impl std::fmt::Debug for TextRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextRows")
            .field("first_data_line", &self.first_data_line)
            .finish_non_exhaustive()
    }
}

/// Reads a delimited text file; the header is the best-scoring row near the top.
pub(crate) fn read_csv(
    path: &Path,
    encoding: Option<&str>,
    score: HeaderScorer<'_>,
    min_score: usize,
) -> Result<RawTable, IngestError> {
    read_csv_chunked(path, encoding, score, min_score, CHUNK_BYTES)
}

pub(crate) fn read_csv_chunked(
    path: &Path,
    encoding: Option<&str>,
    score: HeaderScorer<'_>,
    min_score: usize,
    chunk_bytes: usize,
) -> Result<RawTable, IngestError> {
    let decoded = open_decoded(path, encoding)?;
    let delimiter = sniff_delimiter(&decoded.sample);
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    let mut chunker = Chunker::new(file, decoded.encoding_rs, delimiter as u8, chunk_bytes);

    // Enough whole chunks to hold the rows the header is searched in.
    let mut head = String::new();
    let (rows, ends) = loop {
        let chunk = chunker.next_chunk();
        let last = match chunk {
            Some(Ok(chunk)) => {
                head.push_str(&chunk.text);
                chunk.last
            }
            Some(Err(e)) => return Err(IngestError::io(path, e)),
            None => true,
        };
        let (rows, ends) = head_rows(&head, delimiter as u8);
        if last || rows.len() >= HEADER_SEARCH_ROWS {
            break (rows, ends);
        }
    };
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells.clone()).collect();
    let header_index =
        pick_header(&cells, score, min_score).ok_or_else(|| IngestError::NoHeader {
            path: path.to_owned(),
            searched: HEADER_SEARCH_ROWS,
            expected: String::new(),
        })?;
    let trailing_delimiter = ends_rows_with_delimiter(&rows, header_index);
    let mut rows = rows.into_iter();
    let title_rows = rows.by_ref().take(header_index).collect();
    let header = rows.next().unwrap_or(PhysicalRow {
        line: 0,
        cells: Vec::new(),
    });
    let header_end = ends.get(header_index).copied().unwrap_or(head.len());
    let body = head.split_off(header_end);
    let inner: u64 = header.cells.iter().map(|c| records::newlines(c)).sum();
    let first = Chunk::new(body, 1 + records::newlines(&head), false);
    let text = TextRows {
        first: Some(first),
        chunker,
        first_data_line: header.line + 1 + inner,
        estimated_lines: estimate_lines(path, &decoded.sample, decoded.sample_bytes),
        delimiter: delimiter as u8,
        trailing_delimiter,
    };
    Ok(RawTable {
        path: path.to_owned(),
        sheet: None,
        encoding: Some(decoded.encoding),
        delimiter: Some(delimiter),
        header_line: header.line,
        headers: header.cells,
        title_rows,
        rows: Box::new(std::iter::empty()),
        text: Some(text),
        later_sheets: Vec::new(),
        date_system: DateSystem::default(),
        book: None,
    })
}

/// Whether most data rows in the head carry one empty field beyond the header's: the habit
/// of an exporter that ends every line with a delimiter. With no data rows to tell, the
/// habit is allowed.
fn ends_rows_with_delimiter(rows: &[PhysicalRow], header_index: usize) -> bool {
    let Some(width) = rows.get(header_index).map(|h| h.cells.len()) else {
        return true;
    };
    let data = rows.get(header_index + 1..).unwrap_or_default();
    let trailing = data
        .iter()
        .filter(|r| r.cells.len() == width + 1 && r.cells[width].trim().is_empty())
        .count();
    data.is_empty() || trailing * 2 > data.len()
}

/// The lines of the file if the rest is like its head.
fn estimate_lines(path: &Path, sample: &str, sample_bytes: usize) -> usize {
    let len = std::fs::metadata(path).map_or(0, |m| m.len());
    let lines = records::newlines(sample) as f64;
    (len as f64 * lines / sample_bytes.max(1) as f64) as usize
}

/// The first rows of `head` (blank lines skipped) and the offset where each ends.
fn head_rows(head: &str, delimiter: u8) -> (Vec<PhysicalRow>, Vec<usize>) {
    let (mut rows, mut ends) = (Vec::new(), Vec::new());
    each_record(head, 1, delimiter, None, |found| {
        if let Found::Row {
            line, end, cells, ..
        } = found
            && rows.len() < HEADER_SEARCH_ROWS
        {
            rows.push(PhysicalRow {
                line,
                cells: cells.iter().map(|c| (*c).to_owned()).collect(),
            });
            ends.push(end);
        }
    });
    (rows, ends)
}

/// The delimiter that splits the head of the file most consistently: the highest count of
/// fields per line, summed over the first lines, outside quotes.
fn sniff_delimiter(sample: &str) -> char {
    let lines: Vec<&str> = sample
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    // Reversed so that, on a tie, `max_by_key` (which keeps the last maximum) picks `,`.
    DELIMITERS
        .into_iter()
        .rev()
        .max_by_key(|&d| {
            let per_line: Vec<usize> = lines.iter().map(|l| count_unquoted(l, d)).collect();
            let total: usize = per_line.iter().sum();
            // Prefer a delimiter present on most lines; a stray `;` in one cell must not win.
            let lines_with = per_line.iter().filter(|&&n| n > 0).count();
            (lines_with, total)
        })
        .unwrap_or(',')
}

fn count_unquoted(line: &str, delimiter: char) -> usize {
    let mut quoted = false;
    line.chars()
        .filter(|&c| {
            if c == '"' {
                quoted = !quoted;
            }
            c == delimiter && !quoted
        })
        .count()
}

#[cfg(test)]
mod sniff_tests {
    use super::*;

    #[test]
    fn sniffs_each_delimiter() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n"), ',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1\t2\t3\n"), '\t');
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), ';');
        assert_eq!(sniff_delimiter("a|b|c\n1|2|3\n"), '|');
        assert_eq!(sniff_delimiter("a,b,c\n\"x;y\",2,3\n"), ',');
    }
}
