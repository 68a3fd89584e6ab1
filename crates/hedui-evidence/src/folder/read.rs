//! Reading a finished run's folder back: what `hedui explain` shows, and what a case store
//! or the nightly service needs of a run without running it again.

use std::path::Path;

use serde::Deserialize;

use super::OutputError;
use crate::EvidenceRecord;

/// Every candidate's evidence trail from the run's `evidence.jsonl`, in file order.
pub fn read_evidence(run: &Path) -> Result<Vec<EvidenceRecord>, OutputError> {
    let path = run.join("evidence.jsonl");
    let previous = |message: String| OutputError::Previous {
        path: path.clone(),
        message,
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| previous(format!("{e} (is this the output folder of `hedui check`?)")))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| previous(format!("line {}: {e}", i + 1)))
        })
        .collect()
}

/// One row of `links.csv`, as written (masked when the run was).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LinkRow {
    pub department: String,
    pub record_key: String,
    pub household_id: String,
    pub member_id: String,
    pub score: String,
    pub band: String,
    pub probability: String,
    pub owner_position: String,
    pub owner_name: String,
    pub member_name: String,
    pub file: String,
    pub sheet: String,
    pub line: String,
    pub rules: String,
    pub note: String,
    /// `prior -14.2; id exact +21.3; …`
    pub waterfall: String,
}

/// The rows of the run's `links.csv` whose household id or record key is one of `keys`.
/// The file is streamed: a prefecture's has millions of rows.
pub fn read_links_of(run: &Path, keys: &[&str]) -> Result<Vec<LinkRow>, OutputError> {
    let path = run.join("links.csv");
    let previous = |e: &dyn std::fmt::Display| OutputError::Previous {
        path: path.clone(),
        message: e.to_string(),
    };
    let mut reader = csv::Reader::from_path(&path).map_err(|e| previous(&e))?;
    let mut out = Vec::new();
    for row in reader.deserialize::<LinkRow>() {
        let row = row.map_err(|e| previous(&e))?;
        if keys.contains(&row.household_id.as_str()) || keys.contains(&row.record_key.as_str()) {
            out.push(row);
        }
    }
    Ok(out)
}
