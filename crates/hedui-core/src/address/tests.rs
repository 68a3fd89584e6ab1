use super::*;
use crate::area::COUNTIES;

fn a(raw: &str) -> Address {
    Address::parse(raw)
}

fn code(addr: &Address) -> Option<&'static str> {
    addr.county.map(|c| c.code)
}

#[test]
fn full_and_short_forms_agree() {
    let long = a("云南省红河哈尼族彝族自治州金平苗族瑶族傣族自治县勐拉镇新勐村委会三组");
    let short = a("金平县勐拉镇新勐村民委员会3组");
    for addr in [&long, &short] {
        assert_eq!(code(addr), Some("532530"));
        assert_eq!(addr.township.as_deref(), Some("勐拉镇"));
        assert_eq!(addr.village.as_deref(), Some("新勐村"));
        assert_eq!(addr.group, Some(3));
        assert_eq!(&*addr.rest, "");
    }
    assert_eq!(long, short);
    assert_eq!(
        long.agreement(&short),
        AddressAgreement::SameVillageAndGroup
    );
    assert_eq!(long.key(), "金平县勐拉镇新勐村3组");
}

#[test]
fn community_committee() {
    let addr = a("红河县迤萨镇东门社区居委会");
    assert_eq!(code(&addr), Some("532529"));
    assert_eq!(addr.township.as_deref(), Some("迤萨镇"));
    assert_eq!(addr.village.as_deref(), Some("东门社区"));
    assert_eq!(a("红河州红河县迤萨镇东门居委会"), addr);
    assert_eq!(
        a("红河县迤萨镇东门社区").village.as_deref(),
        Some("东门社区")
    );
}

#[test]
fn county_stem_without_suffix() {
    let addr = a("蒙自文澜镇");
    assert_eq!(code(&addr), Some("532503"));
    assert_eq!(addr.township.as_deref(), Some("文澜镇"));
    assert_eq!(
        code(&a("蒙自县文澜镇")),
        Some("532503"),
        "former county name"
    );
    assert_eq!(code(&a("云南红河蒙自市文澜镇")), Some("532503"));
    assert_eq!(code(&a("红河州蒙自市")), Some("532503"));
}

#[test]
fn group_forms() {
    for raw in [
        "勐拉镇新勐村三组",
        "勐拉镇新勐村3组",
        "勐拉镇新勐村第三村民小组",
        "勐拉镇新勐村第3组",
        "勐拉镇新勐村三社",
        "勐拉镇新勐村3小组",
        "勐拉镇新勐村委会０３组",
    ] {
        assert_eq!(a(raw).group, Some(3), "{raw}");
        assert_eq!(a(raw).village.as_deref(), Some("新勐村"), "{raw}");
    }
    assert_eq!(a("大寨村二十三组").group, Some(23));
    assert_eq!(a("东门社区").group, None);
}

#[test]
fn numbers_before_units_become_arabic() {
    let addr = a("金平县金河镇城区社区二十三号");
    assert_eq!(&*addr.rest, "23号");
    assert_eq!(
        a("建水县临安镇三家村五组十二号").village.as_deref(),
        Some("三家村")
    );
    assert_eq!(&*a("建水县临安镇三家村五组十二号").rest, "12号");
}

#[test]
fn townships_in_other_forms() {
    assert_eq!(
        a("金平县者米乡").township.as_deref(),
        Some("者米拉祜族乡"),
        "ethnic designation left out"
    );
    assert_eq!(
        a("金平县勐拉乡新勐村").township.as_deref(),
        Some("勐拉镇"),
        "old 乡"
    );
    assert_eq!(
        a("个旧市城区街道办事处").township.as_deref(),
        Some("城区街道")
    );
    assert_eq!(a("弥勒市西三镇").township.as_deref(), Some("西三镇"));
    assert_eq!(a("红河县三村乡").township.as_deref(), Some("三村乡"));
    let kunming = a("昆明市五华区护国街道办事处");
    assert_eq!(code(&kunming), Some("530102"));
    assert_eq!(kunming.township.as_deref(), Some("护国街道"));
    let unknown = a("四川省成都市武侯区望江路街道办事处");
    assert_eq!(unknown.county, None);
    assert_eq!(
        unknown.township, None,
        "a long prefix is not a township name"
    );
    let generic = a("建水县新设镇大寨村");
    assert_eq!(generic.township.as_deref(), Some("新设镇"));
    assert_eq!(generic.village.as_deref(), Some("大寨村"));
}

#[test]
fn county_stem_as_place_name() {
    let addr = a("河口镇");
    assert_eq!(
        code(&addr),
        Some("532532"),
        "the township is unique to 河口县"
    );
    assert_eq!(addr.township.as_deref(), Some("河口镇"));
    let addr = a("河口县河口镇");
    assert_eq!(code(&addr), Some("532532"));
    assert_eq!(addr.township.as_deref(), Some("河口镇"));
}

#[test]
fn county_stem_as_street_name() {
    for street in [
        "红河大道167号",
        "建水路12号",
        "蒙自街5号",
        "开远广场",
        "个旧大桥旁",
    ] {
        let addr = a(street);
        assert_eq!(code(&addr), None, "{street}");
        assert!(addr.rest.starts_with(&street[..6]), "{street}: {addr:?}");
    }
    // The county named before its street still counts.
    assert_eq!(code(&a("个旧市红河大道19号")), Some("532501"));
    assert_eq!(code(&a("建水临安镇建水路3号")), Some("532524"));
}

#[test]
fn village_edge_cases() {
    assert_eq!(a("勐拉镇大寨村村委会").village.as_deref(), Some("大寨村"));
    assert_eq!(a("勐拉镇新村村委会").village.as_deref(), Some("新村"));
    assert_eq!(a("文澜镇新村路12号").village, None);
    assert_eq!(&*a("文澜镇新村路12号").rest, "新村路12号");
    assert_eq!(a("勐拉镇上寨村民小组").village, None);
}

#[test]
fn agreement_levels() {
    use AddressAgreement::*;
    let base = a("金平县勐拉镇新勐村3组");
    assert_eq!(base.agreement(&a("金平县勐拉镇新勐村5组")), SameVillage);
    assert_eq!(base.agreement(&a("金平县勐拉镇新勐村")), SameVillage);
    assert_eq!(base.agreement(&a("金平县勐拉镇地西北村3组")), SameTownship);
    assert_eq!(base.agreement(&a("金平县金河镇新勐村3组")), SameCounty);
    assert_eq!(base.agreement(&a("金平县新勐村3组")), SameCounty);
    assert_eq!(base.agreement(&a("绿春县大兴镇")), Different);
    assert_eq!(base.agreement(&a("勐拉镇新勐村3组")), SameVillageAndGroup);
    assert_eq!(
        base.agreement(&a("金河镇")),
        SameCounty,
        "金河镇 places itself in 金平县"
    );
    assert_eq!(base.agreement(&a("")), Missing);
    let named = a("金平县勐拉镇新勐村委会前进村民小组");
    assert_eq!(named.hamlet(), Some("前进"));
    assert_eq!(
        named.agreement(&a("勐拉镇新勐村委会前进15号")),
        SameVillageAndGroup,
        "the same natural village, once by group name and once by house number"
    );
    assert_eq!(
        named.agreement(&a("勐拉镇新勐村委会大坪村民小组")),
        SameVillage
    );
    assert_eq!(
        named.agreement(&base),
        SameVillage,
        "a name and a number cannot be compared"
    );
    assert_eq!(a("文澜镇东门社区人民路12号").hamlet(), None);
    assert_eq!(a("新勐村").agreement(&a("新勐村")), Missing);
}

#[test]
fn empty_and_garbage_never_fail() {
    assert!(a("").is_empty());
    assert!(a("   ").is_empty());
    assert_eq!(&*a("???").rest, "???");
}

#[test]
fn area_codes() {
    assert_eq!(
        county_from_area_code("532530").map(|c| c.common_name),
        Some("金平县")
    );
    assert_eq!(
        county_from_area_code("53252219750615003X").map(|c| c.stem),
        Some("蒙自")
    );
    assert_eq!(county_from_area_code("5325"), None);
    assert_eq!(county_from_area_code("五三二五三〇"), None);
}

#[test]
fn every_listed_township_parses_to_itself() {
    for county in &COUNTIES {
        for &name in county.townships {
            let addr = a(&format!("{}{name}", county.full_name));
            assert_eq!(addr.county, Some(county));
            assert_eq!(
                addr.township.as_deref(),
                Some(name),
                "{}",
                county.common_name
            );
            assert_eq!(&*addr.rest, "", "{name}");
        }
    }
}

#[test]
fn house_numbers() {
    for (raw, number) in [
        ("红河县迤萨镇河边村委会河边村民小组19号", Some("19")),
        ("红河县迤萨镇河边村委会河边19号", Some("19")),
        ("个旧市城区街道建设社区红河大道12-1号", Some("12-1")),
        ("红河县迤萨镇河边村委会3组", None),
        ("红河县迤萨镇河边村委会河边号", None),
    ] {
        assert_eq!(a(raw).house_number(), number, "{raw}");
    }
}

#[test]
fn addresses_elsewhere_in_the_province_name_their_county() {
    for (raw, county, township) in [
        (
            "云南省昆明市五华区华山街道翠湖社区12号",
            "530102",
            Some("华山街道"),
        ),
        ("昆明五华区华山街道", "530102", Some("华山街道")),
        (
            "文山壮族苗族自治州文山市开化街道",
            "532601",
            Some("开化街道"),
        ),
        ("文山州文山市开化街道", "532601", Some("开化街道")),
        ("大理州大理市下关镇", "532901", Some("下关镇")),
        ("云南省大理白族自治州大理市下关镇", "532901", Some("下关镇")),
        ("楚雄州楚雄市鹿城镇", "532301", Some("鹿城镇")),
        (
            "西双版纳傣族自治州景洪市允景洪街道",
            "532801",
            Some("允景洪街道"),
        ),
        ("石林彝族自治县鹿阜街道", "530126", Some("鹿阜街道")),
    ] {
        let addr = a(raw);
        assert_eq!(code(&addr), Some(county), "{raw}");
        assert_eq!(addr.township.as_deref(), township, "{raw}");
    }
    // A prefecture alone names no county, and Honghe's addresses read as before.
    assert_eq!(code(&a("云南省昆明市人民路12号")), None);
    assert_eq!(code(&a("红河州红河县迤萨镇")), Some("532529"));
    assert_eq!(code(&a("红河哈尼族彝族自治州蒙自市文澜镇")), Some("532503"));
}

#[test]
fn a_known_county_replaces_one_inferred_from_a_township() {
    let chuxiong = County::from_name("楚雄市").unwrap();
    let text = "勐拉乡雨山村委会10组";
    assert_eq!(code(&a(text)), Some("532530"), "inferred: 金平's 勐拉镇");
    let within = Address::parse_in_county(text, chuxiong);
    assert_eq!(code(&within), Some("532301"));
    assert_eq!(within.township.as_deref(), Some("勐拉乡"));
    assert_eq!(within.village.as_deref(), Some("雨山村"));
    // A county the text writes is kept.
    let written = "云南省红河州金平县勐拉镇雨山村委会10组";
    assert_eq!(
        code(&Address::parse_in_county(written, chuxiong)),
        Some("532530")
    );
}
