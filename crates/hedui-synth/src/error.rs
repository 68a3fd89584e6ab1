//! Errors of the generator. User mistakes (a bad rates file, an unwritable directory) are
//! kept apart from internal failures so the CLI can choose its exit code.

use std::path::PathBuf;

/// Why a generation run failed.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// A file or directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A rates file did not parse or had an unknown key (the message names it).
    #[error("rates {origin}: {message}")]
    RatesFile {
        /// File name, or `--rate` for command-line overrides.
        origin: String,
        /// Parser message.
        message: String,
    },
    /// `--rate KEY=VALUE` named a key that no rates struct has.
    #[error("unknown rate {0:?}")]
    UnknownRate(String),
    /// A rate was not a number or out of range.
    #[error("rate {key:?}: {reason}")]
    InvalidRate {
        /// The rate name.
        key: String,
        /// What is wrong with the value.
        reason: String,
    },
    /// The configuration cannot be generated (e.g. zero households).
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    /// The xlsx writer failed.
    #[error("writing property.xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// A bug: an invariant of the generator did not hold.
    #[error("internal error: {0}")]
    Internal(String),
}

impl SynthError {
    /// Whether the error comes from the user's input or environment rather than a bug.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, Self::Internal(_))
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}
