//! Errors of a run. Each says whether it is the user's data or configuration (fixable by
//! the person running hedui) or a bug in hedui, because the CLI's exit code depends on it.

use std::path::PathBuf;

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },
    /// Boxed: source errors carry the headers found and the names accepted, which would make
    /// every `Result` in the engine large.
    #[error(transparent)]
    Ingest(Box<hedui_ingest::IngestError>),
    /// A file of the run could not be written, or a previous run's could not be read.
    #[error(transparent)]
    Output(#[from] hedui_evidence::folder::OutputError),
    /// A column a rule needs resembles an unmapped header; the message names the file, the
    /// column and the configuration line that would map it.
    #[error("{0}")]
    Degraded(String),
    /// The case store could not be opened, read or written.
    #[error(transparent)]
    Store(#[from] hedui_store::StoreError),
    /// The policy file is unusable; the message names the file and key.
    #[error(transparent)]
    Policy(#[from] hedui_policy::PolicyError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl EngineError {
    /// True when the person running hedui can fix the cause (configuration, data, paths);
    /// false for hedui's own bugs.
    pub fn is_user_error(&self) -> bool {
        match self {
            Self::Internal(_) => false,
            Self::Output(e) => !e.is_bug(),
            _ => true,
        }
    }
}

impl From<hedui_ingest::IngestError> for EngineError {
    fn from(error: hedui_ingest::IngestError) -> Self {
        Self::Ingest(Box::new(error))
    }
}
