//! From a mapped physical row to a canonical record, or to the reason it cannot be one.
//!
//! Parsing is pure and per-row so batches can run in parallel; the caller keeps order.

mod memo;
mod owners;
mod values;

use std::sync::Arc;

use hedui_core::address::Address;
use hedui_core::credit_code::CreditCode;
use hedui_core::plate::Plate;
use hedui_core::record::{
    AssetDetail, AssetRecord, Department, IdField, Member, Owner, Provenance, RawRow, SourceFile,
};
use hedui_core::resident_id::Sex;
use hedui_core::shared::Shared;

use crate::aliases::TableKind;
use crate::field_id::field;
use crate::mapping::ColumnMap;
use crate::reject::RejectReason;

use values::Cells;
pub(crate) use values::DateMode;

/// Everything that is the same for every row of one file.
#[derive(Debug)]
pub(crate) struct FileContext {
    pub kind: TableKind,
    /// The file, its sheet and its headers.
    pub file: Arc<SourceFile>,
    pub map: ColumnMap,
    pub dates: DateMode,
    /// Delimited text must have exactly one field per header; spreadsheets are positional.
    pub strict_width: bool,
    /// Delimited text whose rows all end with a delimiter (see `TextRows`).
    pub trailing_delimiter: bool,
}

impl FileContext {
    /// A copy whose shared file is a fresh allocation, for one batch of rows on one
    /// worker. Every row clones it; the clones of one shared value all count on one cache
    /// line, and with both cores parsing the same file that line moved between them on
    /// every row. A copy per batch keeps each count on one core.
    pub fn for_one_batch(&self) -> FileContext {
        FileContext {
            kind: self.kind,
            file: Arc::new(SourceFile::clone(&self.file)),
            map: self.map.clone(),
            dates: self.dates,
            strict_width: self.strict_width,
            trailing_delimiter: self.trailing_delimiter,
        }
    }
}

/// A parsed row.
///
/// Not boxed: a box was allocated on a parsing thread and freed on the thread that keeps
/// file order, and those frees from another thread were a quarter of that thread's time.
#[derive(Debug)]
pub(crate) enum Parsed {
    Member(Member),
    Asset(AssetRecord),
}

/// Parses one data row: its cells, on physical line (or spreadsheet row) `line`.
pub(crate) fn parse_cells(
    ctx: &FileContext,
    line: u64,
    cells: &[&str],
) -> Result<Parsed, RejectReason> {
    let width = ctx.file.headers.len();
    // A trailing delimiter on every line is an exporter habit, not a defect, and a
    // workbook's formatted cells right of the table are empty; in a text file without the
    // habit, one field too many is a delimiter inside a value, however empty the last one.
    let trailing_allowed = ctx.trailing_delimiter || !ctx.strict_width;
    let trailing_empty = trailing_allowed
        && cells.len() > width
        && cells[width..].iter().all(|c| c.trim().is_empty());
    let effective = if trailing_empty { width } else { cells.len() };
    if effective != width && (ctx.strict_width || effective > width) {
        return Err(RejectReason::FieldCount {
            found: cells.len(),
            expected: width,
        });
    }
    if is_header_again(cells, &ctx.file.headers) {
        return Err(RejectReason::RepeatedHeader);
    }
    // A workbook's footers are found where the table ends (see `excel_reader`); a text
    // file's totals line is known by its first cell.
    if ctx.strict_width && is_totals_line(cells) {
        return Err(RejectReason::Footer);
    }
    let padded;
    let cells: &[&str] = if effective < width {
        padded = {
            let mut v = cells.to_vec();
            v.resize(width, "");
            v
        };
        &padded
    } else {
        &cells[..width]
    };
    let provenance = Provenance {
        file: Arc::clone(&ctx.file),
        line,
    };
    let c = Cells {
        map: &ctx.map,
        cells,
        dates: ctx.dates,
    };
    // Packed before the row is parsed, so that no placeholder is made and dropped per row;
    // a rejected row's copy is dropped instead, and rejects are few.
    let raw = RawRow::new(cells);
    Ok(match ctx.kind {
        TableKind::Recipients => Parsed::Member(member(&c, provenance, raw)?),
        kind => Parsed::Asset(asset(kind, &c, provenance, raw)?),
    })
}

/// Whether `cells` are the header's own names, as in two exports joined one after the other.
fn is_header_again(cells: &[&str], headers: &[String]) -> bool {
    // The first cell almost never matches, so this costs one comparison per row.
    cells.first().map(|c| c.trim()) == headers.first().map(|h| h.trim())
        && headers.iter().zip(cells).all(|(h, c)| h.trim() == c.trim())
}

/// A text row whose first filled cell starts with `合计`, `总计`, `小计` or `共计`: no
/// plate, credit code, certificate or household number does.
fn is_totals_line(cells: &[&str]) -> bool {
    let Some(first) = cells.iter().map(|c| c.trim()).find(|c| !c.is_empty()) else {
        return false;
    };
    // Runs on every row of a text file, so it compares characters and allocates nothing.
    let mut chars = first.chars().filter(|c| !c.is_whitespace());
    let opening = [chars.next(), chars.next()];
    crate::table::FOOTER_WORDS.iter().any(|word| {
        let mut word = word.chars();
        opening == [word.next(), word.next()]
    })
}

fn member(c: &Cells<'_>, provenance: Provenance, raw: RawRow) -> Result<Member, RejectReason> {
    let household_id = c.required(field!("household_id"))?.into();
    let name_raw = c.required(field!("member_name"))?;
    let (name, raw_name) = memo::person_name(name_raw);
    let id = IdField::parse(c.get(field!("member_id")));
    let sex = match c.get(field!("sex")) {
        "男" | "男性" | "M" | "1" => Some(Sex::Male),
        "女" | "女性" | "F" | "2" => Some(Sex::Female),
        _ => id.valid().map(|i| i.sex()),
    };
    let birth_date = c
        .date(field!("birth_date"))?
        .or_else(|| id.valid().map(|i| i.birth_date()));
    let cells = [
        field!("address"),
        field!("county"),
        field!("township"),
        field!("village"),
    ]
    .map(|f| c.get(f));
    let address = memo::member_address(cells, |[address, county, township, village]| {
        let mut address = Address::clone(&memo::address(address));
        fill_address(&mut address, county, township, village);
        address
    });
    Ok(Member {
        household_id,
        raw_name,
        name,
        id,
        relation: memo::text(c.get(field!("relation"))),
        sex,
        birth_date,
        category: memo::text(c.get(field!("category"))),
        address,
        enrolled_on: c.date(field!("enrolled_on"))?,
        head_name: Some(c.get(field!("head_name")))
            .filter(|s| !s.is_empty())
            .map(Box::from),
        monthly_amount: c.yuan(field!("monthly_amount"))?,
        provenance,
        raw,
    })
}

/// Rosters often keep county, township and village in their own columns and only the
/// remainder in the address; the dedicated columns fill what the address text lacks.
fn fill_address(address: &mut Address, county: &str, township: &str, village: &str) {
    if address.county.is_none() && !county.is_empty() {
        address.county = memo::address(county).county;
    }
    if address.township.is_none() && !township.is_empty() {
        // Through the parser, so `勐拉乡` in the column is the same township as `勐拉镇`.
        address.township = memo::address(township)
            .township
            .clone()
            .or_else(|| Some(township.into()));
    }
    if address.village.is_none() && !village.is_empty() {
        address.village = memo::address(&format!("{township}{village}"))
            .village
            .clone();
    }
}

fn asset(
    kind: TableKind,
    c: &Cells<'_>,
    provenance: Provenance,
    raw: RawRow,
) -> Result<AssetRecord, RejectReason> {
    let mut warnings = Vec::new();
    let (department, record_key, owners, address_text, detail) = match kind {
        TableKind::Vehicle => {
            let plate = Plate::parse(c.required(field!("plate"))?)
                .map_err(|e| c.bad(field!("plate"), e))?;
            let owner = single_owner(c.required(field!("owner_name"))?, c.get(field!("owner_id")));
            let detail = AssetDetail::Vehicle {
                vin: c.get(field!("vin")).into(),
                vehicle_type: memo::text(c.get(field!("vehicle_type"))),
                use_nature: memo::text(c.get(field!("use_nature"))),
            };
            (
                Department::Vehicle,
                plate.into_key(),
                vec![owner],
                c.get(field!("owner_address")),
                detail,
            )
        }
        TableKind::Licence => {
            let code = CreditCode::parse(c.required(field!("credit_code"))?)
                .map_err(|e| c.bad(field!("credit_code"), e))?;
            if !code.check_ok() {
                warnings.push(format!(
                    "credit code {} fails its check character",
                    code.as_str()
                ));
            }
            let owner = single_owner(
                c.required(field!("operator_name"))?,
                c.get(field!("operator_id")),
            );
            let key = code.as_str().into();
            let detail = AssetDetail::Licence {
                credit_code: Some(code),
                entity_name: c.get(field!("entity_name")).into(),
                entity_type: memo::text(c.get(field!("entity_type"))),
                registered_capital: c.yuan(field!("registered_capital"))?,
            };
            (
                Department::Licence,
                key,
                vec![owner],
                c.get(field!("address")),
                detail,
            )
        }
        TableKind::Property | TableKind::Recipients => {
            let key = values::fold_width(c.required(field!("certificate_no"))?).into();
            let co_ownership = c.get(field!("co_ownership"));
            // Some systems put the co-owners in columns of their own (共有人, 共有人证件号);
            // they are owners like the first one, in the same order. The number columns
            // are joined even when one is empty, so the empty slot keeps the pairing.
            let (names, ids) = (
                c.required(field!("owner_names"))?,
                c.get(field!("owner_ids")),
            );
            let (more_names, more_ids) = (
                c.get(field!("co_owner_names")),
                c.get(field!("co_owner_ids")),
            );
            let split = if more_names.is_empty() {
                owners::split_owners(names, ids, co_ownership)
            } else {
                let ids = if ids.is_empty() && more_ids.is_empty() {
                    String::new()
                } else {
                    format!("{ids}、{more_ids}")
                };
                owners::split_owners(&format!("{names}、{more_names}"), &ids, co_ownership)
            };
            warnings.extend(split.warning);
            let detail = AssetDetail::Property {
                co_ownership: memo::text(co_ownership),
                right_type: memo::text(c.get(field!("right_type"))),
                use_parts: memo::use_parts(c.get(field!("use"))),
                floor_area: c.area(field!("floor_area"))?,
            };
            (
                Department::Property,
                key,
                split.owners,
                c.get(field!("location")),
                detail,
            )
        }
    };
    Ok(AssetRecord {
        department,
        record_key,
        owners,
        address: memo::address_in_area(
            address_text,
            c.get(match kind {
                TableKind::Vehicle => field!("owner_area"),
                _ => field!("area"),
            }),
            with_area,
        ),
        registered_on: c.date(match kind {
            TableKind::Licence => field!("established_on"),
            _ => field!("registered_on"),
        })?,
        statuses: memo::statuses(c.get(field!("status"))),
        status_changed_on: c.date(field!("status_changed_on"))?,
        detail,
        warnings: warnings.into_boxed_slice(),
        provenance,
        raw,
    })
}

/// An address completed with the county its own column gives (`住所行政区划`: `532504`
/// or `弥勒市`) when the text does not name one (see [`memo::address_in_area`]). The text
/// wins when both do: it is the more specific of the two, and a code column is sometimes
/// the registering office's.
fn with_area(address: Shared<Address>, area: &str) -> Shared<Address> {
    let county =
        hedui_core::address::county_from_area_code(area).or_else(|| memo::address(area).county);
    match county {
        Some(county) => Shared::from(Address {
            county: Some(county),
            ..Address::clone(&address)
        }),
        None => address,
    }
}

fn single_owner(name: &str, id: &str) -> Owner {
    let (name, raw_name) = memo::person_name(name);
    Owner {
        raw_name,
        name,
        id: IdField::parse(id),
        position: 0,
    }
}
