//! A row's cells come back exactly as packed, and paired with their file's headers.

use std::sync::Arc;

use hedui_core::record::{FileHash, Provenance, RawRow, SourceFile};
use proptest::prelude::*;

fn from_file(headers: Vec<String>) -> Provenance {
    Provenance {
        file: Arc::new(SourceFile {
            source: "vehicle".into(),
            path: "v.csv".into(),
            sha256: FileHash::known("0".repeat(64)),
            encoding: None,
            sheet: None,
            headers: Arc::from(headers),
        }),
        line: 2,
    }
}

proptest! {
    #[test]
    fn packed_cells_come_back_as_written(cells in prop::collection::vec(".{0,12}", 0..16)) {
        let row = RawRow::new(&cells);
        let values: Vec<&str> = row.values().collect();
        prop_assert_eq!(&values, &cells);
        let headers: Vec<String> = (0..cells.len()).map(|i| format!("列{i}")).collect();
        let provenance = from_file(headers.clone());
        let pairs: Vec<(&str, &str)> = provenance.pairs(&row).collect();
        prop_assert_eq!(pairs.len(), cells.len());
        for ((header, value), (expected_header, cell)) in pairs.iter().zip(headers.iter().zip(&cells)) {
            prop_assert_eq!(*header, expected_header.as_str());
            prop_assert_eq!(*value, cell.as_str());
        }
        prop_assert_eq!(row.clone(), row);
    }
}

#[test]
fn rows_with_other_cells_differ() {
    let one = RawRow::new(&["云G12345", "张三"]);
    // The same text cut at another place is another row.
    let other = RawRow::new(&["云G1234", "5张三"]);
    assert_ne!(one, other);
    assert_eq!(format!("{one:?}"), r#"["云G12345", "张三"]"#);
    let provenance = from_file(vec!["号牌号码".into(), "所有人".into()]);
    assert_eq!(
        provenance.pairs(&one).collect::<Vec<_>>(),
        [("号牌号码", "云G12345"), ("所有人", "张三")]
    );
    assert_eq!(provenance.sheet(), None);
}
