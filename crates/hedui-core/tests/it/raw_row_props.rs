//! A row's cells come back exactly as packed, and paired with their file's headers.

use std::sync::Arc;

use hedui_core::record::{FileHash, Provenance, RawRow, SourceFile, StoredCells};
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

proptest! {
    /// What a store writes (the packed bytes) reads back as the same row.
    #[test]
    fn packed_bytes_rebuild_the_row(cells in prop::collection::vec(".{0,12}", 0..16)) {
        let row = RawRow::new(&cells);
        let (packed, text_len) = row.packed().expect("a new row is held");
        let again = RawRow::from_packed(packed.into(), text_len).expect("its own bytes");
        prop_assert_eq!(again, row);
    }
}

#[test]
fn bytes_that_are_no_row_are_refused() {
    let row = RawRow::new(&["云G12345", "张三"]);
    let (packed, text_len) = row.packed().unwrap();
    // Cut inside a character, a text length past the bytes, ends not whole words.
    assert!(RawRow::from_packed(packed.into(), 2).is_none());
    assert!(RawRow::from_packed(packed.into(), 999).is_none());
    assert!(RawRow::from_packed(packed[..packed.len() - 1].into(), text_len).is_none());
    let mut backwards = packed.to_vec();
    let n = backwards.len();
    backwards[n - 4..].copy_from_slice(&1u32.to_le_bytes());
    assert!(RawRow::from_packed(backwards.into(), text_len).is_none());
}

#[test]
fn a_stored_row_says_where_it_is_and_holds_no_cells() {
    let at = StoredCells {
        at: 4096,
        len: 23,
        text_len: 15,
    };
    let row = RawRow::stored(at);
    assert_eq!(row.stored_at(), Some(at));
    assert_eq!(row.packed(), None);
    assert_eq!(row.values().count(), 0);
    assert_eq!(format!("{row:?}"), "<23 bytes stored at 4096>");
    assert_eq!(RawRow::new(&["a"]).stored_at(), None);
    // Held or stored, a row costs what it did when it could only be held.
    assert!(size_of::<RawRow>() <= 24, "{}", size_of::<RawRow>());
}
