//! What an output folder holds, for tests that compare two runs' folders file by file.
//! Panics when the folder cannot be read, as a test should.

use std::path::Path;

/// The names in `dir`, sorted.
pub fn entries(dir: &Path) -> Vec<String> {
    let read =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut names: Vec<String> = read
        .map(|e| {
            let entry = e.unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Every file under `dir`, as paths relative to it, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for name in entries(dir) {
        let path = dir.join(&name);
        if path.is_dir() {
            out.extend(files(&path).into_iter().map(|f| format!("{name}/{f}")));
        } else {
            out.push(name);
        }
    }
    out
}

/// `(relative path, bytes)` of every file under `dir`, sorted by path.
pub fn folder_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|name| {
            let path = dir.join(&name);
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            (name, bytes)
        })
        .collect()
}
