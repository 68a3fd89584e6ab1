//! `vehicles.csv`: the vehicle registry (车管所) export. GB18030, CRLF, Chinese headers whose
//! wording is drawn per file from alias sets.

use chrono::NaiveDate;

use crate::assets::Vehicle;
use crate::defects::{self, DateStyle, FileNoise, IdMode, Noise};
use crate::people::Person;
use crate::rng::{SynthRng, pick};
use crate::rows::{Cell, OwnerLink, RowOut};

/// Header alias sets, in column order.
static HEADERS: &[&[&str]] = &[
    &["号牌号码", "车牌号", "号牌号"],
    &["号牌种类"],
    &["车辆识别代号", "车架号", "VIN"],
    &["车辆类型"],
    &["使用性质"],
    &["所有人", "机动车所有人", "车主", "车主姓名"],
    &["身份证明号码", "身份证号", "证件号码"],
    &["住所地址", "住所", "联系地址"],
    &["初次登记日期", "初登日期", "注册登记日期"],
    &["机动车状态", "状态"],
    &["状态变更日期", "最近状态变更日期"],
];

/// Column of 初次登记日期, the required date.
const REG_COL: usize = 8;

/// File-level choices for one vehicles export.
#[derive(Debug, Clone)]
pub(crate) struct VehicleStyle {
    pub headers: Vec<&'static str>,
    pub date: DateStyle,
    pub noise: FileNoise,
}

impl VehicleStyle {
    pub(crate) fn draw(rng: &mut SynthRng, noise: FileNoise) -> Self {
        let headers = HEADERS.iter().map(|set| *pick(rng, set)).collect();
        Self {
            headers,
            date: defects::file_date_style(rng),
            noise,
        }
    }
}

fn plate_kind(v: &Vehicle) -> &'static str {
    match v.vtype {
        t if t.contains("轻便") => "轻便摩托车",
        t if t.contains("摩托") => "普通摩托车",
        "三轮汽车" => "低速车",
        "拖拉机" => "拖拉机",
        t if t.contains("中型") || t.contains("重型") => "大型汽车",
        _ if v.plate.chars().count() == 8 => "小型新能源汽车",
        _ => "小型汽车",
    }
}

fn date_text(d: Option<NaiveDate>, style: DateStyle) -> Cell {
    d.map_or(Cell::Blank, |d| Cell::Text(defects::format_date(d, style)))
}

/// Renders one vehicle as one row.
pub(crate) fn row(
    rng: &mut SynthRng,
    noise: Noise<'_>,
    style: &VehicleStyle,
    people: &[Person],
    v: &Vehicle,
) -> RowOut {
    let person = &people[v.owner];
    let linked = person.household.is_some();
    let owner = match defects::written_owner(style.noise, person, v.common.negative) {
        Some(owner) => owner,
        None => defects::owner(rng, noise, style.noise, person, linked, IdMode::Normal),
    };
    let (date_style, mixed) = defects::row_date_style(rng, noise, style.date, linked);
    let mut tags: Vec<&'static str> = v.common.tags.clone();
    if mixed {
        tags.push("date_mixed_format");
    }
    let cells = vec![
        Cell::Text(v.plate.clone()),
        Cell::Text(plate_kind(v).into()),
        Cell::Text(v.vin.clone()),
        Cell::Text(v.vtype.into()),
        Cell::Text(v.usage.into()),
        Cell::Text(owner.name),
        Cell::Text(owner.id),
        Cell::Text(v.address.clone()),
        date_text(Some(v.common.registered), date_style),
        Cell::Text(v.common.status.clone()),
        date_text(v.common.changed, date_style),
    ];
    RowOut {
        cells,
        key: v.plate.clone(),
        owners: vec![OwnerLink {
            index: 0,
            person: v.owner,
            tags: owner.tags,
        }],
        tags,
        date_col: REG_COL,
        negative: v.common.negative,
    }
}
