//! The run configuration: one TOML file describing one run.
//!
//! Relative paths resolve against the file's folder, so a configuration and its data can
//! move together. Unknown keys are errors that name the key: a misspelt `encodng` must not
//! be silently ignored by a nightly job.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use hedui_ingest::aliases::AliasTable;
use hedui_ingest::{SourceSpec, TableKind};
use hedui_match::{MatchConfig, Partitioning};
use serde::Deserialize;

use crate::error::EngineError;

/// A parsed, checked run configuration.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The configuration file, as given.
    pub path: PathBuf,
    /// The folder relative paths resolve against.
    pub base: PathBuf,
    /// The date on which assets are judged active or not.
    pub check_date: NaiveDate,
    /// The policy file, resolved; used by `hedui check`.
    pub policy: Option<PathBuf>,
    /// The case store (`store = "hedui.db"`), resolved: runs, cases and reviewers'
    /// decisions. Without one, a check keeps no memory between runs.
    pub store: Option<PathBuf>,
    pub recipients: SourceSpec,
    pub sources: Vec<SourceSpec>,
    /// Thresholds and parameters of the matcher (`[matching]`).
    pub matching: MatchConfig,
    /// How matching splits the owners (`partition = "county"`, or `--partition`): memory
    /// against time, never the result. Kept out of the run id and the settings for that
    /// reason.
    pub partition: Partitioning,
    /// Where the rows' cells as read are kept until evidence is written
    /// (`raw_cells = "disk"`, the default, or `"memory"`): memory against a temporary
    /// file, never the result.
    pub raw_cells: RawCells,
    /// Go on when a needed field is unmapped but a column resembles it (`--allow-degraded`).
    /// Not a file key: it is a decision for one run, made by the person running it.
    pub allow_degraded: bool,
}

/// Where a run keeps its rows' raw cells, which only evidence reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawCells {
    /// In an unnamed, owner-only file in the temporary folder (`TMPDIR`), read back for
    /// the rows that reach evidence: a seventh less memory.
    #[default]
    Disk,
    /// Held with the rows, for a machine where no temporary file may be written.
    Memory,
}

impl RawCells {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disk => "disk",
            Self::Memory => "memory",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    check_date: String,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    store: Option<String>,
    #[serde(default)]
    partition: Partitioning,
    #[serde(default)]
    raw_cells: RawCells,
    recipients: SourceSpec,
    #[serde(default)]
    sources: Vec<SourceSpec>,
    #[serde(default)]
    matching: MatchConfig,
}

impl RunConfig {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Self, EngineError> {
        let text = std::fs::read_to_string(path).map_err(|e| config_error(path, e.to_string()))?;
        Self::from_toml(path, &text)
    }

    /// Parses configuration text as if read from `path`.
    pub fn from_toml(path: &Path, text: &str) -> Result<Self, EngineError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| config_error(path, e.to_string()))?;
        let check_date = hedui_core::date::parse_date(&raw.check_date)
            .map_err(|e| config_error(path, format!("check_date: {e}")))?;
        if raw.recipients.kind.is_some() {
            return Err(config_error(
                path,
                "[recipients] takes no `kind`: it is the roster".into(),
            ));
        }
        if let Some(i) = raw.sources.iter().position(|s| s.kind.is_none()) {
            return Err(config_error(
                path,
                format!(
                    "[[sources]] entry {} needs `kind` = \"vehicle\", \"licence\" or \"property\"",
                    i + 1
                ),
            ));
        }
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let config = Self {
            path: path.to_owned(),
            policy: raw.policy.map(|p| base.join(p)),
            store: raw.store.map(|p| base.join(p)),
            base,
            check_date,
            recipients: raw.recipients,
            sources: raw.sources,
            matching: raw.matching,
            partition: raw.partition,
            raw_cells: raw.raw_cells,
            allow_degraded: false,
        };
        config
            .matching
            .check()
            .map_err(|e| config_error(path, e.to_string()))?;
        // Fail on a bad column override now, before any file is read.
        for spec in config.all_sources() {
            config.aliases_for(spec)?;
        }
        Ok(config)
    }

    /// The recipients first, then the department sources in configuration order.
    pub fn all_sources(&self) -> impl Iterator<Item = &SourceSpec> {
        std::iter::once(&self.recipients).chain(&self.sources)
    }

    /// The built-in aliases extended with a source's own `columns`.
    pub fn aliases_for(&self, spec: &SourceSpec) -> Result<AliasTable, EngineError> {
        let mut table = AliasTable::builtin().map_err(|e| EngineError::Internal(e.to_string()))?;
        let kind: TableKind = spec.table_kind();
        table.extend(kind, &spec.columns).map_err(|e| {
            config_error(&self.path, format!("source `{}`: {e}", spec.display_name()))
        })?;
        Ok(table)
    }
}

fn config_error(path: &Path, message: String) -> EngineError {
    EngineError::Config {
        path: path.to_owned(),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
check_date = "2026-06-30"
policy = "policy.toml"

[recipients]
path = "recipients.csv"

[[sources]]
kind = "vehicle"
path = "vehicles*.csv"
"#;

    #[test]
    fn minimal_config_resolves_paths_against_its_folder() {
        let c = RunConfig::from_toml(Path::new("conf/hedui.toml"), MINIMAL).unwrap();
        assert_eq!(c.check_date, NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
        assert_eq!(c.policy, Some(PathBuf::from("conf/policy.toml")));
        assert_eq!(c.base, PathBuf::from("conf"));
        assert_eq!(c.sources.len(), 1);
        assert_eq!(c.partition, Partitioning::None);
        assert_eq!(c.raw_cells, RawCells::Disk);
    }

    #[test]
    fn raw_cells_are_read_and_a_wrong_value_named() {
        let c = RunConfig::from_toml(
            Path::new("h.toml"),
            &format!("raw_cells = \"memory\"\n{MINIMAL}"),
        )
        .unwrap();
        assert_eq!(c.raw_cells, RawCells::Memory);
        let err = RunConfig::from_toml(
            Path::new("h.toml"),
            &format!("raw_cells = \"ram\"\n{MINIMAL}"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("raw_cells") || err.contains("disk"), "{err}");
    }

    #[test]
    fn partition_is_read_and_a_wrong_value_named() {
        let c = RunConfig::from_toml(
            Path::new("h.toml"),
            &format!("partition = \"county\"\n{MINIMAL}"),
        )
        .unwrap();
        assert_eq!(c.partition, Partitioning::County);
        let err = RunConfig::from_toml(
            Path::new("h.toml"),
            &format!("partition = \"town\"\n{MINIMAL}"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("partition") && err.contains("county"), "{err}");
    }

    #[test]
    fn unknown_keys_are_named() {
        let text = MINIMAL.replace(
            "path = \"vehicles*.csv\"",
            "path = \"v.csv\"\nencodng = \"gbk\"",
        );
        let err = RunConfig::from_toml(Path::new("h.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("encodng"), "{err}");
        let err = RunConfig::from_toml(Path::new("h.toml"), &format!("colour = 1\n{MINIMAL}"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn bad_column_override_and_missing_kind_are_errors() {
        let text = format!("{MINIMAL}[sources.columns]\nowner = [\"车主姓名\"]\n");
        let err = RunConfig::from_toml(Path::new("h.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`owner` is not a field of vehicle"), "{err}");
        let text = MINIMAL.replace("kind = \"vehicle\"\n", "");
        let err = RunConfig::from_toml(Path::new("h.toml"), &text)
            .unwrap_err()
            .to_string();
        assert!(err.contains("needs `kind`"), "{err}");
    }
}
