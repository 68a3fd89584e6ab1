//! Single files: written whole or not at all, masked where they hold personal data.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use hedui_core::record::{AssetRecord, Member};
use hedui_ingest::Reject;
use hedui_ingest::SourceReport;
use hedui_match::Link;
use rayon::prelude::*;

use super::OutputError;
use crate::{EvidenceError, Masker};

/// Writes `path` by writing a temporary sibling and renaming it into place; the rename is
/// atomic on one filesystem, so readers see the old file or the new one, never half.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let err = |source: std::io::Error| OutputError::write(path, EvidenceError::Io(source));
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(err)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::io::BufWriter::new(create_owner_only(&tmp)?);
        fill(&mut file)?;
        file.into_inner()
            .map_err(std::io::IntoInnerError::into_error)?
            .sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// `rejects.csv`: one row per quarantined row, with where it was and why.
pub fn write_rejects(path: &Path, rejects: &[Reject]) -> Result<(), OutputError> {
    write_rejects_masked(
        path,
        rejects,
        Masker { enabled: false },
        &NameColumns::new(),
    )
}

/// Per input file: the delimiter its raw rows were joined with and the columns that hold
/// personal names, so a masked rejects file can hide names as well as numbers.
pub type NameColumns = HashMap<String, (char, Vec<usize>)>;

/// Builds [`NameColumns`] from the ingest reports' header mappings.
pub fn name_columns(reports: &[SourceReport]) -> NameColumns {
    const NAME_FIELDS: [&str; 5] = [
        "owner_name",
        "owner_names",
        "operator_name",
        "member_name",
        "head_name",
    ];
    let mut out = NameColumns::new();
    for file in reports.iter().flat_map(|r| &r.files) {
        let columns = file
            .mapping
            .iter()
            .enumerate()
            .filter(|(_, (_, f))| f.is_some_and(|f| NAME_FIELDS.contains(&f)))
            .map(|(i, _)| i)
            .collect();
        out.insert(file.path.clone(), (file.delimiter.unwrap_or(','), columns));
    }
    out
}

fn mask_reject_raw(r: &Reject, mask: Masker, names: &NameColumns) -> String {
    if !mask.enabled {
        return r.raw.clone();
    }
    let raw = match names.get(&r.file) {
        Some((delimiter, columns)) if !columns.is_empty() => r
            .raw
            .split(*delimiter)
            .enumerate()
            .map(|(i, cell)| {
                if columns.contains(&i) {
                    mask.names_in(cell)
                } else {
                    cell.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(&delimiter.to_string()),
        _ => r.raw.clone(),
    };
    mask.text(&raw)
}

/// `rejects.csv` with identity numbers in the raw text masked when asked.
pub fn write_rejects_masked(
    path: &Path,
    rejects: &[Reject],
    mask: Masker,
    names: &NameColumns,
) -> Result<(), OutputError> {
    write_atomically(path, |out| {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "source", "file", "sheet", "line", "column", "reason", "detail", "raw",
        ])?;
        for r in rejects {
            w.write_record([
                r.source.as_str(),
                r.file.as_str(),
                r.sheet.as_deref().unwrap_or(""),
                &r.line.to_string(),
                r.reason.column().unwrap_or(""),
                r.reason.code(),
                &r.reason.to_string(),
                &mask_reject_raw(r, mask, names),
            ])?;
        }
        w.flush()
    })
}

/// What `links.csv` is written from: the links and the rows their indices point into.
#[derive(Debug, Clone, Copy)]
pub struct LinkTable<'a> {
    pub links: &'a [Link],
    pub members: &'a [Member],
    pub assets: &'a [AssetRecord],
}

/// `links.csv`: one row per owner–member pair in the link or review band, with identity
/// numbers and names masked when asked.
pub fn write_links(path: &Path, table: LinkTable<'_>, mask: Masker) -> Result<(), OutputError> {
    let LinkTable {
        links,
        members,
        assets,
    } = table;
    write_atomically(path, |out| {
        let mut w = csv::Writer::from_writer(out);
        w.write_record([
            "department",
            "record_key",
            "household_id",
            "member_id",
            "score",
            "band",
            "probability",
            "owner_position",
            "owner_name",
            "member_name",
            "file",
            "sheet",
            "line",
            "rules",
            "note",
            "waterfall",
        ])?;
        w.flush()?;
        let out = w.into_inner().map_err(|e| e.into_error())?;
        // Rows are formatted in parallel batches and written in order: formatting is most of
        // the cost, and a bounded batch keeps memory flat however many links there are.
        for batch in links.chunks(1 << 16) {
            let parts: Vec<Vec<u8>> = batch
                .par_chunks(1 << 11)
                .map(|links| link_rows(links, members, assets, mask))
                .collect::<Result<_, _>>()?;
            for part in parts {
                out.write_all(&part)?;
            }
        }
        Ok(())
    })
}

/// `name.json`, pretty, written atomically.
pub fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<(), OutputError> {
    let json = serde_json::to_string_pretty(value)
        .map_err(|e| OutputError::write(path, EvidenceError::Json(e)))?;
    write_atomically(path, |w| w.write_all(json.as_bytes()))
}

/// The CSV rows of some links, without header.
fn link_rows(
    links: &[Link],
    members: &[Member],
    assets: &[AssetRecord],
    mask: Masker,
) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for link in links {
        let (a, m) = (&assets[link.record], &members[link.member]);
        let owner = &a.owners[link.owner];
        w.write_record([
            a.department().as_str(),
            &mask.record_key(a.department().as_str(), &a.record_key),
            &m.household_id,
            &mask.id(m.id.raw()),
            &format!("{:.3}", link.weight),
            link.band.as_str(),
            &format!("{:.6}", link.probability),
            &link.owner.to_string(),
            &mask.names_in(owner.name_raw()),
            &mask.name(m.name_raw()),
            &a.provenance.file.path,
            a.provenance.sheet().unwrap_or(""),
            &a.provenance.line.to_string(),
            &link.rules.join("+"),
            link.note.as_deref().unwrap_or(""),
            &waterfall_text(&link.waterfall),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error())
}

/// `prior -14.2; id exact +21.3; name homophone +9.1; …`: the waterfall in one cell, so a
/// spreadsheet user sees why without opening the evidence file.
fn waterfall_text(w: &hedui_match::Waterfall) -> String {
    let mut parts = vec![format!("prior {:+.1}", w.prior)];
    parts.extend(
        w.steps
            .iter()
            .filter(|s| s.weight() != 0.0)
            .map(|s| format!("{} {} {:+.1}", s.field(), s.level(), s.weight())),
    );
    parts.join("; ")
}

/// A folder's hidden sibling (`.out.tmp`, `.out.old`) for building and swapping a run.
pub(crate) fn sibling(dir: &Path, tag: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Fixed names (no process id), so the next run finds and cleans up what a killed run
    // left, and can restore results a kill left moved aside.
    parent.join(format!(".{name}.{tag}"))
}

/// Creates (or truncates) a file only its owner can read: every output names people.
pub(crate) fn create_owner_only(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Makes a folder and everything in it owner-only (0700 and 0600), for files a library
/// wrote with its own defaults (the workbook) and the report's subfolders.
pub(crate) fn restrict_to_owner(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                restrict_to_owner(&entry.path())?;
            } else if kind.is_file() {
                std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_keeps_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();
        let failed = write_atomically(&path, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("killed"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary file left behind"
        );
        write_atomically(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }
}
