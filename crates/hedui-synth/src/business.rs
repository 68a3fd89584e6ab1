//! Builders of licence and property records: business names, capital, credit codes,
//! certificate numbers, uses and areas.

use chrono::Datelike;
use rand::Rng;

use crate::assets::{Licence, Life, Property, common};
use crate::people::ChunkWorld;
use crate::places::{Place, shop_address};
use crate::rng::{pick, weighted};

static TRADES: &[&str] = &[
    "百货店",
    "小卖部",
    "米线店",
    "餐馆",
    "摩托车维修部",
    "农资经营部",
    "副食店",
    "服装店",
    "烟酒店",
    "养殖场",
    "建材店",
    "手机店",
    "理发店",
    "水果店",
];
static BRANDS: &[&str] = &[
    "鑫源", "宏达", "华泰", "恒通", "锦程", "盛达", "金穗", "绿源", "云岭", "哈尼", "梯田", "红土",
    "滇南", "兴旺",
];
static INDUSTRIES: &[&str] = &[
    "商贸",
    "农业开发",
    "建筑工程",
    "物流",
    "农业科技",
    "餐饮管理",
    "矿业",
];

/// Business types for non-recipients and for recipients (more co-operatives, fewer firms).
pub(crate) static OUTSIDER_TYPES: &[(&str, u32)] = &[
    ("个体工商户", 70),
    ("有限责任公司", 15),
    ("个人独资企业", 4),
    ("农民专业合作社", 8),
    ("合伙企业", 3),
];
pub(crate) static RECIPIENT_TYPES: &[(&str, u32)] = &[
    ("个体工商户", 70),
    ("农民专业合作社", 18),
    ("有限责任公司", 6),
    ("个人独资企业", 4),
    ("合伙企业", 2),
];

fn business_name(
    world: &mut ChunkWorld<'_>,
    etype: &str,
    operator: usize,
    place: &Place,
) -> String {
    let c = place.county();
    let rng = &mut world.rng;
    let (brand, industry) = (pick(rng, BRANDS), pick(rng, INDUSTRIES));
    match etype {
        "个体工商户" => {
            let trade = pick(rng, TRADES);
            let person = &world.people[operator].name;
            match rng.random_range(0..3) {
                0 => format!(
                    "{}{}{}{trade}",
                    c.common_name,
                    place.township(),
                    person.full
                ),
                1 => format!(
                    "{}{}记{trade}",
                    c.common_name,
                    person.surname().chars().next().unwrap_or('老')
                ),
                _ => format!("{}{brand}{trade}", c.common_name),
            }
        }
        "有限责任公司" => format!("红河{brand}{industry}有限公司"),
        "个人独资企业" => format!("{}{brand}{industry}经营部", c.common_name),
        "农民专业合作社" => {
            let kind = if rng.random_bool(0.5) {
                "种植"
            } else {
                "养殖"
            };
            format!(
                "{}{}{brand}{kind}农民专业合作社",
                c.common_name,
                place.township()
            )
        }
        _ => format!("{}{brand}{industry}中心（有限合伙）", c.common_name),
    }
}

fn capital(world: &mut ChunkWorld<'_>, etype: &str) -> f64 {
    let rng = &mut world.rng;
    let wan: u32 = match etype {
        "个体工商户" => *pick(rng, &[1, 2, 3, 5, 8, 10, 20, 30, 50]),
        "有限责任公司" => *pick(rng, &[10, 50, 100, 200, 300, 500, 1000]),
        "农民专业合作社" => *pick(rng, &[5, 10, 30, 50, 100, 200]),
        _ => *pick(rng, &[5, 10, 20, 50, 100]),
    };
    f64::from(wan)
}

/// A business run by `operator`. `tagged` marks recipient holdings.
pub(crate) fn licence(
    world: &mut ChunkWorld<'_>,
    operator: usize,
    etype: &'static str,
    life: Life,
    tagged: bool,
) -> Licence {
    let ended = if world.rng.random_bool(0.6) {
        "注销"
    } else {
        "吊销"
    };
    let first_year = (world.people[operator].birth.year() + 18).clamp(1998, 2025);
    let common = common(world, life, first_year, "存续", ended, tagged);
    let place = world.people[operator].place;
    let area: u32 = place.county().code.parse().unwrap_or(532501);
    let serial = world.next_licence_serial();
    let offset = world.key_offset(3);
    let est = common.registered;
    let reform = chrono::NaiveDate::from_ymd_opt(2015, 10, 1).unwrap_or(est);
    let code = if est < reform && world.rng.random_bool(0.08) {
        crate::ids::registration_number(area, serial, offset)
    } else {
        let entity = match etype {
            "个体工商户" => b'2',
            "农民专业合作社" => b'3',
            _ => b'1',
        };
        let code = crate::ids::credit_code(entity, area, serial, offset, est < reform);
        if est.year() < 2017 && world.rng.random_bool(0.03) {
            crate::ids::break_credit_check(&code, &mut world.rng)
        } else {
            code
        }
    };
    let name = business_name(world, etype, operator, &place);
    let capital_wan = capital(world, etype);
    let address = if etype == "个体工商户" && world.rng.random_bool(0.5) {
        place.random_address(&mut world.rng)
    } else {
        shop_address(&mut world.rng, &place)
    };
    Licence {
        code,
        name,
        etype,
        operator,
        capital_wan,
        address,
        county: place.county().full_name,
        common,
    }
}

/// Building uses by kind; the part after `/` is what the demo policy reads.
pub(crate) static COMMERCIAL_USES: &[(&str, u32)] = &[
    ("商服用地/商业", 35),
    ("商业", 20),
    ("商服用地/办公", 8),
    ("工业用地/工业", 5),
    ("车库", 22),
    ("商服", 10),
];
static PROPERTY_STATUS: &[(&str, u32)] = &[("现势", 84), ("抵押", 13), ("查封", 3)];

/// What a title is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Use {
    RuralHome,
    UrbanHome,
    Commercial,
}

/// A title held by `owners` (first is the main owner). Rural homes registered before
/// 2015 are old collective-land records.
pub(crate) fn property(
    world: &mut ChunkWorld<'_>,
    owners: Vec<usize>,
    kind: Use,
    place: Place,
    life: Life,
    tagged: bool,
) -> Property {
    let active = weighted(&mut world.rng, PROPERTY_STATUS);
    // Titles start when the youngest co-owner is an adult (a couple registers together).
    let adult = owners
        .iter()
        .map(|&o| world.people[o].birth.year() + 20)
        .max()
        .unwrap_or(1992);
    let first_year = adult
        .max(if kind == Use::RuralHome { 1992 } else { 2003 })
        .min(2025);
    let common = common(world, life, first_year, active, "注销", tagged);
    let old_rural = kind == Use::RuralHome && common.registered.year() < 2015;
    let usage = match kind {
        Use::RuralHome => "宅基地/住宅",
        Use::UrbanHome => *pick(
            &mut world.rng,
            &["城镇住宅用地/住宅", "住宅", "城镇住宅用地/住宅"],
        ),
        Use::Commercial => weighted(&mut world.rng, COMMERCIAL_USES),
    };
    let area = match (kind, usage) {
        (_, "车库") => world.rng.random_range(1200..3600),
        (Use::RuralHome, _) => world.rng.random_range(6000..22000),
        (Use::UrbanHome, _) => world.rng.random_range(4500..14000),
        _ => world.rng.random_range(1500..20000),
    };
    let c = place.county();
    let serial = world.next_property_serial();
    let offset = world.key_offset(4);
    // Unified registration began in 2015; older urban titles were re-issued in the new form.
    let cert_year = if old_rural {
        common.registered.year()
    } else {
        common.registered.year().max(2015)
    };
    let cert =
        crate::keys::certificate(serial, offset, c.common_name, c.stem, cert_year, old_rural);
    let share = match owners.len() {
        1 => "单独所有",
        2 if world.rng.random_bool(0.85) => "共同共有",
        _ => "按份共有",
    };
    let location = match kind {
        Use::Commercial => shop_address(&mut world.rng, &place),
        _ => place.random_address(&mut world.rng),
    };
    Property {
        cert,
        owners,
        share,
        location,
        usage,
        area: f64::from(area) / 100.0,
        old_rural,
        area_code: c.code,
        common,
    }
}
