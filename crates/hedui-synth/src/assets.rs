//! The clean truth of department records: vehicles, businesses and property titles, with
//! their owners as person indices. Noise is added only when rows are rendered, so policy
//! truth is computed from these values.

use chrono::{Datelike, Days, NaiveDate};
use rand::Rng;

use crate::people::ChunkWorld;
use crate::rng::{mix64, pick_str, weighted};

/// Holdings are judged on this date (the demo policy's check date).
pub(crate) fn check_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default()
}

/// Departments exported on this date, so a few records post-date the check.
pub(crate) fn export_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 10).unwrap_or_default()
}

/// When a holding started and whether and when it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Life {
    Active,
    /// Ended on or before the check date.
    Inactive,
    /// Ended after the check date: still held on the check date.
    Late,
    /// Registered after the check date.
    AfterCheck,
}

impl Life {
    pub(crate) fn tag(self) -> Option<&'static str> {
        match self {
            Self::Active => None,
            Self::Inactive => Some("asset_inactive"),
            Self::Late => Some("asset_late_deregistration"),
            Self::AfterCheck => Some("asset_after_check_date"),
        }
    }

    pub(crate) fn ended(self) -> bool {
        matches!(self, Self::Inactive | Self::Late)
    }
}

/// Why a non-recipient record was made to resemble a recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NegativeKind {
    SameNameDob,
    NearId,
    Relative,
    /// Namesake, sequence ±2, the differing sequence digit typed as the member's.
    NamesakeSeqTypo,
    /// Namesake, sequence ±2, an adjacent transposition one slip from the member's number.
    NamesakeSeqTransposition,
    /// Namesake, sequence ±2, the 15-digit legacy form one digit from the member's.
    NamesakeSeqLegacy15,
    /// Namesake, sequence ±2, one random digit mistyped.
    NamesakeSeqRandomTypo,
    /// Twin (sequence ±1), the differing sequence digit typed as the member's.
    TwinTypo,
    /// Twin (sequence ±1), an adjacent transposition one slip from the member's number.
    TwinTransposition,
    /// Namesake in the next township with a correctly written number of their own.
    NamesakeTownshipValid,
    /// Namesake in the next township with no number.
    NamesakeTownshipNoId,
    /// Unrelated person, number written one substitution from the member's.
    NearStrangerTypo,
    /// Unrelated person, number written one adjacent transposition from the member's.
    NearStrangerTransposition,
}

impl NegativeKind {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::SameNameDob => "same_name_same_birth_date",
            Self::NearId => "near_id",
            Self::Relative => "relative_other_household",
            Self::NamesakeSeqTypo => "namesake_seq_typo",
            Self::NamesakeSeqTransposition => "namesake_seq_transposition",
            Self::NamesakeSeqLegacy15 => "namesake_seq_legacy15",
            Self::NamesakeSeqRandomTypo => "namesake_seq_random_typo",
            Self::TwinTypo => "twin_typo",
            Self::TwinTransposition => "twin_transposition",
            Self::NamesakeTownshipValid => "namesake_township_valid",
            Self::NamesakeTownshipNoId => "namesake_township_no_id",
            Self::NearStrangerTypo => "near_stranger_typo",
            Self::NearStrangerTransposition => "near_stranger_transposition",
        }
    }
}

/// The identity number an adversarial negative's record carries, exactly as written: no
/// further ID defect is applied to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    /// These ASCII characters (15 or 18).
    Id { text: [u8; 18], len: u8 },
    /// An empty cell.
    Missing,
}

impl Written {
    /// `text`, which must be ASCII of at most 18 bytes (longer text is cut).
    pub(crate) fn id(text: &[u8]) -> Self {
        let len = text.len().min(18);
        let mut buf = [b'0'; 18];
        buf[..len].copy_from_slice(&text[..len]);
        Self::Id {
            text: buf,
            len: len as u8,
        }
    }

    /// The cell's text.
    pub(crate) fn text(&self) -> &str {
        match self {
            Self::Id { text, len } => std::str::from_utf8(&text[..usize::from(*len)]).unwrap_or(""),
            Self::Missing => "",
        }
    }
}

/// A hard negative: the record's owner resembles recipient person `similar_to`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Negative {
    pub kind: NegativeKind,
    pub similar_to: usize,
    /// The owner's number as written, for adversarial negatives; `None` renders the owner
    /// with the ordinary defects.
    pub written: Option<Written>,
}

/// Facts shared by every kind of record.
#[derive(Debug, Clone)]
pub(crate) struct Common {
    pub registered: NaiveDate,
    pub status: String,
    pub changed: Option<NaiveDate>,
    /// Holding-level tags (`asset_*`), reported in the truth of linked rows.
    pub tags: Vec<&'static str>,
    pub negative: Option<Negative>,
}

#[derive(Debug, Clone)]
pub(crate) struct Vehicle {
    pub plate: String,
    pub vin: String,
    pub vtype: &'static str,
    pub usage: &'static str,
    pub owner: usize,
    pub address: String,
    pub common: Common,
}

#[derive(Debug, Clone)]
pub(crate) struct Licence {
    /// Credit code, or 15-digit registration number for some old records.
    pub code: String,
    pub name: String,
    pub etype: &'static str,
    pub operator: usize,
    /// Registered capital in 万元.
    pub capital_wan: f64,
    pub address: String,
    /// Full name of the county whose authority registered the business (`建水县`).
    pub county: &'static str,
    pub common: Common,
}

#[derive(Debug, Clone)]
pub(crate) struct Property {
    pub cert: String,
    pub owners: Vec<usize>,
    pub share: &'static str,
    pub location: String,
    pub usage: &'static str,
    pub area: f64,
    /// An old rural collective-land record, whose owner IDs are often missing.
    pub old_rural: bool,
    /// GB/T 2260 code of the county the title lies in.
    pub area_code: &'static str,
    pub common: Common,
}

/// All records of one chunk.
#[derive(Debug, Default)]
pub(crate) struct Assets {
    pub vehicles: Vec<Vehicle>,
    pub licences: Vec<Licence>,
    pub property: Vec<Property>,
}

pub(crate) static EXEMPT_TYPES: &[(&str, u32)] = &[
    ("普通二轮摩托车", 50),
    ("轻便二轮摩托车", 15),
    ("三轮汽车", 12),
    ("拖拉机", 12),
    ("残疾人专用小型自动挡载客汽车", 3),
];
pub(crate) static CAR_TYPES: &[(&str, u32)] = &[
    ("小型轿车", 30),
    ("小型普通客车", 25),
    ("小型越野客车", 6),
    ("轻型普通货车", 14),
    ("中型普通货车", 3),
    ("重型普通货车", 2),
    ("重型半挂牵引车", 1),
    ("微型普通客车", 4),
];
/// Reached the scrapping standard (达到报废标准) but still registered: an active status that
/// must not be confused with 报废 (scrapped), as substring matching would.
pub(crate) const SCRAP_STANDARD: &str = "达到报废标准";
/// Its weight is taken from 正常 so that the total, and with it every draw of the world,
/// stays the same: only some 正常 vehicles become 达到报废标准.
pub(crate) static ACTIVE_VEHICLE_STATUS: &[(&str, u32)] = &[
    ("正常", 680),
    (SCRAP_STANDARD, 20),
    ("抵押", 70),
    ("违法未处理", 90),
    ("查封", 10),
    ("逾期未检验", 40),
    ("抵押,违法未处理", 30),
    ("违法未处理,逾期未检验", 20),
    ("查封,抵押", 5),
];
pub(crate) static ENDED_VEHICLE_STATUS: &[(&str, u32)] =
    &[("注销", 30), ("报废", 40), ("转出", 25), ("被盗抢", 5)];

/// Draws registration and change dates for a holding's life.
pub(crate) fn dates(
    world: &mut ChunkWorld<'_>,
    life: Life,
    first_year: i32,
) -> (NaiveDate, Option<NaiveDate>) {
    let check = check_date();
    let rng = &mut world.rng;
    let between = |rng: &mut crate::rng::SynthRng, from: NaiveDate, to: NaiveDate| {
        let span = (to - from).num_days().max(0) as u64;
        from + Days::new(rng.random_range(0..=span))
    };
    let start = NaiveDate::from_ymd_opt(first_year, 1, 1).unwrap_or(check);
    let late_window = (check + Days::new(1), export_date());
    match life {
        Life::AfterCheck => (between(rng, late_window.0, late_window.1), None),
        Life::Late => (
            between(rng, start, check),
            Some(between(rng, late_window.0, late_window.1)),
        ),
        Life::Inactive => {
            let reg = between(rng, start, check - Days::new(60));
            let changed = between(rng, reg + Days::new(30), check);
            (reg, Some(changed))
        }
        Life::Active => (between(rng, start, check), None),
    }
}

/// Life of a non-recipient's holding: mostly active, some ended, a few on either side of
/// the check date.
pub(crate) fn outsider_life(world: &mut ChunkWorld<'_>) -> Life {
    match world.rng.random_range(0..1000) {
        0..150 => Life::Inactive,
        150..160 => Life::Late,
        160..170 => Life::AfterCheck,
        _ => Life::Active,
    }
}

/// Life of a recipient's holding, from the `asset_*` rates.
pub(crate) fn recipient_life(world: &mut ChunkWorld<'_>) -> Life {
    let d = &world.rates.defects;
    let u: f64 = world.rng.random();
    let mut edge = d.asset_inactive;
    if u < edge {
        return Life::Inactive;
    }
    edge += d.asset_after_check_date;
    if u < edge {
        return Life::AfterCheck;
    }
    edge += d.asset_late_deregistration;
    if u < edge { Life::Late } else { Life::Active }
}

pub(crate) fn common(
    world: &mut ChunkWorld<'_>,
    life: Life,
    first_year: i32,
    active: &str,
    ended: &str,
    tagged: bool,
) -> Common {
    let (registered, ended_on) = dates(world, life, first_year);
    // Mortgages and seizures also carry a change date; plain active records often do not.
    let changed = match ended_on {
        Some(d) => Some(d),
        // Reaching the standard is a dated change; its date is derived rather than drawn,
        // because one more draw would shift every later draw of the chunk.
        None if active == SCRAP_STANDARD => {
            let span = (check_date() - registered).num_days().max(0) as u64;
            let h = mix64(registered.num_days_from_ce() as u64);
            Some(registered + Days::new(h % (span + 1)))
        }
        None if active != "正常" && active != "现势" && world.rng.random_bool(0.8) => {
            let span = (check_date() - registered).num_days().max(0) as u64;
            Some(registered + Days::new(world.rng.random_range(0..=span)))
        }
        None => None,
    };
    Common {
        registered,
        status: if life.ended() {
            ended.to_string()
        } else {
            active.to_string()
        },
        changed,
        tags: if tagged {
            life.tag().into_iter().collect()
        } else {
            Vec::new()
        },
        negative: None,
    }
}

fn wmi(rng: &mut crate::rng::SynthRng, vtype: &str) -> &'static str {
    let table: &[&str] = match vtype {
        t if t.contains("摩托") => &["LCE", "LBP", "LAL", "LXM"],
        "三轮汽车" | "拖拉机" => &["LZF", "LT9"],
        t if t.contains("货车") || t.contains("牵引") => &["LFW", "LGA", "LZZ", "LFN"],
        _ => &[
            "LSV", "LFV", "LGB", "LZW", "LHG", "LBE", "LGX", "LS5", "LVS", "LFP",
        ],
    };
    pick_str(rng, table)
}

fn usage(rng: &mut crate::rng::SynthRng, vtype: &str) -> &'static str {
    let roll = rng.random_range(0..100);
    match vtype {
        t if t.contains("摩托") || t.starts_with("残疾人") => "非营运",
        t if t.contains("货车") || t.contains("牵引") || t == "三轮汽车" || t == "拖拉机" => {
            if roll < 60 {
                "货运"
            } else {
                "非营运"
            }
        }
        _ => match roll {
            0..85 => "非营运",
            85..95 => "营运",
            95..98 => "出租客运",
            _ => "公路客运",
        },
    }
}

/// A vehicle owned by `owner`. `tagged` marks recipient holdings.
pub(crate) fn vehicle(
    world: &mut ChunkWorld<'_>,
    owner: usize,
    exempt: bool,
    life: Life,
    tagged: bool,
) -> Vehicle {
    let vtype = if exempt {
        weighted(&mut world.rng, EXEMPT_TYPES)
    } else {
        weighted(&mut world.rng, CAR_TYPES)
    };
    let active = weighted(&mut world.rng, ACTIVE_VEHICLE_STATUS);
    let ended = weighted(&mut world.rng, ENDED_VEHICLE_STATUS);
    // Nobody registers a vehicle before coming of age.
    let first_year = (world.people[owner].birth.year() + 18).clamp(1998, 2025);
    let mut common = common(world, life, first_year, active, ended, tagged);
    if tagged && exempt {
        common.tags.push("asset_exempt");
    }
    let new_energy = !exempt
        && common.registered.year() >= 2016
        && vtype.starts_with("小型")
        && world.rng.random_bool(0.1);
    let serial = world.next_vehicle_serial(new_energy);
    let offset = world.key_offset(if new_energy { 2 } else { 1 });
    // Registered where the owner lives: 云G in Honghe, 云A in Kunming.
    let letter = world.people[owner].place.county().prefecture().plate_letter;
    let plate = crate::keys::plate(serial, offset, new_energy, letter);
    let wmi = wmi(&mut world.rng, vtype);
    let vin = crate::keys::vin(
        &mut world.rng,
        wmi,
        serial * 2 + u64::from(new_energy),
        common.registered,
    );
    let usage = usage(&mut world.rng, vtype);
    let address = world.people[owner].place.random_address(&mut world.rng);
    Vehicle {
        plate,
        vin,
        vtype,
        usage,
        owner,
        address,
        common,
    }
}
