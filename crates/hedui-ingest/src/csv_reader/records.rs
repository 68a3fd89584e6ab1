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
        /// The cells end to end, without delimiters or quotes.
        text: &'a str,
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
///
/// With the header's `width`, a record that runs over several lines and still has the
/// wrong number of fields (or over more lines than any real cell holds) is taken for what
/// it nearly always is: a stray quote (`"王秀英`) that made the parser read on to the next
/// quote, possibly the end of the file. Its first line is quarantined as unreadable and
/// reading starts again on the line after it, so one bad cell costs one row, not the rest
/// of the file.
pub(crate) fn each_record(
    text: &str,
    first_line: u64,
    delimiter: u8,
    width: Option<usize>,
    mut each: impl FnMut(Found<'_>),
) -> Span {
    let mut span = Span::default();
    let (mut offset, mut line_at_offset) = (0usize, first_line);
    while let Some(resume) = read_from(
        text,
        offset,
        line_at_offset,
        delimiter,
        width,
        &mut span,
        &mut each,
    ) {
        (offset, line_at_offset) = (offset + resume.offset, resume.line);
    }
    span
}

/// More line breaks than any real cell holds: a field this long is a runaway quote even
/// when the field count happens to come out right.
const MAX_LINES_IN_RECORD: u64 = 64;

/// Where to start reading again after a runaway quote.
struct Resume {
    offset: usize,
    line: u64,
}

/// Reads the records of `whole[base..]` into `span` and `each`; stops early at a runaway
/// quote, having quarantined its line, and says where to go on (relative to `base`).
fn read_from(
    whole: &str,
    base: usize,
    first_line: u64,
    delimiter: u8,
    width: Option<usize>,
    span: &mut Span,
    each: &mut impl FnMut(Found<'_>),
) -> Option<Resume> {
    let text = &whole[base..];
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
    // `\n`s before `counted_to`, so each is counted once.
    let (mut counted, mut counted_to) = (0u64, 0usize);
    // Where the current record's text starts: just after the previous one.
    let mut start = 0usize;
    // The cell list's allocation, kept from record to record (it borrows none of them).
    let mut spare_cells: Vec<&str> = Vec::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return None,
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
                return None;
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
            return None;
        };
        // The fields lie end to end in `joined`, so its line breaks are theirs.
        let inner = newlines(joined);
        let record_start = std::mem::replace(&mut start, end);
        let mut cells = reuse(std::mem::take(&mut spare_cells));
        cells.extend((0..record.len()).filter_map(|i| record.range(i).and_then(|r| joined.get(r))));
        if inner > 0 && width.is_some_and(|w| inner > MAX_LINES_IN_RECORD || !fits(&cells, w)) {
            // A runaway may end at the end of the text, with its last line break inside the
            // field, so its line is counted from where its text starts, past blank lines.
            let record = &text[record_start..end];
            let body_at = end - record.trim_start_matches(['\r', '\n']).len();
            let line = first_line + newlines(&text[..body_at]);
            report_blanks(span, line, each);
            let body = &text[body_at..end];
            let first_len = body.find('\n').map_or(body.len(), |i| i + 1);
            each(Found::Reject(ReaderReject {
                line,
                reason: RejectReason::Unreadable {
                    message: "a quote opened in this line is never closed on it; the line is \
                              quarantined and reading starts again on the next line"
                        .to_owned(),
                },
                raw: body[..first_len].trim_end_matches(['\r', '\n']).to_owned(),
            }));
            span.next_line = Some(line + 1);
            return Some(Resume {
                offset: body_at + first_len,
                line: line + 1,
            });
        }
        let terminator = u64::from(end > 0 && bytes[end - 1] == b'\n');
        let line = (first_line + counted).saturating_sub(inner + terminator);
        report_blanks(span, line, each);
        span.next_line = Some(line + 1 + inner);
        each(Found::Row {
            line,
            end: base + end,
            cells: &cells,
            text: joined,
        });
        spare_cells = reuse(cells);
    }
}

/// An empty list with `cells`' allocation, free of its borrows: collecting an emptied
/// vector into one of the same layout keeps the allocation. A list collected per record
/// grew twice or three times on the way to a dozen cells.
fn reuse<'b>(mut cells: Vec<&str>) -> Vec<&'b str> {
    cells.clear();
    cells.into_iter().map(|_| "").collect()
}

/// Reports the blank lines between the previous record and one starting on `line`; before
/// the first record, notes where it starts instead (the caller knows what came before).
fn report_blanks(span: &mut Span, line: u64, each: &mut impl FnMut(Found<'_>)) {
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
}

/// Whether `cells` has the header's width, allowing the trailing empty cells of exporters
/// that end every line with a delimiter.
fn fits(cells: &[&str], width: usize) -> bool {
    cells.len() == width
        || (cells.len() > width && cells[width..].iter().all(|c| c.trim().is_empty()))
}

pub(crate) fn newlines(cell: &str) -> u64 {
    memchr::memchr_iter(b'\n', cell.as_bytes()).count() as u64
}

#[cfg(test)]
mod tests {
    use super::reuse;

    #[test]
    fn a_reused_cell_list_keeps_its_allocation_and_is_empty() {
        let text = String::from("a,b,c");
        let mut cells: Vec<&str> = Vec::with_capacity(16);
        cells.extend(text.split(','));
        let at = cells.as_ptr() as usize;
        let reused: Vec<&str> = reuse(cells);
        assert!(reused.is_empty());
        assert_eq!(reused.as_ptr() as usize, at);
        assert!(reused.capacity() >= 16);
    }
}
