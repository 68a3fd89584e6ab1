//! Dates in workbooks, in both of Excel's date systems, read through the public API.
#![allow(clippy::unwrap_used)] // a failed step of building the fixture should panic

mod common;

use std::io::{Read, Write};
use std::path::Path;

use common::{read, spec};
use hedui_ingest::SourceKind;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

/// A vehicle export: one row with a real date cell, one with a bare serial number where the
/// department's system wrote the date as a plain number.
fn vehicle_book(path: &Path) {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["号牌号码", "机动车所有人", "初次登记日期"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header).unwrap();
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let day = ExcelDateTime::from_ymd(2019, 3, 5).unwrap();
    sheet.write_string(1, 0, "云G12345").unwrap();
    sheet.write_string(1, 1, "张三").unwrap();
    sheet.write_datetime_with_format(1, 2, &day, &date).unwrap();
    sheet.write_string(2, 0, "云G23456").unwrap();
    sheet.write_string(2, 1, "李四").unwrap();
    sheet.write_number(2, 2, 42_067.0).unwrap();
    book.save(path).unwrap();
}

/// The same package with the workbook switched to the 1904 date system, as old Mac Excel
/// (or a template with the option set) saves it.
fn in_1904_system(path: &Path, to: &Path) {
    let mut from = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for index in 0..from.len() {
        let mut entry = from.by_index(index).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let name = entry.name().unwrap().to_string();
        if name == "xl/workbook.xml" {
            assert!(text.contains("<workbookPr"), "{text}");
            text = text.replace("<workbookPr", "<workbookPr date1904=\"1\"");
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap();
}

/// The registration dates read, and whether the file is reported as a 1904 workbook.
fn registered(dir: &Path, file: &str) -> (Vec<String>, bool) {
    let data = read(dir, &spec(Some(SourceKind::Vehicle), file));
    assert!(data.rejects.is_empty(), "{:?}", data.rejects);
    let dates = data
        .assets
        .iter()
        .map(|a| a.registered_on.map(|d| d.to_string()).unwrap_or_default())
        .collect();
    (dates, data.report.files[0].dates_1904)
}

/// A serial means the day its workbook's system says: in a 1904 workbook a date cell
/// holding 43529 is 2023-03-06, and a bare 42067 in a date column is 2019-03-05. Read in
/// the 1900 system, the bare number would put the registration four years early, and the
/// date decides whether an asset counts on the check date.
#[test]
fn serials_follow_the_workbooks_date_system() {
    let dir = tempfile::tempdir().unwrap();
    vehicle_book(&dir.path().join("v1900.xlsx"));
    assert_eq!(
        registered(dir.path(), "v1900.xlsx"),
        (
            vec!["2019-03-05".to_owned(), "2015-03-04".to_owned()],
            false
        )
    );
    in_1904_system(
        &dir.path().join("v1900.xlsx"),
        &dir.path().join("v1904.xlsx"),
    );
    assert_eq!(
        registered(dir.path(), "v1904.xlsx"),
        (vec!["2023-03-06".to_owned(), "2019-03-05".to_owned()], true)
    );
}
