//! Errors that make a whole source unusable. Bad rows are not errors: they are rejects.

use std::path::PathBuf;

/// A source that cannot be read at all. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "cannot keep the rows' raw cells in the temporary folder {}: {source} \
         (set TMPDIR to a folder with room, or raw_cells = \"memory\" in the run configuration)",
        dir.display()
    )]
    CellStore {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: cannot read workbook: {message}", path.display())]
    Workbook { path: PathBuf, message: String },
    #[error("{}: sheet {sheet:?} not found; the workbook has: {available}", path.display())]
    SheetNotFound {
        path: PathBuf,
        sheet: String,
        available: String,
    },
    #[error("{}: cannot read parquet: {message}", path.display())]
    Parquet { path: PathBuf, message: String },
    #[error("{}: unknown encoding {name:?} (try utf-8, gb18030 or gbk)", path.display())]
    UnknownEncoding { path: PathBuf, name: String },
    #[error(
        "{}: no header row found in the first {searched} rows; expected headers such as {expected}",
        path.display()
    )]
    NoHeader {
        path: PathBuf,
        searched: usize,
        expected: String,
    },
    #[error(
        "{}{}: required column for `{field}` not found.\n  headers found: {found}\n  accepted names: {aliases}{suggestion}",
        path.display(),
        sheet.as_deref().map(|s| format!(" (sheet {s})")).unwrap_or_default()
    )]
    MissingColumn {
        path: PathBuf,
        sheet: Option<String>,
        field: String,
        found: String,
        aliases: String,
        /// `\n  nearest header: …` when a found header is close to an alias.
        suggestion: String,
    },
    #[error("{}: unsupported file type (expected .csv, .txt, .tsv, .xlsx, .xls or .parquet)", path.display())]
    UnsupportedFormat { path: PathBuf },
    #[error("source `{source_name}`: pattern {pattern:?} matched no files")]
    NoFiles {
        source_name: String,
        pattern: String,
    },
    #[error("source `{source_name}`: files disagree on columns: {} has {first:?} but {} has {other:?}", first_path.display(), other_path.display())]
    InconsistentFiles {
        source_name: String,
        first_path: PathBuf,
        first: Vec<String>,
        other_path: PathBuf,
        other: Vec<String>,
    },
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },
}

impl IngestError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
