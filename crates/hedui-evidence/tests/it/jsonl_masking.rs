//! `masked()` is shared by every writer; through `evidence.jsonl` it must hide the names in
//! raw name cells, normalised name values and the free text built from them.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use crate::common;

use hedui_evidence::{Masker, write_evidence_jsonl};

#[test]
fn masked_jsonl_holds_no_full_id_or_name() {
    let mut out = Vec::new();
    write_evidence_jsonl(&mut out, &common::records(), Masker { enabled: true }).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(!common::has_full_id(&text));
    for name in common::NAMES.iter().chain(&["普美莹"]) {
        assert!(!text.contains(name), "{name} appears unmasked");
    }
    // Headers and non-personal values stay readable.
    assert!(text.contains("机动车所有人"));
    assert!(text.contains("小型普通客车"));
}
