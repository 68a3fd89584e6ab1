//! Term frequencies of names among recipients. A shared common name (王伟) is weak evidence;
//! a shared rare one is strong. Splink-style adjustment replaces the average u-probability of
//! an exact name match with the frequency of the actual name.
//!
//! Where the identity number already places the owner in the member's cohort (one county,
//! a few birth years: the repaired levels a namesake's number can reach), the question is
//! how common the name is *there*: names follow fashions by place and generation, so the
//! frequency within the cohort is used when it is higher than the prefecture's. In the same
//! way the frequency within the member's county is used when higher: owners without a
//! number are compared within their county, and a province's names cluster by county (a
//! Zhuang name common in 文山 is rare province-wide).

use chrono::Datelike;
use hedui_core::name::PersonName;
use hedui_core::resident_id::ResidentId;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Name and pinyin frequencies over the recipient members, borrowing the members' names.
#[derive(Debug, Default)]
pub struct NameFrequencies<'a> {
    names: FxHashMap<&'a str, u32>,
    pinyin: FxHashMap<&'a str, u32>,
    total: u32,
    /// Members per (cohort, name) and per (cohort, sound), keyed by hash.
    cohort_names: FxHashMap<u64, u32>,
    /// Members per cohort.
    cohort_sizes: FxHashMap<u64, u32>,
    /// Members per (county, name) and per (county, sound), keyed by hash.
    county_names: FxHashMap<u64, u32>,
    /// Members per county.
    county_sizes: FxHashMap<u64, u32>,
}

/// Birth years per cohort: names move with a generation's fashions, not year by year.
const COHORT_YEARS: i32 = 5;
/// Pseudo-members of prefecture-wide frequency added to every cohort, so that a cohort of a
/// dozen does not call a name common because two of them share it.
const COHORT_SMOOTHING: f64 = 20.0;

/// The cohort of a number: the county that issued it and a span of birth years.
fn cohort(id: &ResidentId) -> (&str, i32) {
    (
        id.as_str().get(..6).unwrap_or_default(),
        id.birth_date().year().div_euclid(COHORT_YEARS),
    )
}

impl<'a> NameFrequencies<'a> {
    pub fn build(names: impl Iterator<Item = &'a PersonName>) -> Self {
        let names: Vec<&PersonName> = names.filter(|n| !n.is_empty()).collect();
        // Two independent counts over a prefecture's roster: one per core.
        let (by_name, by_pinyin) = rayon::join(
            || count(names.par_iter().map(|n| n.as_str())),
            || count(names.par_iter().map(|n| n.pinyin_key())),
        );
        Self {
            names: by_name,
            pinyin: by_pinyin,
            total: names.len() as u32,
            cohort_names: FxHashMap::default(),
            cohort_sizes: FxHashMap::default(),
            county_names: FxHashMap::default(),
            county_sizes: FxHashMap::default(),
        }
    }

    /// Adds the members' cohorts and counties: `cohorts` gives each member's name and valid
    /// number, `counties` each member's name and the code of the county their address
    /// names. The two are counted side by side: each is a pass of hashing over every
    /// member, and one after the other they kept a core idle for seconds at province scale.
    pub fn with_cohorts_and_counties<'m>(
        mut self,
        cohorts: impl Iterator<Item = (&'m PersonName, Option<&'m ResidentId>)> + Send,
        counties: impl Iterator<Item = (&'m PersonName, Option<&'static str>)> + Send,
    ) -> Self {
        let (by_cohort, by_county) = rayon::join(
            || group_counts(cohorts.map(|(name, id)| (name, id.map(cohort)))),
            || group_counts(counties),
        );
        (self.cohort_sizes, self.cohort_names) = by_cohort;
        (self.county_sizes, self.county_names) = by_county;
        self
    }

    /// The share of the rest of the members of `county` with exactly this name, smoothed
    /// towards `global`, or `global` when that is higher or the county is unknown.
    pub fn name_in_county(&self, name: &PersonName, county: Option<&str>, global: f64) -> f64 {
        self.in_county((0, name.as_str()), county, global)
    }

    /// The same for the name's sound.
    pub fn pinyin_in_county(&self, name: &PersonName, county: Option<&str>, global: f64) -> f64 {
        self.in_county((1, name.pinyin_key()), county, global)
    }

    fn in_county(&self, (kind, text): (u8, &str), county: Option<&str>, global: f64) -> f64 {
        let Some(county) = county else {
            return global;
        };
        let size = self.county_sizes.get(&crate::blocking::key(county));
        let count = self
            .county_names
            .get(&crate::blocking::key((county, kind, text)));
        smoothed_share(count, size, global)
    }

    /// The share of the rest of `member`'s cohort with exactly this name (the member's own),
    /// smoothed towards `global`, or `global` when that is higher or the member has no
    /// number.
    pub fn name_in_cohort(
        &self,
        name: &PersonName,
        member: Option<&ResidentId>,
        global: f64,
    ) -> f64 {
        self.in_cohort((0, name.as_str()), member, global)
    }

    /// The same for the name's sound.
    pub fn pinyin_in_cohort(
        &self,
        name: &PersonName,
        member: Option<&ResidentId>,
        global: f64,
    ) -> f64 {
        self.in_cohort((1, name.pinyin_key()), member, global)
    }

    fn in_cohort(&self, (kind, text): (u8, &str), member: Option<&ResidentId>, global: f64) -> f64 {
        let Some(id) = member else {
            return global;
        };
        let c = cohort(id);
        let size = self.cohort_sizes.get(&crate::blocking::key(c));
        let count = self
            .cohort_names
            .get(&crate::blocking::key((c, kind, text)));
        smoothed_share(count, size, global)
    }

    /// The share of members with exactly this name, never below one member's share.
    pub fn name(&self, name: &PersonName) -> f64 {
        self.share(self.names.get(name.as_str()))
    }

    /// The share of members whose name sounds like this one.
    pub fn pinyin(&self, name: &PersonName) -> f64 {
        self.share(self.pinyin.get(name.pinyin_key()))
    }

    fn share(&self, count: Option<&u32>) -> f64 {
        let total = f64::from(self.total.max(1));
        f64::from((*count.unwrap_or(&1)).max(1)) / total
    }
}

/// Members per group (a cohort, a county) and per (group, name) and (group, sound), keyed
/// by hash; members without a group or a name are not counted.
fn group_counts<'m, G: std::hash::Hash>(
    members: impl Iterator<Item = (&'m PersonName, Option<G>)>,
) -> (FxHashMap<u64, u32>, FxHashMap<u64, u32>) {
    let mut sizes: FxHashMap<u64, u32> = FxHashMap::default();
    let mut names: FxHashMap<u64, u32> = FxHashMap::default();
    for (name, group) in members {
        let Some(group) = group.filter(|_| !name.is_empty()) else {
            continue;
        };
        *sizes.entry(crate::blocking::key(&group)).or_default() += 1;
        for key in [
            (&group, 0u8, name.as_str()),
            (&group, 1u8, name.pinyin_key()),
        ] {
            *names.entry(crate::blocking::key(key)).or_default() += 1;
        }
    }
    (sizes, names)
}

/// The share of a group's (a cohort's, a county's) other members with a name, `count` of
/// `size` members, smoothed towards `global` and never below it. Only pairs that agree on
/// the name ask, so the member asking is one of those counted; u is about the *other*
/// people of the group.
fn smoothed_share(count: Option<&u32>, size: Option<&u32>, global: f64) -> f64 {
    let count = count.copied().unwrap_or(0).saturating_sub(1);
    let size = size.copied().unwrap_or(0).saturating_sub(1);
    let share =
        (f64::from(count) + COHORT_SMOOTHING * global) / (f64::from(size) + COHORT_SMOOTHING);
    share.max(global)
}

/// How often each text occurs. Sorting in parallel and counting runs avoids hashing every
/// occurrence on one thread.
fn count<'a>(texts: impl IndexedParallelIterator<Item = &'a str>) -> FxHashMap<&'a str, u32> {
    let mut texts: Vec<&str> = texts.collect();
    texts.par_sort_unstable();
    let mut counts = FxHashMap::default();
    for run in texts.chunk_by(|a, b| a == b) {
        counts.insert(run[0], run.len() as u32);
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_common_in_its_cohort_weighs_by_the_cohort() {
        let n = |s: &str| PersonName::normalise(s);
        let id = |s: &str| ResidentId::parse(s).unwrap();
        // 100 members: 20 born in one county in 1980, four of them 王伟; 80 elsewhere with
        // other names.
        let mut members: Vec<(PersonName, ResidentId)> = Vec::new();
        for i in 0..20u32 {
            let name = if i < 4 {
                n("王伟")
            } else {
                n(&format!("李{}", char::from_u32(0x4e00 + i).unwrap()))
            };
            members.push((
                name,
                ResidentId::from_body(
                    format!("53250119800101{i:03}")
                        .as_bytes()
                        .first_chunk()
                        .unwrap(),
                )
                .unwrap(),
            ));
        }
        for i in 0..80u32 {
            let name = n(&format!("赵{}", char::from_u32(0x4e80 + i).unwrap()));
            members.push((
                name,
                ResidentId::from_body(
                    format!("53253019550101{i:03}")
                        .as_bytes()
                        .first_chunk()
                        .unwrap(),
                )
                .unwrap(),
            ));
        }
        let tf = NameFrequencies::build(members.iter().map(|(n, _)| n)).with_cohorts_and_counties(
            members.iter().map(|(n, i)| (n, Some(i))),
            std::iter::empty(),
        );
        let global = tf.name(&n("王伟"));
        assert!((global - 0.04).abs() < 1e-12);
        let in_cohort = tf.name_in_cohort(&n("王伟"), Some(&members[0].1), global);
        // The other 19: (3 + 20 × 0.04) / (19 + 20), about 2.4 times the prefecture's share.
        assert!((in_cohort - 3.8 / 39.0).abs() < 1e-9, "{in_cohort}");
        // A name no one else in the cohort has is as rare there as the prefecture says.
        let alone = &members[5];
        let g = tf.name(&alone.0);
        assert_eq!(tf.name_in_cohort(&alone.0, Some(&alone.1), g), g);
        // Another county's cohort never makes the name rarer than the prefecture says.
        let elsewhere = tf.name_in_cohort(&n("王伟"), Some(&id("532530195501010009")), global);
        assert_eq!(elsewhere, global);
        assert_eq!(tf.name_in_cohort(&n("王伟"), None, global), global);
    }

    #[test]
    fn a_name_common_in_its_county_weighs_by_the_county() {
        let n = |s: &str| PersonName::normalise(s);
        // 1,000 members: 100 in 文山市, ten of them 农光明; 900 in other counties, none.
        let mut members: Vec<(PersonName, &'static str)> = Vec::new();
        for i in 0..1000u32 {
            let (name, county) = match i {
                0..10 => (n("农光明"), "532601"),
                10..100 => (
                    n(&format!("农{}", char::from_u32(0x4e00 + i).unwrap())),
                    "532601",
                ),
                _ => (
                    n(&format!("李{}", char::from_u32(0x4e00 + i).unwrap())),
                    "532501",
                ),
            };
            members.push((name, county));
        }
        let tf = NameFrequencies::build(members.iter().map(|(n, _)| n)).with_cohorts_and_counties(
            std::iter::empty(),
            members.iter().map(|(n, c)| (n, Some(*c))),
        );
        let global = tf.name(&n("农光明"));
        assert!((global - 0.01).abs() < 1e-12);
        let in_county = tf.name_in_county(&n("农光明"), Some("532601"), global);
        // The other 99: (9 + 20 × 0.01) / (99 + 20), about 7.7 times the province's share.
        assert!((in_county - 9.2 / 119.0).abs() < 1e-9, "{in_county}");
        let sound = tf.pinyin_in_county(&n("农光明"), Some("532601"), tf.pinyin(&n("农光明")));
        assert!(sound >= in_county, "{sound}");
        // Another county, or none, never makes it rarer than the province says.
        assert_eq!(
            tf.name_in_county(&n("农光明"), Some("532501"), global),
            global
        );
        assert_eq!(tf.name_in_county(&n("农光明"), None, global), global);
    }

    #[test]
    fn cohorts_and_counties_counted_together_are_each_as_counted_alone() {
        let n = |s: &str| PersonName::normalise(s);
        // Six 王伟 born 1955, two of them in one county; two others born 1955, four in 1990.
        let members: Vec<(PersonName, ResidentId, &'static str)> = (0..12u32)
            .map(|i| {
                let name = if i < 6 {
                    n("王伟")
                } else {
                    n(&format!("李{}", char::from_u32(0x4e00 + i).unwrap()))
                };
                let year = if i < 8 { 1955 } else { 1990 };
                let body = format!("532501{year}0101{i:03}");
                let id = ResidentId::from_body(body.as_bytes().first_chunk().unwrap()).unwrap();
                (name, id, if i < 2 { "532501" } else { "532502" })
            })
            .collect();
        let names = || members.iter().map(|(name, _, _)| name);
        let cohorts = || members.iter().map(|(name, id, _)| (name, Some(id)));
        let counties = || {
            members
                .iter()
                .map(|(name, _, county)| (name, Some(*county)))
        };
        let both = NameFrequencies::build(names()).with_cohorts_and_counties(cohorts(), counties());
        let alone_c = NameFrequencies::build(names())
            .with_cohorts_and_counties(cohorts(), std::iter::empty());
        let alone_k = NameFrequencies::build(names())
            .with_cohorts_and_counties(std::iter::empty(), counties());
        let wang = n("王伟");
        let global = both.name(&wang);
        let (id, county) = (&members[0].1, Some("532501"));
        let in_cohort = both.name_in_cohort(&wang, Some(id), global);
        let in_county = both.name_in_county(&wang, county, global);
        assert!(
            in_cohort > global && in_county > global,
            "{in_cohort} {in_county}"
        );
        assert_ne!(in_cohort, in_county);
        assert_eq!(in_cohort, alone_c.name_in_cohort(&wang, Some(id), global));
        assert_eq!(in_county, alone_k.name_in_county(&wang, county, global));
        // Counted alone, the other kind of group is unknown and falls back to the global share.
        assert_eq!(alone_c.name_in_county(&wang, county, global), global);
        assert_eq!(alone_k.name_in_cohort(&wang, Some(id), global), global);
    }
}
