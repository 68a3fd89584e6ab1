//! One piece of a file parsed on a worker thread, and its accounting in file order.
//!
//! A worked unit carries its records in lists of their own, apart from what became of each
//! row. The thread that keeps file order then moves a unit's records into the source's list
//! in one copy when none of them is a duplicate, which is nearly always. Before, each row's
//! outcome (a record of some 260 bytes inside it) was moved through the accounting one at a
//! time: with the duplicate table, a sixth of all the CPU time of reading an export.

use std::collections::hash_map::Entry;

use hedui_core::record::{AssetRecord, Member};
use rustc_hash::FxHashMap;

use super::{FileReport, SourceData};
use crate::aliases::TableKind;
use crate::cells::CellStore;
use crate::csv_reader::{Chunk, Found, Span, UNDECODABLE, each_record};
use crate::error::IngestError;
use crate::hashing::{joined_fingerprint, row_fingerprint, table_key};
use crate::parse::{FileContext, Parsed, parse_cells};
use crate::reject::{Reject, RejectReason};
use crate::table::RowEvent;

/// A piece of a file for one worker: a batch of rows, or a chunk of text.
pub(super) enum Unit {
    Events(Vec<RowEvent>),
    Text(Chunk, u8),
    /// Reading failed here; nothing after it is read.
    Failed(String),
}

impl Unit {
    pub fn is_empty(&self) -> bool {
        matches!(self, Unit::Events(events) if events.is_empty())
    }
}

/// A row that parsed. Its record is the next one in its unit's list; whether the record
/// carries warnings is noted here, so counting them does not read it back.
#[derive(Debug, Clone, Copy)]
struct ParsedRow {
    has_warnings: bool,
}

/// What became of one row: its line, the fingerprint duplicates are found by (rows that
/// were read as rows), and whether it parsed.
type Outcome = (u64, Option<u128>, Result<ParsedRow, (RejectReason, String)>);

/// A worked unit: its rows' outcomes and records in order, and how it joins its neighbours.
#[derive(Default)]
pub(super) struct Done {
    rows: Vec<Outcome>,
    members: Vec<Member>,
    assets: Vec<AssetRecord>,
    pub span: Span,
    pub failed: Option<String>,
}

impl Done {
    /// Room for `rows` rows of a table of `kind`, so the lists are not grown (and copied)
    /// row by row.
    fn with_capacity(kind: TableKind, rows: usize) -> Done {
        let (members, assets) = match kind {
            TableKind::Recipients => (rows, 0),
            _ => (0, rows),
        };
        Done {
            rows: Vec::with_capacity(rows),
            members: Vec::with_capacity(members),
            assets: Vec::with_capacity(assets),
            ..Done::default()
        }
    }

    fn parsed(
        &mut self,
        line: u64,
        fingerprint: u128,
        parsed: Result<Parsed, (RejectReason, String)>,
    ) {
        let outcome = parsed.map(|parsed| match parsed {
            Parsed::Member(member) => {
                self.members.push(member);
                ParsedRow {
                    has_warnings: false,
                }
            }
            Parsed::Asset(asset) => {
                let has_warnings = !asset.warnings.is_empty();
                self.assets.push(asset);
                ParsedRow { has_warnings }
            }
        });
        self.rows.push((line, Some(fingerprint), outcome));
    }

    fn rejected(&mut self, line: u64, reason: RejectReason, raw: String) {
        self.rows.push((line, None, Err((reason, raw))));
    }
}

pub(super) fn work(ctx: &FileContext, separator: &str, unit: Unit) -> Done {
    let ctx = &ctx.for_one_batch();
    let parse = |done: &mut Done, line: u64, cells: &[&str], fingerprint: u128| {
        let parsed =
            parse_cells(ctx, line, cells).map_err(|reason| (reason, cells.join(separator)));
        done.parsed(line, fingerprint, parsed);
    };
    match unit {
        Unit::Events(events) => {
            let mut done = Done::with_capacity(ctx.kind, events.len());
            for event in events {
                match event {
                    RowEvent::Row(row) => {
                        let cells: Vec<&str> = row.cells.iter().map(String::as_str).collect();
                        parse(&mut done, row.line, &cells, row_fingerprint(&cells));
                    }
                    RowEvent::Reject(r) => done.rejected(r.line, r.reason, r.raw),
                }
            }
            done
        }
        Unit::Text(chunk, delimiter) => {
            // Rows are rarely shorter than this; a few reallocations if they are.
            let mut done = Done::with_capacity(ctx.kind, chunk.text.len() / 128);
            let width = Some(ctx.file.headers.len());
            let undecodable =
                |cells: &[&str]| chunk.undecodable && cells.iter().any(|c| c.contains(UNDECODABLE));
            let row = |done: &mut Done, found: Found<'_>| match found {
                Found::Row { line, cells, .. } if undecodable(cells) => {
                    let raw = cells.join(separator).replace(UNDECODABLE, "\u{FFFD}");
                    let reason = RejectReason::Unreadable {
                        message: "bytes on this line are not valid in the file's encoding \
                                  (shown as \u{FFFD}); the file may mix encodings"
                            .to_owned(),
                    };
                    done.rejected(line, reason, raw);
                }
                Found::Row { line, cells, .. } if cells.iter().all(|c| c.trim().is_empty()) => {
                    done.rejected(line, RejectReason::EmptyRow, cells.join(separator));
                }
                Found::Row {
                    line, cells, text, ..
                } => parse(done, line, cells, joined_fingerprint(text, cells)),
                Found::Reject(r) => done.rejected(r.line, r.reason, r.raw),
            };
            let (text, first_line) = (&chunk.text, chunk.first_line);
            done.span = each_record(text, first_line, delimiter, width, |found| {
                row(&mut done, found)
            });
            done
        }
        Unit::Failed(message) => Done {
            failed: Some(message),
            ..Done::default()
        },
    }
}

/// The bit of a [`Accountant::seen`] entry that says the row was copied; no file has
/// 2⁶³ lines.
const COPIED: u64 = 1 << 63;

/// Applies worked units to the records, rejects and counts, in file order.
pub(super) struct Accountant<'a> {
    data: &'a mut SourceData,
    report: &'a mut FileReport,
    ctx: &'a FileContext,
    separator: &'a str,
    /// Per row fingerprint, the line of its first copy, with [`COPIED`] set once another
    /// copy followed: one word, not two, so the table (an entry per row) is a quarter
    /// smaller.
    seen: FxHashMap<(u64, u64), u64>,
    /// Where accepted rows' cells go, when they are not held.
    cells: Option<&'a CellStore>,
    /// The first failure to store cells: the file's read stops and fails with it.
    pub failed: Option<IngestError>,
}

impl<'a> Accountant<'a> {
    /// An accountant for one file of about `expected_rows` rows (0 when unknown). The
    /// record list and the duplicate table are sized once: growing by doubling would copy
    /// millions of records and fault their pages in twice, all on the one thread that
    /// keeps the order.
    pub fn new(
        data: &'a mut SourceData,
        report: &'a mut FileReport,
        ctx: &'a FileContext,
        separator: &'a str,
        expected_rows: usize,
        cells: Option<&'a CellStore>,
    ) -> Self {
        match ctx.kind {
            TableKind::Recipients => data.members.reserve(expected_rows),
            _ => data.assets.reserve(expected_rows),
        }
        let mut seen = FxHashMap::default();
        seen.reserve(expected_rows);
        Accountant {
            data,
            report,
            ctx,
            separator,
            seen,
            cells,
            failed: None,
        }
    }

    /// The rows of a worked unit (not its span or failure, which the caller reads).
    pub fn unit(&mut self, done: Done) {
        let Done {
            rows,
            members,
            assets,
            ..
        } = done;
        // Records (by their place in the unit's list) that are copies of earlier rows.
        let mut copies = Vec::new();
        let mut record = 0;
        for (line, fingerprint, outcome) in rows {
            self.report.rows_read += 1;
            let first_line = fingerprint.and_then(|f| self.earlier_copy(f, line));
            let has_record = outcome.is_ok();
            match (outcome, first_line) {
                (Ok(parsed), None) => {
                    self.report.accepted += 1;
                    if parsed.has_warnings {
                        self.data.report.records_with_warnings += 1;
                    }
                }
                (Ok(_), Some(first_line)) => {
                    let raw = match self.ctx.kind {
                        TableKind::Recipients => members.get(record).map(|m| &m.raw),
                        _ => assets.get(record).map(|a| &a.raw),
                    };
                    let raw = raw.map_or_else(String::new, |raw| {
                        raw.values().collect::<Vec<_>>().join(self.separator)
                    });
                    copies.push(record);
                    self.reject(line, RejectReason::Duplicate { first_line }, raw);
                }
                (Err((_, raw)), Some(first_line)) => {
                    self.reject(line, RejectReason::Duplicate { first_line }, raw);
                }
                (Err((reason, raw)), None) => self.reject(line, reason, raw),
            }
            record += usize::from(has_record);
        }
        let kept = (self.data.members.len(), self.data.assets.len());
        keep(&mut self.data.members, members, &copies);
        keep(&mut self.data.assets, assets, &copies);
        if let Some(cells) = self.cells
            && self.failed.is_none()
        {
            // The unit's rows, one write; they were held only while it was worked.
            let members = self.data.members[kept.0..].iter_mut().map(|m| &mut m.raw);
            let assets = self.data.assets[kept.1..].iter_mut().map(|a| &mut a.raw);
            self.failed = cells.keep(members.chain(assets)).err();
        }
    }

    /// A row that was read but is no record (a blank line, an unreadable stretch).
    pub fn rejected(&mut self, line: u64, reason: RejectReason) {
        self.report.rows_read += 1;
        self.reject(line, reason, String::new());
    }

    /// Rows that appeared more than once.
    pub fn duplicated_rows(&self) -> u64 {
        self.seen
            .values()
            .filter(|first| *first & COPIED != 0)
            .count() as u64
    }

    /// The line of an earlier copy of the row, noting that it was copied; `None` for a
    /// first copy, which is remembered.
    fn earlier_copy(&mut self, fingerprint: u128, line: u64) -> Option<u64> {
        match self.seen.entry(table_key(fingerprint)) {
            Entry::Occupied(mut first) => {
                *first.get_mut() |= COPIED;
                self.data.report.duplicate_copies += 1;
                Some(*first.get() & !COPIED)
            }
            Entry::Vacant(slot) => {
                slot.insert(line & !COPIED);
                None
            }
        }
    }

    fn reject(&mut self, line: u64, reason: RejectReason, raw: String) {
        self.report.rejected += 1;
        let by_reason = &mut self.data.report.rejected_by_reason;
        *by_reason.entry(reason.code()).or_default() += 1;
        self.data.rejects.push(Reject {
            source: self.ctx.file.source.clone(),
            file: self.ctx.file.path.clone(),
            sheet: self.ctx.file.sheet.clone(),
            line,
            reason,
            raw,
        });
    }
}

/// Moves `records` to the end of `to`, less those at the places `dropped` lists
/// (ascending), which are dropped: in one copy when there are none, else a run at a time.
fn keep<T>(to: &mut Vec<T>, mut records: Vec<T>, dropped: &[usize]) {
    if dropped.is_empty() {
        to.append(&mut records);
        return;
    }
    let mut records = records.into_iter();
    let mut at = 0;
    for &copy in dropped {
        to.extend(records.by_ref().take(copy.saturating_sub(at)));
        records.next();
        at = copy + 1;
    }
    to.extend(records);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_records_are_the_others_in_order() {
        for (dropped, expected) in [
            (vec![], vec![0, 1, 2, 3, 4]),
            (vec![0], vec![1, 2, 3, 4]),
            (vec![1, 2], vec![0, 3, 4]),
            (vec![4], vec![0, 1, 2, 3]),
            (vec![0, 2, 4], vec![1, 3]),
        ] {
            let mut to = vec![-1];
            keep(&mut to, (0..5).collect(), &dropped);
            assert_eq!(to[1..], expected, "dropping {dropped:?}");
        }
    }
}
