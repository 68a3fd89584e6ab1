use super::*;

#[test]
fn builtin_table_parses_and_covers_every_field() {
    let table = AliasTable::builtin().unwrap();
    for kind in [
        TableKind::Recipients,
        TableKind::Vehicle,
        TableKind::Licence,
        TableKind::Property,
    ] {
        for field in kind.fields() {
            assert!(
                !table.names(kind, field.name).is_empty(),
                "{kind:?}.{}",
                field.name
            );
        }
    }
}

#[test]
fn no_header_names_two_fields_of_one_kind() {
    let table = AliasTable::builtin().unwrap();
    for kind in [
        TableKind::Recipients,
        TableKind::Vehicle,
        TableKind::Licence,
        TableKind::Property,
    ] {
        let mut seen = BTreeMap::new();
        for field in kind.fields() {
            for name in table.names(kind, field.name) {
                if let Some(other) = seen.insert(header_key(name), field.name) {
                    assert_eq!(other, field.name, "{kind:?}: {name} names two fields");
                }
            }
        }
    }
}

#[test]
fn issue_aliases_resolve() {
    let t = AliasTable::builtin().unwrap();
    for h in ["所有人", "机动车所有人", "车主", "车主姓名"] {
        assert_eq!(
            t.field_for(TableKind::Vehicle, h),
            Some("owner_name"),
            "{h}"
        );
    }
    for h in ["身份证明号码", "身份证号", "证件号码"] {
        assert_eq!(t.field_for(TableKind::Vehicle, h), Some("owner_id"), "{h}");
    }
    for h in ["号牌号码", "车牌号", " 号牌号码* "] {
        assert_eq!(t.field_for(TableKind::Vehicle, h), Some("plate"), "{h}");
    }
    for h in ["经营者", "法定代表人", "经营者/法定代表人", "负责人"] {
        assert_eq!(
            t.field_for(TableKind::Licence, h),
            Some("operator_name"),
            "{h}"
        );
    }
    for h in ["权利人", "产权人", "所有权人"] {
        assert_eq!(
            t.field_for(TableKind::Property, h),
            Some("owner_names"),
            "{h}"
        );
    }
    for h in ["证件号", "权利人证件号"] {
        assert_eq!(
            t.field_for(TableKind::Property, h),
            Some("owner_ids"),
            "{h}"
        );
    }
    assert_eq!(
        t.field_for(TableKind::Property, "建筑面积（㎡）"),
        Some("floor_area")
    );
    assert_eq!(t.field_for(TableKind::Property, "备注"), None);
}

#[test]
fn overrides_add_names_and_reject_unknown_fields() {
    let mut t = AliasTable::builtin().unwrap();
    let mut extra = BTreeMap::new();
    extra.insert("owner_name".to_owned(), vec!["登记车主".to_owned()]);
    t.extend(TableKind::Vehicle, &extra).unwrap();
    assert_eq!(
        t.field_for(TableKind::Vehicle, "登记车主"),
        Some("owner_name")
    );

    let mut bad = BTreeMap::new();
    bad.insert("owner".to_owned(), vec!["x".to_owned()]);
    let err = t.extend(TableKind::Vehicle, &bad).unwrap_err();
    assert!(
        err.to_string()
            .contains("`owner` is not a field of vehicle"),
        "{err}"
    );
}

#[test]
fn header_units_are_read_from_brackets() {
    assert_eq!(header_unit("注册资本（万元）").as_deref(), Some("万元"));
    assert_eq!(header_unit("建筑面积(㎡)").as_deref(), Some("m2"));
    assert_eq!(
        header_unit("注册资本（单位：万元）").as_deref(),
        Some("万元")
    );
    assert_eq!(
        header_unit("注册资本(万元人民币)").as_deref(),
        Some("万元人民币")
    );
    assert_eq!(header_unit("注册资本[万元]").as_deref(), Some("万元"));
    assert_eq!(header_unit("注册资本【千元】").as_deref(), Some("千元"));
    assert_eq!(
        header_unit("注册资本（人民币万元）").as_deref(),
        Some("万元")
    );
    // Not convertible, but a unit: the numbers under it must not pass as yuan.
    assert_eq!(header_unit("注册资本(万美元)").as_deref(), Some("万美元"));
    assert_eq!(header_unit("注册资本"), None);
    assert_eq!(header_unit("注册资本（金）"), None, "a remark, not a unit");
}

#[test]
fn the_english_beside_a_chinese_header_is_dropped() {
    assert_eq!(header_key("号牌号码 Plate No."), header_key("号牌号码"));
    assert_eq!(
        header_key("Owner / 机动车所有人"),
        header_key("机动车所有人")
    );
    assert_eq!(
        header_key("VIN"),
        "VIN",
        "an English-only header stays as it is"
    );
    assert_eq!(
        header_key("联系人2"),
        "联系人2",
        "digits tell columns apart"
    );
    let aliases = AliasTable::builtin().unwrap();
    assert_eq!(
        aliases.field_for(TableKind::Vehicle, "号牌号码 Plate"),
        Some("plate")
    );
}

#[test]
fn the_plate_kind_is_not_the_vehicle_type() {
    let aliases = AliasTable::builtin().unwrap();
    // A blank 车辆类型 must stay blank (the rule then asks for review), not take the
    // plate's kind, which would decide an exemption on a guess.
    assert_eq!(
        aliases.field_for(TableKind::Vehicle, "号牌种类"),
        Some("plate_kind")
    );
    assert_eq!(
        aliases.field_for(TableKind::Vehicle, "车辆类型"),
        Some("vehicle_type")
    );
}
