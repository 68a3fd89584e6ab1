//! Places and addresses: real counties from `hedui_core::area` with Honghe's real
//! townships, invented but plausible townships elsewhere in Yunnan, village committees,
//! groups and urban streets, and the many ways one address is written.
//!
//! Villages per township (and townships outside Honghe) are derived from a hash of the
//! township name (the county code), not from the seed, so the geography is the same in
//! every generated world and in the demo data.

use std::fmt::Write;
use std::sync::LazyLock;

use hedui_core::area::{COUNTIES, County, HONGHE_CODE};
use rand::Rng;

use crate::config::Area;
use crate::rng::{SynthRng, Weighted, hash_str, pick};

/// The counties a world can use, by synth county index: Honghe's 13 first, in code order
/// (the index a Honghe world has always used), then the rest of Yunnan in code order.
static SYNTH_COUNTIES: LazyLock<Vec<&'static County>> = LazyLock::new(|| {
    let honghe = COUNTIES.iter().filter(|c| c.code.starts_with(HONGHE_CODE));
    let others = COUNTIES.iter().filter(|c| !c.code.starts_with(HONGHE_CODE));
    honghe.chain(others).collect()
});

/// Weight per mille of a county outside Honghe: about the mean of Honghe's.
const OTHER_COUNTY_WEIGHT: u32 = 77;

/// Share of people following Hani/Yi naming in a county outside Honghe.
const OTHER_MINORITY_SHARE: f64 = 0.3;

/// Stems of invented townships for counties outside Honghe, none a Yunnan county's name
/// (a test checks it), so that an address never reads a township as a county.
static TOWNSHIP_STEMS: &[&str] = &[
    "龙泉",
    "太平",
    "永安",
    "长坡",
    "石桥",
    "山后",
    "大坪子",
    "岔河",
    "松林",
    "青云",
    "白沙",
    "双河",
    "三岔河",
    "黄坡",
    "金鸡",
    "板桥",
    "中和",
    "德胜",
    "小街",
    "者黑",
    "团山",
    "高桥",
    "五里",
    "凤鸣",
    "大河",
    "水塘",
    "联合",
    "六合",
    "鲁布",
    "海口",
    "龙街子",
    "七星",
    "甸心",
    "那哈",
    "平掌",
    "平坝",
    "芹菜塘",
    "河西",
    "碧溪",
    "南屏",
    "九龙",
];

/// Invented townships of the counties outside Honghe, by synth county index (Honghe's
/// entries empty): 7 to 15 each, the first a 街道 (the seat) and a fifth of the rest 乡.
static INVENTED_TOWNSHIPS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    SYNTH_COUNTIES
        .iter()
        .map(|c| {
            if !c.townships.is_empty() {
                return Vec::new();
            }
            let h = hash_str(c.code) as usize;
            let n = 7 + h % 9;
            (0..n)
                .map(|k| {
                    let stem = TOWNSHIP_STEMS[(h / 9 + k * 7) % TOWNSHIP_STEMS.len()];
                    let suffix = match k {
                        0 => "街道",
                        _ if (h + k).is_multiple_of(5) => "乡",
                        _ => "镇",
                    };
                    &*Box::leak(format!("{stem}{suffix}").into_boxed_str())
                })
                .collect()
        })
        .collect()
});

static VILLAGE_STEMS: &[&str] = &[
    "新寨",
    "大寨",
    "小寨",
    "老寨",
    "上寨",
    "下寨",
    "中寨",
    "新村",
    "团结",
    "和平",
    "新民",
    "龙潭",
    "石门",
    "麻栗",
    "坡头",
    "河边",
    "大坪",
    "小坪",
    "凉水",
    "白石岩",
    "黑树林",
    "阿倮",
    "哈播",
    "普龙",
    "新勐",
    "东风",
    "红星",
    "胜利",
    "前进",
    "向阳",
    "芭蕉",
    "竹林",
    "松树",
    "核桃",
    "马鹿",
    "大田",
    "小河",
    "丫口",
    "梁子",
    "水井",
    "箐口",
    "平安",
    "高山",
    "田房",
];
static COMMUNITIES: &[&str] = &[
    "东风", "人民", "建设", "团结", "新城", "北门", "南湖", "西城", "朝阳", "红旗", "文化",
];
static STREETS: &[&str] = &[
    "人民路",
    "建设路",
    "东风路",
    "解放路",
    "新华路",
    "团结路",
    "文化路",
    "北京路",
    "红河大道",
    "锡城大道",
    "天马路",
    "迎宾路",
];
static CN_DIGITS: [&str; 13] = [
    "零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

/// Population weights of the 13 counties, per mille (roughly the 2020 census shares).
static COUNTY_WEIGHTS: &[(u8, u32)] = &[
    (0, 72),
    (1, 70),
    (2, 107),
    (3, 126),
    (4, 36),
    (5, 121),
    (6, 71),
    (7, 96),
    (8, 95),
    (9, 66),
    (10, 87),
    (11, 51),
    (12, 23),
];

/// Share of people following Hani/Yi naming, by county index.
pub(crate) static MINORITY_SHARE: [f64; 13] = [
    0.25, 0.3, 0.3, 0.35, 0.3, 0.3, 0.45, 0.25, 0.8, 0.85, 0.5, 0.85, 0.2,
];

/// A dwelling: county and township indices into `COUNTIES`, a village committee (rural) or
/// community (urban), a group and a house number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub county: u8,
    pub township: u8,
    pub village: u8,
    pub group: u8,
    pub house: u16,
    pub urban: bool,
}

/// Weighted county table.
#[derive(Debug)]
pub(crate) struct Geography {
    counties: Weighted<u8>,
    /// How many counties, from synth index 0, the world uses.
    used: usize,
}

impl Geography {
    /// Honghe's 13 counties at their census weights; for [`Area::Yunnan`], as many of
    /// Yunnan's counties as give `per_county` households each (by default Honghe's
    /// density, so 13 at 200,000 households, which is then the Honghe world), the first 13
    /// at Honghe's weights. A province world grows by adding counties, as a province does.
    pub(crate) fn new(area: Area, households: u64, per_county: f64) -> Self {
        match area {
            Area::Honghe => Self {
                counties: Weighted::new(COUNTY_WEIGHTS),
                used: COUNTY_WEIGHTS.len(),
            },
            Area::Yunnan => {
                let used = counties_for(households, per_county);
                let items = (0..used)
                    .map(|i| {
                        let weight = COUNTY_WEIGHTS
                            .get(i)
                            .map_or(OTHER_COUNTY_WEIGHT, |&(_, w)| w);
                        (i as u8, weight)
                    })
                    .collect();
                Self {
                    counties: Weighted::owned(items),
                    used,
                }
            }
        }
    }

    /// Whether `county` (a GB/T 2260 county) is one of the world's.
    pub(crate) fn holds(&self, county: &County) -> bool {
        SYNTH_COUNTIES[..self.used]
            .iter()
            .any(|c| c.code == county.code)
    }

    pub(crate) fn county(&self, rng: &mut SynthRng) -> u8 {
        self.counties.pick(rng)
    }

    /// A random dwelling in `county`.
    pub(crate) fn place(&self, rng: &mut SynthRng, county: u8, urban: bool) -> Place {
        let townships = townships_of(county);
        // Urban dibao concentrates in the seat township, which is listed first.
        let township = if urban && rng.random_bool(0.7) {
            0
        } else {
            rng.random_range(0..townships.len())
        };
        let villages = villages_in(townships[township]);
        Place {
            county,
            township: township as u8,
            village: rng.random_range(0..villages) as u8,
            group: rng.random_range(1..=12),
            house: rng.random_range(1..=180),
            urban,
        }
    }

    /// Another dwelling in the same village (a relative's house).
    pub(crate) fn neighbour(&self, rng: &mut SynthRng, of: &Place) -> Place {
        let mut p = *of;
        p.group = rng.random_range(1..=12);
        p.house = rng.random_range(1..=180);
        p
    }

    /// A dwelling in another village (or community) of the same township, when it has one.
    pub(crate) fn same_township(&self, rng: &mut SynthRng, of: &Place) -> Place {
        let villages = villages_in(of.township()) as u8;
        let mut p = self.neighbour(rng, of);
        p.village = (of.village + rng.random_range(1..villages.max(2))) % villages.max(1);
        p
    }

    /// A dwelling in the next township of the same county (the one listed after `of`'s,
    /// wrapping around), of the same kind, urban or rural.
    pub(crate) fn next_township(&self, rng: &mut SynthRng, of: &Place) -> Place {
        let townships = townships_of(of.county);
        let township = (usize::from(of.township) + 1) % townships.len().max(1);
        let villages = villages_in(townships[township]);
        Place {
            county: of.county,
            township: township as u8,
            village: rng.random_range(0..villages) as u8,
            group: rng.random_range(1..=12),
            house: rng.random_range(1..=180),
            urban: of.urban,
        }
    }
}

/// Counties a province world of `households` at `per_county` households each uses: at
/// least one, at most the province's.
pub(crate) fn counties_for(households: u64, per_county: f64) -> usize {
    ((households as f64 / per_county.max(1.0)).round() as usize).clamp(1, SYNTH_COUNTIES.len())
}

pub(crate) fn county_of(index: u8) -> &'static County {
    SYNTH_COUNTIES[usize::from(index).min(SYNTH_COUNTIES.len() - 1)]
}

/// The synth county index of `county`.
pub(crate) fn synth_index(county: &County) -> Option<u8> {
    SYNTH_COUNTIES
        .iter()
        .position(|c| c.code == county.code)
        .and_then(|i| u8::try_from(i).ok())
}

/// The county's townships: Honghe's real ones, invented ones elsewhere.
pub(crate) fn townships_of(index: u8) -> &'static [&'static str] {
    let county = county_of(index);
    if county.townships.is_empty() {
        &INVENTED_TOWNSHIPS[usize::from(index).min(SYNTH_COUNTIES.len() - 1)]
    } else {
        county.townships
    }
}

/// Share of people following Hani/Yi naming in the county of synth index `county`.
pub(crate) fn minority_share(county: u8) -> f64 {
    MINORITY_SHARE
        .get(usize::from(county))
        .copied()
        .unwrap_or(OTHER_MINORITY_SHARE)
}

fn villages_in(township: &str) -> usize {
    6 + (hash_str(township) % 7) as usize
}

impl Place {
    pub(crate) fn county(&self) -> &'static County {
        county_of(self.county)
    }

    pub(crate) fn township(&self) -> &'static str {
        let t = townships_of(self.county);
        t[usize::from(self.township).min(t.len() - 1)]
    }

    fn stem(&self) -> &'static str {
        let h = hash_str(self.township()) as usize;
        if self.urban {
            COMMUNITIES[(h + usize::from(self.village) * 7) % COMMUNITIES.len()]
        } else {
            VILLAGE_STEMS[(h + usize::from(self.village) * 11) % VILLAGE_STEMS.len()]
        }
    }

    /// The 村社区 column of the roster: `新寨村委会` or `东风社区`.
    pub(crate) fn village_name(&self) -> String {
        if self.urban {
            format!("{}社区", self.stem())
        } else {
            format!("{}村委会", self.stem())
        }
    }

    fn street(&self) -> &'static str {
        STREETS[(usize::from(self.village) + usize::from(self.group)) % STREETS.len()]
    }

    /// The natural village (自然村) a rural group lives in.
    fn natural_village(&self) -> &'static str {
        let h = hash_str(self.township()) as usize
            + usize::from(self.village) * 13
            + usize::from(self.group) * 5;
        VILLAGE_STEMS[h % VILLAGE_STEMS.len()]
    }

    /// The address written in one of several styles; `style` is any number.
    pub(crate) fn address(&self, style: u8) -> String {
        let c = self.county();
        let (county, town, stem) = (c.common_name, self.township(), self.stem());
        let (prefecture, prefecture_full) = (c.prefecture().common_name, c.prefecture().full_name);
        let g = usize::from(self.group);
        let mut s = String::with_capacity(64);
        // `write!` into a String cannot fail; the results are ignored for that reason.
        if self.urban {
            let _ = match style % 4 {
                0 => write!(
                    s,
                    "{county}{town}{stem}社区{}{}号",
                    self.street(),
                    self.house
                ),
                1 => write!(
                    s,
                    "{prefecture}{county}{}{}号{}栋{}单元",
                    self.street(),
                    self.house,
                    g,
                    1 + self.house % 4
                ),
                2 => write!(
                    s,
                    "云南省{prefecture_full}{}{town}{}{}号",
                    c.full_name,
                    self.street(),
                    self.house
                ),
                _ => write!(s, "{town}{stem}社区{}{}号", self.street(), self.house),
            };
        } else {
            let _ = match style % 5 {
                0 => write!(s, "{county}{town}{stem}村委会{g}组"),
                1 => write!(s, "{prefecture}{county}{town}{stem}村{g}组"),
                2 => write!(
                    s,
                    "云南省{prefecture_full}{}{town}{stem}村委会{}村民小组",
                    c.full_name,
                    self.natural_village()
                ),
                3 => write!(s, "{town}{stem}村{}组", CN_DIGITS[g.min(12)]),
                _ => write!(
                    s,
                    "云南省{county}{town}{stem}村委会{}{}号",
                    self.natural_village(),
                    self.house
                ),
            };
        }
        s
    }

    /// The address the household registration (户籍) system holds: the county's full name
    /// and the house, finer than any style of the roster (a rural house numbered within its
    /// group, an urban flat with its building and unit as the roster writes them, and its
    /// room), so that it is never the roster's wording of any household's address.
    pub(crate) fn hukou_address(&self) -> String {
        let c = self.county();
        let (town, stem) = (self.township(), self.stem());
        if self.urban {
            format!(
                "{}{town}{stem}社区{}{}号{}栋{}单元{}0{}室",
                c.full_name,
                self.street(),
                self.house,
                self.group,
                1 + self.house % 4,
                1 + (self.house / 4) % 7,
                1 + self.group % 4
            )
        } else {
            format!(
                "{}{town}{stem}村委会{}组{}号",
                c.full_name, self.group, self.house
            )
        }
    }

    /// A random address style.
    pub(crate) fn random_address(&self, rng: &mut SynthRng) -> String {
        self.address(rng.random_range(0..5))
    }
}

/// A street address for a business or shop in the county seat.
pub(crate) fn shop_address(rng: &mut SynthRng, place: &Place) -> String {
    let c = place.county();
    format!(
        "{}{}{}{}号",
        c.common_name,
        townships_of(place.county)[0],
        pick(rng, STREETS),
        rng.random_range(1..=300)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::chunk_rng;

    #[test]
    fn addresses_name_real_county_and_rural_township() {
        let geo = Geography::new(Area::Honghe, 1000, 1.0);
        let mut rng = chunk_rng(3, 3);
        for _ in 0..200 {
            let county = geo.county(&mut rng);
            let urban = rng.random_bool(0.2);
            let p = geo.place(&mut rng, county, urban);
            for style in 0..5 {
                let a = p.address(style);
                // Some styles drop the county, some (urban) the township; never both.
                assert!(
                    a.contains(p.county().stem) || a.contains(p.township()),
                    "{a}"
                );
            }
        }
    }

    #[test]
    fn a_province_world_grows_by_counties_at_honghes_density() {
        let density = crate::config::HOUSEHOLDS_PER_COUNTY;
        assert_eq!(counties_for(1_000, density), 1);
        assert_eq!(counties_for(50_000, density), 3);
        assert_eq!(counties_for(200_000, density), 13);
        assert_eq!(counties_for(1_600_000, density), 104);
        assert_eq!(counties_for(100_000_000, density), COUNTIES.len());
        assert_eq!(counties_for(3_000, 100.0), 30);
        // At 200,000 households the province world is the Honghe world.
        let (honghe, yunnan) = (
            Geography::new(Area::Honghe, 200_000, density),
            Geography::new(Area::Yunnan, 200_000, density),
        );
        let (mut a, mut b) = (chunk_rng(5, 1), chunk_rng(5, 1));
        for _ in 0..1_000 {
            assert_eq!(honghe.county(&mut a), yunnan.county(&mut b));
        }
        let province = Geography::new(Area::Yunnan, 1_600_000, density);
        let mut rng = chunk_rng(5, 2);
        let drawn: std::collections::BTreeSet<u8> =
            (0..20_000).map(|_| province.county(&mut rng)).collect();
        assert_eq!(drawn.len(), 104);
        assert!(province.holds(county_of(103)) && !province.holds(county_of(104)));
    }

    #[test]
    fn addresses_outside_honghe_parse_back_to_their_county_and_township() {
        use hedui_core::address::Address;
        let geo = Geography::new(Area::Yunnan, 1_000, 1.0);
        let mut rng = chunk_rng(7, 7);
        for index in 0..SYNTH_COUNTIES.len() as u8 {
            let townships = townships_of(index);
            let distinct: std::collections::BTreeSet<_> = townships.iter().collect();
            assert_eq!(
                distinct.len(),
                townships.len(),
                "{}",
                county_of(index).full_name
            );
            for urban in [false, true] {
                let p = geo.place(&mut rng, index, urban);
                for style in 0..5 {
                    let raw = p.address(style);
                    let parsed = Address::parse(&raw);
                    // Styles that leave the county out may give none, never another.
                    assert!(
                        parsed.county.is_none_or(|c| c.code == p.county().code),
                        "{raw}"
                    );
                    if raw.contains(p.county().common_name) || raw.contains(p.county().full_name) {
                        assert_eq!(
                            parsed.county.map(|c| c.code),
                            Some(p.county().code),
                            "{raw}"
                        );
                    }
                    if raw.contains(p.township()) {
                        assert_eq!(parsed.township.as_deref(), Some(p.township()), "{raw}");
                    }
                }
            }
        }
    }

    #[test]
    fn invented_township_stems_name_no_county() {
        // Neither a county's name nor one of Honghe's listed townships, which would place
        // an address written without its county in Honghe.
        let mut clashes = Vec::new();
        for stem in TOWNSHIP_STEMS {
            for suffix in ["", "镇", "乡", "街道"] {
                let text = format!("{stem}{suffix}");
                let parsed = hedui_core::address::Address::parse(&format!("{text}新寨村3组"));
                if County::from_name(&text).is_some() || parsed.county.is_some() {
                    clashes.push(text);
                }
            }
        }
        assert!(clashes.is_empty(), "{clashes:?}");
    }
}
