//! One configured source, possibly several files, read into records with full accounting.

mod units;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use hedui_core::date::DateSystem;
use hedui_core::record::{AssetRecord, FileHash, Member, SourceFile};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::aliases::{AliasTable, TableKind};
use crate::cells::CellStore;
use crate::config::SourceSpec;
use crate::error::IngestError;
use crate::hashing::sha256_file;
use crate::mapping::{ColumnMap, header_score, min_header_score};
use crate::parse::{DateMode, FileContext};
use crate::reject::{Reject, RejectReason};
use crate::table::{EncodingUsed, RawTable, RowEvent};
use crate::{csv_reader, excel_reader, parquet_reader, pipeline};
use units::{Accountant, Unit, work};

/// Rows of a workbook or Parquet file per parallel batch: large enough to amortise
/// scheduling, small enough that reading the next batch overlaps parsing this one.
const BATCH_ROWS: usize = 16 * 1024;

/// What was read from one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    pub path: String,
    pub sha256: String,
    pub format: &'static str,
    pub encoding: Option<EncodingUsed>,
    pub delimiter: Option<char>,
    pub sheet: Option<String>,
    pub header_line: u64,
    pub title_rows: usize,
    /// A workbook saved with Excel's 1904 date system: bare serial numbers in its date
    /// columns were read in that system (see `hedui_core::date::DateSystem`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dates_1904: bool,
    /// `(header, field)` for every column; `None` where no alias matched.
    pub mapping: Vec<(String, Option<&'static str>)>,
    pub unmapped: Vec<String>,
    pub rows_read: u64,
    pub accepted: u64,
    pub rejected: u64,
}

/// Row accounting for one source. `rows_read == accepted + rejected` always holds.
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub name: String,
    pub kind: TableKind,
    pub files: Vec<FileReport>,
    pub rows_read: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub rejected_by_reason: BTreeMap<&'static str, u64>,
    /// Distinct rows that appeared more than once, and the extra copies rejected.
    pub duplicated_rows: u64,
    pub duplicate_copies: u64,
    /// Accepted records that carry a warning (co-owner count mismatch, failed check code).
    pub records_with_warnings: u64,
    /// Roster only: identity numbers listed in more than one household, a person enrolled
    /// twice (or a typo that made two people one), which the centre must sort out; each
    /// with its households, the number masked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ids_in_several_households: Vec<SharedId>,
}

/// One identity number the roster lists in several households.
#[derive(Debug, Clone, Serialize)]
pub struct SharedId {
    /// Masked (`532501********1234`).
    pub id: String,
    pub households: Vec<String>,
}

/// What every file of one source is read with.
#[derive(Clone, Copy)]
struct Job<'a> {
    spec: &'a SourceSpec,
    name: &'a str,
    aliases: &'a AliasTable,
    cells: Option<&'a CellStore>,
}

/// Everything read from one source.
#[derive(Debug)]
pub struct SourceData {
    pub report: SourceReport,
    pub members: Vec<Member>,
    pub assets: Vec<AssetRecord>,
    pub rejects: Vec<Reject>,
}

/// Reads every file of `spec`. Paths are relative to `base` (the configuration's folder).
/// `aliases` must already include the spec's own `columns`.
pub fn read_source(
    spec: &SourceSpec,
    base: &Path,
    aliases: &AliasTable,
) -> Result<SourceData, IngestError> {
    read_source_keeping(spec, base, aliases, None)
}

/// [`read_source`], with the accepted rows' raw cells written to `cells` as they are
/// read, rather than held (see [`CellStore`]).
pub fn read_source_keeping(
    spec: &SourceSpec,
    base: &Path,
    aliases: &AliasTable,
    cells: Option<&CellStore>,
) -> Result<SourceData, IngestError> {
    let kind = spec.table_kind();
    let name = spec.display_name();
    let mut data = SourceData {
        report: SourceReport {
            name: name.clone(),
            kind,
            files: Vec::new(),
            rows_read: 0,
            accepted: 0,
            rejected: 0,
            rejected_by_reason: BTreeMap::new(),
            duplicated_rows: 0,
            duplicate_copies: 0,
            records_with_warnings: 0,
            ids_in_several_households: Vec::new(),
        },
        members: Vec::new(),
        assets: Vec::new(),
        rejects: Vec::new(),
    };
    let job = Job {
        spec,
        name: &name,
        aliases,
        cells,
    };
    for path in spec.resolve_files(base)? {
        let first = read_hashing_meanwhile(&path, |hash| {
            read_file(&path, &job, SheetPlan::default(), &mut data, hash)
        })?;
        // The later sheets are of the same file, whose hash is known now: hashing it again
        // per sheet read the whole workbook once more for each.
        let hash = FileHash::known(first.report.sha256.clone());
        data.report.files.push(first.report);
        let (later, mut ahead) = (first.later_sheets, first.ahead);
        for (at, sheet) in later.iter().enumerate() {
            let plan = SheetPlan {
                sheet: Some(sheet),
                opened: ahead.take().filter(|a| a.sheet == *sheet).map(|a| a.opened),
                following: later.get(at + 1).map(String::as_str),
            };
            match read_file(&path, &job, plan, &mut data, &hash) {
                Ok(read) => {
                    data.report.files.push(read.report);
                    ahead = read.ahead;
                }
                // A sheet of notes, a summary or another kind of table: not this source's.
                Err(IngestError::NoHeader { .. } | IngestError::MissingColumn { .. }) => {
                    tracing::debug!(file = %path.display(), sheet, "sheet has no table of this source; not read");
                }
                Err(e) => return Err(e),
            }
        }
    }
    if kind == TableKind::Recipients {
        data.report.ids_in_several_households = ids_in_several_households(&data.members);
    }
    Ok(data)
}

/// Valid identity numbers that the roster lists under more than one household, in number
/// order. One hashed pass finds them (a prefecture's roster has 700,000 numbers and almost
/// none repeats); a second collects the households of those few.
fn ids_in_several_households(members: &[Member]) -> Vec<SharedId> {
    let mut first: FxHashMap<&str, (&str, bool)> = FxHashMap::default();
    first.reserve(members.len());
    for m in members {
        if let Some(id) = m.id.valid() {
            let entry = first.entry(id.as_str()).or_insert((&m.household_id, false));
            entry.1 |= entry.0 != &*m.household_id;
        }
    }
    let mut shared: BTreeMap<&str, Vec<&str>> = first
        .into_iter()
        .filter(|(_, (_, several))| *several)
        .map(|(id, _)| (id, Vec::new()))
        .collect();
    if shared.is_empty() {
        return Vec::new();
    }
    for m in members {
        if let Some(list) = m.id.valid().and_then(|id| shared.get_mut(id.as_str()))
            && !list.contains(&&*m.household_id)
        {
            list.push(&m.household_id);
        }
    }
    shared
        .into_iter()
        .map(|(id, h)| SharedId {
            id: hedui_core::resident_id::mask(id),
            households: h.into_iter().map(str::to_owned).collect(),
        })
        .collect()
}

/// Opens `path`, or its `sheet`; `book` is the workbook if an earlier sheet of it was read.
fn open_table(
    path: &Path,
    spec: &SourceSpec,
    sheet: Option<&str>,
    book: Option<excel_reader::Book>,
    aliases: &AliasTable,
) -> Result<(RawTable, &'static str), IngestError> {
    let kind = spec.table_kind();
    let score = move |cells: &[String]| header_score(aliases, kind, cells);
    let min = min_header_score(kind);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let table = match ext.as_str() {
        "csv" | "txt" | "tsv" => (
            csv_reader::read_csv(path, spec.encoding.as_deref(), &score, min)?,
            "csv",
        ),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => (
            excel_reader::read_workbook(path, sheet.or(spec.sheet.as_deref()), book, &score, min)?,
            if ext == "xls" { "xls" } else { "xlsx" },
        ),
        "parquet" | "pq" => (parquet_reader::read_parquet(path)?, "parquet"),
        _ => {
            return Err(IngestError::UnsupportedFormat {
                path: path.to_owned(),
            });
        }
    };
    Ok(table)
}

/// Names the headers a file should have had, for a `NoHeader` error.
fn expected_headers(kind: TableKind, aliases: &AliasTable) -> String {
    kind.fields()
        .iter()
        .filter(|f| f.required)
        .filter_map(|f| aliases.names(kind, f.name).first().cloned())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs `read` on `path` while the file is hashed on a thread of its own, and completes the
/// report with the hash. Hashing first kept the parsing threads waiting on one core (a
/// twentieth of a large export's read); `hash` is known to every record once it is set.
fn read_hashing_meanwhile(
    path: &Path,
    read: impl FnOnce(&FileHash) -> Result<FileRead, IngestError>,
) -> Result<FileRead, IngestError> {
    let hash = FileHash::default();
    std::thread::scope(|scope| {
        let hashing = scope.spawn(|| sha256_file(path));
        let read = read(&hash);
        let hashed = hashing.join().unwrap_or_else(|_| {
            Err(IngestError::io(
                path,
                std::io::Error::other("the thread hashing the file stopped"),
            ))
        });
        let mut read = read?;
        let sha256 = hashed?;
        hash.set(sha256.clone());
        read.report.sha256 = sha256;
        Ok(read)
    })
}

/// What opening a file or one of its sheets gives: its table and its format's name.
type Opened = Result<(RawTable, &'static str), IngestError>;

/// Which sheet of a workbook to read, and what is known of it beforehand.
#[derive(Default)]
struct SheetPlan<'a> {
    /// The sheet; `None` for a text file, the configured sheet, or the first with a table.
    sheet: Option<&'a str>,
    /// The sheet already opened while the one before it was read.
    opened: Option<Opened>,
    /// The sheet to open while this one's rows are parsed.
    following: Option<&'a str>,
}

/// A sheet opened ahead of its turn.
struct Ahead {
    sheet: String,
    opened: Opened,
}

/// One file or sheet read: its report, the workbook's later sheets still to be tried, and
/// the first of those still to come, already opened.
struct FileRead {
    report: FileReport,
    later_sheets: Vec<String>,
    ahead: Option<Ahead>,
}

/// Reads one file, or the sheet of it that `plan` names; returns its report and the
/// workbook's later sheets still to be tried. `hash` becomes the file's once it is known.
fn read_file(
    path: &Path,
    job: &Job<'_>,
    plan: SheetPlan<'_>,
    data: &mut SourceData,
    hash: &FileHash,
) -> Result<FileRead, IngestError> {
    let Job {
        spec,
        name: source_name,
        aliases,
        cells,
    } = *job;
    let kind = spec.table_kind();
    let opened = plan
        .opened
        .unwrap_or_else(|| open_table(path, spec, plan.sheet, None, aliases));
    let (mut table, format) = opened.map_err(|e| match e {
        IngestError::NoHeader { path, searched, .. } => IngestError::NoHeader {
            path,
            searched,
            expected: expected_headers(kind, aliases),
        },
        other => other,
    })?;
    let map = ColumnMap::build(kind, &table.headers, aliases, path, table.sheet.as_deref())?;
    let mut report = FileReport {
        path: path.display().to_string(),
        // Empty while the file is still being hashed (see `read_hashing_meanwhile`).
        sha256: hash.as_str().to_owned(),
        format,
        encoding: table.encoding.clone(),
        delimiter: table.delimiter,
        sheet: table.sheet.clone(),
        header_line: table.header_line,
        title_rows: table.title_rows.len(),
        dates_1904: table.date_system == DateSystem::Excel1904,
        mapping: map.mapping.clone(),
        unmapped: map.unmapped(),
        rows_read: 0,
        accepted: 0,
        rejected: 0,
    };
    let ctx = FileContext {
        kind,
        file: Arc::new(SourceFile {
            source: source_name.to_owned(),
            path: report.path.clone(),
            sha256: hash.clone(),
            encoding: table.encoding.as_ref().map(|e| e.name.clone()),
            sheet: table.sheet.clone(),
            headers: Arc::from(std::mem::take(&mut table.headers)),
        }),
        map,
        dates: if format == "csv" {
            DateMode::Text
        } else {
            DateMode::TextOrSerial(table.date_system)
        },
        strict_width: format == "csv",
        trailing_delimiter: table.text.as_ref().is_none_or(|t| t.trailing_delimiter),
    };
    let separator = table.delimiter.unwrap_or(',').to_string();
    // A workbook's rows are already counted; a text file's are estimated from its size.
    let expected = match &table.text {
        Some(text) => text.estimated_lines + text.estimated_lines / 16,
        None => table.rows.size_hint().0,
    };
    let mut account = Accountant::new(data, &mut report, &ctx, &separator, expected, cells);

    let mut next_line = table.text.as_ref().map_or(0, |t| t.first_data_line);
    let mut text = table.text.take();
    let later_sheets = std::mem::take(&mut table.later_sheets);
    let rows = &mut table.rows;
    // A workbook's next sheet is opened while this one's rows are parsed: opening reads all
    // its cells, seconds of one thread inflating XML, which one after the other left the
    // province's property workbook reading alone at the end of ingest. The sheets are still
    // taken in order, so nothing read depends on it.
    let next_sheet = plan
        .following
        .or_else(|| later_sheets.first().map(String::as_str));
    // The workbook goes on to the next sheet, or is closed now rather than held while
    // this sheet's rows are parsed.
    let book = table.book.take().filter(|_| next_sheet.is_some());
    let ahead = std::thread::scope(|scope| {
        let opening = next_sheet.map(|sheet| {
            let opening = scope.spawn(move || open_table(path, spec, Some(sheet), book, aliases));
            (sheet, opening)
        });
        pipeline::ordered(
            || match text.as_mut() {
                Some(text) => Some(match text.next_chunk()? {
                    Ok(chunk) => Unit::Text(chunk, text.delimiter),
                    Err(e) => Unit::Failed(e.to_string()),
                }),
                None => Some(Unit::Events(next_batch(rows))).filter(|u| !u.is_empty()),
            },
            |unit| work(&ctx, &separator, unit),
            |mut done| {
                if let Some(first) = done.span.first_record {
                    for blank in next_line..first {
                        account.rejected(blank, RejectReason::EmptyRow);
                    }
                }
                let (span, failed) = (done.span, done.failed.take());
                account.unit(done);
                if account.failed.is_some() {
                    // Nothing more can be kept: the read fails below, so stop reading now.
                    return false;
                }
                next_line = span.next_line.unwrap_or(next_line);
                let Some(message) = failed else {
                    return !span.stopped;
                };
                account.rejected(next_line, RejectReason::Unreadable { message });
                false
            },
        );
        opening.map(|(sheet, opening)| Ahead {
            sheet: sheet.to_owned(),
            opened: opening.join().unwrap_or_else(|_| {
                Err(IngestError::io(
                    path,
                    std::io::Error::other(format!("the thread opening sheet {sheet} stopped")),
                ))
            }),
        })
    });
    if let Some(e) = account.failed.take() {
        return Err(e);
    }
    let duplicated = account.duplicated_rows();
    data.report.duplicated_rows += duplicated;
    data.report.rows_read += report.rows_read;
    data.report.accepted += report.accepted;
    data.report.rejected += report.rejected;
    Ok(FileRead {
        report,
        later_sheets,
        ahead,
    })
}

fn next_batch(rows: &mut (dyn Iterator<Item = RowEvent> + Send)) -> Vec<RowEvent> {
    rows.take(BATCH_ROWS).collect()
}
