//! Delimited text: encoding, delimiter, header search and physical line numbers.
//!
//! Line numbers are computed here rather than taken from the csv crate: its positions lag by
//! one after CRLF terminators and it skips blank lines without telling. We log where every
//! `\n` falls in the decoded stream and derive each record's first physical line from the
//! byte offset where it ends. Blank lines then show up as gaps and are quarantined like any
//! bad row.

use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::decode::open_decoded;
use crate::error::IngestError;
use crate::reject::RejectReason;
use crate::table::{
    HEADER_SEARCH_ROWS, HeaderScorer, PhysicalRow, RawTable, ReaderReject, RowEvent, pick_header,
};

type Decoded = encoding_rs_io::DecodeReaderBytes<std::io::BufReader<std::fs::File>, Vec<u8>>;
type Reader = csv::Reader<NewlineLogger<Decoded>>;

const DELIMITERS: [char; 4] = [',', '\t', ';', '|'];

/// Reads a delimited text file; the header is the best-scoring row near the top.
pub(crate) fn read_csv(
    path: &Path,
    encoding: Option<&str>,
    score: HeaderScorer<'_>,
    min_score: usize,
) -> Result<RawTable, IngestError> {
    let decoded = open_decoded(path, encoding)?;
    let delimiter = sniff_delimiter(&decoded.sample);
    let log = Arc::new(Mutex::new(NewlineLog::default()));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter as u8)
        .from_reader(NewlineLogger {
            inner: decoded.reader,
            log: Arc::clone(&log),
            offset: 0,
        });

    let mut head: Vec<(u64, Vec<String>)> = Vec::new();
    let mut record = csv::StringRecord::new();
    while head.len() < HEADER_SEARCH_ROWS {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let cells = cells_of(&record);
                head.push((start_line(&reader, &log, &cells), cells));
            }
            Ok(false) => break,
            Err(e) => return Err(IngestError::io(path, std::io::Error::other(e.to_string()))),
        }
    }
    let cells: Vec<Vec<String>> = head.iter().map(|(_, c)| c.clone()).collect();
    let header_index =
        pick_header(&cells, score, min_score).ok_or_else(|| IngestError::NoHeader {
            path: path.to_owned(),
            searched: HEADER_SEARCH_ROWS,
            expected: String::new(),
        })?;
    let mut head = head.into_iter();
    let title_rows = head
        .by_ref()
        .take(header_index)
        .map(|(line, cells)| PhysicalRow { line, cells })
        .collect();
    let (header_line, headers) = head.next().unwrap_or_default();
    let rows = CsvRows {
        log,
        next_line: header_line + 1 + newlines(&headers),
        buffered: head.collect(),
        pending: VecDeque::new(),
        reader,
        record,
        delimiter,
        done: false,
    };
    Ok(RawTable {
        path: path.to_owned(),
        sheet: None,
        encoding: Some(decoded.encoding),
        delimiter: Some(delimiter),
        header_line,
        headers,
        title_rows,
        rows: Box::new(rows),
    })
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

/// Where every `\n` of the decoded stream is, consumed as records are read.
#[derive(Debug, Default)]
struct NewlineLog {
    pending: VecDeque<u64>,
    /// Newlines before the last queried offset.
    counted: u64,
    last_counted: Option<u64>,
}

/// Passes bytes through to the csv reader, logging newline offsets on the way.
struct NewlineLogger<R> {
    inner: R,
    log: Arc<Mutex<NewlineLog>>,
    offset: u64,
}

impl<R: Read> Read for NewlineLogger<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut log) = self.log.lock() {
            let base = self.offset;
            log.pending.extend(
                buf[..n]
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b == b'\n')
                    .map(|(i, _)| base + i as u64),
            );
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// The first physical line of the record just read: newlines before its end, less those
/// inside its fields, less its own terminator when that was a `\n`.
fn start_line(reader: &Reader, log: &Mutex<NewlineLog>, cells: &[String]) -> u64 {
    let end = reader.position().byte();
    let Ok(mut log) = log.lock() else { return 0 };
    while log.pending.front().is_some_and(|&p| p < end) {
        let p = log.pending.pop_front().unwrap_or_default();
        log.counted += 1;
        log.last_counted = Some(p);
    }
    let terminator = u64::from(end > 0 && log.last_counted == Some(end - 1));
    (1 + log.counted).saturating_sub(newlines(cells) + terminator)
}

fn cells_of(record: &csv::StringRecord) -> Vec<String> {
    record.iter().map(str::to_owned).collect()
}

fn newlines(cells: &[String]) -> u64 {
    cells.iter().map(|c| c.matches('\n').count() as u64).sum()
}

struct CsvRows {
    reader: Reader,
    log: Arc<Mutex<NewlineLog>>,
    record: csv::StringRecord,
    buffered: VecDeque<(u64, Vec<String>)>,
    pending: VecDeque<RowEvent>,
    /// The line a record would start on if no blank line came before it.
    next_line: u64,
    delimiter: char,
    done: bool,
}

impl CsvRows {
    fn next_record(&mut self) -> Option<Result<(u64, Vec<String>), ReaderReject>> {
        if let Some(buffered) = self.buffered.pop_front() {
            return Some(Ok(buffered));
        }
        if self.done {
            return None;
        }
        match self.reader.read_record(&mut self.record) {
            Ok(true) => {
                let cells = cells_of(&self.record);
                Some(Ok((start_line(&self.reader, &self.log, &cells), cells)))
            }
            Ok(false) => {
                self.done = true;
                None
            }
            Err(e) => {
                // After an I/O or decoding failure the stream position is unknown; stop here
                // and let the reject say where, rather than guessing at later lines.
                self.done = true;
                let line = self.next_line;
                Some(Err(ReaderReject {
                    line,
                    reason: RejectReason::Unreadable {
                        message: e.to_string(),
                    },
                    raw: String::new(),
                }))
            }
        }
    }
}

impl Iterator for CsvRows {
    type Item = RowEvent;

    fn next(&mut self) -> Option<RowEvent> {
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        let (line, cells) = match self.next_record()? {
            Ok(record) => record,
            Err(reject) => return Some(RowEvent::Reject(reject)),
        };
        for blank in self.next_line..line {
            self.pending.push_back(RowEvent::Reject(ReaderReject {
                line: blank,
                reason: RejectReason::EmptyRow,
                raw: String::new(),
            }));
        }
        self.next_line = line + 1 + newlines(&cells);
        let delimiter = self.delimiter;
        let event = if cells.iter().all(|c| c.trim().is_empty()) {
            RowEvent::Reject(ReaderReject {
                line,
                reason: RejectReason::EmptyRow,
                raw: cells.join(&delimiter.to_string()),
            })
        } else {
            RowEvent::Row(PhysicalRow { line, cells })
        };
        self.pending.push_back(event);
        self.pending.pop_front()
    }
}

#[cfg(test)]
mod tests {
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
