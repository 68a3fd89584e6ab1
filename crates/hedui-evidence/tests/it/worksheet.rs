//! The staff worksheet, read back with calamine as a case worker's Excel would.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use crate::common;

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use hedui_evidence::{ChangeKind, Masker, write_worksheet_xlsx};

const HEADERS: [&str; 21] = [
    "线索编号",
    "户编号",
    "成员姓名",
    "身份证号",
    "与户主关系",
    "县市区",
    "规则",
    "部门",
    "记录编号",
    "来源文件",
    "行号",
    "匹配结论",
    "匹配概率",
    "判定理由",
    "与上次相比",
    "案件状态",
    "复核结论",
    "复核意见",
    "复核人",
    "复核日期",
    "证据指纹",
];

fn read(path: &Path) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range("复核表").unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn worksheet_has_headers_rows_and_review_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("candidates.xlsx");
    let records = common::records();
    write_worksheet_xlsx(&path, &records, None, Masker { enabled: false }).unwrap();

    let rows = read(&path);
    assert_eq!(rows.len(), 1 + records.len());
    assert_eq!(rows[0], HEADERS);
    let vehicle = &rows[1];
    assert_eq!(vehicle[0], records[0].candidate_id);
    assert_eq!(vehicle[2], "张小芳");
    assert_eq!(vehicle[3], "532501197506150034");
    assert_eq!(vehicle[7], "车管所");
    assert_eq!(vehicle[10], "2041");
    assert_eq!(vehicle[11], "确认匹配");
    assert!(
        vehicle[14..].iter().all(String::is_empty),
        "no comparison, no review yet"
    );
    assert_eq!(rows[2][9], "licences.xlsx（个体户）");
    assert_eq!(rows[3][11], "待复核");
    // No temporary file is left beside the workbook.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn masked_worksheet_holds_no_full_id_or_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("candidates.xlsx");
    write_worksheet_xlsx(&path, &common::records(), None, Masker { enabled: true }).unwrap();
    let text = read(&path).concat().join("\t");
    assert!(!common::has_full_id(&text));
    for name in common::NAMES {
        assert!(!text.contains(name), "{name} appears unmasked");
    }
    assert!(text.contains("张*芳"));
}

#[test]
fn worksheet_bytes_are_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    let records = common::records();
    write_worksheet_xlsx(&a, &records, None, Masker { enabled: true }).unwrap();
    write_worksheet_xlsx(&b, &records, None, Masker { enabled: true }).unwrap();
    assert_eq!(std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
}

#[test]
fn the_change_since_the_last_run_is_a_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("candidates.xlsx");
    let records = common::records();
    let since = std::collections::BTreeMap::from([
        (records[0].candidate_id.clone(), ChangeKind::New),
        (records[2].candidate_id.clone(), ChangeKind::ToReview),
    ]);
    write_worksheet_xlsx(&path, &records, Some(&since), Masker { enabled: false }).unwrap();
    let rows = read(&path);
    let column = HEADERS.iter().position(|h| *h == "与上次相比").unwrap();
    let changes: Vec<&str> = rows[1..].iter().map(|r| r[column].as_str()).collect();
    assert_eq!(changes, ["新增", "未变", "线索转为待复核"]);
}
