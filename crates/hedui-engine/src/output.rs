//! Writing output files so that a killed run leaves the previous results intact.

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
    write_rejects_masked(path, rejects, Masker { enabled: false })
}

/// `rejects.csv` with identity numbers in the raw text masked when asked.
pub fn write_rejects_masked(
    path: &Path,
    rejects: &[Reject],
    mask: Masker,
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
                &mask.text(&r.raw),
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
