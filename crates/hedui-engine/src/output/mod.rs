//! Everything a run writes. A `check` folder is written as a whole: every file goes into a
//! temporary sibling folder, which replaces the previous results only once complete, so a
//! killed run leaves the previous results intact. Single files are written atomically.

pub mod baseline;
mod compare;
mod files;
mod manifest;
mod views;

use std::io::Write;
use std::path::Path;

use hedui_evidence::{Masker, write_candidates_csv, write_changes_csv, write_evidence_jsonl};

pub use files::{
    NameColumns, name_columns, write_atomically, write_link_outputs, write_links,
    write_links_masked, write_rejects, write_rejects_masked,
};
pub use manifest::{CountsManifest, InputManifest, Manifest, MatchingManifest, PolicyManifest};

use crate::check::CheckRun;
use crate::config::RunConfig;
use crate::error::EngineError;
use baseline::{Baseline, ChangesSummary};
use compare::{Compared, compare};
use files::sibling;
use manifest::manifest;

/// Writes every output of a check into `out_dir`, replacing a previous run only when the
/// new one is complete, and says what changed since `baseline` (`changes.csv`; without a
/// baseline every candidate is new).
pub fn write_check_outputs(
    out_dir: &Path,
    run: &CheckRun,
    config: &RunConfig,
    mask: bool,
    baseline: Option<&Baseline>,
) -> Result<ChangesSummary, EngineError> {
    write_all(out_dir, run, config, mask, baseline)
}

/// Writes every output into a fresh temporary folder beside `out_dir`, then swaps it in.
/// Returns what changed since `baseline`.
fn write_all(
    out_dir: &Path,
    run: &CheckRun,
    config: &RunConfig,
    mask: bool,
    baseline: Option<&Baseline>,
) -> Result<ChangesSummary, EngineError> {
    let (changes, summary) = compare(run, baseline);
    let tmp = sibling(out_dir, "tmp");
    let old = sibling(out_dir, "old");
    if !out_dir.exists() && old.exists() {
        // A run killed between the two renames of a swap: its predecessor's results are
        // whole under the old name; put them back before anything else.
        std::fs::rename(&old, out_dir).map_err(err(out_dir))?;
    }
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(err(&tmp))?;
    }
    std::fs::create_dir_all(&tmp).map_err(err(&tmp))?;
    let compared = Compared {
        changes: &changes,
        summary: &summary,
    };
    let result = fill(&tmp, run, config, mask, compared).and_then(|()| swap(&tmp, out_dir));
    if result.is_err() {
        // A failed run leaves nothing of itself beside the output folder; the previous
        // results, if any, are still in place.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result.map(|()| summary)
}

/// Writes every output file into the temporary folder `tmp`.
fn fill(
    tmp: &Path,
    run: &CheckRun,
    config: &RunConfig,
    mask: bool,
    compared: Compared<'_>,
) -> Result<(), EngineError> {
    let masker = Masker { enabled: mask };
    let file = |name: &str| tmp.join(name);
    let create = |name: &str| -> Result<std::io::BufWriter<std::fs::File>, EngineError> {
        let path = file(name);
        std::fs::File::create(&path)
            .map(std::io::BufWriter::new)
            .map_err(err(&path))
    };
    let ev_err = |name: &str| {
        let path = file(name);
        move |source: hedui_evidence::EvidenceError| EngineError::View { path, source }
    };

    let started = std::time::Instant::now();
    let lap =
        |file: &str| tracing::debug!(file, seconds = started.elapsed().as_secs_f64(), "written");
    // Three independent groups of files, written side by side: links.csv alone is as long
    // as the rest together at prefecture scale. Each file is still written whole by one
    // task, so what lands on disk does not depend on the thread count.
    let links = || {
        write_links_masked(&file("links.csv"), &run.linked, masker)?;
        lap("links.csv");
        Ok::<(), EngineError>(())
    };
    let tables = || {
        let mut out = create("candidates.csv")?;
        write_candidates_csv(&mut out, &run.evidence, masker).map_err(ev_err("candidates.csv"))?;
        out.flush().map_err(err(&file("candidates.csv")))?;
        let mut out = create("evidence.jsonl")?;
        write_evidence_jsonl(&mut out, &run.evidence, masker).map_err(ev_err("evidence.jsonl"))?;
        out.flush().map_err(err(&file("evidence.jsonl")))?;
        let mut out = create("changes.csv")?;
        write_changes_csv(&mut out, compared.changes, masker).map_err(ev_err("changes.csv"))?;
        out.flush().map_err(err(&file("changes.csv")))?;
        let names = name_columns(&run.linked.ingested.reports);
        write_rejects_masked(
            &file("rejects.csv"),
            &run.linked.ingested.rejects,
            masker,
            &names,
        )?;
        lap("rejects.csv");
        Ok::<(), EngineError>(())
    };
    let views = || {
        let manifest = manifest(run, config, mask, compared.summary);
        let json = serde_json::to_string_pretty(&manifest)
            .map_err(|e| EngineError::Internal(e.to_string()))?;
        std::fs::write(file("manifest.json"), json).map_err(err(&file("manifest.json")))?;
        views::write_views(tmp, run, &manifest, compared, masker)?;
        lap("views");
        Ok::<(), EngineError>(())
    };
    let (links, (tables, views)) = rayon::join(links, || rayon::join(tables, views));
    // The first error in file order is the one reported, whichever task finished first.
    links.and(tables).and(views)
}

/// Swap: the old results move aside, the new ones take their name, the old ones go.
fn swap(tmp: &Path, out_dir: &Path) -> Result<(), EngineError> {
    let old = sibling(out_dir, "old");
    if out_dir.exists() {
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(err(&old))?;
        }
        std::fs::rename(out_dir, &old).map_err(err(out_dir))?;
    }
    if let Err(e) = std::fs::rename(tmp, out_dir) {
        // Put the previous results back under their name.
        if old.exists() {
            let _ = std::fs::rename(&old, out_dir);
        }
        return Err(err(out_dir)(e));
    }
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(err(&old))?;
    }
    Ok(())
}

/// Maps an I/O error on `path` to an output error naming it.
fn err(path: &Path) -> impl FnOnce(std::io::Error) -> EngineError + use<> {
    let path = path.to_owned();
    move |source| EngineError::Output { path, source }
}
