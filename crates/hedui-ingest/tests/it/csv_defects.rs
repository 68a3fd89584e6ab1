//! Each export defect DOMAIN.md lists, in a small CSV, read through the public API.

use crate::common;

use common::{gb18030, read, reject_lines, spec, write};
use hedui_core::record::AssetDetail;
use hedui_ingest::{SourceKind, aliases::AliasTable};

const VEHICLE_HEADER: &str =
    "号牌号码,车辆类型,机动车所有人,身份证明号码,初次登记日期,机动车状态,状态变更日期";

#[test]
fn gb18030_vehicles_are_detected_and_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{VEHICLE_HEADER}\r\n云G12345,小型轿车,陳小明,532522197506150034,2019/3/5,\"抵押,违法未处理\",\r\n"
    );
    write(dir.path(), "v.csv", &gb18030(&text));
    let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "v.csv"));
    let file = &data.report.files[0];
    assert_eq!(
        file.encoding.as_ref().map(|e| e.name.as_str()),
        Some("gb18030")
    );
    assert!(file.encoding.as_ref().unwrap().detected);
    let record = &data.assets[0];
    assert_eq!(&*record.record_key, "云G12345");
    assert_eq!(record.owners[0].name.as_str(), "陈小明");
    assert_eq!(*record.statuses, ["抵押".into(), "违法未处理".into()]);
    assert_eq!(record.registered_on.unwrap().to_string(), "2019-03-05");
    assert_eq!(record.provenance.line, 2);
    assert_eq!(record.provenance.file.sha256.as_str().len(), 64);
}

#[test]
fn configured_encoding_overrides_detection() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "v.csv",
        format!("{VEHICLE_HEADER}\n云G12345,小型轿车,张三,,,正常,\n").as_bytes(),
    );
    let mut s = spec(Some(SourceKind::Vehicle), "v.csv");
    s.encoding = Some("utf-8".into());
    let data = read(dir.path(), &s);
    assert!(!data.report.files[0].encoding.as_ref().unwrap().detected);
    s.encoding = Some("klingon".into());
    let aliases = AliasTable::builtin().unwrap();
    let err = hedui_ingest::read_source(&s, dir.path(), &aliases)
        .unwrap_err()
        .to_string();
    assert!(err.contains("v.csv") && err.contains("klingon"), "{err}");
}

#[test]
fn utf8_bom_licences_with_units_and_header_unit() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{feff}统一社会信用代码,名称,市场主体类型,经营者,证件号码,注册资本（万元）,成立日期,登记状态\n\
                914403001922038216,小卖部,个体工商户,张三,532522197506150034,50,2019年3月5日,存续\n\
                914403001922038217,饭店,个体工商户,李四,,3万元,20190305,注销\n";
    write(dir.path(), "l.csv", text.as_bytes());
    let data = read(dir.path(), &spec(Some(SourceKind::Licence), "l.csv"));
    assert!(data.report.files[0].encoding.as_ref().unwrap().had_bom);
    let capital = |i: usize| match &data.assets[i].detail {
        AssetDetail::Licence {
            registered_capital, ..
        } => registered_capital.get(),
        _ => None,
    };
    assert_eq!(capital(0), Some(500_000.0));
    assert_eq!(capital(1), Some(30_000.0));
    assert!(data.assets[1].warnings[0].contains("fails its check"));
    assert_eq!(data.report.records_with_warnings, 1);
}

#[test]
fn every_delimiter_is_sniffed() {
    for delimiter in [";", "\t", "|"] {
        let dir = tempfile::tempdir().unwrap();
        let text =
            format!("{VEHICLE_HEADER}\n云G12345,小型轿车,张三,,,正常,\n").replace(',', delimiter);
        write(dir.path(), "v.csv", text.as_bytes());
        let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "v.csv"));
        assert_eq!(data.assets.len(), 1, "delimiter {delimiter:?}");
        assert_eq!(
            data.report.files[0].delimiter.map(String::from).as_deref(),
            Some(delimiter)
        );
    }
}

#[test]
fn bad_rows_are_quarantined_with_physical_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "红河州机动车登记信息导出（导出日期：2026-07-01）\r\n\
         {VEHICLE_HEADER}\r\n\
         云G11111,小型轿车,\"张\r\n三\",,2019-03-05,正常,\r\n\
         云G22222,小型轿车,李四,,2019-03-05,正常\r\n\
         \r\n\
         云G33333,小型轿车,王五,,2019-02-30,正常,\r\n\
         云G44444,小型轿车,赵六,,2019-03-05,正常,\r\n\
         云G44444,小型轿车,赵六,,2019-03-05,正常,\r\n\
         ,,,,,,\r\n\
         云G55555,小型轿车,,,2019-03-05,正常,\r\n\
         G66666,小型轿车,孙七,,2019-03-05,正常,\r\n"
    );
    write(dir.path(), "v.csv", text.as_bytes());
    let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "v.csv"));
    let file = &data.report.files[0];
    assert_eq!((file.header_line, file.title_rows), (2, 1));
    assert_eq!(
        data.assets[0].provenance.line, 3,
        "embedded newline keeps line numbers"
    );
    assert_eq!(
        reject_lines(&data),
        [
            (5, "field_count"),
            (6, "empty_row"),
            (7, "bad_value"),
            (9, "duplicate"),
            (10, "empty_row"),
            (11, "missing_value"),
            (12, "bad_value"),
        ]
    );
    assert_eq!(
        (data.report.duplicated_rows, data.report.duplicate_copies),
        (1, 1)
    );
    assert_eq!(data.report.rows_read, 9);
    assert_eq!(data.assets.len(), 2);
    assert!(data.rejects[2].reason.to_string().contains("2019-02-30"));
    assert_eq!(data.rejects[2].reason.column(), Some("registered_on"));
}

/// A stray quote costs its own row; a row in another encoding is quarantined, not read as
/// replacement characters; the rows after both are read as usual.
#[test]
fn a_stray_quote_and_a_row_in_another_encoding_cost_one_row_each() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = format!(
        "{VEHICLE_HEADER}\r\n\
         云G11111,小型轿车,\"张三,,2019-03-05,正常,\r\n\
         云G22222,小型轿车,李四,,2019-03-05,正常,\r\n"
    )
    .into_bytes();
    bytes.extend_from_slice(&gb18030("云G33333,小型轿车,王五,,2019-03-05,正常,\r\n"));
    bytes.extend_from_slice("云G44444,小型轿车,赵六,,2019-03-05,\"抵押,查封\",\r\n".as_bytes());
    write(dir.path(), "v.csv", &bytes);
    let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "v.csv"));
    let file = &data.report.files[0];
    assert_eq!(
        file.encoding.as_ref().map(|e| e.name.as_str()),
        Some("UTF-8")
    );
    assert_eq!(reject_lines(&data), [(2, "unreadable"), (4, "unreadable")]);
    assert_eq!(
        data.rejects[0].raw,
        "云G11111,小型轿车,\"张三,,2019-03-05,正常,"
    );
    assert!(
        data.rejects[1].raw.contains('\u{FFFD}'),
        "{}",
        data.rejects[1].raw
    );
    let keys: Vec<&str> = data.assets.iter().map(|a| &*a.record_key).collect();
    assert_eq!(keys, ["云G22222", "云G44444"]);
    assert_eq!(data.report.rows_read, 4);
    assert_eq!(
        data.report.rows_read,
        data.report.accepted + data.report.rejected
    );
}

/// Two exports joined one after the other repeat the header; a text export may end with a
/// totals line. Both are told apart from bad data rows.
#[test]
fn a_repeated_header_and_a_totals_line_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{VEHICLE_HEADER}\n\
         云G11111,小型轿车,张三,,2019-03-05,正常,\n\
         {VEHICLE_HEADER}\n\
         云G22222,小型轿车,李四,,1900-01-00,正常,\n\
         合 计,,2辆,,,,\n"
    );
    write(dir.path(), "v.csv", text.as_bytes());
    let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "v.csv"));
    assert_eq!(reject_lines(&data), [(3, "repeated_header"), (5, "footer")]);
    assert_eq!(data.assets.len(), 2);
    assert_eq!(
        data.assets[1].registered_on, None,
        "Excel's day zero is no date"
    );
}

#[test]
fn missing_required_column_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "v.csv",
        "号牌号码,车辆类型,车主名称,身份证明号码\n云G12345,小型轿车,张三,\n".as_bytes(),
    );
    let aliases = AliasTable::builtin().unwrap();
    let err = hedui_ingest::read_source(
        &spec(Some(SourceKind::Vehicle), "v.csv"),
        dir.path(),
        &aliases,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("v.csv") && err.contains("owner_name") && err.contains("车主名称"),
        "{err}"
    );
}

#[test]
fn column_overrides_map_unusual_headers() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "v.csv",
        "号牌号码,登记车主\n云G12345,张三\n".as_bytes(),
    );
    let mut s = spec(Some(SourceKind::Vehicle), "v.csv");
    s.columns
        .insert("owner_name".into(), vec!["登记车主".into()]);
    let data = read(dir.path(), &s);
    assert_eq!(data.assets[0].owners[0].name.as_str(), "张三");
}

#[test]
fn property_co_owners_compound_use_and_area_units() {
    let dir = tempfile::tempdir().unwrap();
    let text = "不动产权证号,权利人,权利人证件号,共有情况,坐落,权利类型,用途,建筑面积,登记日期,权属状态\n\
                云(2019)金平县不动产权第0001234号,张三、李四,532522750615003、11010519491231002x,共同共有,金平县勐拉镇新勐村3组,宅基地使用权/房屋所有权,宅基地/住宅,46.07㎡,2019-03-05,现势\n";
    write(dir.path(), "p.csv", text.as_bytes());
    let data = read(dir.path(), &spec(Some(SourceKind::Property), "p.csv"));
    let record = &data.assets[0];
    assert_eq!(record.owners.len(), 2);
    assert_eq!(
        record.owners[0].id.valid().unwrap().as_str(),
        "532522197506150034",
        "15-digit upgraded"
    );
    assert_eq!(
        record.owners[1].id.valid().unwrap().as_str(),
        "11010519491231002X",
        "lowercase x"
    );
    let AssetDetail::Property {
        use_parts,
        floor_area,
        right_type,
        ..
    } = &record.detail
    else {
        panic!()
    };
    assert_eq!(&**right_type, "宅基地使用权/房屋所有权");
    assert_eq!(**use_parts, ["宅基地".into(), "住宅".into()]);
    assert_eq!(floor_area.get(), Some(46.07));
    assert_eq!(record.address.county.map(|c| c.code), Some("532530"));
}

/// Co-owners in columns of their own are owners too, paired with their own numbers.
#[test]
fn co_owners_in_their_own_columns_are_owners() {
    let dir = tempfile::tempdir().unwrap();
    let text = "不动产权证号,权利人,证件号,共有人,共有人证件号,坐落,用途\n\
                云(2019)金平县不动产权第0001234号,张三,532522197506150034,李四,11010519491231002X,金平县勐拉镇,住宅\n\
                云(2019)金平县不动产权第0001235号,王五,,赵六、钱七,、532522197506150034,金平县勐拉镇,住宅\n\
                云(2019)金平县不动产权第0001236号,孙八,532522197506150034,,,金平县勐拉镇,住宅\n";
    write(dir.path(), "p.csv", text.as_bytes());
    let data = read(dir.path(), &spec(Some(SourceKind::Property), "p.csv"));
    let owners = |i: usize| -> Vec<(String, Option<String>)> {
        data.assets[i]
            .owners
            .iter()
            .map(|o| {
                (
                    o.name.as_str().to_owned(),
                    o.id.valid().map(|id| id.as_str().to_owned()),
                )
            })
            .collect()
    };
    let some = |id: &str| Some(id.to_owned());
    assert_eq!(
        owners(0),
        [
            ("张三".to_owned(), some("532522197506150034")),
            ("李四".to_owned(), some("11010519491231002X")),
        ]
    );
    // 王五 and 赵六 have no number; the second co-owner's is in its own slot.
    assert_eq!(
        owners(1),
        [
            ("王五".to_owned(), None),
            ("赵六".to_owned(), None),
            ("钱七".to_owned(), some("532522197506150034")),
        ]
    );
    assert_eq!(owners(2), [("孙八".to_owned(), some("532522197506150034"))]);
    assert!(data.assets.iter().all(|a| a.warnings.is_empty()));
    let mapped: Vec<Option<&str>> = data.report.files[0]
        .mapping
        .iter()
        .map(|(_, field)| *field)
        .collect();
    assert!(mapped.contains(&Some("co_owner_names")) && mapped.contains(&Some("co_owner_ids")));
}

#[test]
fn several_files_make_one_source_in_sorted_order() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "v2.csv",
        format!("{VEHICLE_HEADER}\n云G22222,小型轿车,李四,,,正常,\n").as_bytes(),
    );
    write(
        dir.path(),
        "v1.csv",
        format!("{VEHICLE_HEADER}\n云G11111,小型轿车,张三,,,正常,\n").as_bytes(),
    );
    let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "v*.csv"));
    assert_eq!(data.report.files.len(), 2);
    let keys: Vec<_> = data.assets.iter().map(|a| &*a.record_key).collect();
    assert_eq!(keys, ["云G11111", "云G22222"]);
    let aliases = AliasTable::builtin().unwrap();
    let err = hedui_ingest::read_source(
        &spec(Some(SourceKind::Vehicle), "nothing*.csv"),
        dir.path(),
        &aliases,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("matched no files"), "{err}");
}

#[test]
fn recipients_roster_reads_members() {
    let dir = tempfile::tempdir().unwrap();
    let text = "户编号,成员姓名,身份证号,与户主关系,性别,出生日期,县市区,乡镇,村社区,家庭住址\n\
                532530-000001,张三,532522197506150034,户主,男,1975-06-15,金平县,勐拉镇,新勐村委会,3组\n";
    write(dir.path(), "r.csv", text.as_bytes());
    let data = read(dir.path(), &spec(None, "r.csv"));
    let m = &data.members[0];
    assert_eq!(&*m.household_id, "532530-000001");
    assert_eq!(m.address.county.map(|c| c.code), Some("532530"));
    assert_eq!(m.address.township.as_deref(), Some("勐拉镇"));
    assert_eq!(m.address.village.as_deref(), Some("新勐村"));
}

/// One person on two households' rosters is reported, masked, with both households.
#[test]
fn an_identity_number_in_two_households_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = "户编号,成员姓名,身份证号,与户主关系\n\
                532530-000001,张三,532522197506150034,户主\n\
                532530-000001,李四,11010519491231002X,配偶\n\
                532502-000776,张三,532522197506150034,户主\n";
    write(dir.path(), "r.csv", text.as_bytes());
    let data = read(dir.path(), &spec(None, "r.csv"));
    let shared = &data.report.ids_in_several_households;
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].id, "532522********0034");
    assert_eq!(shared[0].households, ["532530-000001", "532502-000776"]);
}

#[test]
fn a_county_in_its_own_column_completes_the_address() {
    let dir = tempfile::tempdir().unwrap();
    // The public-security layout: the address detail and its area code in two columns.
    let text = "号牌号码,机动车所有人,身份证明号码,住所行政区划,住所详细地址,机动车状态\n\
                云G12345,李磊,,532504,弥阳镇新城社区红河大道163号,正常\n\
                云G12346,李韬,,弥勒市,弥阳镇新城社区红河大道165号,正常\n\
                云G12347,王芳,,532504,泸西县中枢镇城西社区北京路53号,正常\n\
                云G12348,张伟,,,红河大道167号,正常\n";
    write(dir.path(), "v.csv", text.as_bytes());
    let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "v.csv"));
    let file = &data.report.files[0];
    assert!(file.unmapped.is_empty(), "{:?}", file.unmapped);
    let counties: Vec<Option<&str>> = data
        .assets
        .iter()
        .map(|a| a.address.county.map(|c| c.code))
        .collect();
    // The code and the name give 弥勒市; the text's own county wins over the column.
    assert_eq!(
        counties,
        [Some("532504"), Some("532504"), Some("532527"), None]
    );
    assert_eq!(data.assets[0].address.township.as_deref(), Some("弥阳镇"));
}

#[test]
fn an_extra_delimiter_is_a_defect_unless_every_row_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let header = "号牌号码,机动车所有人,身份证明号码,住所,机动车状态";
    // Line 3: a comma typed inside the address moves every later value one column right;
    // the status column is empty, so the row has one empty field too many.
    let shifted = format!(
        "{header}\n云G12345,李磊,,弥勒市弥阳镇,正常\n云G12346,李韬,,弥勒市,弥阳镇,\n\
         云G12347,王芳,,泸西县中枢镇,正常\n"
    );
    write(dir.path(), "shifted.csv", shifted.as_bytes());
    let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "shifted.csv"));
    assert_eq!(reject_lines(&data), [(3, "field_count")]);
    assert_eq!(data.assets.len(), 2);

    // An exporter that ends every row with a delimiter: each row is whole.
    let habit = format!(
        "{header}\n云G12345,李磊,,弥勒市弥阳镇,正常,\n云G12346,李韬,,弥勒市,正常,\n\
         云G12347,王芳,,泸西县中枢镇,正常,\n"
    );
    write(dir.path(), "habit.csv", habit.as_bytes());
    let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "habit.csv"));
    assert!(reject_lines(&data).is_empty());
    assert_eq!(data.assets.len(), 3);
    assert_eq!(&*data.assets[2].statuses, [Box::from("正常")]);
}

/// Copies of earlier rows, between rows that are kept: each copy is quarantined with the
/// line of its first, as written, and the records kept are the others, in file order.
#[test]
fn copies_among_kept_rows_leave_the_others_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let row = |plate: &str, name: &str| format!("{plate},小型轿车,{name},,2019-03-05,正常,\n");
    let text = [
        format!("{VEHICLE_HEADER}\n"),
        row("云G11111", "张三"),
        row("云G22222", "李四"),
        // No owner: rejected, so the copies after it are not the records at their rows'
        // places.
        row("云G55555", ""),
        row("云G11111", "张三"),
        row("云G33333", "王五"),
        row("云G22222", "李四"),
        row("云G22222", "李四"),
        row("云G44444", "赵六"),
    ]
    .concat();
    write(dir.path(), "v.csv", text.as_bytes());
    let data = read(dir.path(), &spec(Some(SourceKind::Vehicle), "v.csv"));
    let kept: Vec<(&str, u64)> = data
        .assets
        .iter()
        .map(|a| (&*a.record_key, a.provenance.line))
        .collect();
    assert_eq!(
        kept,
        [
            ("云G11111", 2),
            ("云G22222", 3),
            ("云G33333", 6),
            ("云G44444", 9)
        ]
    );
    let copies: Vec<(u64, String, &str)> = data
        .rejects
        .iter()
        .map(|r| (r.line, r.reason.to_string(), r.raw.as_str()))
        .collect();
    assert_eq!(copies.len(), 4);
    assert_eq!(
        (copies[0].0, data.rejects[0].reason.code()),
        (4, "missing_value")
    );
    for ((line, reason, raw), (expected_line, first)) in
        copies[1..].iter().zip([(5, 2), (7, 3), (8, 3)])
    {
        assert_eq!(*line, expected_line);
        assert!(reason.contains(&format!("line {first}")), "{reason}");
        assert!(
            raw.starts_with(if first == 2 {
                "云G11111,小型轿车,张三"
            } else {
                "云G22222,小型轿车,李四"
            }),
            "{raw}"
        );
    }
    assert_eq!(
        (data.report.duplicated_rows, data.report.duplicate_copies),
        (2, 3)
    );
}
