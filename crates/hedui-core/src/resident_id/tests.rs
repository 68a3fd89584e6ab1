use super::*;

#[test]
fn domain_worked_example_check_is_x() {
    let id = ResidentId::parse("11010519491231002X").unwrap();
    assert_eq!(
        id.birth_date(),
        NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
    );
    assert_eq!(id.sex(), Sex::Female);
    assert_eq!(id.area_code(), "110105");
    assert!(!id.upgraded_from_15());
}

#[test]
fn domain_worked_example_upgrades_15_to_18() {
    let id = ResidentId::parse("532522750615003").unwrap();
    assert_eq!(id.as_str(), "532522197506150034");
    assert!(id.upgraded_from_15());
    assert_eq!(id.county().map(|c| c.stem), Some("蒙自"));
    assert_eq!(id.sex(), Sex::Male);
    assert_eq!(id.to_legacy15().as_deref(), Some("532522750615003"));
}

#[test]
fn cleans_cosmetic_noise() {
    for raw in [
        "11010519491231002x",
        " 110105 1949 1231 002X ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "'11010519491231002X",
        "110105-19491231-002X",
    ] {
        assert_eq!(
            ResidentId::parse(raw).map(|id| id.as_str().to_owned()),
            Ok("11010519491231002X".to_owned()),
            "{raw:?}"
        );
    }
}

#[test]
fn classifies_defects() {
    assert_eq!(ResidentId::parse("  "), Err(IdDefect::Empty));
    assert_eq!(
        ResidentId::parse("5.32501E+17"),
        Err(IdDefect::ScientificNotation)
    );
    assert_eq!(
        ResidentId::parse("1101051949123100X2"),
        Err(IdDefect::BadCharacter {
            position: 16,
            ch: 'X'
        })
    );
    assert_eq!(
        ResidentId::parse("1101051949"),
        Err(IdDefect::BadLength(10))
    );
    assert_eq!(
        ResidentId::parse("11010519491231002"),
        Err(IdDefect::MissingCheckChar)
    );
    assert_eq!(
        ResidentId::parse("99010519491231002X"),
        Err(IdDefect::UnknownArea("99".into()))
    );
    assert_eq!(
        ResidentId::parse("110105194902300021"),
        Err(IdDefect::ImpossibleBirthDate("19490230".into()))
    );
    assert_eq!(
        ResidentId::parse("110105194912310021"),
        Err(IdDefect::CheckMismatch {
            expected: 'X',
            found: '1'
        })
    );
    assert!(ResidentId::parse("李四").is_err());
}

#[test]
fn debug_and_display_never_show_the_full_number() {
    let id = ResidentId::parse("532522197506150034").unwrap();
    assert_eq!(id.to_string(), "532522********0034");
    assert_eq!(format!("{id:?}"), "ResidentId(532522********0034)");
    assert_eq!(mask("5325221975"), "**********");
}

#[test]
fn neighbours_recover_typo_and_transposition() {
    let original = ResidentId::parse("532522197506150034").unwrap();
    let typo = "532522197506180034";
    let swapped = "532522197506150304";
    assert!(ResidentId::parse(typo).is_err());
    assert!(one_edit_neighbours(typo).contains(&original));
    assert!(one_edit_neighbours(swapped).contains(&original));
    assert_eq!(one_edit_neighbours("53252219750615003"), vec![original]);
    for n in one_edit_neighbours(typo) {
        assert!(ResidentId::parse(n.as_str()).is_ok());
    }
}

#[test]
fn upgraded_number_equals_its_18_digit_form() {
    let legacy = ResidentId::parse("532522750615003").unwrap();
    let modern = ResidentId::parse("532522197506150034").unwrap();
    assert_eq!(legacy, modern);
    let mut set = std::collections::HashSet::new();
    set.insert(modern);
    assert!(set.contains(&legacy));
}

proptest::proptest! {
    /// MOD 11-2 weights are all non-zero mod 11, and so are adjacent weights' differences, so
    /// one substitution or one adjacent transposition always changes the check: a valid
    /// number has no valid neighbour. The matcher relies on this to skip the neighbour search
    /// for valid numbers no member has.
    #[test]
    fn a_valid_number_has_no_valid_one_edit_neighbour(
        area in proptest::sample::select(vec!["532501", "532522", "532531", "110105"]),
        year in 1930u32..2020,
        month in 1u32..=12,
        day in 1u32..=28,
        sequence in 0u32..1000,
    ) {
        let body = format!("{area}{year:04}{month:02}{day:02}{sequence:03}");
        let body: [u8; 17] = body.as_bytes().try_into().unwrap();
        let valid = ResidentId::from_body(&body).unwrap();
        proptest::prop_assert!(one_edit_neighbours(valid.as_str()).is_empty());
    }
}

#[test]
fn legacy_neighbours_recover_a_slip_in_a_15_digit_number() {
    let member = ResidentId::parse("532522197506150034").unwrap();
    // A slip and a swap in the sequence: both still "valid" 15-digit numbers.
    for typed in ["532522750615004", "532522750615030"] {
        let upgraded = ResidentId::parse(typed).unwrap();
        assert!(upgraded.upgraded_from_15());
        assert_ne!(upgraded, member);
        let neighbours = legacy_neighbours(&upgraded);
        assert!(neighbours.contains(&member), "{typed}");
        assert!(!neighbours.contains(&upgraded));
    }
    assert!(
        legacy_neighbours(&member).is_empty(),
        "not upgraded: no legacy slips"
    );
}

#[test]
fn a_slip_is_one_substitution_or_one_adjacent_transposition() {
    let slips = |a: &[u8], b: &[u8]| one_slip(a, b).is_some();
    assert!(slips(b"12345", b"12355"));
    assert!(slips(b"12345", b"12354"));
    assert!(!slips(b"12345", b"12345"));
    assert!(!slips(b"12345", b"21354"));
    assert!(!slips(b"12345", b"14325"));
    assert!(!slips(b"1234", b"12345"));
    assert_eq!(one_slip(b"12345", b"12355"), Some((3, 3)));
    assert_eq!(one_slip(b"12345", b"12354"), Some((3, 4)));
}

proptest::proptest! {
    /// A plain 18-character cell skips cleaning; the same digits written so that they must be
    /// cleaned (padded, full-width) give the same answer, valid or not.
    #[test]
    fn plain_cells_read_as_cleaned_ones(digits in "[0-9]{17}[0-9X]") {
        let padded = format!(" {digits}\u{3000}");
        let full_width: String = digits
            .chars()
            .map(|c| c.to_digit(10).and_then(|d| char::from_u32(0xFF10 + d)).unwrap_or(c))
            .collect();
        proptest::prop_assert_eq!(ResidentId::parse(&digits), ResidentId::parse(&padded));
        proptest::prop_assert_eq!(ResidentId::parse(&digits), ResidentId::parse(&full_width));
    }
}

#[test]
fn as_an_integer_numbers_keep_their_equality_and_order() {
    // Bodies whose checks differ, one of them `X`; the same body twice.
    let mut ids: Vec<ResidentId> = [
        b"11010519491231002",
        b"11010519491231003",
        b"53250119900101001",
        b"53250119900101000",
        b"53250119900101002",
        b"53250119800101001",
    ]
    .iter()
    .filter_map(|body| ResidentId::from_body(body))
    .collect();
    assert_eq!(ids.len(), 6, "the test needs valid numbers");
    assert!(ids.iter().any(|id| id.as_str().ends_with('X')));
    ids.push(ids[0]);
    for a in &ids {
        for b in &ids {
            assert_eq!(a.cmp(b), a.as_u64().cmp(&b.as_u64()), "{a:?} {b:?}");
        }
    }
    assert_eq!(
        ResidentId::parse("11010519491231002X").map(|id| id.as_u64()),
        Ok(11_010_519_491_231_002 * 11 + 10)
    );
}

/// The quick date check and the birth date agree with the calendar on every date around the
/// years accepted, every month and day number two digits can write, and on text that is not
/// digits.
#[test]
fn the_quick_date_check_is_the_calendar() {
    for year in 1890..=2110 {
        for month in 0..=13 {
            for day in 0..=32 {
                let text = format!("{year:04}{month:02}{day:02}");
                let calendar = NaiveDate::from_ymd_opt(year, month, day)
                    .filter(|_| (1900..=2099).contains(&year));
                assert_eq!(
                    is_calendar_date(text.as_bytes()),
                    calendar.is_some(),
                    "{text}"
                );
                assert_eq!(birth_date_of(text.as_bytes()).ok(), calendar, "{text}");
                // A number with that date reads it back by arithmetic.
                let body: [u8; 17] = format!("532501{text}002").into_bytes().try_into().unwrap();
                let id = ResidentId::from_body(&body);
                assert_eq!(id.map(|id| id.birth_date()), calendar, "{text}");
            }
        }
    }
    for text in ["2000010", "2000 101", "20000I01", "+2000101", ""] {
        assert!(!is_calendar_date(text.as_bytes()), "{text}");
    }
    // `birth_date_of` reads what `str::parse` reads, a sign included; the quick check only
    // answers for digits, which is all a number's body may hold.
    assert_eq!(
        birth_date_of(b"2000+1+1").ok(),
        NaiveDate::from_ymd_opt(2000, 1, 1)
    );
}

/// A body is a number's exactly when its validation passes: the quick checks `from_body`
/// makes agree with `validate_body` on dates and areas that fail and pass.
#[test]
fn a_body_is_built_exactly_when_it_validates() {
    for body in [
        "11010519491231002",
        "11010519490229002",
        "11010520000229002",
        "11010519001301002",
        "11010518991231002",
        "00010519491231002",
        "53250120991231002",
        "53250121000101002",
    ] {
        let bytes: &[u8; 17] = body.as_bytes().first_chunk().unwrap();
        assert_eq!(
            ResidentId::from_body(bytes).is_some(),
            validate_body(bytes).is_ok(),
            "{body}"
        );
    }
    let valid: &[u8; 17] = b"11010520000229002";
    assert!(ResidentId::from_body(valid).is_some());
    let unknown_area: &[u8; 17] = b"00010519491231002";
    assert!(ResidentId::from_body(unknown_area).is_none());
}

proptest::proptest! {
    /// The digit a substitution needs is computed from the check; it must be the one digit
    /// trying all ten finds, for any body and any last character, digits or not.
    #[test]
    fn the_computed_substitution_is_the_one_a_search_finds(
        body in "[0-9]{17}|[0-9X]{17}|[0-9A]{17}",
        check in "[0-9XA]",
    ) {
        let body: [u8; 17] = body.into_bytes().try_into().unwrap();
        let check = check.as_bytes()[0];
        let sum = check::weighted_sum(&body);
        for (position, &from) in body.iter().enumerate() {
            let searched: Vec<u8> = (b'0'..=b'9')
                .filter(|&digit| {
                    let mut candidate = body;
                    candidate[position] = digit;
                    digit != from && check_char(&candidate) == check
                })
                .collect();
            let computed = check::substitution_for_check(sum, position, from, check);
            proptest::prop_assert_eq!(computed.into_iter().collect::<Vec<_>>(), searched);
        }
    }
}
