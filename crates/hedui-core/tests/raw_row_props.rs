//! A row's cells come back exactly as packed, with their headers, whatever they hold.

use std::sync::Arc;

use hedui_core::record::RawRow;
use proptest::prelude::*;

proptest! {
    #[test]
    fn packed_cells_come_back_as_written(cells in prop::collection::vec(".{0,12}", 0..16)) {
        let headers: Arc<[String]> = (0..cells.len()).map(|i| format!("列{i}")).collect();
        let row = RawRow::new(Arc::clone(&headers), &cells);
        let values: Vec<&str> = row.values().collect();
        prop_assert_eq!(&values, &cells);
        let pairs: Vec<(&str, &str)> = row.pairs().collect();
        prop_assert_eq!(pairs.len(), cells.len());
        for ((header, value), (expected_header, cell)) in pairs.iter().zip(headers.iter().zip(&cells)) {
            prop_assert_eq!(*header, expected_header.as_str());
            prop_assert_eq!(*value, cell.as_str());
        }
        prop_assert_eq!(row.clone(), row);
    }
}

#[test]
fn rows_with_other_cells_differ_and_serialise_by_header() {
    let headers: Arc<[String]> = Arc::from(vec!["号牌号码".to_owned(), "所有人".to_owned()]);
    let one = RawRow::from_values(Arc::clone(&headers), &["云G12345", "张三"]);
    // The same text cut at another place is another row.
    let other = RawRow::from_values(Arc::clone(&headers), &["云G1234", "5张三"]);
    assert_ne!(one, other);
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        r#"{"号牌号码":"云G12345","所有人":"张三"}"#
    );
    assert_eq!(
        format!("{one:?}"),
        r#"{"号牌号码": "云G12345", "所有人": "张三"}"#
    );
}
