//! The folder of a finished run, written and read. A `check` folder is written as a whole:
//! every file goes into a temporary sibling folder, which replaces the previous results
//! only once complete, so a killed run leaves the previous results intact. Single files
//! are written atomically. Masking is applied here, at the last step, for every file.

pub mod baseline;
mod compare;
mod files;
mod manifest;
mod read;
mod views;

use std::io::Write;
use std::path::{Path, PathBuf};

use hedui_ingest::{Reject, SourceReport};
use serde::Serialize;

pub(crate) use files::create_owner_only;
pub use files::{
    LinkTable, NameColumns, name_columns, write_atomically, write_json, write_links, write_rejects,
    write_rejects_masked,
};
pub use manifest::{
    CountsManifest, ExecutionManifest, InputManifest, Manifest, MatchingManifest, PolicyManifest,
};
pub use read::{LinkRow, WorksheetRow, read_evidence, read_links_of, read_worksheet};

use crate::{EvidenceError, EvidenceRecord, Masker};
use crate::{write_candidates_csv, write_changes_csv, write_evidence_jsonl};
use baseline::{Baseline, ChangesSummary};
pub use compare::Presence;
use compare::{Compared, compare};
use files::sibling;

/// Why a run's folder, or one of its files, could not be written or read back.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: EvidenceError,
    },
    /// A previous run's file that is not as hedui wrote it: the message says why.
    #[error("{}: {message}", path.display())]
    Previous { path: PathBuf, message: String },
}

impl OutputError {
    pub(crate) fn write(path: &Path, source: EvidenceError) -> Self {
        Self::Write {
            path: path.to_owned(),
            source,
        }
    }

    /// Whether hedui itself is at fault (a template, serialisation or workbook failure),
    /// rather than the machine (a full disk) or a previous run's files.
    pub fn is_bug(&self) -> bool {
        match self {
            Self::Write { source, .. } => match source {
                EvidenceError::Io(_) | EvidenceError::NotAsWritten(_) => false,
                EvidenceError::Csv(e) => !e.is_io_error(),
                EvidenceError::Json(_) | EvidenceError::Template(_) | EvidenceError::Xlsx(_) => {
                    true
                }
            },
            Self::Previous { .. } => false,
        }
    }
}

/// Everything a finished check writes, borrowed from the run. The manifest's `changes` is
/// filled in here, once the previous run has been compared with.
#[derive(Debug)]
pub struct CheckFolder<'a, C: Serialize + std::fmt::Debug> {
    pub links: LinkTable<'a>,
    pub reports: &'a [SourceReport],
    pub rejects: &'a [Reject],
    pub evidence: &'a [EvidenceRecord],
    pub manifest: Manifest<'a, C>,
    /// Report title and policy, and what the report must say before any count.
    pub report_title: String,
    pub caveats_zh: Vec<String>,
    /// What this run's inputs still hold, to tell `resolved` from `dropped`.
    pub present: Presence,
    /// The 关系保 chapter, when the run read a staff roster, register or registration
    /// export; it also writes `register_stale.csv`.
    pub relatives: Option<crate::RelativesChapter>,
}

/// The form of the audit report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReportStyle {
    /// `report/`: linked pages, each small enough to open at once at any scale.
    #[default]
    Folder,
    /// `report.html`: one self-contained file, for small runs.
    Single,
}

/// How a check's folder is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutputOptions {
    /// Names and identity numbers masked in every file.
    pub mask: bool,
    pub report: ReportStyle,
}

impl OutputOptions {
    /// The default outputs, masked.
    pub fn masked() -> Self {
        Self {
            mask: true,
            ..Self::default()
        }
    }
}

/// Writes every output of a check into `out_dir`, replacing a previous run only when the
/// new one is complete, and says what changed since `baseline` (`changes.csv`; without a
/// baseline every candidate is new).
pub fn write_check_folder<C: Serialize + Sync + std::fmt::Debug>(
    out_dir: &Path,
    mut folder: CheckFolder<'_, C>,
    options: OutputOptions,
    baseline: Option<&Baseline>,
) -> Result<ChangesSummary, OutputError> {
    // The outputs' time starts here, so the manifest counts the comparison too.
    let started = std::time::Instant::now();
    let (changes, summary) = compare(folder.evidence, baseline, &folder.present);
    folder.manifest.changes = Some(summary.clone());
    let tmp = sibling(out_dir, "tmp");
    recover_folder(out_dir)?;
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(err(&tmp))?;
    }
    std::fs::create_dir_all(&tmp).map_err(err(&tmp))?;
    // Owner-only from the start, so nothing written inside is ever reachable by others.
    files::restrict_to_owner(&tmp).map_err(err(&tmp))?;
    let compared = Compared {
        changes: &changes,
        summary: &summary,
    };
    let result = fill(&tmp, &mut folder, options, compared, started)
        .and_then(|()| files::restrict_to_owner(&tmp).map_err(err(&tmp)))
        .and_then(|()| swap(&tmp, out_dir));
    if result.is_err() {
        // A failed run leaves nothing of itself beside the output folder; the previous
        // results, if any, are still in place.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result.map(|()| summary)
}

/// Writes every output file into the temporary folder `tmp`.
/// The manifest goes last, so that its timings hold the writing of everything else.
fn fill<C: Serialize + Sync + std::fmt::Debug>(
    tmp: &Path,
    writing: &mut CheckFolder<'_, C>,
    options: OutputOptions,
    compared: Compared<'_>,
    started: std::time::Instant,
) -> Result<(), OutputError> {
    let folder: &CheckFolder<'_, C> = writing;
    let masker = Masker {
        enabled: options.mask,
    };
    let file = |name: &str| tmp.join(name);
    let create = |name: &str| -> Result<std::io::BufWriter<std::fs::File>, OutputError> {
        let path = file(name);
        std::fs::File::create(&path)
            .map(std::io::BufWriter::new)
            .map_err(err(&path))
    };
    let ev_err = |name: &str| {
        let path = file(name);
        move |source: EvidenceError| OutputError::Write { path, source }
    };

    let lap =
        |file: &str| tracing::debug!(file, seconds = started.elapsed().as_secs_f64(), "written");
    // Three independent groups of files, written side by side: links.csv alone is as long
    // as the rest together at prefecture scale. Each file is still written whole by one
    // task, so what lands on disk does not depend on the thread count.
    let links = || {
        write_links(&file("links.csv"), folder.links, masker)?;
        lap("links.csv");
        Ok::<(), OutputError>(())
    };
    let tables = || {
        let mut out = create("candidates.csv")?;
        write_candidates_csv(&mut out, folder.evidence, masker)
            .map_err(ev_err("candidates.csv"))?;
        out.flush().map_err(err(&file("candidates.csv")))?;
        let mut out = create("evidence.jsonl")?;
        write_evidence_jsonl(&mut out, folder.evidence, masker)
            .map_err(ev_err("evidence.jsonl"))?;
        out.flush().map_err(err(&file("evidence.jsonl")))?;
        let mut out = create("changes.csv")?;
        write_changes_csv(&mut out, compared.changes, masker).map_err(ev_err("changes.csv"))?;
        out.flush().map_err(err(&file("changes.csv")))?;
        let names = name_columns(folder.reports);
        write_rejects_masked(&file("rejects.csv"), folder.rejects, masker, &names)?;
        if let Some(chapter) = &folder.relatives {
            let mut out = create("register_stale.csv")?;
            crate::write_register_stale_csv(&mut out, &chapter.stale, masker)
                .map_err(ev_err("register_stale.csv"))?;
            out.flush().map_err(err(&file("register_stale.csv")))?;
        }
        lap("rejects.csv");
        Ok::<(), OutputError>(())
    };
    let views = || {
        let timings = views::write_views(tmp, folder, compared, masker, options.report)?;
        lap("views");
        Ok::<_, OutputError>(timings)
    };
    let (links, (tables, views)) = rayon::join(links, || rayon::join(tables, views));
    // The first error in file order is the one reported, whichever task finished first.
    let view_timings = links.and(tables).and(views)?;
    let manifest = &mut writing.manifest;
    manifest.timings.extend(view_timings);
    manifest
        .timings
        .push(("outputs", started.elapsed().as_secs_f64()));
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| OutputError::write(&file("manifest.json"), EvidenceError::Json(e)))?;
    std::fs::write(file("manifest.json"), json).map_err(err(&file("manifest.json")))
}

/// Puts back results that a run killed between the two renames of a swap left under the
/// hidden old name; without such a leftover it does nothing.
pub fn recover_folder(out_dir: &Path) -> Result<(), OutputError> {
    let old = sibling(out_dir, "old");
    if !out_dir.exists() && old.exists() {
        std::fs::rename(&old, out_dir).map_err(err(out_dir))?;
    }
    Ok(())
}

/// Makes the complete folder `new` take the name `out_dir`, replacing whatever had it.
/// Whatever moment the process dies, one whole version sits under `out_dir` or under its
/// hidden old name, where [`recover_folder`] finds it.
pub fn replace_folder(new: &Path, out_dir: &Path) -> Result<(), OutputError> {
    recover_folder(out_dir)?;
    swap(new, out_dir)
}

/// Swap: the old results move aside, the new ones take their name, the old ones go.
fn swap(tmp: &Path, out_dir: &Path) -> Result<(), OutputError> {
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
fn err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + use<> {
    let path = path.to_owned();
    move |source| OutputError::Write {
        path,
        source: EvidenceError::Io(source),
    }
}
