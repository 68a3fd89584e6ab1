//! The records of one chunk of text, with the physical line each starts on.
//!
//! Line numbers are computed here rather than taken from the csv crate: its positions lag
//! by one after CRLF terminators and it skips blank lines without telling. Each record's
//! first physical line is derived from the byte offset where it ends: the `\n`s before that
//! offset, less those inside its fields, less its own terminator when that was a `\n`.
//! Blank lines then show up as gaps and are quarantined like any bad row.

use crate::reject::RejectReason;
use crate::table::ReaderReject;

/// One thing found in a chunk, in order.
#[derive(Debug)]
pub(crate) enum Found<'a> {
    /// A record, blank or not; `end` is the offset just past it in the chunk.
    Row {
        line: u64,
        end: usize,
        cells: &'a [&'a str],
    },
    Reject(ReaderReject),
}

/// What the caller needs to join a chunk to its neighbours.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// The line of the chunk's first record: lines before it, back to the end of the
    /// previous chunk's last record, are blank, and only the caller knows where that was.
    pub first_record: Option<u64>,
    /// The line after the chunk's last record and the line breaks inside it.
    pub next_line: Option<u64>,
    /// The text could not be read past some point; nothing after it should be read.
    pub stopped: bool,
}

/// Calls `each` with every record of `text` (whose first byte is on `first_line`) and
/// with every empty line between two records; blank lines before the first record are
/// left to the caller (see [`Span::first_record`]).
pub(crate) fn each_record(
    text: &str,
    first_line: u64,
    delimiter: u8,
    mut each: impl FnMut(Found<'_>),
) -> Span {
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    // Bytes, not strings: the csv crate would check every field's UTF-8 with std's checker,
    // slow on Han text. The record is checked once with a SIMD checker instead (it cannot
    // fail, as `text` is a `str` and fields are cut at ASCII delimiters, but proving it
    // costs less than trusting it), and fields are sliced from that.
    let mut record = csv::ByteRecord::new();
    let mut span = Span::default();
    // `\n`s before `counted_to`, so each is counted once.
    let (mut counted, mut counted_to) = (0u64, 0usize);
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                span.stopped = true;
                let line = span.next_line.unwrap_or(first_line);
                each(Found::Reject(ReaderReject {
                    line,
                    reason: RejectReason::Unreadable {
                        message: e.to_string(),
                    },
                    raw: String::new(),
                }));
                break;
            }
        }
        let end = usize::try_from(reader.position().byte())
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        counted += memchr::memchr_iter(b'\n', &bytes[counted_to..end]).count() as u64;
        counted_to = end;
        let Ok(joined) = simdutf8::basic::from_utf8(record.as_slice()) else {
            span.stopped = true;
            each(Found::Reject(ReaderReject {
                line: span.next_line.unwrap_or(first_line),
                reason: RejectReason::Unreadable {
                    message: "a field is not valid UTF-8".to_owned(),
                },
                raw: String::new(),
            }));
            break;
        };
        // The fields lie end to end in `joined`, so its line breaks are theirs.
        let inner = newlines(joined);
        let terminator = u64::from(end > 0 && bytes[end - 1] == b'\n');
        let line = (first_line + counted).saturating_sub(inner + terminator);
        match span.next_line {
            Some(next) => {
                for blank in next..line {
                    each(Found::Reject(ReaderReject {
                        line: blank,
                        reason: RejectReason::EmptyRow,
                        raw: String::new(),
                    }));
                }
            }
            None => span.first_record = Some(line),
        }
        span.next_line = Some(line + 1 + inner);
        let cells: Vec<&str> = (0..record.len())
            .filter_map(|i| record.range(i).and_then(|r| joined.get(r)))
            .collect();
        each(Found::Row {
            line,
            end,
            cells: &cells,
        });
    }
    span
}

pub(crate) fn newlines(cell: &str) -> u64 {
    memchr::memchr_iter(b'\n', cell.as_bytes()).count() as u64
}
