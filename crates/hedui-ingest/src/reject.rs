//! Quarantined rows: every row that is not accepted is kept here with its reason.

use serde::Serialize;

/// Why a row was not accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RejectReason {
    /// Every cell empty.
    EmptyRow,
    /// A totals line below the table (`合计`, `总计`).
    Footer,
    /// The header again below itself, where exports were joined one after another.
    RepeatedHeader,
    /// The row has a different number of fields than the header.
    FieldCount { found: usize, expected: usize },
    /// The bytes could not be read as a row (broken quoting, undecodable text).
    Unreadable { message: String },
    /// An exact copy of an earlier row; the first copy is accepted.
    Duplicate { first_line: u64 },
    /// A required value is empty.
    MissingValue { field: String },
    /// A value is present but cannot be parsed.
    BadValue { field: String, message: String },
}

impl RejectReason {
    /// A short stable code for grouping in summaries.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptyRow => "empty_row",
            Self::Footer => "footer",
            Self::RepeatedHeader => "repeated_header",
            Self::FieldCount { .. } => "field_count",
            Self::Unreadable { .. } => "unreadable",
            Self::Duplicate { .. } => "duplicate",
            Self::MissingValue { .. } => "missing_value",
            Self::BadValue { .. } => "bad_value",
        }
    }

    /// The column the reason concerns, if any.
    pub fn column(&self) -> Option<&str> {
        match self {
            Self::MissingValue { field } | Self::BadValue { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl std::fmt::Display for RejectReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::EmptyRow => write!(f, "empty row"),
            Self::Footer => write!(f, "totals footer below the table"),
            Self::RepeatedHeader => write!(f, "the header row again (exports joined together)"),
            Self::FieldCount { found, expected } => {
                write!(f, "found {found} fields, expected {expected}")
            }
            Self::Unreadable { message } => write!(f, "unreadable row: {message}"),
            Self::Duplicate { first_line } => write!(f, "exact duplicate of line {first_line}"),
            Self::MissingValue { field } => write!(f, "required field {field} is empty"),
            Self::BadValue { field, message } => write!(f, "field {field}: {message}"),
        }
    }
}

/// One quarantined row, as written to `rejects.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reject {
    pub source: String,
    pub file: String,
    pub sheet: Option<String>,
    pub line: u64,
    pub reason: RejectReason,
    /// The row's cells joined as found, so a person can recognise it without the file.
    pub raw: String,
}
