//! Writing output files so that a killed run leaves the previous results intact.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use hedui_evidence::Masker;
use hedui_ingest::Reject;

use crate::error::EngineError;

/// Writes `path` by writing a temporary sibling and renaming it into place; the rename is
/// atomic on one filesystem, so readers see the old file or the new one, never half.
pub fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), EngineError> {
    let err = |source| EngineError::Output {
        path: path.to_owned(),
        source,
    };
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
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
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
pub fn write_rejects(path: &Path, rejects: &[Reject]) -> Result<(), EngineError> {
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
pub fn name_columns(reports: &[hedui_ingest::SourceReport]) -> NameColumns {
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
) -> Result<(), EngineError> {
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
