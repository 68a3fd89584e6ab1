use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn accepts_every_export_format() {
    let expected = d(2019, 3, 5);
    for raw in [
        "2019-03-05",
        "2019-3-5",
        "2019/03/05",
        "2019/3/5",
        "2019.3.5",
        "2019.03.05",
        "20190305",
        "2019年3月5日",
        "2019年03月05日",
        "2019年3月5号",
        "2019 年 3 月 5 日",
        "2019-03-05 00:00:00",
        "2019-03-05T08:30:00",
        "2019-03-05T08:30:00Z",
        "2019-03-05T08:30:00+08:00",
        "2019-03-05 00:00:00.000",
        "2019/3/5 8:30",
        "2019/3/5 8:30:00 PM",
        "2019年3月5日 8:30",
        "20190305083000",
        "２０１９－０３－０５",
        "２０１９年３月５日",
        "  2019-03-05\t",
        "\u{3000}2019/3/5\u{3000}",
    ] {
        assert_eq!(parse_date(raw), Ok(expected), "{raw:?}");
    }
}

#[test]
fn day_month_order_is_accepted_only_when_decidable() {
    assert_eq!(parse_date("25/03/2019"), Ok(d(2019, 3, 25)));
    assert_eq!(parse_date("3/25/2019"), Ok(d(2019, 3, 25)));
    assert_eq!(parse_date("05/05/2019"), Ok(d(2019, 5, 5)));
}

#[test]
fn empty_and_placeholders() {
    for raw in [
        "",
        "   ",
        "-",
        "无",
        "NULL",
        "0000-00-00",
        "00000000",
        "0000-00-00 00:00:00",
        "1900-01-00",
        "1900/1/0",
        "1900-01-00 00:00:00",
        "—",
        "N/A",
    ] {
        assert!(
            matches!(parse_date(raw), Err(DateError::Empty { .. })),
            "{raw:?}"
        );
    }
}

#[test]
fn unrecognised() {
    for raw in [
        "abc",
        "2019",
        "2019-03",
        "2019年3月",
        "2019-03-05 foo",
        "2019-3/5",
        "201903051",
        "43529",
        "2019-03-05T",
        "19-3-2019x",
    ] {
        let err = parse_date(raw).unwrap_err();
        assert!(
            matches!(err, DateError::Unrecognised { .. }),
            "{raw:?}: {err:?}"
        );
    }
}

#[test]
fn impossible() {
    for raw in [
        "2019-02-30",
        "2019-13-01",
        "2019-00-10",
        "20190230",
        "2019年2月29日",
        "2019-03-05 25:00",
        "2019-03-05 23:60:00",
        "25/13/2019",
    ] {
        let err = parse_date(raw).unwrap_err();
        assert!(
            matches!(err, DateError::Impossible { .. }),
            "{raw:?}: {err:?}"
        );
    }
    assert_eq!(parse_date("2020-02-29"), Ok(d(2020, 2, 29)), "leap year");
}

#[test]
fn ambiguous() {
    for raw in ["03/05/2019", "05-03-19", "190305", "5.3.19"] {
        let err = parse_date(raw).unwrap_err();
        assert!(
            matches!(err, DateError::Ambiguous { .. }),
            "{raw:?}: {err:?}"
        );
    }
}

#[test]
fn out_of_range() {
    for raw in ["1899-12-31", "2101-01-01", "18000230", "0019-03-05"] {
        let err = parse_date(raw).unwrap_err();
        assert!(
            matches!(err, DateError::OutOfRange { .. }),
            "{raw:?}: {err:?}"
        );
    }
    assert_eq!(parse_date("1900-01-01"), Ok(d(1900, 1, 1)));
    assert_eq!(parse_date("2100-12-31"), Ok(d(2100, 12, 31)));
}

#[test]
fn errors_name_the_raw_text() {
    let err = parse_date("2019-02-30").unwrap_err();
    assert_eq!(
        err.to_string(),
        "impossible date \"2019-02-30\": no such day in that month"
    );
}

#[test]
fn excel_serials() {
    assert_eq!(from_excel_serial(43529.0), Ok(d(2019, 3, 5)));
    assert_eq!(from_excel_serial(43529.75), Ok(d(2019, 3, 5)));
    assert_eq!(from_excel_serial(61.0), Ok(d(1900, 3, 1)));
    assert_eq!(from_excel_serial(59.0), Ok(d(1900, 2, 28)));
    assert_eq!(from_excel_serial(1.0), Ok(d(1900, 1, 1)));
    assert_eq!(from_excel_serial(73_415.0), Ok(d(2100, 12, 31)));
    assert!(matches!(
        from_excel_serial(60.0),
        Err(DateError::Impossible { .. })
    ));
    for bad in [0.0, -1.0, 0.5, 73_416.0, 1e300] {
        assert!(
            matches!(from_excel_serial(bad), Err(DateError::OutOfRange { .. })),
            "{bad}"
        );
    }
    assert!(matches!(
        from_excel_serial(f64::NAN),
        Err(DateError::Unrecognised { .. })
    ));
    assert_eq!(to_excel_serial(d(2019, 3, 5)), Some(43529));
    assert_eq!(to_excel_serial(d(1900, 3, 1)), Some(61));
    assert_eq!(to_excel_serial(d(1900, 1, 1)), Some(1));
    assert_eq!(to_excel_serial(d(1899, 12, 31)), None);
    assert_eq!(from_excel_serial(73_050.0), Ok(d(2099, 12, 31)));
}

#[test]
fn bare_serials_only_when_asked() {
    assert_eq!(parse_date_or_serial("43529"), Ok(d(2019, 3, 5)));
    assert_eq!(parse_date_or_serial(" 43529.375 "), Ok(d(2019, 3, 5)));
    assert_eq!(parse_date_or_serial("2019/3/5"), Ok(d(2019, 3, 5)));
    assert_eq!(parse_date_or_serial("20190305"), Ok(d(2019, 3, 5)));
    assert!(parse_date_or_serial("9999").is_err());
    assert!(parse_date_or_serial("80000").is_err());
    assert!(parse_date("43529").is_err());
}

#[test]
fn serials_of_the_1904_system_are_1462_days_behind() {
    use DateSystem::{Excel1900, Excel1904};
    assert_eq!(from_excel_serial_in(0.0, Excel1904), Ok(d(1904, 1, 1)));
    assert_eq!(from_excel_serial_in(42_067.0, Excel1904), Ok(d(2019, 3, 5)));
    assert_eq!(from_excel_serial_in(42_067.5, Excel1904), Ok(d(2019, 3, 5)));
    assert_eq!(
        from_excel_serial_in(71_953.0, Excel1904),
        Ok(d(2100, 12, 31))
    );
    // Past Excel's fake leap day, the systems are 1462 days apart everywhere.
    for serial in [1_462.0, 20_000.0, 43_529.0, 73_415.0] {
        assert_eq!(
            from_excel_serial_in(serial - 1_462.0, Excel1904),
            from_excel_serial_in(serial, Excel1900),
            "{serial}"
        );
    }
    for bad in [-1.0, 71_954.0, f64::INFINITY] {
        assert!(from_excel_serial_in(bad, Excel1904).is_err(), "{bad}");
    }
    assert_eq!(
        parse_date_or_serial_in("42067", Excel1904),
        Ok(d(2019, 3, 5))
    );
    assert_eq!(
        parse_date_or_serial_in("43529", Excel1900),
        Ok(d(2019, 3, 5))
    );
    assert_eq!(
        parse_date_or_serial_in("2019/3/5", Excel1904),
        Ok(d(2019, 3, 5)),
        "written dates do not depend on the system"
    );
    assert!(matches!(
        parse_date_or_serial_in("73050", Excel1904),
        Err(DateError::OutOfRange { raw }) if raw == "73050"
    ));
}

proptest::proptest! {
    /// The quick reading of plain dates never disagrees with the full parser: whatever it
    /// reads, the full parser reads the same; whatever it leaves, the full parser decides.
    #[test]
    fn plain_dates_read_as_the_full_parser_reads_them(
        text in "[0-9]{1,5}[-/.][0-9]{1,3}[-/.][0-9]{1,3}|[0-9]{6,9}|[0-9]{4}[-/.][0-9]{1,2}[-/][0-9]{1,2}"
    ) {
        if let Some(date) = plain_date(&text) {
            proptest::prop_assert_eq!(parse_date_in_full(&text), Ok(date));
        }
        proptest::prop_assert_eq!(parse_date(&text), parse_date_in_full(&text));
    }
}

#[test]
fn plain_dates_take_the_quick_reading() {
    for (text, expected) in [
        ("2019-03-05", d(2019, 3, 5)),
        ("2019/3/5", d(2019, 3, 5)),
        ("2019.03.5", d(2019, 3, 5)),
        ("20190305", d(2019, 3, 5)),
    ] {
        assert_eq!(plain_date(text), Some(expected), "{text}");
    }
    // Left to the full parser: it names what is wrong, or handles the wider form.
    for text in [
        "2019-02-30",
        "1899-01-01",
        "2019-13-01",
        "2019-03/05",
        " 2019-03-05",
        "2019-03-05 08:00",
    ] {
        assert_eq!(plain_date(text), None, "{text}");
    }
}
