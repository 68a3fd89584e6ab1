//! The run a check is compared with, so the nightly job can say what changed: by default
//! the previous results in the output folder (which the new run is about to replace), or
//! another run's folder given with `--since`.

use std::path::{Path, PathBuf};

use crate::{ChangeCounts, PreviousCandidate, read_candidates_csv};
use serde::Serialize;

use super::OutputError;

/// A previous run's candidates and what its manifest says about it.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub dir: PathBuf,
    pub facts: BaselineFacts,
    pub candidates: Vec<PreviousCandidate>,
    /// Why the previous results in `dir` could not be read; nothing is compared then.
    pub problem: Option<String>,
}

/// What is known of the previous run. Each field is empty when its manifest lacks it (or is
/// missing): the candidates alone are enough to compare.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BaselineFacts {
    pub run_id: Option<String>,
    pub generated_at: Option<String>,
    pub check_date: Option<String>,
    pub policy_version: Option<String>,
}

/// `manifest.json`'s `changes`: against which run, and how many of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChangesSummary {
    /// The previous run's folder; empty when there was none, and every candidate is new.
    pub since: Option<String>,
    pub previous: BaselineFacts,
    pub counts: ChangeCounts,
    /// Set when the previous results were there but unreadable: nothing was compared, and
    /// the counts are all zero rather than every lead "new".
    pub not_compared: Option<String>,
}

impl Baseline {
    /// The run whose results are in `dir`, or `None` when `dir` holds no `candidates.csv`.
    pub fn load(dir: &Path) -> Result<Option<Baseline>, OutputError> {
        let path = dir.join("candidates.csv");
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(unreadable(&path, e.to_string())),
        };
        let candidates = read_candidates_csv(std::io::BufReader::new(file))
            .map_err(|e| unreadable(&path, e.to_string()))?;
        let (facts, counted) = facts_of(&dir.join("manifest.json"));
        if let Some(counted) = counted.filter(|&n| n != candidates.len()) {
            return Err(unreadable(
                &path,
                format!(
                    "it holds {} candidates but its run's manifest.json counted {counted}; \
                     the file was cut short or edited",
                    candidates.len()
                ),
            ));
        }
        Ok(Some(Baseline {
            dir: dir.to_owned(),
            facts,
            candidates,
            problem: None,
        }))
    }

    /// Previous results in `dir` that exist but cannot be compared with, for `reason`.
    pub fn unreadable(dir: &Path, reason: String) -> Baseline {
        Baseline {
            dir: dir.to_owned(),
            facts: BaselineFacts::default(),
            candidates: Vec::new(),
            problem: Some(reason),
        }
    }

    /// The previous results of the output folder `out_dir`, if it holds any — also when a
    /// run was killed between the two renames of its swap and they wait under the old name.
    /// Unreadable previous results are an error here; the nightly caller reports it and
    /// writes the new run without a comparison rather than calling everything "new".
    pub fn previous_in(out_dir: &Path) -> Result<Option<Baseline>, OutputError> {
        let aside = super::files::sibling(out_dir, "old");
        let dir = if !out_dir.exists() && aside.exists() {
            aside
        } else {
            out_dir.to_owned()
        };
        Baseline::load(&dir)
    }
}

fn unreadable(path: &Path, message: String) -> OutputError {
    OutputError::Previous {
        path: path.to_owned(),
        message: format!("cannot read the previous run's candidates to compare with: {message}"),
    }
}

/// Run id, time, check date and policy version from a manifest, and how many candidates it
/// counted; leniently: an older manifest, or none, must not stop a comparison that only
/// needs the candidates.
fn facts_of(manifest: &Path) -> (BaselineFacts, Option<usize>) {
    let Ok(text) = std::fs::read_to_string(manifest) else {
        return (BaselineFacts::default(), None);
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return (BaselineFacts::default(), None);
    };
    let text_at = |pointer: &str| {
        json.pointer(pointer)
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let counted = json
        .pointer("/counts/candidates")
        .and_then(serde_json::Value::as_u64)
        .and_then(|n| usize::try_from(n).ok());
    let facts = BaselineFacts {
        run_id: text_at("/run_id"),
        generated_at: text_at("/generated_at"),
        check_date: text_at("/check_date"),
        policy_version: text_at("/policy/version"),
    };
    (facts, counted)
}
