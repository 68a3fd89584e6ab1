//! The staff worksheet, read back with calamine as a case worker's Excel would.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use crate::common;

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};
use hedui_evidence::{ChangeKind, Masker, write_worksheet_xlsx};

const HEADERS: [&str; 22] = [
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
    "candidate_id",
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
        vehicle[14..21].iter().all(String::is_empty),
        "no comparison, no review yet"
    );
    assert_eq!(vehicle[21], records[0].candidate_id, "the hidden id column");
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

/// The sheet's XML, as Excel and WPS read it.
fn sheet_xml(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    xml
}

#[test]
fn worksheet_freezes_its_header_filters_validates_and_hides_the_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("candidates.xlsx");
    let records = common::records();
    write_worksheet_xlsx(&path, &records, None, Masker { enabled: false }).unwrap();
    let xml = sheet_xml(&path);
    assert!(
        xml.contains(r#"state="frozen""#) && xml.contains(r#"ySplit="1""#),
        "{xml}"
    );
    assert!(xml.contains(r#"<autoFilter ref="A1:V4"/>"#), "{xml}");
    // The drop-down offers exactly the three verdicts on the 复核结论 column (Q).
    assert!(xml.contains(r#"sqref="Q2:Q4""#), "{xml}");
    assert!(
        xml.contains(r#"<formula1>"属实,不属实,待核实"</formula1>"#),
        "{xml}"
    );
    // Column V (22nd) holds the candidate id and is hidden.
    assert!(xml.contains(r#"<col min="22" max="22""#), "{xml}");
    let col = &xml[xml.find(r#"<col min="22""#).unwrap()..];
    assert!(
        col[..col.find("/>").unwrap()].contains(r#"hidden="1""#),
        "{col}"
    );
}

#[test]
fn county_worksheets_hold_each_county_once() {
    let dir = tempfile::tempdir().unwrap();
    let records = common::records();
    let files = hedui_evidence::write_county_worksheets(
        dir.path(),
        &records,
        None,
        Masker { enabled: false },
    )
    .unwrap();
    assert_eq!(files, ["532501-个旧市.xlsx", "532503-蒙自市.xlsx"]);
    let mut ids: Vec<String> = files
        .iter()
        .flat_map(|f| {
            read(&dir.path().join(f))
                .into_iter()
                .skip(1)
                .map(|r| r[21].clone())
        })
        .collect();
    ids.sort();
    let mut expected: Vec<String> = records.iter().map(|r| r.candidate_id.clone()).collect();
    expected.sort();
    assert_eq!(ids, expected);
}
