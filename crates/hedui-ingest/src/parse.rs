//! From a mapped physical row to a canonical record, or to the reason it cannot be one.
//!
//! Parsing is pure and per-row so batches can run in parallel; the caller keeps order.

mod memo;
mod owners;
mod values;

use std::sync::Arc;

use hedui_core::address::Address;
use hedui_core::area::{COUNTIES, County};
use hedui_core::credit_code::CreditCode;
use hedui_core::plate::Plate;
use hedui_core::record::{
    AssetDetail, AssetRecord, Holder, IdField, Member, Owner, Provenance, RawRow, SourceFile,
    StaffDetail,
};
use hedui_core::resident_id::Sex;
use hedui_core::shared::Shared;

use crate::aliases::TableKind;
use crate::field_id::field;
use crate::mapping::ColumnMap;
use crate::reject::RejectReason;

pub use memo::{reading_done, single_run};
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
    let address = memo::member_address(cells, |[text, county, township, village]| {
        let mut address = Address::clone(&memo::address(text));
        // The roster's county column beats a county only inferred from a township name,
        // as an export's area column does (`memo::address_in_area`).
        if let (Some(inferred), Some(column)) = (address.county, memo::address(county).county)
            && inferred.code != column.code
        {
            address = Address::parse_in_county(text, column);
        }
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
    let (record_key, owners, address_text, detail) = match kind {
        TableKind::Vehicle => {
            let plate = Plate::parse(c.required(field!("plate"))?)
                .map_err(|e| c.bad(field!("plate"), e))?;
            let mut owner =
                single_owner(c.required(field!("owner_name"))?, c.get(field!("owner_id")));
            // A company's car belongs to no household: the export says so by the kind of
            // document it names for the owner's number.
            owner.holder = owners::holder_of(c.get(field!("owner_id_kind")));
            let detail = AssetDetail::Vehicle {
                vin: c.get(field!("vin")).into(),
                vehicle_type: memo::text(c.get(field!("vehicle_type"))),
                use_nature: memo::text(c.get(field!("use_nature"))),
            };
            (
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
                registered_capital: c.yuan(field!("registered_capital"))?.into(),
            };
            (key, vec![owner], c.get(field!("address")), detail)
        }
        TableKind::Staff => {
            let owner = single_owner(c.required(field!("staff_name"))?, c.get(field!("staff_id")));
            let key = person_key(&owner, provenance.line).into_boxed_str();
            let (township, village) = (
                c.get(field!("served_township")),
                c.get(field!("served_village")),
            );
            let detail = AssetDetail::Staff(Box::new(StaffDetail {
                position: memo::text(c.get(field!("position"))),
                unit: memo::text(c.get(field!("unit"))),
                township: memo::text(township),
                village: memo::text(village),
                served: memo::address(&format!("{township}{village}")),
                term_start: c.date(field!("term_start"))?,
                term_end: c.date(field!("term_end"))?,
            }));
            (key, vec![owner], c.get(field!("address")), detail)
        }
        TableKind::RelativesRegister => {
            let recipient = single_owner(
                c.required(field!("recipient_name"))?,
                c.get(field!("recipient_id")),
            );
            let mut staff =
                single_owner(c.required(field!("staff_name"))?, c.get(field!("staff_id")));
            staff.position = 1;
            // Who declared whom: the same pair keeps its key whatever line it moves to.
            let key = format!(
                "{}~{}",
                person_key(&recipient, provenance.line),
                person_key(&staff, provenance.line)
            )
            .into();
            let detail = AssetDetail::Register {
                relation: memo::text(c.get(field!("relation"))),
                certificate_no: values::fold_width(c.get(field!("certificate_no"))).into(),
            };
            (key, vec![recipient, staff], "", detail)
        }
        TableKind::Hukou => {
            let hukou_no = values::fold_width(c.required(field!("hukou_no"))?);
            let owner = single_owner(
                c.required(field!("person_name"))?,
                c.get(field!("person_id")),
            );
            let key = format!("{hukou_no}/{}", person_key(&owner, provenance.line)).into();
            let detail = AssetDetail::Hukou {
                hukou_no: hukou_no.into(),
                relation: memo::text(c.get(field!("relation"))),
            };
            (key, vec![owner], c.get(field!("address")), detail)
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
                floor_area: c.area(field!("floor_area"))?.into(),
            };
            (key, split.owners, c.get(field!("location")), detail)
        }
    };
    let area = match kind {
        TableKind::Vehicle => c.get(field!("owner_area")),
        TableKind::Licence => match (c.get(field!("area")), c.get(field!("registry_office"))) {
            (area, office) if area.is_empty() && !office.is_empty() => {
                memo::office_county(office, office_county).map_or("", |county| county.code)
            }
            (area, _) => area,
        },
        TableKind::Property | TableKind::Recipients => c.get(field!("area")),
        TableKind::Staff | TableKind::RelativesRegister | TableKind::Hukou => "",
    };
    Ok(AssetRecord {
        record_key,
        owners: owners.into_boxed_slice(),
        address: memo::address_in_area(address_text, area, area_county, with_area),
        registered_on: c.date(match kind {
            TableKind::Licence => field!("established_on"),
            _ => field!("registered_on"),
        })?,
        statuses: memo::statuses(c.get(field!("status"))),
        status_changed_on: c.date(field!("status_changed_on"))?,
        detail,
        warnings: warnings.into(),
        provenance,
        raw,
    })
}

/// The county an area column gives, as a code (`532504`) or a name (`弥勒市`).
fn area_county(area: &str) -> Option<&'static County> {
    hedui_core::address::county_from_area_code(area).or_else(|| memo::address(area).county)
}

/// An address completed with the county its own column gives (`住所行政区划`: `532504`
/// or `弥勒市`) when the text does not name one (see [`memo::address_in_area`]). The text
/// wins when both do: it is the more specific of the two, and a code column is sometimes
/// the registering office's.
fn with_area(address: Shared<Address>, area: &str) -> Shared<Address> {
    match area_county(area) {
        Some(county) => Shared::from(Address {
            county: Some(county),
            ..Address::clone(&address)
        }),
        None => address,
    }
}

/// The county a registering office names (`建水县市场监督管理局`, also with the
/// 市场监督管理所 of a township after it), for a licence row without an area value. Only a
/// county's own office places a business: a prefecture's or province's registers them
/// anywhere in it, and an office text naming two counties says nothing certain. The county
/// must be written in the text, not inferred from a township name in it.
fn office_county(office: &str) -> Option<&'static County> {
    let county = memo::address(office).county?;
    let others = COUNTIES
        .iter()
        .filter(|other| other.code != county.code)
        .any(|other| office.contains(other.full_name) || office.contains(other.common_name));
    (office.contains(county.stem) && !others).then_some(county)
}

/// A person's key in a roster row: the identity number (its 18-character form when it
/// reads as one), else the number as written, else the row's line.
fn person_key(owner: &Owner, line: u64) -> String {
    match (owner.id.valid(), owner.id.raw()) {
        (Some(id), _) => id.as_str().to_owned(),
        (None, raw) if !raw.trim().is_empty() => values::fold_width(raw.trim()),
        _ => format!("line:{line}"),
    }
}

fn single_owner(name: &str, id: &str) -> Owner {
    let (name, raw_name) = memo::person_name(name);
    Owner {
        raw_name,
        name,
        id: IdField::parse(id),
        position: 0,
        holder: Holder::Person,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::aliases::AliasTable;

    /// One row of `kind` under `headers`, parsed as a text file's row.
    fn parse_one(kind: TableKind, headers: &[&str], cells: &[&str]) -> AssetRecord {
        match parse_row(kind, headers, cells) {
            Parsed::Asset(record) => record,
            other => panic!("not an asset: {other:?}"),
        }
    }

    fn parse_row(kind: TableKind, headers: &[&str], cells: &[&str]) -> Parsed {
        let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        let aliases = AliasTable::builtin().unwrap();
        let map = ColumnMap::build(kind, &headers, &aliases, Path::new("x.csv"), None).unwrap();
        let ctx = FileContext {
            kind,
            file: Arc::new(SourceFile {
                source: kind.as_str().to_owned(),
                path: "x.csv".to_owned(),
                sha256: Default::default(),
                encoding: None,
                sheet: None,
                headers: Arc::from(headers),
            }),
            map,
            dates: DateMode::Text,
            strict_width: true,
            trailing_delimiter: false,
        };
        parse_cells(&ctx, 2, cells).unwrap()
    }

    const VEHICLE: [&str; 4] = ["号牌号码", "所有人", "身份证明名称", "身份证明号码"];

    #[test]
    fn an_organisation_document_makes_the_vehicle_owner_an_organisation() {
        for (kind, name, number) in [
            ("B", "蒙自市顺达运输有限公司", "91532503709741562P"),
            ("组织机构代码证书", "红河州某某运输有限公司", "70974156-2"),
            (
                "统一社会信用代码",
                "建水县恒昌建材有限公司",
                "91532524MA6N8PX447",
            ),
            ("营业执照", "个旧市金湖米线店", "92532501MA6KC2R51A"),
        ] {
            let record = parse_one(
                TableKind::Vehicle,
                &VEHICLE,
                &["云G5B207", name, kind, number],
            );
            let owner = &record.owners[0];
            assert_eq!(owner.holder, Holder::Organisation, "{kind}");
            assert!(!owner.is_person(), "{kind}");
            assert_eq!(owner.name_raw(), name, "the name is kept for evidence");
        }
    }

    #[test]
    fn a_person_document_or_none_keeps_the_owner_a_person() {
        for kind in [
            "A",
            "居民身份证",
            "",
            "军官证",
            "护照",
            "港澳居民来往内地通行证",
        ] {
            let record = parse_one(
                TableKind::Vehicle,
                &VEHICLE,
                &["云G3K521", "李建华", kind, "532524197803122112"],
            );
            assert!(record.owners[0].is_person(), "{kind:?}");
        }
        // Without the column every owner is a person, as before.
        let record = parse_one(TableKind::Vehicle, &VEHICLE[..2], &["云G3K521", "李建华"]);
        assert!(record.owners[0].is_person());
    }

    #[test]
    fn a_county_office_places_a_licence_without_an_area() {
        let county = |office: &str| office_county(office).map(|c| c.common_name);
        assert_eq!(county("建水县市场监督管理局"), Some("建水县"));
        assert_eq!(county("云南省红河州建水县市场监督管理局"), Some("建水县"));
        assert_eq!(
            county("建水县市场监督管理局曲江市场监督管理所"),
            Some("建水县")
        );
        assert_eq!(county("红河县市场监督管理局"), Some("红河县"));
        // The old county name of what is now 蒙自市.
        assert_eq!(county("蒙自县工商行政管理局"), Some("蒙自市"));
        // A prefecture's or province's office registers businesses anywhere in it.
        assert_eq!(county("红河州市场监督管理局"), None);
        assert_eq!(county("红河哈尼族彝族自治州市场监督管理局"), None);
        assert_eq!(county("云南省市场监督管理局"), None);
        // Two counties named: neither is certain.
        assert_eq!(county("蒙自市市场监督管理局（原个旧市工商局）"), None);

        let headers = ["统一社会信用代码", "经营者", "住所", "登记机关", "行政区划"];
        let code = "92532524MA6K3N7Q1W";
        let at = |address: &str, office: &str, area: &str| {
            let record = parse_one(
                TableKind::Licence,
                &headers,
                &[code, "李建华", address, office, area],
            );
            record.address.county.map(|c| c.common_name)
        };
        assert_eq!(at("北正街18号", "建水县市场监督管理局", ""), Some("建水县"));
        assert_eq!(at("北正街18号", "红河州市场监督管理局", ""), None);
        // The area column and the address text come first.
        assert_eq!(
            at("北正街18号", "建水县市场监督管理局", "532501"),
            Some("个旧市")
        );
        assert_eq!(
            at("开远市灵泉街道1号", "建水县市场监督管理局", ""),
            Some("开远市")
        );
    }

    #[test]
    fn an_area_column_beats_a_county_inferred_from_a_township_name() {
        let headers = ["统一社会信用代码", "经营者", "住所", "登记机关", "行政区划"];
        let code = "92532524MA6K3N7Q1W";
        let at = |address: &str, area: &str| {
            let record = parse_one(
                TableKind::Licence,
                &headers,
                &[code, "李建华", address, "", area],
            );
            let a = &record.address;
            (
                a.county.map(|c| c.common_name),
                a.township.as_deref().map(str::to_owned),
            )
        };
        // 勐拉 is a township of 金平 (Honghe) and, in this row, of 楚雄市.
        let text = "勐拉乡雨山村委会10组75号";
        assert_eq!(at(text, ""), (Some("金平县"), Some("勐拉镇".to_owned())));
        assert_eq!(
            at(text, "532530"),
            (Some("金平县"), Some("勐拉镇".to_owned()))
        );
        assert_eq!(
            at(text, "楚雄市"),
            (Some("楚雄市"), Some("勐拉乡".to_owned()))
        );
        assert_eq!(
            at(text, "532301"),
            (Some("楚雄市"), Some("勐拉乡".to_owned()))
        );
        // A county the text writes still wins over the column.
        assert_eq!(
            at("金平县勐拉镇雨山村委会10组", "532301"),
            (Some("金平县"), Some("勐拉镇".to_owned()))
        );
    }

    #[test]
    fn a_rosters_county_column_beats_a_county_inferred_from_a_township_name() {
        let headers = ["户编号", "成员姓名", "身份证号", "县市区", "家庭住址"];
        let county = |column: &str| match parse_row(
            TableKind::Recipients,
            &headers,
            &[
                "H1",
                "李建华",
                "532301197506150034",
                column,
                "勐拉乡雨山村委会10组",
            ],
        ) {
            Parsed::Member(m) => (
                m.address.county.map(|c| c.common_name),
                m.address.township.as_deref().map(str::to_owned),
            ),
            other => panic!("not a member: {other:?}"),
        };
        assert_eq!(
            county("楚雄市"),
            (Some("楚雄市"), Some("勐拉乡".to_owned()))
        );
        assert_eq!(
            county("金平县"),
            (Some("金平县"), Some("勐拉镇".to_owned()))
        );
    }
}
