//! The CSV path never panics and always accounts for every row, whatever the bytes.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{assert_accounting, gb18030, spec, write};
use hedui_ingest::SourceKind;
use hedui_ingest::aliases::AliasTable;
use proptest::prelude::*;

const HEADER: &str =
    "号牌号码,车辆类型,机动车所有人,身份证明号码,初次登记日期,机动车状态,状态变更日期\n";

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[云G0-9A-Z]{0,9}",
        "[张王李赵陳?□·• ]{0,5}",
        "[0-9xX ]{0,20}",
        "(19|20)[0-9]{2}[-/年.][0-9]{1,2}[-/月.][0-9]{1,2}日?",
        Just("\"a,b\"".to_owned()),
        Just("\"line\nbreak\"".to_owned()),
        Just("\"unterminated".to_owned()),
        Just(String::new()),
        "\\PC{0,6}",
    ]
}

fn row() -> impl Strategy<Value = String> {
    prop::collection::vec(cell(), 0..10).prop_map(|cells| cells.join(","))
}

fn read_bytes(bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "v.csv", bytes);
    let aliases = AliasTable::builtin().unwrap();
    if let Ok(data) = hedui_ingest::read_source(
        &spec(Some(SourceKind::Vehicle), "v.csv"),
        dir.path(),
        &aliases,
    ) {
        assert_accounting(&data);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn structured_garbage_under_a_real_header(rows in prop::collection::vec(row(), 0..30), crlf: bool, gb: bool) {
        let newline = if crlf { "\r\n" } else { "\n" };
        let text = format!("{HEADER}{}", rows.join(newline)).replace('\n', newline).replace("\r\r", "\r");
        let bytes = if gb { gb18030(&text) } else { text.into_bytes() };
        read_bytes(&bytes);
    }

    #[test]
    fn arbitrary_bytes_after_a_real_header(tail in prop::collection::vec(any::<u8>(), 0..2048)) {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend(tail);
        read_bytes(&bytes);
    }

    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        read_bytes(&bytes);
    }
}
