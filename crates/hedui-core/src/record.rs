//! Canonical records: what ingest produces and every later stage consumes.
//!
//! A record keeps three layers side by side — the raw cells as the department wrote them,
//! the parsed values, and where the row came from — because an auditor must be able to go
//! from any candidate back to the exact row of the exact file.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

use crate::address::Address;
use crate::credit_code::CreditCode;
use crate::name::PersonName;
use crate::resident_id::{IdDefect, ResidentId, Sex};
use crate::shared::Shared;

/// The department an export comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Department {
    Vehicle,
    Licence,
    Property,
    /// The roster of staff whose relatives must be declared (民政、低保专干、村社区干部).
    Staff,
    /// The register (备案) of recipients who are close relatives of staff.
    #[serde(rename = "relatives_register")]
    Register,
    /// The household registration (户籍) export: who shares a 户号 with whom.
    Hukou,
}

impl Department {
    /// All departments, in report order.
    pub const ALL: [Department; 6] = [
        Self::Vehicle,
        Self::Licence,
        Self::Property,
        Self::Staff,
        Self::Register,
        Self::Hukou,
    ];

    /// The departments whose records are assets a household holds, with a status that
    /// ends them; the others say who people are and how they are related.
    pub const ASSETS: [Department; 3] = [Self::Vehicle, Self::Licence, Self::Property];

    /// The configuration and file spelling, e.g. `vehicle`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Vehicle => "vehicle",
            Self::Licence => "licence",
            Self::Property => "property",
            Self::Staff => "staff",
            Self::Register => "relatives_register",
            Self::Hukou => "hukou",
        }
    }

    /// The name staff use, for reports.
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Vehicle => "车辆",
            Self::Licence => "工商登记",
            Self::Property => "不动产",
            Self::Staff => "工作人员",
            Self::Register => "亲属备案",
            Self::Hukou => "户籍",
        }
    }

    /// The department spelled `name` (see [`Department::as_str`]).
    pub fn parse(name: &str) -> Option<Department> {
        Self::ALL.into_iter().find(|d| d.as_str() == name)
    }

    /// Whether its records are assets (see [`Department::ASSETS`]).
    pub fn is_asset(self) -> bool {
        Self::ASSETS.contains(&self)
    }
}

/// One input file (one sheet of it, for a workbook), as identified in every output, with
/// what every row read from it shares: held once here, not by each of millions of rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// The source's name in the run configuration (its kind unless named).
    pub source: String,
    /// Path as given in the configuration, resolved.
    pub path: String,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: FileHash,
    /// The text encoding used to read it, for CSV.
    pub encoding: Option<String>,
    /// The worksheet the rows are on, for a workbook.
    #[serde(skip)]
    pub sheet: Option<String>,
    /// The header row the rows' cells stood under (see [`RawRow`]).
    #[serde(skip)]
    pub headers: Arc<[String]>,
}

/// A file's SHA-256 (lowercase hex), known once the file has been read through: the rows
/// of a file are parsed while it is hashed, and hashing first kept both cores waiting on
/// one. Every copy of a [`SourceFile`] shares the one value; empty until it is known.
#[derive(Debug, Clone, Default)]
pub struct FileHash(Arc<std::sync::OnceLock<String>>);

impl FileHash {
    /// A hash known from the start.
    pub fn known(hex: impl Into<String>) -> Self {
        let hash = FileHash::default();
        hash.set(hex.into());
        hash
    }

    /// Records the hash; the first one recorded stays.
    pub fn set(&self, hex: String) {
        let _ = self.0.set(hex);
    }

    /// The hash, or empty while it is not known.
    pub fn as_str(&self) -> &str {
        self.0.get().map_or("", String::as_str)
    }
}

impl PartialEq for FileHash {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for FileHash {}

impl Serialize for FileHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for FileHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a row came from: enough for a person to open the file and find it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The file, and the sheet of it, the row is on.
    pub file: Arc<SourceFile>,
    /// Physical 1-based line (CSV, counting the header and any embedded newlines) or row
    /// number as the spreadsheet shows it.
    pub line: u64,
}

impl Provenance {
    /// The worksheet the row is on, for a workbook.
    pub fn sheet(&self) -> Option<&str> {
        self.file.sheet.as_deref()
    }

    /// `(header, value)` pairs of `raw`, a row read from this file, for evidence.
    pub fn pairs<'a>(&'a self, raw: &'a RawRow) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.file
            .headers
            .iter()
            .map(String::as_str)
            .zip(raw.values())
    }
}

/// The row's cells exactly as read; the header they stood under is its file's
/// ([`SourceFile::headers`], paired by [`Provenance::pairs`]).
///
/// Held in one allocation, not a `Vec<String>`: the cells' text end to end, then where
/// each cell ends. Millions of department rows are held at once, and one allocation per
/// row instead of one per cell (or two: text and ends apart) keeps a prefecture-scale run
/// within memory and off the allocator.
///
/// A run that keeps its rows' cells on disk ([`StoredCells`]) holds only where they are:
/// the cells are read again for the few rows that reach evidence.
#[derive(Clone, PartialEq, Eq)]
pub struct RawRow(Cells);

#[derive(Clone, PartialEq, Eq)]
enum Cells {
    Held {
        /// The cells' text, then one little-endian `u32` end offset per cell.
        packed: Box<[u8]>,
        text_len: u32,
    },
    Stored(StoredCells),
}

/// Where a row's packed cells (text, then `u32` ends) were written in a store outside
/// memory; the store itself is ingest's, which reads them back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredCells {
    /// Byte offset of the packed cells in the store.
    pub at: u64,
    /// Their length in bytes.
    pub len: u32,
    /// How many of those bytes are text (the rest are the cells' ends).
    pub text_len: u32,
}

impl Default for RawRow {
    fn default() -> Self {
        Self(Cells::Held {
            packed: Box::default(),
            text_len: 0,
        })
    }
}

impl RawRow {
    /// Packs `values`, one per header, in column order.
    pub fn new<S: AsRef<str>>(values: &[S]) -> Self {
        let text_len: usize = values.iter().map(|v| v.as_ref().len()).sum();
        let mut packed = Vec::with_capacity(text_len + 4 * values.len());
        for v in values {
            packed.extend_from_slice(v.as_ref().as_bytes());
        }
        let mut end = 0usize;
        for v in values {
            end += v.as_ref().len();
            packed.extend_from_slice(&u32::try_from(end).unwrap_or(u32::MAX).to_le_bytes());
        }
        Self(Cells::Held {
            packed: packed.into_boxed_slice(),
            text_len: u32::try_from(text_len).unwrap_or(u32::MAX),
        })
    }

    /// A held row from its packed form (as [`RawRow::packed`] gave it), or `None` when the
    /// bytes are not one: text that is not UTF-8, or cell ends out of order or past it.
    pub fn from_packed(packed: Box<[u8]>, text_len: u32) -> Option<Self> {
        let at = text_len as usize;
        let (text, ends) = packed.split_at_checked(at)?;
        if ends.len() % 4 != 0 {
            return None;
        }
        let text = std::str::from_utf8(text).ok()?;
        let mut start = 0usize;
        for end in ends.chunks_exact(4) {
            let end = u32::from_le_bytes([end[0], end[1], end[2], end[3]]) as usize;
            if end < start || !text.is_char_boundary(end) {
                return None;
            }
            start = end;
        }
        Some(Self(Cells::Held { packed, text_len }))
    }

    /// A row whose cells were written to a store at `stored`.
    pub fn stored(stored: StoredCells) -> Self {
        Self(Cells::Stored(stored))
    }

    /// The packed bytes and how many of them are text, for a held row.
    pub fn packed(&self) -> Option<(&[u8], u32)> {
        match &self.0 {
            Cells::Held { packed, text_len } => Some((packed, *text_len)),
            Cells::Stored(_) => None,
        }
    }

    /// Where the cells were written, for a row not held in memory.
    pub fn stored_at(&self) -> Option<StoredCells> {
        match self.0 {
            Cells::Stored(stored) => Some(stored),
            Cells::Held { .. } => None,
        }
    }

    /// The cell values in column order. A stored row yields none: its store reads it back
    /// (`hedui_ingest::CellStore::load`).
    pub fn values(&self) -> impl Iterator<Item = &str> {
        let (packed, text_len) = self.packed().unwrap_or((&[], 0));
        let at = (text_len as usize).min(packed.len());
        let (text, ends) = packed.split_at(at);
        // Built from `str`s only (or checked by `from_packed`), so the check cannot fail.
        let text = std::str::from_utf8(text).unwrap_or_default();
        let mut start = 0usize;
        ends.chunks_exact(4).map(move |end| {
            let end = u32::from_le_bytes([end[0], end[1], end[2], end[3]]) as usize;
            let value = text.get(start..end.min(text.len())).unwrap_or_default();
            start = end;
            value
        })
    }
}

impl fmt::Debug for RawRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Cells::Held { .. } => f.debug_list().entries(self.values()).finish(),
            Cells::Stored(s) => write!(f, "<{} bytes stored at {}>", s.len, s.at),
        }
    }
}

/// An identity number as found: the raw text and what parsing made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdField {
    /// The trimmed cell, kept only when it is not already the valid number's own text:
    /// most cells are, and millions of them are held at once.
    raw: RareText,
    pub parsed: Result<ResidentId, IdDefect>,
}

impl IdField {
    /// Parses `raw`, keeping it for evidence and typo blocking.
    pub fn parse(raw: &str) -> Self {
        let parsed = ResidentId::parse(raw);
        let raw = raw.trim();
        let derivable =
            raw.is_empty() || matches!(&parsed, Ok(id) if id.as_bytes() == raw.as_bytes());
        Self {
            raw: Rare::kept_if(|| raw.into(), !derivable),
            parsed,
        }
    }

    /// The cell as written, trimmed.
    pub fn raw(&self) -> &str {
        match (self.raw.get(), &self.parsed) {
            (Some(raw), _) => raw,
            (None, Ok(id)) => id.as_str(),
            (None, Err(_)) => "",
        }
    }

    /// The valid number, if any.
    pub fn valid(&self) -> Option<&ResidentId> {
        self.parsed.as_ref().ok()
    }

    /// Whether the cell held nothing at all (as opposed to something broken).
    pub fn is_missing(&self) -> bool {
        matches!(self.parsed, Err(IdDefect::Empty))
    }
}

/// A name cell as written, kept only when normalisation changed it: most names are already
/// in normal form, and the normal form is shared while the raw text would be a copy per row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawName(RareText);

impl RawName {
    /// Remembers `raw` unless it is `name`'s text.
    pub fn new(raw: &str, name: &PersonName) -> Self {
        Self::kept_if(raw, raw != name.as_str())
    }

    /// Remembers `raw` if `changed`: for a caller that already knows whether normalising
    /// changed it, without reading the name's text again.
    pub fn kept_if(raw: &str, changed: bool) -> Self {
        Self(Rare::kept_if(|| raw.into(), changed))
    }

    /// The text as written, given the name it normalised to.
    pub fn or_normal<'a>(&'a self, name: &'a PersonName) -> &'a str {
        self.0.get().unwrap_or(name.as_str())
    }

    /// Whether the text as written differs from the name it normalised to.
    pub fn differs(&self) -> bool {
        self.0.get().is_some()
    }
}

/// A value few rows carry (a raw cell that parsing changed, a record's warnings), behind one
/// thin pointer: 8 bytes in a struct held millions of times, where a `Box<str>` or
/// `Box<[T]>` takes 16. The few rows that carry it pay a second allocation.
#[derive(Debug, PartialEq, Eq)]
struct Rare<T: ?Sized>(Option<Box<Box<T>>>);

impl<T: ?Sized> Rare<T> {
    /// `value`, if `keep`; nothing otherwise.
    fn kept_if(value: impl FnOnce() -> Box<T>, keep: bool) -> Self {
        Self(keep.then(|| Box::new(value())))
    }

    fn get(&self) -> Option<&T> {
        self.0.as_deref().map(|value| &**value)
    }
}

impl<T: ?Sized> Clone for Rare<T>
where
    Box<T>: Clone,
{
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T: ?Sized> Default for Rare<T> {
    fn default() -> Self {
        Self(None)
    }
}

type RareText = Rare<str>;

/// One member of one recipient household.
#[derive(Debug, Clone)]
pub struct Member {
    pub household_id: Box<str>,
    pub name: PersonName,
    /// Read it through [`Member::name_raw`].
    pub raw_name: RawName,
    pub id: IdField,
    /// Shared with every member of the same relation (a handful of values).
    pub relation: Arc<str>,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub category: Arc<str>,
    /// Shared with every row that wrote the same address.
    pub address: Shared<Address>,
    pub enrolled_on: Option<NaiveDate>,
    pub head_name: Option<Box<str>>,
    pub monthly_amount: Option<f64>,
    pub provenance: Provenance,
    pub raw: RawRow,
}

impl Member {
    /// The name as the roster wrote it.
    pub fn name_raw(&self) -> &str {
        self.raw_name.or_normal(&self.name)
    }
}

/// One holder named on a department record. Property cells can name several.
#[derive(Debug, Clone)]
pub struct Owner {
    pub name: PersonName,
    /// Read it through [`Owner::name_raw`].
    pub raw_name: RawName,
    pub id: IdField,
    /// Position within a co-owner cell; 0 for a single owner. A `u32`, not a `usize`: with
    /// it an owner fits the allocator's 64-byte size class (see the size test below).
    pub position: u32,
    /// A person, or an organisation such as a company that owns a car.
    pub holder: Holder,
}

impl Owner {
    /// The name as the department wrote it.
    pub fn name_raw(&self) -> &str {
        self.raw_name.or_normal(&self.name)
    }

    /// Whether the holder is a person, who can be a household member.
    pub fn is_person(&self) -> bool {
        self.holder == Holder::Person
    }
}

/// Who holds an asset. Only a person can be a member of a household; an organisation's
/// car or premises belong to no household, so matching leaves organisation owners out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Holder {
    /// Every holder unless the export says otherwise.
    #[default]
    Person,
    /// The export names an organisation's document as the holder's identity (车管
    /// 身份证明名称 `B` 组织机构代码证书, 统一社会信用代码, 营业执照).
    Organisation,
}

/// What only one department's records carry. The plate and certificate number are the
/// record's [`AssetRecord::record_key`], not repeated here. Text that a few dozen values
/// cover is shared (`Arc<str>`) across rows.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "department", rename_all = "snake_case")]
pub enum AssetDetail {
    Vehicle {
        vin: Box<str>,
        vehicle_type: Arc<str>,
        use_nature: Arc<str>,
    },
    Licence {
        credit_code: Option<CreditCode>,
        entity_name: Box<str>,
        entity_type: Arc<str>,
        /// In yuan, units resolved.
        registered_capital: Figure,
    },
    Property {
        co_ownership: Arc<str>,
        /// The kind of right as written (`宅基地使用权/房屋所有权`,
        /// `国有建设用地使用权/房屋所有权`); empty when the export has no such column.
        right_type: Arc<str>,
        /// Compound uses split on `/`: `宅基地/住宅` is `["宅基地", "住宅"]`.
        use_parts: Arc<[Box<str>]>,
        /// In square metres.
        floor_area: Figure,
    },
    /// A staff member (the record's one owner) and the post whose relatives must be declared.
    /// Boxed: staff rows are a few thousand, and held inline they made every record's
    /// detail as large as theirs.
    Staff(Box<StaffDetail>),
    /// A declaration: owner 0 is the recipient, owner 1 the staff member.
    Register {
        relation: Arc<str>,
        /// The recipient household's certificate number as written.
        certificate_no: Box<str>,
    },
    /// One person (the record's one owner) in a registration household.
    Hukou {
        hukou_no: Box<str>,
        /// 与户主关系 as written (户主, 配偶, 子, 父亲…).
        relation: Arc<str>,
    },
}

impl AssetDetail {
    /// The department whose records carry this detail.
    pub fn department(&self) -> Department {
        match self {
            Self::Vehicle { .. } => Department::Vehicle,
            Self::Licence { .. } => Department::Licence,
            Self::Property { .. } => Department::Property,
            Self::Staff(_) => Department::Staff,
            Self::Register { .. } => Department::Register,
            Self::Hukou { .. } => Department::Hukou,
        }
    }
}

/// An amount a row may lack (registered capital, floor area): an `f64` with NaN for none,
/// 8 bytes where an `Option<f64>` takes 16 in a detail that millions of records hold. An
/// amount that is NaN is none; ingest reads no such amount.
#[derive(Clone, Copy)]
pub struct Figure(f64);

/// As the `Option<f64>` it stands for: no amount equals no amount (NaN never equals NaN).
impl PartialEq for Figure {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Figure {
    /// No amount.
    pub const NONE: Figure = Figure(f64::NAN);

    /// The amount, if there is one.
    pub fn get(self) -> Option<f64> {
        (!self.0.is_nan()).then_some(self.0)
    }
}

impl From<Option<f64>> for Figure {
    fn from(value: Option<f64>) -> Self {
        value.map_or(Self::NONE, Figure)
    }
}

impl fmt::Debug for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.get().fmt(f)
    }
}

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.get().serialize(serializer)
    }
}

/// A staff roster row's post and term ([`AssetDetail::Staff`]).
#[derive(Debug, Clone, Serialize)]
pub struct StaffDetail {
    pub position: Arc<str>,
    pub unit: Arc<str>,
    /// The township and village (community) served, spelled as the roster writes them.
    pub township: Arc<str>,
    pub village: Arc<str>,
    /// The same, parsed like a roster address, so that `阿倮村委会` is the recipients'
    /// `阿倮村`.
    #[serde(skip)]
    pub served: Shared<Address>,
    pub term_start: Option<NaiveDate>,
    /// `None`: still in office.
    pub term_end: Option<NaiveDate>,
}

impl StaffDetail {
    /// The township and village served, as one place name (the evidence's `serves`).
    pub fn serves(&self) -> String {
        format!("{}{}", self.township, self.village)
    }
}

/// One row of a department export, parsed.
///
/// Its department is its detail's ([`AssetRecord::department`]): held apart, the one byte
/// took eight with padding in each of millions of records.
#[derive(Debug, Clone)]
pub struct AssetRecord {
    /// Plate, credit code (or registration number), or certificate number.
    pub record_key: Box<str>,
    /// A list that never grows once read: a boxed slice, 8 bytes less than a `Vec`.
    pub owners: Box<[Owner]>,
    /// Shared with every row that wrote the same address.
    pub address: Shared<Address>,
    pub registered_on: Option<NaiveDate>,
    /// Every state the status cell lists (`抵押,违法未处理` is two), shared with every row
    /// that wrote the same cell.
    pub statuses: Arc<[Box<str>]>,
    pub status_changed_on: Option<NaiveDate>,
    pub detail: AssetDetail,
    /// Things a reviewer should know that did not stop the row, e.g. a co-owner count
    /// mismatch or a credit code whose check failed.
    pub warnings: Warnings,
    pub provenance: Provenance,
    pub raw: RawRow,
}

impl AssetRecord {
    /// The department the record comes from, which its detail's kind says.
    pub fn department(&self) -> Department {
        self.detail.department()
    }
}

/// A record's warnings ([`AssetRecord::warnings`]), read as a slice. Most records have none,
/// so the list sits behind one thin pointer: 8 bytes in each record instead of 16.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Warnings(Rare<[String]>);

impl From<Vec<String>> for Warnings {
    fn from(warnings: Vec<String>) -> Self {
        let keep = !warnings.is_empty();
        Self(Rare::kept_if(|| warnings.into_boxed_slice(), keep))
    }
}

impl std::ops::Deref for Warnings {
    type Target = [String];

    fn deref(&self) -> &[String] {
        self.0.get().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Millions of records are held at once: these sizes are the run's memory per row, and
    /// a field that grows them should be a decision, not an accident.
    #[test]
    fn records_stay_their_size() {
        assert_eq!(size_of::<AssetDetail>(), 64, "AssetDetail");
        assert_eq!(size_of::<AssetRecord>(), 184, "AssetRecord");
        assert_eq!(size_of::<Member>(), 208, "Member");
        // Each record's owners are one allocation: 64 bytes is an allocator size class, so
        // an owner that grows past it costs the next class (80) for every record.
        assert_eq!(size_of::<Owner>(), 64, "Owner");
        assert_eq!(size_of::<IdField>(), 32, "IdField");
        assert_eq!(size_of::<RawRow>(), 24, "RawRow");
    }

    #[test]
    fn a_figure_is_an_option_that_takes_eight_bytes() {
        assert_eq!(Figure::from(Some(12.5)).get(), Some(12.5));
        assert_eq!(Figure::from(Some(0.0)).get(), Some(0.0));
        assert_eq!(Figure::from(Some(-3.0)).get(), Some(-3.0));
        assert_eq!(Figure::from(None).get(), None);
        assert_eq!(Figure::from(Some(f64::NAN)).get(), None);
        assert_eq!(Figure::NONE, Figure::from(None));
        assert_eq!(Figure::from(Some(f64::NAN)), Figure::NONE);
        assert_ne!(Figure::from(Some(1.0)), Figure::NONE);
        assert_eq!(Figure::from(Some(1.0)), Figure::from(Some(1.0)));
        assert_eq!(format!("{:?}", Figure::from(Some(2.0))), "Some(2.0)");
        assert_eq!(serde_json::to_string(&Figure::NONE).unwrap(), "null");
        assert_eq!(
            serde_json::to_string(&Figure::from(Some(2.5))).unwrap(),
            "2.5"
        );
    }

    #[test]
    fn warnings_read_as_the_list_they_were_made_from() {
        let none = Warnings::from(Vec::new());
        assert!(none.is_empty());
        assert_eq!(none, Warnings::default());
        let two = Warnings::from(vec!["a".to_owned(), "b".to_owned()]);
        assert_eq!(&*two, ["a".to_owned(), "b".to_owned()].as_slice());
        assert_eq!(size_of::<Warnings>(), 8);
    }

    #[test]
    fn rare_texts_are_kept_only_when_they_differ() {
        let id = IdField::parse(" 53250119800101001X ");
        assert_eq!(id.raw(), "53250119800101001X");
        assert!(
            id.raw.get().is_some(),
            "the trimmed cell is not the number's own text"
        );
        let clean = IdField::parse("532501198001010012");
        assert!(clean.raw.get().is_none());
        let broken = IdField::parse("5325011980");
        assert_eq!(broken.raw(), "5325011980");
        assert_eq!(IdField::parse("").raw(), "");

        let name = PersonName::normalise("张 三");
        let raw = RawName::new("张 三", &name);
        assert_eq!(raw.or_normal(&name), "张 三");
        let same = RawName::new(name.as_str(), &name);
        assert!(same.0.get().is_none());
        assert_eq!(same.or_normal(&name), name.as_str());
    }

    #[test]
    fn a_record_s_department_is_its_detail_s() {
        let detail = |department| match department {
            Department::Vehicle => AssetDetail::Vehicle {
                vin: "".into(),
                vehicle_type: "".into(),
                use_nature: "".into(),
            },
            Department::Licence => AssetDetail::Licence {
                credit_code: None,
                entity_name: "".into(),
                entity_type: "".into(),
                registered_capital: Figure::NONE,
            },
            Department::Property => AssetDetail::Property {
                co_ownership: "".into(),
                right_type: "".into(),
                use_parts: Arc::new([]),
                floor_area: Figure::NONE,
            },
            Department::Staff => AssetDetail::Staff(Box::new(StaffDetail {
                position: "".into(),
                unit: "".into(),
                township: "".into(),
                village: "".into(),
                served: Address::default().into(),
                term_start: None,
                term_end: None,
            })),
            Department::Register => AssetDetail::Register {
                relation: "".into(),
                certificate_no: "".into(),
            },
            Department::Hukou => AssetDetail::Hukou {
                hukou_no: "".into(),
                relation: "".into(),
            },
        };
        for department in Department::ALL {
            assert_eq!(detail(department).department(), department);
        }
    }
}
