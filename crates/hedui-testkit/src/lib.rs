//! Builders for the members and department records that hedui's tests write by hand, in
//! one place for every crate's tests (hedui-match's and hedui-policy's today), and the
//! listing of output folders that the CLI's and the engine's tests compare ([`folder`]).
//!
//! **A dev-dependency only.** No library or binary may depend on this crate for real: it
//! panics on bad input, as a test should, and its defaults (a source file called
//! `vehicle.csv`, a registration in 2015) are made up.
//!
//! What is specific to one crate's tests stays in that crate's `tests/it/common`: the
//! policy tests' `LinkRef`s and policies (hedui-policy's types: were they built here, this
//! crate would depend on hedui-policy, and hedui-policy's own unit tests could not use it
//! without two copies of its types), and the match tests' village and title row (built
//! from these).

pub mod folder;

use std::sync::Arc;

use chrono::NaiveDate;
use hedui_core::record::{Holder, IdField, RawName, RawRow, SourceFile};
use hedui_core::{Address, AssetDetail, AssetRecord, Member, Owner, PersonName, Provenance};

/// `s` (`2026-06-30`) as a date; panics if it is not one.
pub fn date(s: &str) -> NaiveDate {
    s.parse()
        .unwrap_or_else(|e| panic!("{s:?} is not a date: {e}"))
}

/// A source file named `file`, both as the source's name and as its path, not yet hashed.
pub fn source_file(file: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        source: file.to_owned(),
        path: file.to_owned(),
        sha256: Default::default(),
        encoding: None,
        sheet: None,
        headers: Arc::from(Vec::new()),
    })
}

/// Line `line` of [`source_file`]`(file)`.
pub fn provenance(file: &str, line: u64) -> Provenance {
    Provenance {
        file: source_file(file),
        line,
    }
}

/// A roster member builder: no identity number, relation or address until given, read
/// from line 2 of `recipients.csv`.
///
/// `Mem::new("h1", "张三").id("532501…").address("个旧市…").build()`
#[derive(Debug, Clone)]
pub struct Mem(pub Member);

impl Mem {
    pub fn new(household: &str, name: &str) -> Self {
        Mem(Member {
            household_id: household.into(),
            name: PersonName::normalise(name),
            raw_name: RawName::default(),
            id: IdField::parse(""),
            relation: "".into(),
            sex: None,
            birth_date: None,
            category: "".into(),
            address: Address::parse("").into(),
            enrolled_on: None,
            head_name: None,
            monthly_amount: None,
            provenance: provenance("recipients.csv", 2),
            raw: RawRow::default(),
        })
    }

    /// The identity number as written on the roster (parsed as ingest parses it).
    pub fn id(mut self, id: &str) -> Self {
        self.0.id = IdField::parse(id);
        self
    }

    /// The relation to the head of household (`户主`, `配偶`, …).
    pub fn relation(mut self, relation: &str) -> Self {
        self.0.relation = relation.into();
        self
    }

    /// The address; it decides the county (`个旧市…` is 532501, `""` is unknown).
    pub fn address(mut self, address: &str) -> Self {
        self.0.address = Address::parse(address).into();
        self
    }

    pub fn build(self) -> Member {
        self.0
    }
}

/// A department record builder: no owner until given, status `正常` (active), registered on
/// 2015-03-01, no address, read from line 2 of `<department>.csv`. For example
/// `Rec::vehicle("云G12345", "小型普通客车").owner("张三").status(&["注销"], None).build()`.
#[derive(Debug, Clone)]
pub struct Rec(pub AssetRecord);

impl Rec {
    /// A record of the department `detail` belongs to.
    fn new(key: &str, detail: AssetDetail) -> Self {
        let department = detail.department();
        Rec(AssetRecord {
            record_key: key.into(),
            owners: Box::default(),
            address: Address::default().into(),
            registered_on: Some(date("2015-03-01")),
            statuses: ["正常".into()].into(),
            status_changed_on: None,
            detail,
            warnings: Default::default(),
            provenance: provenance(&format!("{}.csv", department.as_str()), 2),
            raw: RawRow::default(),
        })
    }

    /// A non-commercial (`非营运`) vehicle.
    pub fn vehicle(plate: &str, vehicle_type: &str) -> Self {
        Self::new(
            plate,
            AssetDetail::Vehicle {
                vin: "".into(),
                vehicle_type: vehicle_type.into(),
                use_nature: "非营运".into(),
            },
        )
    }

    /// A business licence of an entity named 红河某某商行.
    pub fn licence(code: &str, entity_type: &str, capital: Option<f64>) -> Self {
        Self::new(
            code,
            AssetDetail::Licence {
                credit_code: None,
                entity_name: "红河某某商行".into(),
                entity_type: entity_type.into(),
                registered_capital: capital.into(),
            },
        )
    }

    /// A property title; `usage` lists its uses separated by `/` (`宅基地/住宅`).
    pub fn property(cert: &str, usage: &str, area: Option<f64>) -> Self {
        Self::new(
            cert,
            AssetDetail::Property {
                co_ownership: "".into(),
                right_type: "".into(),
                use_parts: usage.split('/').map(Box::from).collect(),
                floor_area: area.into(),
            },
        )
    }

    /// One more owner, a person without an identity number, after those given before.
    pub fn owner(mut self, name: &str) -> Self {
        let position = u32::try_from(self.0.owners.len()).unwrap_or(u32::MAX);
        let mut owners = std::mem::take(&mut self.0.owners).into_vec();
        owners.push(Owner {
            name: PersonName::normalise(name),
            raw_name: RawName::default(),
            id: IdField::parse(""),
            position,
            holder: Holder::Person,
        });
        self.0.owners = owners.into_boxed_slice();
        self
    }

    /// The status words as exported, and the date of the last change.
    pub fn status(mut self, statuses: &[&str], changed: Option<&str>) -> Self {
        self.0.statuses = statuses.iter().map(|s| Box::from(*s)).collect();
        self.0.status_changed_on = changed.map(date);
        self
    }

    pub fn registered(mut self, on: &str) -> Self {
        self.0.registered_on = Some(date(on));
        self
    }

    /// No registration date in the export.
    pub fn unregistered(mut self) -> Self {
        self.0.registered_on = None;
        self
    }

    pub fn address(mut self, address: &str) -> Self {
        self.0.address = Address::parse(address).into();
        self
    }

    /// A property title's co-ownership (`共同共有`, `按份共有`, …).
    ///
    /// # Panics
    /// If the record is not a property title.
    pub fn co_ownership(mut self, co_ownership: &str) -> Self {
        match &mut self.0.detail {
            AssetDetail::Property {
                co_ownership: field,
                ..
            } => *field = co_ownership.into(),
            other => panic!("co-ownership of a record that is not a title: {other:?}"),
        }
        self
    }

    /// The line the record was read from.
    pub fn line(mut self, line: u64) -> Self {
        self.0.provenance.line = line;
        self
    }

    pub fn build(self) -> AssetRecord {
        self.0
    }
}
