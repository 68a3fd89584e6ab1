//! Hand-built members, records and policies for the policy tests.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses a different subset

use std::sync::Arc;

use chrono::NaiveDate;
use hedui_core::record::{Holder, IdField, RawName, RawRow, SourceFile};
use hedui_core::{
    Address, AssetDetail, AssetRecord, Department, Member, Owner, PersonName, Provenance,
};
use hedui_policy::{LinkRef, Policy};

pub const CHECK: &str = "2026-06-30";

pub fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn check() -> NaiveDate {
    date(CHECK)
}

fn provenance(file: &str, line: u64) -> Provenance {
    Provenance {
        file: Arc::new(SourceFile {
            source: file.to_owned(),
            path: file.to_owned(),
            sha256: Default::default(),
            encoding: None,
            sheet: None,
            headers: Arc::from(Vec::new()),
        }),
        line,
    }
}

fn raw() -> RawRow {
    RawRow::default()
}

/// A roster member; `address` decides the county (`个旧市…` is 532501, `""` is unknown).
pub fn member(household: &str, name: &str, id: &str, address: &str) -> Member {
    Member {
        household_id: household.into(),
        name: PersonName::normalise(name),
        raw_name: RawName::default(),
        id: IdField::parse(id),
        relation: "".into(),
        sex: None,
        birth_date: None,
        category: "".into(),
        address: Address::parse(address).into(),
        enrolled_on: None,
        head_name: None,
        monthly_amount: None,
        provenance: provenance("recipients.csv", 2),
        raw: raw(),
    }
}

/// A record builder with an active status and an old registration date by default.
#[derive(Debug, Clone)]
pub struct Rec(pub AssetRecord);

impl Rec {
    fn new(department: Department, key: &str, detail: AssetDetail) -> Self {
        Rec(AssetRecord {
            department,
            record_key: key.into(),
            owners: Vec::new(),
            address: Address::default().into(),
            registered_on: Some(date("2015-03-01")),
            statuses: ["正常".into()].into(),
            status_changed_on: None,
            detail,
            warnings: Box::default(),
            provenance: provenance(&format!("{}.csv", department.as_str()), 2),
            raw: raw(),
        })
    }

    pub fn vehicle(plate: &str, vehicle_type: &str) -> Self {
        Self::new(
            Department::Vehicle,
            plate,
            AssetDetail::Vehicle {
                vin: "".into(),
                vehicle_type: vehicle_type.into(),
                use_nature: "非营运".into(),
            },
        )
    }

    pub fn licence(code: &str, entity_type: &str, capital: Option<f64>) -> Self {
        Self::new(
            Department::Licence,
            code,
            AssetDetail::Licence {
                credit_code: None,
                entity_name: "红河某某商行".into(),
                entity_type: entity_type.into(),
                registered_capital: capital,
            },
        )
    }

    pub fn property(cert: &str, usage: &str, area: Option<f64>) -> Self {
        Self::new(
            Department::Property,
            cert,
            AssetDetail::Property {
                co_ownership: "".into(),
                right_type: "".into(),
                use_parts: usage.split('/').map(Box::from).collect(),
                floor_area: area,
            },
        )
    }

    pub fn owner(mut self, name: &str) -> Self {
        let position = self.0.owners.len();
        self.0.owners.push(Owner {
            name: PersonName::normalise(name),
            raw_name: RawName::default(),
            id: IdField::parse(""),
            position,
            holder: Holder::Person,
        });
        self
    }

    pub fn status(mut self, statuses: &[&str], changed: Option<&str>) -> Self {
        self.0.statuses = statuses.iter().map(|s| Box::from(*s)).collect();
        self.0.status_changed_on = changed.map(date);
        self
    }

    pub fn registered(mut self, on: &str) -> Self {
        self.0.registered_on = Some(date(on));
        self
    }

    pub fn line(mut self, line: u64) -> Self {
        self.0.provenance.line = line;
        self
    }

    pub fn build(self) -> AssetRecord {
        self.0
    }
}

pub fn link(record: usize, member: usize) -> LinkRef {
    LinkRef {
        record,
        owner: 0,
        member,
        review: false,
    }
}

pub fn review(record: usize, member: usize) -> LinkRef {
    LinkRef {
        review: true,
        ..link(record, member)
    }
}

/// A policy of the demo's shape, with the rule tables given.
pub fn policy_with(rules: &str) -> Policy {
    let text = format!(
        "name = \"测试政策\"\nversion = \"t1\"\neffective_from = \"2026-01-01\"\n\
         {rules}\n\
         [status.vehicle]\ninactive = [{{ exact = \"注销\" }}, {{ exact = \"报废\" }}, \
         {{ exact = \"转出\" }}, {{ exact = \"被盗抢\" }}]\n\
         [status.licence]\ninactive = [{{ exact = \"注销\" }}, {{ exact = \"吊销\" }}]\n\
         [status.property]\ninactive = [{{ exact = \"注销\" }}]\n"
    );
    Policy::from_toml(&text, "test.toml").unwrap()
}

/// The demo policy file's rule tables.
pub fn demo_policy() -> Policy {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/policy.toml");
    Policy::load(&path).unwrap()
}
