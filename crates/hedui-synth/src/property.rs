//! `property.xlsx`: the real-estate registry (不动产登记) export. One or two merged title rows
//! above the header, a totals footer, dates as date cells, serial numbers or text, areas
//! with or without units, and co-owners either in one cell or on repeated rows.

use chrono::NaiveDate;
use rand::Rng;

use crate::assets::Property;
use crate::defects::{self, DateStyle, FileNoise, IdMode, Noise, OwnerOut};
use crate::people::Person;
use crate::rng::{SynthRng, chance, pick};
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
/// Separators of co-owner cells; IDs are joined with the same one as names.
static COOWNER_SEPARATORS: &[&str] = &["、", "，", ",", ";", "/", " "];

#[derive(Debug, Clone)]
pub(crate) struct PropertyStyle {
    pub headers: Vec<&'static str>,
    pub titles: Vec<String>,
    pub sheet: &'static str,
    pub noise: FileNoise,
}

impl PropertyStyle {
    pub(crate) fn draw(rng: &mut SynthRng, noise: FileNoise, export: NaiveDate) -> Self {
        let headers = HEADERS.iter().map(|set| *pick(rng, set)).collect();
        let mut titles = vec![format!(
            "红河州不动产登记信息导出（导出日期：{}）",
            export.format("%Y-%m-%d")
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
        }
    }

    /// 1-based Excel row of the header.
    pub(crate) fn header_row(&self) -> u64 {
        self.titles.len() as u64 + 1
    }
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
            out.push(row(rng, noise, p, linked, r.name, r.id, links, &[]));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn row(
    rng: &mut SynthRng,
    noise: Noise<'_>,
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
    let cells = vec![
        Cell::Text(p.cert.clone()),
        Cell::Text(names),
        if ids.is_empty() {
            Cell::Blank
        } else {
            Cell::Text(ids)
        },
        Cell::Text(p.share.into()),
        Cell::Text(p.location.clone()),
        Cell::Text(p.usage.into()),
        area,
        date_cell(rng, Some(p.common.registered), mixed),
        Cell::Text(p.common.status.clone()),
        date_cell(rng, p.common.changed, mixed),
    ];
    RowOut {
        cells,
        key: p.cert.clone(),
        owners,
        tags,
        date_col: REG_COL,
        negative: p.common.negative,
    }
}
