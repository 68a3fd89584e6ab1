//! How a run names its inputs: the `[recipients]` and `[[sources]]` tables of the run
//! configuration. The rest of the configuration belongs to the engine.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::aliases::TableKind;
use crate::error::IngestError;

/// The department kinds a `[[sources]]` entry can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Vehicle,
    Licence,
    Property,
    Staff,
    RelativesRegister,
    Hukou,
}

impl SourceKind {
    pub fn table_kind(self) -> TableKind {
        match self {
            Self::Vehicle => TableKind::Vehicle,
            Self::Licence => TableKind::Licence,
            Self::Property => TableKind::Property,
            Self::Staff => TableKind::Staff,
            Self::RelativesRegister => TableKind::RelativesRegister,
            Self::Hukou => TableKind::Hukou,
        }
    }

    pub fn department(self) -> hedui_core::Department {
        match self {
            Self::Vehicle => hedui_core::Department::Vehicle,
            Self::Licence => hedui_core::Department::Licence,
            Self::Property => hedui_core::Department::Property,
            Self::Staff => hedui_core::Department::Staff,
            Self::RelativesRegister => hedui_core::Department::Register,
            Self::Hukou => hedui_core::Department::Hukou,
        }
    }
}

/// One input table: where it is and, optionally, how to read it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// Absent for the recipients table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<SourceKind>,
    /// A name for reports; defaults to the kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A file or a glob; several files make one source. Relative to the config file.
    pub path: String,
    /// Overrides encoding detection for CSV (`utf-8`, `gb18030`, `gbk`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The one worksheet to read, for xlsx/xls; default: every sheet with the source's header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Extra header names per canonical field, tried before the built-in aliases.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, Vec<String>>,
}

impl SourceSpec {
    /// The table kind this spec reads.
    pub fn table_kind(&self) -> TableKind {
        self.kind
            .map_or(TableKind::Recipients, SourceKind::table_kind)
    }

    /// The name used in reports and provenance.
    pub fn display_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| self.table_kind().as_str().to_owned())
    }

    /// The files the path names, sorted so a run is deterministic. A pattern that matches
    /// nothing is an error: a nightly job must not pass silently on a missing export.
    pub fn resolve_files(&self, base: &Path) -> Result<Vec<PathBuf>, IngestError> {
        let joined = base.join(&self.path);
        let pattern = joined.to_string_lossy().into_owned();
        let no_files = || IngestError::NoFiles {
            source_name: self.display_name(),
            pattern: pattern.clone(),
        };
        if !self.path.contains(['*', '?', '[']) {
            return if joined.is_file() {
                Ok(vec![joined])
            } else {
                Err(no_files())
            };
        }
        let paths = glob::glob(&pattern).map_err(|e| IngestError::Config {
            path: joined.clone(),
            message: format!("bad glob pattern: {e}"),
        })?;
        let mut files: Vec<PathBuf> = paths
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        if files.is_empty() {
            Err(no_files())
        } else {
            Ok(files)
        }
    }
}
