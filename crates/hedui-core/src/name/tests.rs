use super::*;

fn n(raw: &str) -> PersonName {
    PersonName::normalise(raw)
}

#[test]
fn converts_traditional_to_simplified() {
    assert_eq!(n("陳小明").as_str(), "陈小明");
    assert_eq!(n("張偉").as_str(), "张伟");
    assert_eq!(n("阿依古麗·買買提").as_str(), "阿依古丽·买买提");
}

#[test]
fn folds_full_width_and_trims() {
    assert_eq!(n("ＡＢ").as_str(), "AB");
    assert_eq!(n("  张伟 \t").as_str(), "张伟");
    assert_eq!(n("\u{3000}张伟\u{3000}").as_str(), "张伟");
    assert_eq!(n("\u{FEFF}张\u{200B}伟").as_str(), "张伟");
}

#[test]
fn empty_input_gives_empty_name() {
    for raw in ["", "   ", "\u{3000}", "··", " . "] {
        let name = n(raw);
        assert!(name.is_empty(), "{raw:?}");
        assert_eq!(name.char_count(), 0);
        assert_eq!(name.pinyin_key(), "");
        assert_eq!(name.surname(), "");
    }
}

#[test]
fn removes_padding_spaces_inside_short_han_names() {
    assert_eq!(n("王  伟").as_str(), "王伟");
    assert_eq!(n("张 小明").as_str(), "张小明");
    assert_eq!(n("欧阳 小明").as_str(), "欧阳小明");
    assert!(!n("张 小明").is_minority_multipart());
}

#[test]
fn unifies_minority_name_separators() {
    for raw in [
        "阿依古丽•买买提",
        "阿依古丽.买买提",
        "阿依古丽 买买提",
        "阿依古丽・买买提",
        "阿依古丽∙买买提",
        "阿依古丽‧买买提",
        "阿依古丽．买买提",
        "阿依古丽 · 买买提",
        "·阿依古丽··买买提·",
    ] {
        let name = n(raw);
        assert_eq!(name.as_str(), "阿依古丽·买买提", "{raw:?}");
        assert!(name.is_minority_multipart());
        assert_eq!(name.surname(), "阿依古丽");
        assert_eq!(name.char_count(), 7);
    }
}

#[test]
fn latin_names_keep_their_parts() {
    let name = n("ZHANG  Wei");
    assert_eq!(name.as_str(), "ZHANG·Wei");
    assert!(!name.is_minority_multipart());
    assert_eq!(name.pinyin_key(), "zhang wei");
    assert!(same_pinyin(&name, &n("张伟")));
}

#[test]
fn placeholders_become_one_wildcard_each() {
    let full = n("李晔华");
    for raw in [
        "李?华",
        "李？华",
        "李*华",
        "李＊华",
        "李□华",
        "李■华",
        "李\u{FFFD}华",
        "李\u{E123}华",
        "李\u{F0001}华",
    ] {
        let name = n(raw);
        assert_eq!(name.as_str(), "李?华", "{raw:?}");
        assert_eq!(name.wildcards(), 1);
        assert!(name.has_wildcard());
        assert_eq!(name.char_count(), 3);
        assert!(wildcard_compatible(&name, &full), "{raw:?}");
        assert!(wildcard_compatible(&full, &name), "{raw:?}");
        assert_eq!(name.pinyin_key(), "li * hua");
        assert!(same_pinyin(&name, &full));
    }
    assert_eq!(n("李??").wildcards(), 2);
}

#[test]
fn ling_is_a_real_character_not_a_wildcard() {
    let name = n("李〇");
    assert!(!name.has_wildcard());
    assert!(!wildcard_compatible(&name, &n("李华")));
}

#[test]
fn wildcard_compatibility_rules() {
    assert!(wildcard_compatible(&n("张伟"), &n("张伟")));
    assert!(!wildcard_compatible(&n("张伟"), &n("张玮")));
    assert!(
        !wildcard_compatible(&n("李?华"), &n("李晔")),
        "length differs"
    );
    assert!(!wildcard_compatible(&n("李?华"), &n("王晔华")));
    assert!(
        !wildcard_compatible(&n("??"), &n("张伟")),
        "no real character agrees"
    );
    assert!(!wildcard_compatible(&n("??"), &n("??")));
    assert!(!wildcard_compatible(&n(""), &n("")));
    assert!(
        wildcard_compatible(&n("阿依古丽·买买提"), &n("阿依古丽买买提")),
        "a dropped separator is not a mismatch"
    );
}

#[test]
fn surname_readings() {
    assert_eq!(n("单伟").pinyin_key(), "shan wei");
    assert_eq!(n("曾小明").pinyin_key(), "zeng xiao ming");
    assert_eq!(n("解放").pinyin_key(), "xie fang");
    assert_eq!(n("仇红").pinyin_key(), "qiu hong");
    assert_eq!(n("朴正").pinyin_key(), "piao zheng");
    assert_eq!(n("区华").pinyin_key(), "ou hua");
    assert_eq!(n("查良").pinyin_key(), "zha liang");
    assert_eq!(n("覃芳").pinyin_key(), "qin fang");
    // Not as a surname: the common reading.
    assert_eq!(n("李单").pinyin_key(), "li dan");
}

#[test]
fn homophones_share_a_pinyin_key() {
    assert_eq!(n("张伟").pinyin_key(), n("张玮").pinyin_key());
    assert_eq!(n("王伟").pinyin_key(), "wang wei");
    assert!(same_pinyin(&n("王伟"), &n("汪伟")));
    assert!(same_pinyin(&n("张丽"), &n("張莉")));
    assert!(!same_pinyin(&n("张伟"), &n("张伟伟")));
    assert!(!same_pinyin(&n(""), &n("")));
}

#[test]
fn pinyin_key_details() {
    assert_eq!(n("阿依古丽·买买提").pinyin_key(), "a yi gu li mai mai ti");
    assert_eq!(n("吕芳").pinyin_key(), "lv fang");
    assert_eq!(n("Lǚ Fāng").pinyin_key(), "lv fang");
    assert_eq!(n("李 yan 华").pinyin_key(), "li yan hua");
    assert_eq!(n("单伟").pinyin_initials(), "sw");
    assert_eq!(n("李?华").pinyin_initials(), "l*h");
}

#[test]
fn surname_of_plain_names_is_the_first_character() {
    assert_eq!(n("张伟").surname(), "张");
    assert_eq!(n("张").surname(), "张");
}

#[test]
fn converter_loads() {
    assert!(
        normalise::normal_text("陳") == "陈",
        "OpenCC t2s must be available"
    );
}

#[test]
fn serde_round_trip_renormalises() {
    let name: PersonName = String::from("陳 小明").into();
    let back: String = name.clone().into();
    assert_eq!(back, "陈小明");
    assert_eq!(PersonName::from(back), name);
}
