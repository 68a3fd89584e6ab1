//! Properties of the normalisers: idempotence for names and addresses, totality for the
//! date parser, and the Excel serial round trip.

use chrono::{Days, NaiveDate};
use hedui_core::address::Address;
use hedui_core::area::COUNTIES;
use hedui_core::date::{from_excel_serial, parse_date, parse_date_or_serial, to_excel_serial};
use hedui_core::name::PersonName;
use proptest::prelude::*;
use proptest::sample::select;

/// Pieces real names are made of, including the troublesome ones: traditional forms,
/// every separator, placeholders, padding spaces, full-width Latin and invisible marks.
const NAME_PIECES: &[&str] = &[
    "陈",
    "陳",
    "张",
    "張",
    "偉",
    "伟",
    "玮",
    "丽",
    "麗",
    "莉",
    "买",
    "買",
    "提",
    "阿",
    "依",
    "古",
    "王",
    "汪",
    "李",
    "单",
    "曾",
    "〇",
    "华",
    "發",
    "后",
    "乾",
    "·",
    "•",
    "∙",
    "・",
    "‧",
    ".",
    "．",
    " ",
    "\u{3000}",
    "\t",
    "?",
    "？",
    "□",
    "■",
    "\u{FFFD}",
    "\u{E123}",
    "\u{F0001}",
    "Ａ",
    "z",
    "ü",
    "\u{0301}",
    "\u{200B}",
    "\u{FEFF}",
];

fn built_name() -> impl Strategy<Value = String> {
    prop::collection::vec(select(NAME_PIECES), 0..12).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn name_normalisation_is_idempotent_on_any_text(raw in any::<String>()) {
        let once = PersonName::normalise(&raw);
        prop_assert_eq!(PersonName::normalise(once.as_str()), once);
    }

    #[test]
    fn name_normalisation_is_idempotent_on_name_like_text(raw in built_name()) {
        let once = PersonName::normalise(&raw);
        let twice = PersonName::normalise(once.as_str());
        prop_assert_eq!(&twice, &once);
        prop_assert_eq!(once.wildcards(), once.as_str().matches('?').count());
        prop_assert!(!once.as_str().starts_with('·') && !once.as_str().ends_with('·'));
        prop_assert!(!once.as_str().contains("··"));
        prop_assert!(!once.as_str().chars().any(char::is_whitespace));
    }
}

/// A structured address: the parts a generator chose, written in one of the forms
/// departments use.
#[derive(Debug, Clone)]
struct Written {
    raw: String,
    county: Option<&'static str>,
    group: Option<u32>,
}

fn written_address() -> impl Strategy<Value = Written> {
    let county = prop::option::of((0..COUNTIES.len(), 0..3usize, any::<prop::sample::Index>()));
    let village = prop::option::of((
        select(&["新勐", "大寨", "东门", "三家", "新", "地西北"][..]),
        select(&["村委会", "村民委员会", "村", "社区", "社区居委会", "居委会"][..]),
    ));
    let group = prop::option::of((1u32..60, 0..4usize));
    let rest = select(&["", "12号", "二十三号", "A栋3单元", "新村路5号", "???"][..]);
    let prefix = select(&["", "云南省", "云南省红河州", "红河哈尼族彝族自治州", "云南"][..]);
    (prefix, county, village, group, rest).prop_map(|(prefix, county, village, group, rest)| {
        let mut raw = prefix.to_owned();
        let mut county_code = None;
        if let Some((i, form, township)) = county {
            let c = &COUNTIES[i];
            raw.push_str([c.full_name, c.common_name, c.stem][form]);
            // Townships are listed for Honghe only; elsewhere they are read by suffix.
            let townships = if c.townships.is_empty() {
                &["龙泉镇", "太平乡", "华山街道"][..]
            } else {
                c.townships
            };
            raw.push_str(township.get::<&str>(townships));
            county_code = Some(c.code);
        }
        if let Some((stem, marker)) = village {
            raw.push_str(stem);
            raw.push_str(marker);
        }
        if let Some((n, form)) = group {
            raw.push_str(&match form {
                0 => format!("{n}组"),
                1 => format!("第{n}村民小组"),
                2 => format!("{n}社"),
                _ => format!("{n:02}小组"),
            });
        }
        raw.push_str(rest);
        Written {
            raw,
            county: county_code,
            group: group.map(|(n, _)| n),
        }
    })
}

/// Address fragments shuffled freely, to hit the parser's boundaries between levels.
/// Written as one `|`-separated string to keep the list readable after rustfmt.
const ADDRESS_PIECES: &str = "云南省|红河州|红河|蒙自|金平县|河口|县|市|区|镇|乡|街道|办事处|勐拉|\
    文澜镇|者米|拉祜族|村|村委会|村民委员会|社区|居委会|社|组|小组|村民小组|第|三|十|二十|〇|3|12|号|\
    路|新|大寨|东门| |、|-|?|街道办事处|苗族|居民小组|百|零|,|A|栋|河口镇|红河县|迤萨|城区|小区|民|委|\
    会|０";

fn address_like() -> impl Strategy<Value = String> {
    let pieces: Vec<&str> = ADDRESS_PIECES.split('|').map(str::trim_start).collect();
    prop::collection::vec(select(pieces), 0..10).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn address_parsing_is_stable_on_address_like_text(raw in address_like()) {
        let parsed = Address::parse(&raw);
        prop_assert_eq!(Address::parse(&parsed.key()), parsed);
    }

    #[test]
    fn address_parts_survive_rendering(w in written_address()) {
        let parsed = Address::parse(&w.raw);
        prop_assert_eq!(parsed.county.map(|c| c.code), w.county);
        prop_assert_eq!(parsed.group, w.group);
        prop_assert_eq!(Address::parse(&parsed.key()), parsed);
    }

    #[test]
    fn a_house_number_split_off_parses_as_the_whole(
        raw in prop_oneof![address_like(), written_address().prop_map(|w| w.raw), any::<String>()],
        number in prop::option::of(0u32..2000),
    ) {
        let raw = match number {
            Some(n) => format!("{raw}{n}号"),
            None => raw,
        };
        let mut place = None;
        let reused = Address::parse_reusing_place(&raw, |p| {
            place = Some(p.to_owned());
            Box::new(Address::parse(p))
        });
        prop_assert_eq!(reused, Address::parse(&raw));
        if let Some(place) = place {
            prop_assert!(raw.starts_with(&place) && raw.ends_with('号'), "{:?}", place);
        }
    }

    #[test]
    fn address_parsing_is_total_and_stable_on_any_text(raw in any::<String>()) {
        let parsed = Address::parse(&raw);
        prop_assert_eq!(Address::parse(&parsed.key()), parsed);
    }

    #[test]
    fn parse_date_never_panics(raw in any::<String>()) {
        let _ = parse_date(&raw);
        let _ = parse_date_or_serial(&raw);
    }

    #[test]
    fn parse_date_never_panics_on_date_like_text(raw in "[0-9０-９年月日号/.:T -]{0,24}") {
        let _ = parse_date(&raw);
        let _ = parse_date_or_serial(&raw);
    }

    #[test]
    fn formatted_dates_parse_back(days in 0u64..73_049) {
        let date = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + Days::new(days);
        for text in [
            date.format("%Y-%m-%d").to_string(),
            date.format("%Y/%-m/%-d").to_string(),
            date.format("%Y%m%d").to_string(),
            date.format("%Y年%-m月%-d日").to_string(),
            format!("{} 00:00:00", date.format("%Y-%m-%d")),
        ] {
            prop_assert_eq!(parse_date(&text), Ok(date), "{}", text);
        }
    }

    #[test]
    fn excel_serial_round_trips(days in 0u64..=73_354, fraction in 0.0f64..1.0) {
        // 1900-03-01 ..= 2100-12-31
        let date = NaiveDate::from_ymd_opt(1900, 3, 1).unwrap() + Days::new(days);
        let serial = to_excel_serial(date).unwrap();
        prop_assert_eq!(from_excel_serial(f64::from(serial) + fraction), Ok(date));
        prop_assert_eq!(from_excel_serial(f64::from(serial)).map(to_excel_serial), Ok(Some(serial)));
    }
}

/// Pieces plates are written with: provinces simplified, traditional and not, authority
/// letters in both cases and widths, serial characters, suffixes, and the separators
/// exports put inside a plate.
const PLATE_PIECES: &[&str] = &[
    "云", "雲", "京", "粤", "粵", "A", "G", "g", "Ｇ", "Z", "0", "5", "9", "１", "D", "F", "学",
    "警", "挂", "港", "·", "-", ".", " ", "　", "é", "号",
];

proptest! {
    #[test]
    fn plates_in_normal_form_parse_as_when_folded(
        pieces in proptest::collection::vec(select(PLATE_PIECES), 0..10)
    ) {
        let raw = pieces.concat();
        prop_assert_eq!(hedui_core::Plate::parse(&raw), hedui_core::Plate::parse_folding(&raw));
    }

    #[test]
    fn plate_shaped_text_parses_as_when_folded(
        province in select(&["云", "雲", "京", "粵", "", "Y"][..]),
        authority in select(&["G", "g", "Ｇ", "A", "1", ""][..]),
        serial in proptest::collection::vec(select(&["0", "5", "9", "１", "D", "F", "Z", "z", "·", "-", " ", "学"][..]), 3..8),
        suffix in select(&["", "学", "警", "挂", "港", "号"][..]),
    ) {
        let raw = format!("{province}{authority}{}{suffix}", serial.concat());
        let parsed = hedui_core::Plate::parse(&raw);
        prop_assert_eq!(&parsed, &hedui_core::Plate::parse_folding(&raw));
        if let Ok(plate) = parsed {
            prop_assert_eq!(hedui_core::Plate::parse(plate.as_str()), Ok(plate.clone()));
        }
    }
}
