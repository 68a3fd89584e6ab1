//! `licences.csv`: the market-regulation (市场监管) export of business registrations.
//! UTF-8 with a byte-order mark, CRLF, headers drawn per file from alias sets, or in the
//! national style the national register's columns with the end date split by status.

use rand::Rng;

use crate::assets::Licence;
use crate::config::ExportStyle;
use crate::defects::{self, DateStyle, FileNoise, IdMode, Noise};
use crate::people::Person;
use crate::rng::{SynthRng, chance, pick};
use crate::rows::{Cell, OwnerLink, RowOut};

static HEADERS: &[&[&str]] = &[
    &["统一社会信用代码", "统一社会信用代码/注册号", "信用代码"],
    &["名称", "字号名称", "企业名称", "主体名称"],
    &["市场主体类型", "主体类型", "企业类型"],
    &["经营者", "法定代表人", "经营者/法定代表人", "负责人"],
    &["证件号码", "身份证号码", "证照号码"],
    &["注册资本", "资金数额", "注册资本（金）"],
    &["成立日期", "登记日期"],
    &["登记状态", "经营状态"],
    &["状态变更日期", "变更日期"],
    &["住所", "经营场所", "住所（经营场所）"],
];

/// Column of 成立日期, the required date, in both styles.
const EST_COL: usize = 6;
static ACTIVE_WORDS: &[&str] = &["存续", "在业", "开业"];

/// The national market-entity register's columns (全国市场主体登记).
static NATIONAL_HEADERS: [&str; 13] = [
    "统一社会信用代码",
    "市场主体名称",
    "市场主体类型",
    "法定代表人/经营者",
    "证件号码",
    "注册资本",
    "成立日期",
    "核准日期",
    "登记机关",
    "经营状态",
    "注销日期",
    "吊销日期",
    "住所",
];

#[derive(Debug, Clone)]
pub(crate) struct LicenceStyle {
    pub headers: Vec<&'static str>,
    pub date: DateStyle,
    pub noise: FileNoise,
    /// What this registry writes for an active business most of the time.
    pub active_word: &'static str,
    pub export: ExportStyle,
}

impl LicenceStyle {
    /// Draws the local choices in either style, so that the style stream is consumed alike.
    pub(crate) fn draw(rng: &mut SynthRng, noise: FileNoise, export: ExportStyle) -> Self {
        let mut headers: Vec<&'static str> = HEADERS.iter().map(|set| *pick(rng, set)).collect();
        if export == ExportStyle::National {
            headers = NATIONAL_HEADERS.to_vec();
        }
        let date = defects::file_date_style(rng);
        Self {
            headers,
            date,
            noise,
            active_word: *pick(rng, ACTIVE_WORDS),
            export,
        }
    }
}

/// Renders one business as one row.
pub(crate) fn row(
    rng: &mut SynthRng,
    noise: Noise<'_>,
    style: &LicenceStyle,
    people: &[Person],
    l: &Licence,
) -> RowOut {
    let person = &people[l.operator];
    let linked = person.household.is_some();
    let owner = match defects::written_owner(style.noise, person, l.common.negative) {
        Some(owner) => owner,
        None => defects::owner(rng, noise, style.noise, person, linked, IdMode::Normal),
    };
    let (date_style, mixed) = defects::row_date_style(rng, noise, style.date, linked);
    let mut tags: Vec<&'static str> = l.common.tags.clone();
    if mixed {
        tags.push("date_mixed_format");
    }
    // Early codes that fail their check, and pre-2015 registration numbers, are kept as the
    // registry holds them; the tags let key matching be scored separately.
    if l.code.len() == 15 {
        tags.push("credit_registration_number");
    } else if l
        .code
        .get(..17)
        .and_then(hedui_core::credit_code::check_char)
        != l.code.chars().nth(17)
    {
        tags.push("credit_bad_check");
    }
    let unusual = chance(rng, noise.rate(noise.rates.number_units, linked));
    if unusual {
        tags.push("number_units");
    }
    let status = if l.common.status == "存续" {
        if rng.random_bool(0.8) {
            style.active_word
        } else {
            pick(rng, ACTIVE_WORDS)
        }
    } else {
        l.common.status.as_str()
    };
    let date = |d: Option<chrono::NaiveDate>| {
        d.map_or(Cell::Blank, |d| {
            Cell::Text(defects::format_date(d, date_style))
        })
    };
    let cells = match style.export {
        ExportStyle::Local => vec![
            Cell::Text(l.code.clone()),
            Cell::Text(l.name.clone()),
            Cell::Text(l.etype.into()),
            Cell::Text(owner.name),
            Cell::Text(owner.id),
            Cell::Text(defects::capital_text(rng, l.capital_wan, unusual)),
            date(Some(l.common.registered)),
            Cell::Text(status.to_string()),
            date(l.common.changed),
            Cell::Text(l.address.clone()),
        ],
        ExportStyle::National => {
            // The register keeps the end date in the column of its kind, and its 核准日期 is
            // the last approved change (the end itself for an ended business).
            let ended_as = |word: &str| {
                if l.common.status == word {
                    date(l.common.changed)
                } else {
                    Cell::Blank
                }
            };
            vec![
                Cell::Text(l.code.clone()),
                Cell::Text(l.name.clone()),
                Cell::Text(l.etype.into()),
                Cell::Text(owner.name),
                Cell::Text(owner.id),
                Cell::Text(defects::capital_text(rng, l.capital_wan, unusual)),
                date(Some(l.common.registered)),
                date(Some(l.common.changed.unwrap_or(l.common.registered))),
                Cell::Text(format!("{}市场监督管理局", l.county)),
                Cell::Text(status.to_string()),
                ended_as("注销"),
                ended_as("吊销"),
                Cell::Text(l.address.clone()),
            ]
        }
    };
    RowOut {
        cells,
        key: l.code.clone(),
        owners: vec![OwnerLink {
            index: 0,
            person: l.operator,
            tags: owner.tags,
        }],
        tags,
        date_col: EST_COL,
        negative: l.common.negative,
    }
}
