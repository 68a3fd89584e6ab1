//! Workbooks built with `rust_xlsxwriter` the way department exports look, plus the
//! committed `.xls` fixture `tests/data/small.xls` (made by `tests/data/make_small_xls.py`).

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use calamine::{CellErrorType, Data, ExcelDateTimeType};
use proptest::prelude::*;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::*;

const KNOWN: [&str; 9] = [
    "序号",
    "权利人",
    "身份证号",
    "不动产权证号",
    "登记日期",
    "面积",
    "机动车所有人",
    "号牌号码",
    "初次登记日期",
];

fn scorer(row: &[String]) -> usize {
    row.iter().filter(|c| KNOWN.contains(&c.trim())).count()
}

fn read(path: &Path, sheet: Option<&str>) -> Result<RawTable, IngestError> {
    read_workbook(path, sheet, None, &scorer, 2)
}

/// How often each workbook was opened, by path; tests run side by side, each with paths of
/// its own.
static OPENED: std::sync::Mutex<std::collections::BTreeMap<PathBuf, usize>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

pub(super) fn opened(path: &Path) {
    *OPENED
        .lock()
        .unwrap()
        .entry(path.to_path_buf())
        .or_default() += 1;
}

fn times_opened(path: &Path) -> usize {
    OPENED.lock().unwrap().get(path).copied().unwrap_or(0)
}

/// Each sheet a source was read from, with its rows, in the order read.
fn sheets_read(data: &crate::SourceData) -> Vec<(Option<&str>, u64)> {
    data.report
        .files
        .iter()
        .map(|f| (f.sheet.as_deref(), f.rows_read))
        .collect()
}

/// A source read from the file `path` in the test's folder, every setting left to hedui.
fn source_spec(kind: crate::SourceKind, path: &str) -> crate::SourceSpec {
    crate::SourceSpec {
        kind: Some(kind),
        name: None,
        path: path.to_owned(),
        encoding: None,
        sheet: None,
        columns: Default::default(),
    }
}

fn row(line: u64, cells: &[&str]) -> RowEvent {
    RowEvent::Row(PhysicalRow {
        line,
        cells: cells.iter().map(|c| (*c).to_owned()).collect(),
    })
}

fn reject(line: u64, reason: RejectReason, raw: &str) -> RowEvent {
    RowEvent::Reject(ReaderReject {
        line,
        reason,
        raw: raw.to_owned(),
    })
}

fn save(dir: &Path, name: &str, fill: impl FnOnce(&mut Workbook)) -> PathBuf {
    let mut book = Workbook::new();
    fill(&mut book);
    let path = dir.join(name);
    book.save(&path).unwrap();
    path
}

/// The property export of the module documentation, in sheet `不动产`.
fn property_sheet(sheet: &mut Worksheet) {
    let plain = Format::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    let border = Format::new().set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    sheet.set_name("不动产").unwrap();
    sheet
        .merge_range(
            0,
            0,
            0,
            5,
            "红河县不动产登记信息导出（导出日期：2024-05-01）",
            &plain,
        )
        .unwrap();
    sheet.write_string(1, 0, "单位：平方米").unwrap();
    for (col, name) in [
        "序号",
        "权利人",
        "身份证号",
        "不动产权证号",
        "登记日期",
        "面积",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(2, col as u16, *name).unwrap();
    }
    // Rows 4-5: co-owners of one certificate, merged vertically.
    sheet.write_number(3, 0, 1).unwrap();
    sheet.write_string(3, 1, "张三").unwrap();
    sheet.write_string(3, 2, "532522197506150034").unwrap();
    sheet
        .merge_range(3, 3, 4, 3, "云(2019)红河县不动产权第0001234号", &plain)
        .unwrap();
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2019, 3, 5).unwrap();
    sheet.write_datetime_with_format(3, 4, &day, &date).unwrap();
    sheet.write_number(3, 5, 46.07).unwrap();
    sheet.write_number(4, 0, 2).unwrap();
    sheet.write_string(4, 1, "李四").unwrap();
    sheet
        .write_number(4, 2, 532_522_197_506_150_034_f64)
        .unwrap();
    sheet.write_number(4, 4, 43529).unwrap();
    sheet.write_number(4, 5, 46.07).unwrap();
    // Row 6 empty. Row 7 has a time of day and a stray note beyond the header.
    sheet.write_number(6, 0, 3).unwrap();
    sheet.write_string(6, 1, "王五").unwrap();
    sheet.write_string(6, 2, "53252219800101001X").unwrap();
    sheet
        .write_string(6, 3, "云(2020)红河县不动产权第0000001号")
        .unwrap();
    let at = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 1, 2)
        .unwrap()
        .and_hms(8, 30, 0)
        .unwrap();
    sheet.write_datetime_with_format(6, 4, &at, &stamp).unwrap();
    sheet.write_boolean(6, 5, true).unwrap();
    sheet.write_string(6, 7, "备注").unwrap();
    // Row 8: totals, spaced for alignment; rows 9-10 formatted but empty, with a lone
    // space that keeps them inside the used range.
    sheet.write_string(7, 0, "合　计").unwrap();
    sheet.write_number(7, 5, 92.14).unwrap();
    for r in 8..10 {
        for c in 0..6 {
            sheet.write_blank(r, c, &border).unwrap();
        }
    }
    sheet.write_string(9, 2, " ").unwrap();
}

#[test]
fn reads_titles_dates_merges_and_footer() {
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "property.xlsx", |book| {
        property_sheet(book.add_worksheet())
    });
    let table = read(&path, None).unwrap();

    assert_eq!(table.sheet.as_deref(), Some("不动产"));
    assert_eq!(table.encoding, None);
    assert_eq!(table.delimiter, None);
    assert_eq!(table.header_line, 3);
    assert_eq!(
        table.headers,
        [
            "序号",
            "权利人",
            "身份证号",
            "不动产权证号",
            "登记日期",
            "面积"
        ]
    );
    let titles: Vec<(u64, Vec<String>)> = table
        .title_rows
        .iter()
        .map(|r| (r.line, r.cells.clone()))
        .collect();
    assert_eq!(
        titles,
        [
            (
                1,
                vec!["红河县不动产登记信息导出（导出日期：2024-05-01）".to_owned()]
            ),
            (2, vec!["单位：平方米".to_owned()]),
        ]
    );

    let certificate = "云(2019)红河县不动产权第0001234号";
    let events: Vec<RowEvent> = table.rows.collect();
    assert_eq!(
        events,
        [
            row(
                4,
                &[
                    "1",
                    "张三",
                    "532522197506150034",
                    certificate,
                    "2019-03-05",
                    "46.07"
                ]
            ),
            row(
                5,
                &[
                    "2",
                    "李四",
                    "5.3252219750615E+17",
                    certificate,
                    "43529",
                    "46.07"
                ]
            ),
            reject(6, RejectReason::EmptyRow, ",,,,,"),
            row(
                7,
                &[
                    "3",
                    "王五",
                    "53252219800101001X",
                    "云(2020)红河县不动产权第0000001号",
                    "2020-01-02 08:30:00",
                    "true",
                    "",
                    "备注",
                ]
            ),
            reject(8, RejectReason::Footer, "合　计,,,,,92.14"),
        ]
    );
}

#[test]
fn reads_xls_fixture() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small.xls");
    let table = read(&path, None).unwrap();
    assert_eq!(table.sheet.as_deref(), Some("车辆信息"));
    assert_eq!(table.header_line, 2);
    assert_eq!(
        table.headers,
        [
            "序号",
            "机动车所有人",
            "身份证号",
            "号牌号码",
            "初次登记日期"
        ]
    );
    assert_eq!(table.title_rows.len(), 1);
    assert_eq!(table.title_rows[0].line, 1);
    assert_eq!(
        table.title_rows[0].cells,
        ["红河县机动车信息导出（导出日期：2024-05-01）"]
    );
    let events: Vec<RowEvent> = table.rows.collect();
    assert_eq!(
        events,
        [
            row(
                3,
                &["1", "张三", "532522197506150034", "云G12345", "2019-03-05"]
            ),
            row(
                4,
                &["2", "李四", "5.3252219750615E+17", "云G12345", "43529"]
            ),
            reject(5, RejectReason::EmptyRow, ",,,,"),
            row(
                6,
                &[
                    "3",
                    "王五",
                    "53252219800101001X",
                    "云G54321",
                    "2020-01-02 08:30:00"
                ]
            ),
            reject(7, RejectReason::Footer, "合 计,3辆,,,"),
        ]
    );
}

#[test]
fn line_numbers_count_from_the_sheet_not_the_used_range() {
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "offset.xlsx", |book| {
        let sheet = book.add_worksheet();
        // Nothing in rows 1-4 or column A: the used range starts at B5.
        sheet.write_string(4, 1, "权利人").unwrap();
        sheet.write_string(4, 2, "身份证号").unwrap();
        sheet.write_string(5, 1, "张三").unwrap();
        sheet.write_number(5, 2, 532_522_197_506_150_f64).unwrap();
        sheet
            .merge_range(6, 1, 6, 2, "赵六", &Format::new())
            .unwrap();
    });
    let table = read(&path, None).unwrap();
    assert_eq!(table.header_line, 5);
    assert!(table.title_rows.is_empty());
    let events: Vec<RowEvent> = table.rows.collect();
    // The merge lies in a data row: its value is repeated in both columns.
    assert_eq!(
        events,
        [
            row(6, &["张三", "532522197506150"]),
            row(7, &["赵六", "赵六"])
        ]
    );
}

#[test]
fn picks_the_first_sheet_with_a_header_or_the_named_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "two.xlsx", |book| {
        let notes = book.add_worksheet();
        notes.set_name("说明").unwrap();
        notes.write_string(0, 0, "本表由系统自动生成").unwrap();
        property_sheet(book.add_worksheet());
    });
    assert_eq!(read(&path, None).unwrap().sheet.as_deref(), Some("不动产"));
    assert_eq!(read(&path, Some("不动产")).unwrap().header_line, 3);

    let err = read(&path, Some("车辆")).unwrap_err();
    assert!(
        matches!(&err, IngestError::SheetNotFound { available, .. } if available == "说明, 不动产"),
        "{err}"
    );
    let err = read(&path, Some("说明")).unwrap_err();
    assert!(matches!(err, IngestError::NoHeader { .. }), "{err}");
}

#[test]
fn footer_needs_to_be_below_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "subtotal.xlsx", |book| {
        let sheet = book.add_worksheet();
        for (r, cells) in [
            ["权利人", "身份证号", "面积"],
            ["小计", "", "10"],
            ["张三", "532522197506150034", "5"],
            ["总计：2户", "", "15"],
            ["制表人：李四", "", ""],
        ]
        .iter()
        .enumerate()
        {
            for (c, text) in cells.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
    });
    let events: Vec<RowEvent> = read(&path, None).unwrap().rows.collect();
    assert_eq!(
        events,
        [
            // A subtotal inside the table is a row; mapping rejects it on its values.
            row(2, &["小计", "", "10"]),
            row(3, &["张三", "532522197506150034", "5"]),
            // Filled enough to count as a table row, yet a totals line below the data.
            reject(4, RejectReason::Footer, "总计：2户,,15"),
            row(5, &["制表人：李四", "", ""]),
        ]
    );
}

#[test]
fn empty_rows_below_the_table_are_spacing_even_before_a_far_note() {
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "note.xlsx", |book| {
        let sheet = book.add_worksheet();
        for (r, cells) in [
            ["权利人", "身份证号", "面积"],
            ["张三", "532522197506150034", "5"],
            ["", "", ""],
            ["李四", "53252219800101001X", "6"],
        ]
        .iter()
        .enumerate()
        {
            for (c, text) in cells.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *text).unwrap();
            }
        }
        // A remark beside a row, and a note in the sheet's very last row.
        sheet.write_string(1, 40, "已核实").unwrap();
        sheet
            .write_string(1_048_575, 0, "以上数据仅供参考")
            .unwrap();
    });
    let events: Vec<RowEvent> = read(&path, None).unwrap().rows.collect();
    let mut remarked = vec!["张三", "532522197506150034", "5"];
    remarked.resize(40, "");
    remarked.push("已核实");
    assert_eq!(
        events,
        [
            // Read as cells; mapping rejects the remarked row for its width.
            row(2, &remarked),
            // Inside the table a blank row is still a row, and rejected.
            reject(3, RejectReason::EmptyRow, ",,"),
            row(4, &["李四", "53252219800101001X", "6"]),
            row(1_048_576, &["以上数据仅供参考", "", ""]),
        ]
    );
}

/// One export split over yearly sheets, with a notes sheet between them: every sheet with
/// the source's header is read, each reported on its own, and the notes sheet is not.
#[test]
fn every_sheet_with_the_header_is_one_source() {
    let dir = tempfile::tempdir().unwrap();
    let header = [
        "不动产权证号",
        "权利人",
        "证件号",
        "坐落",
        "用途",
        "登记日期",
        "权属状态",
    ];
    let sheet_of = |book: &mut Workbook, name: &str, first: u32, rows: u32| {
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        for (c, text) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, *text).unwrap();
        }
        for r in 1..=rows {
            let n = first + r;
            let cells = [
                format!("云(2019)金平县不动产权第{n:07}号"),
                "张三".to_owned(),
                String::new(),
                "金平县勐拉镇".to_owned(),
                "宅基地/住宅".to_owned(),
                "2019-03-05".to_owned(),
                "现势".to_owned(),
            ];
            for (c, text) in cells.iter().enumerate() {
                sheet.write_string(r, c as u16, text).unwrap();
            }
        }
    };
    let notes_of = |book: &mut Workbook, name: &str, text: &str| {
        let sheet = book.add_worksheet();
        sheet
            .set_name(name)
            .unwrap()
            .write_string(0, 0, text)
            .unwrap();
    };
    save(dir.path(), "property.xlsx", |book| {
        sheet_of(book, "2019年", 0, 3);
        notes_of(book, "说明", "本表为导出数据");
        sheet_of(book, "2020年", 100, 2);
        // Opened while the sheet before is parsed: the order read is still the book's.
        sheet_of(book, "2021年", 200, 4);
        notes_of(book, "备注", "数据截至年底");
    });
    let spec = source_spec(crate::SourceKind::Property, "property.xlsx");
    let aliases = crate::AliasTable::builtin().unwrap();
    let data = crate::read_source(&spec, dir.path(), &aliases).unwrap();
    let sheets = sheets_read(&data);
    assert_eq!(
        sheets,
        [
            (Some("2019年"), 3),
            (Some("2020年"), 2),
            (Some("2021年"), 4)
        ]
    );
    assert_eq!(data.assets.len(), 9);
    assert_eq!(data.report.rows_read, 9);
    let read: Vec<(Option<&str>, u64)> = data
        .assets
        .iter()
        .map(|r| (r.provenance.sheet(), r.provenance.line))
        .collect();
    let mut in_book_order = read.clone();
    in_book_order.sort_by_key(|(sheet, line)| (sheet.map(|s| s.to_owned()), *line));
    assert_eq!(read, in_book_order);
    assert_eq!(read[5], (Some("2021年"), 2));
    // The book stays open from sheet to sheet; only the notes sheet between loses it, since
    // a sheet without the table ends its read with an error.
    let path = Path::new(&data.report.files[0].path);
    assert_eq!(times_opened(path), 2);

    // A configured sheet is the only one read.
    let only = crate::SourceSpec {
        sheet: Some("2020年".to_owned()),
        ..spec
    };
    let data = crate::read_source(&only, dir.path(), &aliases).unwrap();
    assert_eq!(data.report.files.len(), 1);
    assert_eq!(data.assets.len(), 2);
}

/// An export split over sheets the way Excel saves it, every text in the shared strings:
/// the workbook is opened, and its shared strings parsed, once for all of its sheets.
#[test]
fn a_workbooks_sheets_are_read_through_one_opening() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), "vehicles.xlsx", |book| {
        for (year, rows) in [("2021年", 3), ("2022年", 2), ("2023年", 4)] {
            let sheet = book.add_worksheet();
            sheet.set_name(year).unwrap();
            for (c, text) in ["号牌号码", "机动车所有人", "身份证明号码", "住所详细地址"]
                .iter()
                .enumerate()
            {
                sheet.write_string(0, c as u16, *text).unwrap();
            }
            for r in 1..=rows {
                let cells = [
                    format!("云G{r:05}"),
                    "李四".to_owned(),
                    String::new(),
                    "蒙自市文澜镇".to_owned(),
                ];
                for (c, text) in cells.iter().enumerate() {
                    sheet.write_string(r, c as u16, text).unwrap();
                }
            }
        }
    });
    let spec = source_spec(crate::SourceKind::Vehicle, "vehicles.xlsx");
    let aliases = crate::AliasTable::builtin().unwrap();
    let data = crate::read_source(&spec, dir.path(), &aliases).unwrap();
    assert_eq!(
        sheets_read(&data),
        [
            (Some("2021年"), 3),
            (Some("2022年"), 2),
            (Some("2023年"), 4)
        ]
    );
    assert_eq!(data.assets.len(), 9);
    assert_eq!(times_opened(Path::new(&data.report.files[0].path)), 1);
}

/// The same for an `.xls`, which calamine parses whole, every sheet with its merges, when it
/// is opened: the merges too are asked of the one open workbook.
#[test]
fn an_xls_is_opened_once_for_its_sheets_and_their_merges() {
    let data_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let spec = source_spec(crate::SourceKind::Vehicle, "years.xls");
    let aliases = crate::AliasTable::builtin().unwrap();
    let data = crate::read_source(&spec, &data_dir, &aliases).unwrap();
    let rows = sheets_read(&data);
    assert_eq!(
        rows,
        [
            (Some("2021年"), 3),
            (Some("2022年"), 2),
            (Some("2023年"), 4)
        ]
    );
    // The plate merged over two co-owners' rows belongs to both.
    let merged: Vec<&str> = data
        .assets
        .iter()
        .filter(|a| a.provenance.sheet() == Some("2022年"))
        .map(|a| &*a.record_key)
        .collect();
    assert_eq!(merged.len(), 2);
    assert!(merged.iter().all(|key| key.contains("20221")), "{merged:?}");
    assert_eq!(times_opened(Path::new(&data.report.files[0].path)), 1);
}

#[test]
fn cell_text_conventions() {
    assert_eq!(cell_text(&Data::Error(CellErrorType::NA)), "#N/A");
    assert_eq!(cell_text(&Data::Error(CellErrorType::Value)), "#VALUE!");
    assert_eq!(cell_text(&Data::Bool(false)), "false");
    assert_eq!(cell_text(&Data::Int(-42)), "-42");
    assert_eq!(cell_text(&Data::Empty), "");
    assert_eq!(
        cell_text(&Data::DateTimeIso("2019-03-05T10:00:00".into())),
        "2019-03-05T10:00:00"
    );
    let excel_time = |value, kind| Data::DateTime(calamine::ExcelDateTime::new(value, kind, false));
    assert_eq!(
        cell_text(&excel_time(1.5, ExcelDateTimeType::TimeDelta)),
        "36:00:00"
    );
    assert_eq!(
        cell_text(&excel_time(0.3541666666666667, ExcelDateTimeType::DateTime)),
        "8:30:00"
    );
    assert_eq!(
        cell_text(&excel_time(43529.0, ExcelDateTimeType::DateTime)),
        "2019-03-05"
    );
    assert_eq!(float_text(43529.0), "43529");
    assert_eq!(float_text(-0.0), "0");
    assert_eq!(float_text(46.07), "46.07");
    assert_eq!(float_text(999_999_999_999_999.0), "999999999999999");
    assert_eq!(float_text(1e15), "1E+15");
    assert_eq!(
        float_text(532_522_197_506_150_034_f64),
        "5.3252219750615E+17"
    );
    assert_eq!(float_text(-2.5e20), "-2.5E+20");
    assert_eq!(float_text(f64::NAN), "NaN");
}

/// Sheets with merges of every shape, one named with an XML-escaped `&`, and one without.
fn merged_book(book: &mut Workbook) {
    let plain = Format::new();
    property_sheet(book.add_worksheet());
    let sheet = book.add_worksheet();
    sheet.set_name("产权&共有").unwrap();
    sheet.merge_range(1, 0, 3, 0, "vertical", &plain).unwrap();
    sheet
        .merge_range(4, 1, 4, 27, "horizontal", &plain)
        .unwrap();
    sheet.merge_range(9, 26, 11, 27, "block", &plain).unwrap();
    sheet.write_string(20_000, 3, "far down").unwrap();
    sheet
        .merge_range(20_001, 2, 20_002, 3, "far block", &plain)
        .unwrap();
    book.add_worksheet()
        .set_name("空")
        .unwrap()
        .write_string(0, 0, "x")
        .unwrap();
}

fn calamine_merges(path: &Path, name: &str) -> Vec<Dimensions> {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    book.merge_cells_by_sheet_name(name).unwrap()
}

#[test]
fn merge_scan_agrees_with_calamine() {
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "merged.xlsx", merged_book);
    let counts = [("不动产", 2), ("产权&共有", 4), ("空", 0)];
    for (name, count) in counts {
        let expected = calamine_merges(&path, name);
        assert_eq!(expected.len(), count, "{name}");
        let found = merges::sheet_merges(&path, name).unwrap();
        assert_eq!(found, Some(expected), "{name}");
    }
    assert_eq!(
        merges::sheet_merges(&path, "产权&amp;共有").unwrap(),
        None,
        "the name is matched unescaped"
    );
}

#[test]
fn the_streamed_grid_is_calamines_range_for_merged_and_reordered_sheets() {
    use super::stream::tests::{range_grid, streamed_grid};
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "merged.xlsx", merged_book);
    let bytes = std::fs::read(&path).unwrap();
    for name in ["不动产", "产权&共有", "空"] {
        assert_eq!(
            streamed_grid(&bytes, name),
            range_grid(&bytes, name),
            "{name}"
        );
    }
    // A package edited by hand: the last row first, and the first row's cells again at the
    // end (the later value wins in calamine's range).
    let reordered = dir.path().join("reordered.xlsx");
    rewrite(&path, &reordered, |name, text| {
        if name != "xl/worksheets/sheet1.xml" {
            return (name.to_owned(), text);
        }
        let rows_at = text.find("<row ").unwrap();
        let rows_end = text.rfind("</row>").unwrap() + "</row>".len();
        let last_at = text[..rows_end].rfind("<row ").unwrap();
        assert!(text[rows_at..].starts_with(r#"<row r="1""#));
        let first = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>后写</t></is></c></row>"#;
        let edited = [
            &text[..rows_at],
            &text[last_at..rows_end],
            &text[rows_at..last_at],
            first,
            &text[rows_end..],
        ]
        .concat();
        assert_ne!(edited, text);
        (name.to_owned(), edited)
    });
    let bytes = std::fs::read(&reordered).unwrap();
    let (grid, origin) = streamed_grid(&bytes, "不动产");
    assert_eq!((grid.clone(), origin), range_grid(&bytes, "不动产"));
    assert!(grid.iter().flatten().any(|cell| cell.contains("后写")));
}

/// Copies the package at `path` to `to`, passing each part's name and text through `edit`.
fn rewrite(path: &Path, to: &Path, edit: impl Fn(&str, String) -> (String, String)) {
    use std::io::{Read, Write};
    let mut from = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for index in 0..from.len() {
        let mut entry = from.by_index(index).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let (name, text) = edit(&entry.name().unwrap(), text);
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn unusual_packages_fall_back_to_calamine() {
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "merged.xlsx", merged_book);
    // calamine follows `_rels/.rels` to a moved workbook part; the scan gives up on it.
    let moved = dir.path().join("moved.xlsx");
    rewrite(&path, &moved, |name, text| {
        let renamed = |s: &str| s.replace("workbook.xml", "book.xml");
        (renamed(name), renamed(&text))
    });
    assert_eq!(merges::sheet_merges(&moved, "不动产").unwrap(), None);
    assert_eq!(calamine_merges(&moved, "不动产").len(), 2);
    let rows = |path: &Path| read(path, Some("不动产")).unwrap().rows.collect::<Vec<_>>();
    let moved_rows = rows(&moved);
    assert_eq!(moved_rows, rows(&path));
    // The vertical merge reached the second co-owner's row through calamine.
    assert!(matches!(&moved_rows[1], RowEvent::Row(row)
        if row.cells[3] == "云(2019)红河县不动产权第0001234号"));
}

#[test]
fn damaged_merge_refs_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "merged.xlsx", merged_book);
    let bad = dir.path().join("bad.xlsx");
    rewrite(&path, &bad, |name, text| {
        if name == "xl/worksheets/sheet1.xml" {
            assert!(text.contains(r#"ref="D4:D5""#));
            (
                name.to_owned(),
                text.replace(r#"ref="D4:D5""#, r#"ref="D4:D""#),
            )
        } else {
            (name.to_owned(), text)
        }
    });
    let Err(IngestError::Workbook {
        path: named,
        message,
    }) = read(&bad, Some("不动产"))
    else {
        panic!("a damaged merge ref must be an error");
    };
    assert_eq!(named, bad);
    assert!(message.contains("\"D4:D\""), "{message}");
}

#[test]
fn corrupt_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["empty.xlsx", "empty.xls"] {
        let path = dir.path().join(name);
        std::fs::write(&path, b"").unwrap();
        assert!(matches!(
            read(&path, None),
            Err(IngestError::Workbook { .. })
        ));
    }
    let missing = dir.path().join("missing.xlsx");
    assert!(matches!(
        read(&missing, None),
        Err(IngestError::Workbook { .. })
    ));
}

/// A valid workbook's bytes, for mutation below.
fn valid_bytes(extension: &str) -> Vec<u8> {
    if extension == "xls" {
        return std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small.xls"))
            .unwrap();
    }
    let mut book = Workbook::new();
    property_sheet(book.add_worksheet());
    book.save_to_buffer().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random bytes, and valid files with bytes overwritten or cut short, give an error or a
    /// table, never a panic.
    #[test]
    fn damaged_files_never_panic(
        xls in any::<bool>(),
        noise in proptest::collection::vec(any::<u8>(), 0..2048),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
        cut in any::<prop::sample::Index>(),
        from_valid in any::<bool>(),
    ) {
        let extension = if xls { "xls" } else { "xlsx" };
        let bytes = if from_valid {
            let mut bytes = valid_bytes(extension);
            for (at, value) in &edits {
                let i = at.index(bytes.len());
                bytes[i] = *value;
            }
            bytes.truncate(cut.index(bytes.len()) + bytes.len() / 2);
            bytes
        } else {
            noise
        };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("damaged.{extension}"));
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(table) = read(&path, None) {
            let _ = table.rows.count();
        }
    }
}

/// A damaged DIMENSIONS record would make calamine reserve billions of cells and abort the
/// process; the file is refused first, naming it.
#[test]
fn an_xls_sheet_declaring_billions_of_cells_is_refused_not_fatal() {
    let mut bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small.xls")).unwrap();
    let at = bytes
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .expect("the fixture has a BIFF8 DIMENSIONS record");
    // Row after the last: 4,294,967,295.
    bytes[at + 8..at + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("damaged.xls");
    std::fs::write(&path, &bytes).unwrap();
    let err = read(&path, None).unwrap_err().to_string();
    assert!(
        err.contains("damaged.xls") && err.contains("cells"),
        "{err}"
    );
}

/// A serial means the day its workbook's system says: in a 1904 workbook a date cell
/// holding 43529 is 2023-03-06, and a bare 42067 in a date column is 2019-03-05. Read in
/// the 1900 system, the bare number would put the registration four years early, and the
/// date decides whether an asset counts on the check date.
#[test]
fn serials_follow_the_workbooks_date_system() {
    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), "v1900.xlsx", |book| {
        let sheet = book.add_worksheet();
        for (col, header) in ["号牌号码", "机动车所有人", "初次登记日期"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, col as u16, *header).unwrap();
        }
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2019, 3, 5).unwrap();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        sheet.write_string(1, 0, "云G12345").unwrap();
        sheet.write_string(1, 1, "张三").unwrap();
        sheet.write_datetime_with_format(1, 2, &day, &date).unwrap();
        sheet.write_string(2, 0, "云G23456").unwrap();
        sheet.write_string(2, 1, "李四").unwrap();
        sheet.write_number(2, 2, 42_067.0).unwrap();
    });
    rewrite(&path, &dir.path().join("v1904.xlsx"), |name, text| {
        let text = if name == "xl/workbook.xml" {
            assert!(text.contains("<workbookPr"), "{text}");
            text.replace("<workbookPr", "<workbookPr date1904=\"1\"")
        } else {
            text
        };
        (name.to_owned(), text)
    });
    let registered = |file: &str| {
        let spec = source_spec(crate::SourceKind::Vehicle, file);
        let aliases = crate::AliasTable::builtin().unwrap();
        let data = crate::read_source(&spec, dir.path(), &aliases).unwrap();
        assert!(data.rejects.is_empty(), "{:?}", data.rejects);
        let dates: Vec<String> = data
            .assets
            .iter()
            .map(|a| a.registered_on.map(|d| d.to_string()).unwrap_or_default())
            .collect();
        (dates, data.report.files[0].dates_1904)
    };
    assert_eq!(
        registered("v1900.xlsx"),
        (
            vec!["2019-03-05".to_owned(), "2015-03-04".to_owned()],
            false
        )
    );
    assert_eq!(
        registered("v1904.xlsx"),
        (vec!["2023-03-06".to_owned(), "2019-03-05".to_owned()], true)
    );
}

proptest! {
    /// Dates and times of any year chrono holds are written as the formatting machinery
    /// writes them, midnight without its time.
    #[test]
    fn date_text_written_by_hand_is_the_formatted_text(
        day in -100_000i32..4_000_000,
        second in prop_oneof![Just(0u32), 0u32..86_400],
    ) {
        let date = chrono::NaiveDate::from_num_days_from_ce_opt(day).unwrap();
        let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(second, 0).unwrap();
        let at = date.and_time(time);
        prop_assert_eq!(datetime_text(at), datetime_text_formatted(at));
    }
}
