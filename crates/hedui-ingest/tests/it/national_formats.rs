//! The header sets of the national systems' exports, each as a committed fixture under
//! `fixtures/national/`, read with the built-in aliases through the public API as
//! `hedui validate` reads them: every header is known, every row is accepted, and each
//! column lands in the field it means.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use crate::common;

use std::path::PathBuf;

use chrono::NaiveDate;
use common::{read, spec};
use hedui_core::AssetRecord;
use hedui_core::record::{AssetDetail, Holder};
use hedui_ingest::{AliasTable, SourceData, SourceKind, TableKind};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/national")
}

/// Reads `file`, and checks that it has one header row of known names only and that every
/// row was accepted.
fn read_fixture(kind: SourceKind, file: &str, expected: &[(&str, &str)]) -> SourceData {
    let data = read(&fixtures(), &spec(Some(kind), file));
    let [report] = data.report.files.as_slice() else {
        panic!("one file expected: {:?}", data.report.files);
    };
    assert!(
        report.unmapped.is_empty(),
        "unmapped: {:?}",
        report.unmapped
    );
    let mapping: Vec<(&str, &str)> = report
        .mapping
        .iter()
        .map(|(header, field)| (header.as_str(), field.unwrap_or("(none)")))
        .collect();
    assert_eq!(mapping, expected);
    assert_eq!(report.header_line, 1);
    assert_eq!(data.report.rejected, 0, "rejects: {:?}", data.rejects);
    assert_eq!(data.report.rows_read, data.report.accepted);
    assert_eq!(data.report.accepted as usize, data.assets.len());
    assert_eq!(
        data.report.records_with_warnings, 0,
        "a fixture's codes and numbers are all well formed"
    );
    data
}

fn date(s: &str) -> Option<NaiveDate> {
    Some(s.parse().unwrap())
}

fn county(record: &AssetRecord) -> Option<&'static str> {
    record.address.county.map(|c| c.code)
}

/// Every owner's identity number in the fixtures is a valid one from a Honghe county.
fn assert_valid_honghe_ids<'a>(owners: impl Iterator<Item = &'a hedui_core::Owner>) {
    for owner in owners {
        let id = owner
            .id
            .valid()
            .unwrap_or_else(|| panic!("{}", owner.id.raw()));
        assert!(id.as_str().starts_with("5325"), "{}", owner.id.raw());
    }
}

#[test]
fn licence_export_of_the_market_regulation_system() {
    let data = read_fixture(
        SourceKind::Licence,
        "licence_samr.csv",
        &[
            ("统一社会信用代码", "credit_code"),
            ("市场主体名称", "entity_name"),
            ("企业类型/市场主体类型", "entity_type"),
            ("法定代表人/经营者", "operator_name"),
            ("证件号码", "operator_id"),
            ("注册资本", "registered_capital"),
            ("成立日期", "established_on"),
            ("核准日期", "approved_on"),
            ("登记机关", "registry_office"),
            ("经营状态", "status"),
            ("注销日期", "status_changed_on"),
            ("吊销日期", "status_changed_on"),
            ("住所", "address"),
        ],
    );
    let r = &data.assets;
    assert_eq!(r.len(), 5);
    assert_valid_honghe_ids(r.iter().flat_map(|a| &a.owners));
    // Established on 成立日期, never on the later 核准日期 (a change approved in 2021), also
    // when 成立日期 is empty.
    assert_eq!(r[1].registered_on, date("2012-09-03"));
    assert_eq!(r[4].registered_on, None);
    // 注销日期 and 吊销日期 in two columns, each row filling one.
    assert_eq!(r[0].status_changed_on, None);
    assert_eq!(r[2].status_changed_on, date("2023-03-15"));
    assert_eq!(r[3].status_changed_on, date("2019-08-30"));
    assert_eq!(&*r[3].statuses, [Box::from("吊销"), Box::from("未注销")]);
    let AssetDetail::Licence {
        entity_type,
        registered_capital,
        ..
    } = &r[1].detail
    else {
        panic!("{:?}", r[1].detail)
    };
    assert_eq!(&**entity_type, "有限责任公司（自然人独资）");
    assert_eq!(registered_capital.get(), Some(1_000_000.0));
    assert_eq!(r[1].owners[0].name_raw(), "杨文斌");
    // No area column: a county office places an address that names no county; the
    // prefecture's office does not.
    assert_eq!(county(&r[0]), Some("532524"), "the address names 建水县");
    assert_eq!(county(&r[1]), Some("532524"), "建水县市场监督管理局");
    assert_eq!(county(&r[2]), Some("532501"));
    assert_eq!(county(&r[3]), None, "红河哈尼族彝族自治州市场监督管理局");
    assert_eq!(county(&r[4]), Some("532524"));
}

#[test]
fn vehicle_export_of_the_public_security_system() {
    let data = read_fixture(
        SourceKind::Vehicle,
        "vehicle_ga.csv",
        &[
            ("号牌号码", "plate"),
            ("号牌种类", "plate_kind"),
            ("车辆类型", "vehicle_type"),
            ("车辆识别代号", "vin"),
            ("使用性质", "use_nature"),
            ("所有人", "owner_name"),
            ("身份证明名称", "owner_id_kind"),
            ("身份证明号码", "owner_id"),
            ("住所行政区划", "owner_area"),
            ("住所详细地址", "owner_address"),
            ("初次登记日期", "registered_on"),
            ("机动车状态", "status"),
            ("状态代码", "status"),
            ("状态变更日期", "status_changed_on"),
        ],
    );
    let r = &data.assets;
    assert_eq!(r.len(), 5);
    let holders: Vec<(&str, Holder)> = r
        .iter()
        .map(|a| (a.owners[0].name_raw(), a.owners[0].holder))
        .collect();
    assert_eq!(
        holders,
        [
            ("李建华", Holder::Person),
            ("普春梅", Holder::Person),
            ("蒙自市顺达运输有限公司", Holder::Organisation),
            ("建水县恒昌建材有限公司", Holder::Organisation),
            // 军官证: an unknown kind is a person's document.
            ("马文亮", Holder::Person),
        ]
    );
    // A company owner is not a person owner, so matching never links it to a member.
    for record in &r[2..4] {
        assert!(!record.owners[0].is_person(), "{}", record.record_key);
    }
    assert_valid_honghe_ids(r[..2].iter().flat_map(|a| &a.owners));
    // The status words win over the letter codes when both are filled.
    assert_eq!(
        &*r[1].statuses,
        [Box::from("违法未处理"), Box::from("逾期未检验")]
    );
    assert_eq!(&*r[3].statuses, [Box::from("注销")]);
    assert_eq!(r[3].status_changed_on, date("2024-05-20"));
    assert_eq!(county(&r[1]), Some("532528"));
}

#[test]
fn property_export_of_the_real_estate_registry() {
    let data = read_fixture(
        SourceKind::Property,
        "property_bdc.csv",
        &[
            ("不动产权证号", "certificate_no"),
            ("不动产单元号", "unit_no"),
            ("权利人", "owner_names"),
            ("权利人证件号", "owner_ids"),
            ("共有方式", "co_ownership"),
            ("坐落", "location"),
            ("规划用途", "use"),
            ("房屋用途", "use"),
            ("土地用途", "use"),
            ("建筑面积", "floor_area"),
            ("登簿日期", "registered_on"),
            ("权属状态", "status"),
            ("注销日期", "status_changed_on"),
        ],
    );
    let r = &data.assets;
    assert_eq!(r.len(), 4);
    assert_valid_honghe_ids(r.iter().flat_map(|a| &a.owners));
    // The certificate is the key, not the unit number.
    assert_eq!(&*r[0].record_key, "云(2018)建水县不动产权第0003127号");
    let names: Vec<&str> = r[0].owners.iter().map(|o| o.name_raw()).collect();
    assert_eq!(names, ["李建华", "王志明"]);
    let uses: Vec<Vec<&str>> = r
        .iter()
        .map(|a| match &a.detail {
            AssetDetail::Property { use_parts, .. } => use_parts.iter().map(|u| &**u).collect(),
            other => panic!("{other:?}"),
        })
        .collect();
    // 房屋用途 over 规划用途 (商业, not 商住), 规划用途 when 房屋用途 is empty (车库).
    assert_eq!(uses, [["住宅"], ["商业"], ["住宅"], ["车库"]]);
    assert_eq!(r[0].registered_on, date("2018-07-09"));
    assert_eq!(&*r[3].statuses, [Box::from("注销")]);
    assert_eq!(r[3].status_changed_on, date("2022-08-01"));
    let AssetDetail::Property { floor_area, .. } = &r[0].detail else {
        unreachable!()
    };
    assert_eq!(floor_area.get(), Some(126.45));
}

/// The header variants of these exports that the fixtures do not show side by side.
#[test]
fn every_national_header_variant_names_its_field() {
    let aliases = AliasTable::builtin().unwrap();
    let cases: [(TableKind, &[&str], &str); 12] = [
        (
            TableKind::Licence,
            &["注销日期", "吊销日期", "注销吊销日期"],
            "status_changed_on",
        ),
        (
            TableKind::Licence,
            &[
                "企业类型",
                "市场主体类型",
                "企业类型/市场主体类型",
                "市场主体类型/企业类型",
            ],
            "entity_type",
        ),
        (
            TableKind::Licence,
            &["法定代表人/经营者", "经营者/法定代表人"],
            "operator_name",
        ),
        (TableKind::Licence, &["核准日期"], "approved_on"),
        (TableKind::Licence, &["成立日期"], "established_on"),
        (TableKind::Licence, &["登记机关"], "registry_office"),
        (TableKind::Licence, &["经营状态"], "status"),
        (TableKind::Vehicle, &["机动车状态", "状态代码"], "status"),
        (TableKind::Vehicle, &["身份证明名称"], "owner_id_kind"),
        (
            TableKind::Property,
            &["规划用途", "房屋用途", "土地用途"],
            "use",
        ),
        (TableKind::Property, &["不动产单元号"], "unit_no"),
        (TableKind::Property, &["共有方式"], "co_ownership"),
    ];
    for (kind, headers, field) in cases {
        for header in headers {
            assert_eq!(aliases.field_for(kind, header), Some(field), "{header}");
        }
    }
    // When several columns carry one field, the lower rank is read first.
    let rank = |kind, header| aliases.field_and_rank(kind, header).unwrap().1;
    assert!(rank(TableKind::Property, "房屋用途") < rank(TableKind::Property, "规划用途"));
    assert!(rank(TableKind::Property, "规划用途") < rank(TableKind::Property, "土地用途"));
    assert!(rank(TableKind::Vehicle, "机动车状态") < rank(TableKind::Vehicle, "状态代码"));
    assert!(rank(TableKind::Licence, "注销日期") < rank(TableKind::Licence, "吊销日期"));
}
