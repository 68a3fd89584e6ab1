//! One export split over several sheets of a workbook, read through the public API.
#![allow(clippy::unwrap_used)] // a failed step of building the fixture should panic

use crate::common;

use common::{read, spec};
use hedui_ingest::SourceKind;
use rust_xlsxwriter::Workbook;
use sha2::{Digest, Sha256};

/// Every sheet's report and every record carry the file's own hash, found once for the
/// file, not per sheet.
#[test]
fn every_sheet_carries_the_files_hash() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = Workbook::new();
    for (year, plate) in [("2019年", "云G12345"), ("2020年", "云G23456")] {
        let sheet = book.add_worksheet().set_name(year).unwrap();
        for (col, header) in ["号牌号码", "机动车所有人"].iter().enumerate() {
            sheet.write_string(0, col as u16, *header).unwrap();
        }
        sheet.write_string(1, 0, plate).unwrap();
        sheet.write_string(1, 1, "张三").unwrap();
    }
    let path = dir.path().join("v.xlsx");
    book.save(&path).unwrap();
    let expected: String = Sha256::digest(std::fs::read(&path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "v.xlsx"));
    let sheets: Vec<(Option<&str>, &str)> = data
        .report
        .files
        .iter()
        .map(|f| (f.sheet.as_deref(), f.sha256.as_str()))
        .collect();
    assert_eq!(
        sheets,
        [
            (Some("2019年"), expected.as_str()),
            (Some("2020年"), expected.as_str())
        ]
    );
    assert_eq!(data.assets.len(), 2);
    for asset in &data.assets {
        assert_eq!(asset.provenance.file.sha256.as_str(), expected);
    }
}
