//! Reads recipient rosters and department exports as they really come, and turns them into
//! canonical records with provenance.
//!
//! **Every row that is read is either accepted or rejected with a reason.** The
//! [`SourceReport`] of every source satisfies `rows_read == accepted + rejected`.

// `IngestError` is large because it carries what a person needs to fix a source (headers
// found, accepted names); it is returned once per source, never per row.
#![allow(clippy::result_large_err)]

pub mod aliases;
mod cells;
pub mod config;
mod csv_reader;
mod decode;
mod error;
mod excel_reader;
mod field_id;
mod hashing;
mod mapping;
mod parquet_reader;
mod parse;
mod pipeline;
pub mod reject;
pub mod resemble;
mod source;
pub mod table;

pub use aliases::{AliasTable, Field, TableKind};
pub use cells::CellStore;
pub use config::{SourceKind, SourceSpec};
pub use error::IngestError;
pub use parse::{reading_done, single_run};
pub use reject::{Reject, RejectReason};
pub use source::{
    FileReport, SharedId, SourceData, SourceReport, read_source, read_source_keeping,
};
