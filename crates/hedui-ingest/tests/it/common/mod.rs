//! Shared helpers: write small exports into a temporary folder and read them as a source.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;

use hedui_ingest::aliases::AliasTable;
use hedui_ingest::{SourceData, SourceKind, SourceSpec};

pub fn spec(kind: Option<SourceKind>, path: &str) -> SourceSpec {
    SourceSpec {
        kind,
        name: None,
        path: path.to_owned(),
        encoding: None,
        sheet: None,
        columns: Default::default(),
    }
}

/// Reads `spec` against `dir` and checks the accounting invariant every test relies on.
pub fn read(dir: &Path, spec: &SourceSpec) -> SourceData {
    let mut aliases = AliasTable::builtin().unwrap();
    aliases.extend(spec.table_kind(), &spec.columns).unwrap();
    let data = hedui_ingest::read_source(spec, dir, &aliases).unwrap();
    assert_accounting(&data);
    data
}

pub fn assert_accounting(data: &SourceData) {
    let r = &data.report;
    assert_eq!(
        r.rows_read,
        r.accepted + r.rejected,
        "rows read != accepted + rejected"
    );
    assert_eq!(r.rejected as usize, data.rejects.len());
    assert_eq!(r.accepted as usize, data.members.len() + data.assets.len());
    let per_file: u64 = r.files.iter().map(|f| f.rows_read).sum();
    assert_eq!(per_file, r.rows_read);
    let by_reason: u64 = r.rejected_by_reason.values().sum();
    assert_eq!(by_reason, r.rejected);
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

pub fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// `(line, reason code)` of every reject, in order.
pub fn reject_lines(data: &SourceData) -> Vec<(u64, &'static str)> {
    data.rejects
        .iter()
        .map(|r| (r.line, r.reason.code()))
        .collect()
}
