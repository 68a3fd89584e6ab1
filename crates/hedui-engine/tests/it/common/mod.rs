//! What several engine tests need: a world's files in a folder of the test's own.

#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

/// The committed demo world.
pub fn demo_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo")
}

/// A temporary folder holding a copy of the files (not subfolders) of `from`, for a test
/// that edits a world's inputs.
pub fn copy_of(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    dir
}
