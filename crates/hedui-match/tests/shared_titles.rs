//! A title exported as one row per owner still shows its co-owners to the matcher, and the
//! member's place in the household is compared.

#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use hedui_core::record::{IdField, RawName, RawRow, SourceFile};
use hedui_core::{
    Address, AssetDetail, AssetRecord, Department, Member, Owner, PersonName, Provenance,
};
use hedui_match::Field;
use hedui_match::compare::compare;
use hedui_match::prepare::{MemberFeatures, MemberTable, OwnerFeatures, SharedTitles};

const VILLAGE: &str = "泸西县旧城镇凉水村委会竹林村民小组";

fn provenance(line: u64) -> Provenance {
    Provenance {
        file: Arc::new(SourceFile {
            source: "property".into(),
            path: "property.xlsx".into(),
            sha256: String::new(),
            encoding: None,
        }),
        sheet: None,
        line,
    }
}

fn raw() -> RawRow {
    RawRow::new(Arc::from(Vec::<String>::new()), &[])
}

fn member(household: &str, name: &str, relation: &str) -> Member {
    Member {
        household_id: household.into(),
        name: PersonName::normalise(name),
        raw_name: RawName::default(),
        id: IdField::parse(""),
        relation: relation.into(),
        sex: None,
        birth_date: None,
        category: "".into(),
        address: Address::parse(VILLAGE).into(),
        enrolled_on: None,
        head_name: None,
        monthly_amount: None,
        provenance: provenance(2),
        raw: raw(),
    }
}

fn title_row(certificate: &str, owner: &str, line: u64) -> AssetRecord {
    AssetRecord {
        department: Department::Property,
        record_key: certificate.into(),
        owners: vec![Owner {
            name: PersonName::normalise(owner),
            raw_name: RawName::default(),
            id: IdField::parse(""),
            position: 0,
        }],
        address: Address::parse("泸西县旧城镇凉水村委会1组").into(),
        registered_on: None,
        statuses: ["正常".into()].into(),
        status_changed_on: None,
        detail: AssetDetail::Property {
            co_ownership: "共同共有".into(),
            use_parts: ["宅基地".into(), "住宅".into()].into(),
            floor_area: None,
        },
        warnings: Box::default(),
        provenance: provenance(line),
        raw: raw(),
    }
}

fn levels_of(
    assets: &[AssetRecord],
    r: usize,
    members: &[Member],
    member: u32,
) -> [&'static str; 2] {
    let table = MemberTable::build(members, members.iter().map(MemberFeatures::of).collect());
    let titles = SharedTitles::build(assets);
    let owner = OwnerFeatures::of(&assets[r], &assets[r].owners[0])
        .with_title_co_owners(titles.other_owners(assets, r));
    let levels = compare(&owner, member, &table);
    [levels.label(Field::Household), levels.label(Field::Role)]
}

#[test]
fn owners_on_sibling_rows_of_one_certificate_are_co_owners() {
    let members = [
        member("h1", "杨丽华", "户主"),
        member("h1", "张志明", "配偶"),
    ];
    let assets = [
        title_row("泸西集用(2012)第872921号", "杨丽华", 2),
        title_row("泸西集用(2012)第872921号", "张志明", 3),
        title_row("泸西集用(2012)第000001号", "杨丽华", 4),
    ];
    assert_eq!(
        levels_of(&assets, 0, &members, 0),
        ["co_owner_in_household", "head"]
    );
    assert_eq!(
        levels_of(&assets, 1, &members, 1),
        ["co_owner_in_household", "spouse"]
    );
    assert_eq!(levels_of(&assets, 2, &members, 0), ["no_co_owner", "head"]);
}

#[test]
fn a_repeated_row_for_the_same_owner_is_not_a_co_owner() {
    let members = [member("h1", "杨丽华", "户主"), member("h1", "李强", "子女")];
    let assets = [
        title_row("泸西集用(2012)第872921号", "杨丽华", 2),
        title_row("泸西集用(2012)第872921号", "杨麗華", 3),
    ];
    assert_eq!(levels_of(&assets, 0, &members, 0), ["no_co_owner", "head"]);
    assert_eq!(
        levels_of(&assets, 0, &members, 1),
        ["no_co_owner", "other_member"]
    );
}

#[test]
fn a_co_owner_from_another_household_counts_against() {
    let members = [
        member("h1", "杨丽华", "户主"),
        member("h2", "张志明", "户主"),
    ];
    let assets = [
        title_row("泸西集用(2012)第872921号", "杨丽华", 2),
        title_row("泸西集用(2012)第872921号", "张志明", 3),
    ];
    assert_eq!(
        levels_of(&assets, 0, &members, 0),
        ["co_owner_not_in_household", "head"]
    );
}
