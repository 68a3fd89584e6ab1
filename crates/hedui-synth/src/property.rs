//! `property.xlsx`: the real-estate registry (不动产登记) export. One or two merged title rows
//! above the header, a totals footer, dates as date cells, serial numbers or text, areas
//! with or without units, and co-owners either in one cell or on repeated rows. In the
//! national style the columns are the national register's, with a 不动产单元号.

use chrono::NaiveDate;
use rand::Rng;

use crate::assets::Property;
use crate::config::ExportStyle;
use crate::defects::{self, DateStyle, FileNoise, IdMode, Noise, OwnerOut};
use crate::people::Person;
use crate::rng::{SynthRng, chance, hash_str, mix64, pick};
use crate::rows::{Cell, OwnerLink, RowOut};

static HEADERS: &[&[&str]] = &[
    &["不动产权证号", "不动产权证书号", "权证号"],
    &["权利人", "产权人", "所有权人"],
    &["权利人证件号", "证件号", "证件号码"],
    &["共有情况"],
    &["坐落"],
    &["用途"],
    &["建筑面积", "建筑面积(㎡)", "房屋建筑面积"],
    &["登记日期", "登簿日期"],
    &["权属状态", "状态"],
    &["状态变更日期", "变更日期"],
];
const REG_COL: usize = 7;
/// Column of the floor area, which the footer totals.
const AREA_COL: u16 = 6;
/// Column widths (characters) of the local layout.
const WIDTHS: [(u16, f64); 7] = [
    (0, 34.0),
    (1, 16.0),
    (2, 22.0),
    (4, 44.0),
    (5, 18.0),
    (7, 12.0),
    (9, 12.0),
];

/// The national real-estate register's columns (不动产登记).
static NATIONAL_HEADERS: [&str; 11] = [
    "不动产权证号",
    "不动产单元号",
    "权利人",
    "权利人证件号",
    "共有方式",
    "坐落",
    "规划用途",
    "建筑面积",
    "登簿日期",
    "权属状态",
    "注销日期",
];
const NATIONAL_REG_COL: usize = 8;
const NATIONAL_AREA_COL: u16 = 7;
const NATIONAL_WIDTHS: [(u16, f64); 8] = [
    (0, 34.0),
    (1, 30.0),
    (2, 16.0),
    (3, 22.0),
    (5, 44.0),
    (6, 18.0),
    (8, 12.0),
    (10, 12.0),
];
/// Separators of co-owner cells; IDs are joined with the same one as names.
static COOWNER_SEPARATORS: &[&str] = &["、", "，", ",", ";", "/", " "];

#[derive(Debug, Clone)]
pub(crate) struct PropertyStyle {
    pub headers: Vec<&'static str>,
    pub titles: Vec<String>,
    pub sheet: &'static str,
    pub noise: FileNoise,
    pub export: ExportStyle,
}

impl PropertyStyle {
    /// Draws the local choices in either style, so that the style stream is consumed alike.
    pub(crate) fn draw(
        rng: &mut SynthRng,
        noise: FileNoise,
        export_day: NaiveDate,
        export: ExportStyle,
    ) -> Self {
        let mut headers: Vec<&'static str> = HEADERS.iter().map(|set| *pick(rng, set)).collect();
        if export == ExportStyle::National {
            headers = NATIONAL_HEADERS.to_vec();
        }
        let mut titles = vec![format!(
            "红河州不动产登记信息导出（导出日期：{}）",
            export_day.format("%Y-%m-%d")
        )];
        if rng.random_bool(0.5) {
            titles.push("数据来源：红河州不动产登记中心　面积单位：平方米".to_string());
        }
        let sheet = pick(rng, &["不动产登记信息", "Sheet1", "导出数据"]);
        Self {
            headers,
            titles,
            sheet,
            noise,
            export,
        }
    }

    /// 1-based Excel row of the header.
    pub(crate) fn header_row(&self) -> u64 {
        self.titles.len() as u64 + 1
    }

    /// 0-based column of the floor area.
    pub(crate) fn area_col(&self) -> u16 {
        match self.export {
            ExportStyle::Local => AREA_COL,
            ExportStyle::National => NATIONAL_AREA_COL,
        }
    }

    /// Widths of the wider columns.
    pub(crate) fn column_widths(&self) -> &'static [(u16, f64)] {
        match self.export {
            ExportStyle::Local => &WIDTHS,
            ExportStyle::National => &NATIONAL_WIDTHS,
        }
    }
}

/// A 28-character 不动产单元号 (GB/T 37346): county code, 地籍区 and 地籍子区 (3 + 3 digits),
/// the parcel's feature code (`JC` collective land / homestead, `GB` state land / building
/// land), a 5-digit parcel number, `F` for a building, then 幢号 and 户号 (4 + 4 digits).
/// Derived from the certificate rather than drawn, so that rendering draws nothing more and
/// every row of one title carries the same unit.
pub(crate) fn unit_number(p: &Property) -> String {
    let h = mix64(hash_str(&p.cert));
    let digits = |shift: u32, modulo: u64| (h >> shift) % modulo;
    let homestead = p.usage.starts_with("宅基地");
    let feature = if homestead { "JC" } else { "GB" };
    let (building, unit) = if homestead {
        (1, 1)
    } else {
        (1 + digits(40, 60), 1 + digits(50, 400))
    };
    format!(
        "{}{:03}{:03}{feature}{:05}F{building:04}{unit:04}",
        p.area_code,
        1 + digits(0, 20),
        1 + digits(8, 30),
        1 + digits(16, 99_999),
    )
}

/// Excel's serial day number (1900 date system).
pub(crate) fn excel_serial(d: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or(d);
    (d - epoch).num_days() as f64
}

fn date_cell(rng: &mut SynthRng, d: Option<NaiveDate>, mixed: bool) -> Cell {
    let Some(d) = d else { return Cell::Blank };
    if !mixed {
        return Cell::Date(d);
    }
    if rng.random_bool(0.4) {
        Cell::Number(excel_serial(d))
    } else {
        let style = *pick(
            rng,
            &[
                DateStyle::Iso,
                DateStyle::Slash,
                DateStyle::Compact,
                DateStyle::Chinese,
                DateStyle::Dotted,
            ],
        );
        Cell::Text(defects::format_date(d, style))
    }
}

/// Renders one title as one row, or one row per co-owner.
pub(crate) fn rows(
    rng: &mut SynthRng,
    noise: Noise<'_>,
    style: &PropertyStyle,
    people: &[Person],
    p: &Property,
) -> Vec<RowOut> {
    let owners: Vec<&Person> = p.owners.iter().map(|&o| &people[o]).collect();
    let linked = owners.iter().any(|o| o.household.is_some());
    // A mangled rare-character name keeps its ID, so whole-record ID loss is skipped then.
    let any_mangled = style.noise.mangles_rare && owners.iter().any(|o| o.name.has_rare());
    let ids_dropped = p.old_rural && !any_mangled && chance(rng, noise.rates.old_rural_id_missing);
    let in_cell = owners.len() > 1 && chance(rng, noise.rates.coowner_cell);

    let base_mode = if ids_dropped {
        IdMode::OldRuralMissing
    } else {
        IdMode::Normal
    };
    let mut out = Vec::new();
    if in_cell {
        let cell_missing = !ids_dropped && !any_mangled && rng.random_bool(0.15);
        let mode = match (ids_dropped, cell_missing) {
            (true, _) => IdMode::OldRuralMissing,
            (false, true) => IdMode::CellMissing,
            _ => IdMode::Present,
        };
        let rendered: Vec<OwnerOut> = owners
            .iter()
            .map(|o| defects::owner(rng, noise, style.noise, o, linked, mode))
            .collect();
        let sep = *pick(rng, COOWNER_SEPARATORS);
        let names: Vec<&str> = rendered.iter().map(|r| r.name.as_str()).collect();
        let ids: Vec<&str> = rendered.iter().map(|r| r.id.as_str()).collect();
        let id_cell = if ids.iter().all(|i| i.is_empty()) {
            String::new()
        } else {
            ids.join(sep)
        };
        let links = rendered
            .iter()
            .zip(&p.owners)
            .enumerate()
            .map(|(k, (r, &person))| OwnerLink {
                index: k,
                person,
                tags: r.tags.clone(),
            })
            .collect();
        out.push(row(
            rng,
            noise,
            style.export,
            p,
            linked,
            names.join(sep),
            id_cell,
            links,
            &["coowner_cell"],
        ));
    } else {
        for &person in &p.owners {
            let owner = &people[person];
            let r = match defects::written_owner(style.noise, owner, p.common.negative) {
                Some(r) => r,
                None => defects::owner(rng, noise, style.noise, owner, linked, base_mode),
            };
            let links = vec![OwnerLink {
                index: 0,
                person,
                tags: r.tags,
            }];
            out.push(row(
                rng,
                noise,
                style.export,
                p,
                linked,
                r.name,
                r.id,
                links,
                &[],
            ));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn row(
    rng: &mut SynthRng,
    noise: Noise<'_>,
    export: ExportStyle,
    p: &Property,
    linked: bool,
    names: String,
    ids: String,
    owners: Vec<OwnerLink>,
    extra: &[&'static str],
) -> RowOut {
    let mut tags: Vec<&'static str> = p.common.tags.clone();
    tags.extend_from_slice(extra);
    let mixed = chance(rng, noise.rate(noise.rates.date_mixed_format, linked));
    if mixed {
        tags.push("date_mixed_format");
    }
    let area = if chance(rng, noise.rate(noise.rates.number_units, linked)) {
        tags.push("number_units");
        Cell::Text(defects::area_text(rng, p.area))
    } else {
        Cell::Number(p.area)
    };
    let ids = if ids.is_empty() {
        Cell::Blank
    } else {
        Cell::Text(ids)
    };
    // Both dates are rendered (and drawn) in either style, so that the world stays the same.
    let registered = date_cell(rng, Some(p.common.registered), mixed);
    let changed = date_cell(rng, p.common.changed, mixed);
    let (cells, date_col) = match export {
        ExportStyle::Local => (
            vec![
                Cell::Text(p.cert.clone()),
                Cell::Text(names),
                ids,
                Cell::Text(p.share.into()),
                Cell::Text(p.location.clone()),
                Cell::Text(p.usage.into()),
                area,
                registered,
                Cell::Text(p.common.status.clone()),
                changed,
            ],
            REG_COL,
        ),
        // The national register dates only the cancellation of a title; mortgages and
        // seizures are dated in registers of their own, not in this export.
        ExportStyle::National => (
            vec![
                Cell::Text(p.cert.clone()),
                Cell::Text(unit_number(p)),
                Cell::Text(names),
                ids,
                Cell::Text(p.share.into()),
                Cell::Text(p.location.clone()),
                Cell::Text(p.usage.into()),
                area,
                registered,
                Cell::Text(p.common.status.clone()),
                if p.common.status == "注销" {
                    changed
                } else {
                    Cell::Blank
                },
            ],
            NATIONAL_REG_COL,
        ),
    };
    RowOut {
        cells,
        key: p.cert.clone(),
        owners,
        tags,
        date_col,
        negative: p.common.negative,
    }
}
