//! `vehicles.csv`: the vehicle registry (车管所) export. GB18030, CRLF, Chinese headers whose
//! wording is drawn per file from alias sets, or in the national style the national
//! registry's columns with statuses as GA letter codes.

use chrono::NaiveDate;

use crate::assets::Vehicle;
use crate::config::ExportStyle;
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

/// The national registry's columns; the status header (index 10) is chosen per run.
static NATIONAL_HEADERS: [&str; 12] = [
    "号牌号码",
    "号牌种类",
    "车辆识别代号",
    "车辆类型",
    "使用性质",
    "所有人",
    "身份证明名称",
    "身份证明号码",
    "住所详细地址",
    "初次登记日期",
    "机动车状态",
    "最近状态变更日期",
];
const NATIONAL_REG_COL: usize = 9;
const NATIONAL_STATUS_COL: usize = 10;
/// 身份证明名称 of a resident identity card; every owner in this world is a person.
const RESIDENT_ID_CARD: &str = "A";

/// GA letter codes of the vehicle registry's statuses (机动车状态), by the words this world
/// writes. 报废 is written as M (强制注销) and 达到报废标准 as P (达到报废标准公告牌证作废).
static GA_STATUS: [(&str, char); 17] = [
    ("正常", 'A'),
    ("转出", 'B'),
    ("被盗抢", 'C'),
    ("停驶", 'D'),
    ("注销", 'E'),
    ("抵押", 'F'),
    ("违法未处理", 'G'),
    ("海关监管", 'H'),
    ("事故未处理", 'I'),
    ("嫌疑车", 'J'),
    ("查封", 'K'),
    ("暂扣", 'L'),
    ("报废", 'M'),
    ("事故逃逸", 'N'),
    ("锁定", 'O'),
    ("达到报废标准", 'P'),
    ("逾期未检验", 'Q'),
];

/// The GA code of a status cell: one letter per state, in alphabetical order with no
/// separator (`抵押,违法未处理` → `FG`), as the national registry stores them. A word with
/// no code would be a bug in the tables; it is written as is rather than lost.
pub(crate) fn ga_status_code(words: &str) -> String {
    let mut codes = Vec::new();
    for word in words.split([',', '，']).map(str::trim) {
        match GA_STATUS.iter().find(|(w, _)| *w == word) {
            Some(&(_, code)) => codes.push(code),
            None => return words.to_string(),
        }
    }
    codes.sort_unstable();
    codes.dedup();
    codes.into_iter().collect()
}

/// File-level choices for one vehicles export.
#[derive(Debug, Clone)]
pub(crate) struct VehicleStyle {
    pub headers: Vec<&'static str>,
    pub date: DateStyle,
    pub noise: FileNoise,
    pub export: ExportStyle,
}

impl VehicleStyle {
    /// Draws the local choices in either style, so that the national style consumes the
    /// style stream exactly as the local one does and the world stays the same.
    /// `status_code_header` names the national status column 状态代码 instead of 机动车状态.
    pub(crate) fn draw(
        rng: &mut SynthRng,
        noise: FileNoise,
        export: ExportStyle,
        status_code_header: bool,
    ) -> Self {
        let mut headers: Vec<&'static str> = HEADERS.iter().map(|set| *pick(rng, set)).collect();
        if export == ExportStyle::National {
            headers = NATIONAL_HEADERS.to_vec();
            if status_code_header {
                headers[NATIONAL_STATUS_COL] = "状态代码";
            }
        }
        Self {
            headers,
            date: defects::file_date_style(rng),
            noise,
            export,
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
    let (cells, date_col) = match style.export {
        ExportStyle::Local => (
            vec![
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
            ],
            REG_COL,
        ),
        ExportStyle::National => (
            vec![
                Cell::Text(v.plate.clone()),
                Cell::Text(plate_kind(v).into()),
                Cell::Text(v.vin.clone()),
                Cell::Text(v.vtype.into()),
                Cell::Text(v.usage.into()),
                Cell::Text(owner.name),
                Cell::Text(RESIDENT_ID_CARD.into()),
                Cell::Text(owner.id),
                Cell::Text(v.address.clone()),
                date_text(Some(v.common.registered), date_style),
                Cell::Text(ga_status_code(&v.common.status)),
                date_text(v.common.changed, date_style),
            ],
            NATIONAL_REG_COL,
        ),
    };
    RowOut {
        cells,
        key: v.plate.clone(),
        owners: vec![OwnerLink {
            index: 0,
            person: v.owner,
            tags: owner.tags,
        }],
        tags,
        date_col,
        negative: v.common.negative,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{ACTIVE_VEHICLE_STATUS, ENDED_VEHICLE_STATUS};

    #[test]
    fn statuses_are_written_as_ga_codes() {
        assert_eq!(ga_status_code("正常"), "A");
        assert_eq!(ga_status_code("抵押,违法未处理"), "FG");
        assert_eq!(ga_status_code("违法未处理,逾期未检验"), "GQ");
        // Letters are in alphabetical order whatever the order of the words.
        assert_eq!(ga_status_code("查封,抵押"), "FK");
        assert_eq!(ga_status_code("报废"), "M");
        assert_eq!(ga_status_code("注销"), "E");
        assert_eq!(ga_status_code("达到报废标准"), "P");
    }

    #[test]
    fn every_status_the_world_draws_has_a_code() {
        for (words, _) in ACTIVE_VEHICLE_STATUS.iter().chain(ENDED_VEHICLE_STATUS) {
            let code = ga_status_code(words);
            assert!(
                !code.is_empty() && code.chars().all(|c| c.is_ascii_uppercase()),
                "{words} -> {code}"
            );
            assert_eq!(code.chars().count(), words.split(',').count(), "{words}");
        }
    }
}
