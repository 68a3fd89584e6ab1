//! Builders shared by the integration tests: a roster member and a one-owner title row in
//! one village of 泸西县.

#![allow(dead_code)]

use std::sync::Arc;

use hedui_core::record::{Holder, IdField, RawName, RawRow, SourceFile};
use hedui_core::{
    Address, AssetDetail, AssetRecord, Department, Member, Owner, PersonName, Provenance,
};

pub const VILLAGE: &str = "泸西县旧城镇凉水村委会竹林村民小组";

pub fn provenance(line: u64) -> Provenance {
    Provenance {
        file: Arc::new(SourceFile {
            source: "property".into(),
            path: "property.xlsx".into(),
            sha256: Default::default(),
            encoding: None,
            sheet: None,
            headers: Arc::from(Vec::new()),
        }),
        line,
    }
}

pub fn raw() -> RawRow {
    RawRow::default()
}

pub fn member(household: &str, name: &str, relation: &str) -> Member {
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

pub fn title_row(certificate: &str, owner: &str, line: u64) -> AssetRecord {
    AssetRecord {
        department: Department::Property,
        record_key: certificate.into(),
        owners: vec![Owner {
            name: PersonName::normalise(owner),
            raw_name: RawName::default(),
            id: IdField::parse(""),
            position: 0,
            holder: Holder::Person,
        }],
        address: Address::parse("泸西县旧城镇凉水村委会1组").into(),
        registered_on: None,
        statuses: ["正常".into()].into(),
        status_changed_on: None,
        detail: AssetDetail::Property {
            co_ownership: "共同共有".into(),
            right_type: "".into(),
            use_parts: ["宅基地".into(), "住宅".into()].into(),
            floor_area: None,
        },
        warnings: Box::default(),
        provenance: provenance(line),
        raw: raw(),
    }
}
