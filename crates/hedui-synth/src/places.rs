//! Places and addresses: real counties and townships from `hedui_core::area`, invented but
//! plausible village committees, groups and urban streets, and the many ways one address
//! is written.
//!
//! Villages per township are derived from a hash of the township name, not from the seed,
//! so the geography is the same in every generated world and in the demo data.

use std::fmt::Write;

use hedui_core::area::{COUNTIES, County};
use rand::Rng;

use crate::rng::{SynthRng, Weighted, hash_str, pick};

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
}

impl Geography {
    pub(crate) fn new() -> Self {
        Self {
            counties: Weighted::new(COUNTY_WEIGHTS),
        }
    }

    pub(crate) fn county(&self, rng: &mut SynthRng) -> u8 {
        self.counties.pick(rng)
    }

    /// A random dwelling in `county`.
    pub(crate) fn place(&self, rng: &mut SynthRng, county: u8, urban: bool) -> Place {
        let c = county_of(county);
        // Urban dibao concentrates in the seat township, which is listed first.
        let township = if urban && rng.random_bool(0.7) {
            0
        } else {
            rng.random_range(0..c.townships.len())
        };
        let villages = villages_in(c.townships[township]);
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
        let townships = of.county().townships.len();
        let township = (usize::from(of.township) + 1) % townships.max(1);
        let villages = villages_in(of.county().townships[township]);
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

pub(crate) fn county_of(index: u8) -> &'static County {
    &COUNTIES[usize::from(index).min(COUNTIES.len() - 1)]
}

fn villages_in(township: &str) -> usize {
    6 + (hash_str(township) % 7) as usize
}

impl Place {
    pub(crate) fn county(&self) -> &'static County {
        county_of(self.county)
    }

    pub(crate) fn township(&self) -> &'static str {
        let t = self.county().townships;
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
                    "红河州{county}{}{}号{}栋{}单元",
                    self.street(),
                    self.house,
                    g,
                    1 + self.house % 4
                ),
                2 => write!(
                    s,
                    "云南省红河哈尼族彝族自治州{}{town}{}{}号",
                    c.full_name,
                    self.street(),
                    self.house
                ),
                _ => write!(s, "{town}{stem}社区{}{}号", self.street(), self.house),
            };
        } else {
            let _ = match style % 5 {
                0 => write!(s, "{county}{town}{stem}村委会{g}组"),
                1 => write!(s, "红河州{county}{town}{stem}村{g}组"),
                2 => write!(
                    s,
                    "云南省红河哈尼族彝族自治州{}{town}{stem}村委会{}村民小组",
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
        c.townships[0],
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
        let geo = Geography::new();
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
}
