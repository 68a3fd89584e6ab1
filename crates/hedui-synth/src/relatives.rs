//! 关系保 / 人情保 inputs (docs/synth.md, "Staff, the 备案 register and 户籍"): the roster of
//! civil-affairs staff and village committee members (`staff.csv`), the register of their
//! declared relatives among recipients (`relatives_register.csv`), the household
//! registration export (`hukou.csv`), and the truth of which staff member is whom to which
//! recipient (`truth/relatives.csv`, `truth/register_stale.csv`).
//!
//! Everything here is drawn after the rest of the chunk is finished, from a random stream of
//! its own and with IDs from the chunk's allocator after everyone else's, so a world's other
//! files are byte for byte what they are without these three.
//!
//! Staff members come from the world: a recipient household's head (`self`), a new person
//! made as a parent, child, sibling, spouse, in-law or grandparent of a recipient household's
//! head (`relative`), or an unrelated person (the rest of the roster, namesakes of members
//! and same-surname neighbours). Evidence of a relation is placed in `hukou.csv` only:
//! `strong` shares a 户号 with the relation readable from 与户主关系, `weak` writes the staff
//! member's registered address as the household's 家庭住址, `none` leaves nothing. `medium`
//! (a co-owned title or a shared business) is not made: it would need a new row in
//! `property.xlsx` or `licences.csv`, whose bytes must not change, and `licences.csv` names
//! one operator only.

mod kin;
mod render;
mod truth;

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use hedui_core::Address;
use rand::Rng;

use crate::assets::check_date;
use crate::config::DefectRates;
use crate::household::{Household, Relation};
use crate::names::{Name, Pattern};
use crate::people::{AGE_YEAR, ChunkWorld, Person};
use crate::places::Place;
use crate::rng::{SynthRng, chance, pick, pick_str, stochastic_round, weighted};
use kin::{KINS, Kin, derive, member_label};
pub use truth::RelativesRows;
pub(crate) use truth::{RelativesTruth, write_truth};

/// Share of staff members who are themselves members of a recipient household.
pub(crate) const SELF_SHARE: f64 = 0.03;
/// Share of those who left office before the check date (a decoy: no lead).
pub(crate) const SELF_LEFT: f64 = 0.25;
/// Share of self staff whose parent, enrolled as a one-person household, is registered in
/// the staff member's 户.
pub(crate) const SELF_PARENT: f64 = 0.3;
/// Share of staff members made as a relative of a recipient household's head.
pub(crate) const RELATIVE_SHARE: f64 = 0.10;
/// Share of relatives declared in the register.
pub(crate) const DECLARED: f64 = 0.5;
/// Share of relative staff who left office before the check date.
pub(crate) const RELATIVE_LEFT: f64 = 0.15;
/// Share of relative staff who serve the relative's own village.
pub(crate) const CASE_WORKER: f64 = 0.4;
/// Evidence levels of relatives, by weight (`medium` is never made).
pub(crate) const EVIDENCE: [(Evidence, u32); 3] = [
    (Evidence::Strong, 40),
    (Evidence::Weak, 25),
    (Evidence::None, 35),
];
/// Share of staff members who share a recipient's full name (decoy).
pub(crate) const NAMESAKE_SHARE: f64 = 0.02;
/// Share of staff members with a recipient's surname next door (decoy).
pub(crate) const NEIGHBOUR_SHARE: f64 = 0.03;
/// Share of the other staff who left office before the check date.
pub(crate) const ORDINARY_LEFT: f64 = 0.08;
/// Share of staff in office with a register row for a relative no longer a recipient.
pub(crate) const GONE_SHARE: f64 = 0.02;
/// Share of staff in office whose term ends between the check date and the export.
pub(crate) const LATE_END: f64 = 0.03;

/// Evidence of a relation in the exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Evidence {
    Strong,
    Weak,
    None,
}

impl Evidence {
    fn label(self) -> &'static str {
        match self {
            Self::Strong => "strong",
            Self::Weak => "weak",
            Self::None => "none",
        }
    }
}

/// Positions that work a recipient's case or sit on the committee that proposes it.
pub(crate) const CASE_WORKER_POSITIONS: [&str; 8] = [
    "低保专干",
    "民政助理员",
    "村委会主任",
    "村委会副主任",
    "村委会委员",
    "村民小组长",
    "社区书记",
    "社区主任",
];

/// Header of `staff.csv`, each column with the aliases a file may use instead.
static STAFF_HEADERS: [&[&str]; 8] = [
    &["姓名"],
    &["身份证号"],
    &["职务", "岗位", "职务岗位"],
    &["工作单位"],
    &["服务乡镇"],
    &["服务村（社区）", "服务村社区", "服务村"],
    &["任职开始日期", "任职日期"],
    &["任职结束日期", "离任日期"],
];
pub(crate) const REGISTER_HEADER: [&str; 7] = [
    "低保对象姓名",
    "低保对象身份证号",
    "低保证号",
    "工作人员姓名",
    "工作人员身份证号",
    "关系",
    "备案日期",
];
pub(crate) const HUKOU_HEADER: [&str; 5] = ["户号", "姓名", "身份证号", "与户主关系", "住址"];

/// File-level choices of the three exports, drawn once per run from a stream of their own.
#[derive(Debug, Clone)]
pub(crate) struct RelativesStyle {
    pub staff_headers: Vec<&'static str>,
}

impl RelativesStyle {
    pub(crate) fn draw(rng: &mut SynthRng) -> Self {
        Self {
            staff_headers: STAFF_HEADERS.iter().map(|set| *pick(rng, set)).collect(),
        }
    }
}

/// One pair of the truth, with the staff row's line local to the chunk.
#[derive(Debug, Clone)]
pub(crate) struct PairOut {
    pub staff_id: String,
    pub staff_name: String,
    pub staff_line: u64,
    /// The staff member's ID as `staff.csv` writes it; `None` when the cell is empty.
    pub staff_key: Option<String>,
    pub member_id: String,
    pub household_id: String,
    pub relation: &'static str,
    pub kind: &'static str,
    pub evidence: &'static str,
    pub declared: bool,
    pub in_office: bool,
    pub case_worker: bool,
}

/// What one chunk adds to the three exports and their truth.
#[derive(Debug, Default)]
pub(crate) struct ChunkRelatives {
    /// Data lines of `staff.csv` (CRLF), `relatives_register.csv` and `hukou.csv` (LF).
    pub staff: String,
    pub staff_lines: u64,
    pub register: String,
    pub register_lines: u64,
    pub hukou: String,
    pub hukou_lines: u64,
    pub pairs: Vec<PairOut>,
    /// (local line, reason) of stale register rows.
    pub stale: Vec<(u64, &'static str)>,
    pub counts: BTreeMap<&'static str, u64>,
    /// Defect tags per file: staff, register, hukou.
    pub defects: [BTreeMap<&'static str, u64>; 3],
}

/// Rates of the defects applied to the three exports: missing and 15-digit IDs, lowercase
/// `x`, homophones and `·` separators at the run's rates, mixed date spellings at half of
/// it; no typos, no full-width digits, no placeholders.
pub(crate) fn export_rates(r: &DefectRates) -> DefectRates {
    DefectRates {
        id_typo: 0.0,
        id_transposition: 0.0,
        id_fullwidth: 0.0,
        id_spaces: 0.0,
        name_traditional: 0.0,
        name_rare_placeholder: 0.0,
        date_mixed_format: r.date_mixed_format / 2.0,
        linked_multiplier: 1.0,
        ..r.clone()
    }
}

/// The level a staff member works at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    County,
    Township,
    Village,
}

const LEVELS: [(Level, u32); 3] = [
    (Level::County, 10),
    (Level::Township, 20),
    (Level::Village, 70),
];

#[derive(Debug, Clone)]
struct Post {
    position: &'static str,
    employer: String,
    township: &'static str,
    village: String,
}

fn post(rng: &mut SynthRng, level: Level, place: &Place) -> Post {
    let county = place.county();
    match level {
        Level::County => Post {
            position: "民政局科员",
            employer: format!("{}民政局", county.common_name),
            township: "",
            village: String::new(),
        },
        Level::Township => {
            let township = place.township();
            let employer = if township.ends_with("街道") {
                format!("{township}办事处")
            } else {
                format!("{township}人民政府")
            };
            Post {
                position: pick_str(rng, &["民政助理员", "低保专干"]),
                employer,
                township,
                village: String::new(),
            }
        }
        Level::Village => {
            let village = place.village_name();
            let (position, employer) = if place.urban {
                let position = weighted(rng, &[("社区书记", 2), ("社区主任", 2), ("低保专干", 2)]);
                (position, format!("{village}居委会"))
            } else {
                let position = weighted(
                    rng,
                    &[
                        ("村委会主任", 2),
                        ("村委会副主任", 2),
                        ("村委会委员", 4),
                        ("村民小组长", 4),
                        ("低保专干", 2),
                    ],
                );
                (position, village.clone())
            };
            Post {
                position,
                employer,
                township: place.township(),
                village,
            }
        }
    }
}

impl Post {
    /// Whether this post works the cases of household `hh`'s village: a case-worker or
    /// committee position whose 服务乡镇 and 服务村 are spelt as the roster's 乡镇 and 村社区.
    fn serves(&self, hh: &Household) -> bool {
        CASE_WORKER_POSITIONS.contains(&self.position)
            && !self.village.is_empty()
            && self.township == hh.place.township()
            && self.village == hh.place.village_name()
    }
}

#[derive(Debug, Clone)]
struct Staff {
    person: usize,
    post: Post,
    start: NaiveDate,
    end: Option<NaiveDate>,
}

impl Staff {
    fn in_office(&self) -> bool {
        self.end.is_none_or(|e| e >= check_date())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PairKind {
    SelfMember,
    Relative(Evidence),
    Namesake,
    Neighbour,
}

#[derive(Debug, Clone)]
struct Pair {
    staff: usize,
    member: usize,
    household: usize,
    relation: &'static str,
    kind: PairKind,
    declared: bool,
}

#[derive(Debug, Clone)]
struct RegisterRow {
    recipient: usize,
    cert: String,
    staff: usize,
    relation: &'static str,
    date: NaiveDate,
    stale: Option<&'static str>,
}

/// A registration household (户): its address and (person, 与户主关系), 户主 first.
#[derive(Debug, Clone)]
struct Hu {
    address: String,
    rows: Vec<(usize, &'static str)>,
}

fn age(p: &Person) -> i32 {
    AGE_YEAR - p.birth.year()
}

fn between(rng: &mut SynthRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0) as u64;
    from + Days::new(rng.random_range(0..=span))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Term of office: start, and an end before the check date when `left`.
fn term(rng: &mut SynthRng, birth: NaiveDate, left: bool) -> (NaiveDate, Option<NaiveDate>) {
    let check = check_date();
    let earliest = ymd(birth.year() + 21, 1, 1).max(ymd(1995, 1, 1));
    if left {
        // At least 180 days in office, and out of it before the check date.
        let latest = check - Days::new(400);
        let start = between(rng, earliest.min(latest), latest);
        let end = between(rng, start + Days::new(180), check - Days::new(1));
        (start, Some(end))
    } else {
        let latest = ymd(2026, 5, 31);
        let start = between(rng, earliest.min(latest), latest);
        let end = chance(rng, LATE_END).then(|| between(rng, ymd(2026, 7, 1), ymd(2026, 7, 10)));
        (start, end)
    }
}

/// Ages of staff members in office, and of those who have left.
fn staff_ages(left: bool) -> (i32, i32) {
    if left { (35, 72) } else { (22, 60) }
}

/// Whether the household's roster address names the house (a number), so that writing it
/// as someone else's address says "same house" and nothing coarser: every urban style, and
/// the rural style with the natural village and house number.
fn house_precise(hh: &Household) -> bool {
    hh.urban() || hh.address == hh.place.address(4)
}

/// The address style of the household's roster address.
fn style_of(hh: &Household) -> Option<u8> {
    (0..5).find(|&s| hh.place.address(s) == hh.address)
}

fn address_key(text: &str) -> String {
    Address::parse(text).key()
}

/// `address` written another way that parses to the same place: with or without the
/// province, `村民委员会` for `村委会`, the county's full name.
fn same_address_variant(rng: &mut SynthRng, address: &str, place: &Place) -> String {
    let county = place.county();
    let variant = match rng.random_range(0..4) {
        0 => address.to_string(),
        1 => match address.strip_prefix("云南省") {
            Some(rest) => rest.to_string(),
            None if address.starts_with(county.prefecture().common_name) => {
                format!("云南省{address}")
            }
            None => format!("云南省{}{address}", county.prefecture().common_name),
        },
        2 => address.replacen("村委会", "村民委员会", 1),
        _ => address.replacen(county.common_name, county.full_name, 1),
    };
    if variant != address && address_key(&variant) == address_key(address) {
        variant
    } else {
        address.to_string()
    }
}

fn first_given(name: &Name) -> Option<char> {
    name.full.chars().nth(name.surname_len)
}

/// Builds the roster, register and registration households of one chunk. `world.rng` must
/// already be this chunk's relatives stream.
struct Builder<'w, 'a> {
    world: &'w mut ChunkWorld<'a>,
    households: &'w [Household],
    used: Vec<bool>,
    /// Households whose only member is registered in a staff member's 户.
    absorbed: Vec<bool>,
    /// People registered in a household's 户 besides its members.
    extra: Vec<Vec<(usize, &'static str)>>,
    staff: Vec<Staff>,
    pairs: Vec<Pair>,
    register: Vec<RegisterRow>,
    hus: Vec<Hu>,
    counts: BTreeMap<&'static str, u64>,
}

impl<'w, 'a> Builder<'w, 'a> {
    fn rng(&mut self) -> &mut SynthRng {
        &mut self.world.rng
    }

    fn count(&mut self, key: &'static str) {
        *self.counts.entry(key).or_default() += 1;
    }

    /// A uniformly drawn unused household satisfying `pred`.
    fn pick_household(&mut self, pred: impl Fn(&Self, &Household) -> bool) -> Option<usize> {
        let found: Vec<usize> = (0..self.households.len())
            .filter(|&i| !self.used[i] && pred(self, &self.households[i]))
            .collect();
        (!found.is_empty()).then(|| *pick(&mut self.world.rng, &found))
    }

    fn person(&self, p: usize) -> &Person {
        &self.world.people[p]
    }

    /// A name drawn with `surname` (drawn itself when `None` or empty).
    fn name(
        &mut self,
        pattern: Pattern,
        male: bool,
        year: i32,
        surname: Option<&str>,
        father_last: Option<char>,
    ) -> Name {
        let mut spec = self.world.spec(pattern, male, year);
        spec.father_last = father_last;
        spec.surname = surname.filter(|s| !s.is_empty());
        self.world.tables.names.name(&mut self.world.rng, &spec)
    }

    fn new_person(
        &mut self,
        name: Name,
        male: bool,
        age: i32,
        place: Place,
        pattern: Pattern,
    ) -> usize {
        let birth = self.world.birth_for_age(age);
        self.world.add_person(name, male, birth, place, pattern)
    }

    fn random_place(&mut self, county: u8, urban_share: f64) -> Place {
        let urban = self.world.rng.random_bool(urban_share);
        let rng = &mut self.world.rng;
        self.world.tables.geo.place(rng, county, urban)
    }

    fn add_staff(&mut self, person: usize, post: Post, left: bool) -> usize {
        let birth = self.world.people[person].birth;
        let (start, end) = term(&mut self.world.rng, birth, left);
        self.staff.push(Staff {
            person,
            post,
            start,
            end,
        });
        self.count("staff");
        self.staff.len() - 1
    }

    /// A post at a level drawn from `LEVELS` for someone living at `home`.
    fn any_post(&mut self, home: &Place) -> Post {
        let level = weighted(&mut self.world.rng, &LEVELS);
        post(&mut self.world.rng, level, home)
    }

    fn declare(&mut self, staff: usize, member: usize, household: usize, relation: &'static str) {
        let s = &self.staff[staff];
        let (start, end) = (s.start, s.end);
        let stale = (!s.in_office()).then_some("staff_left");
        let last = end.unwrap_or(check_date()).min(check_date()) - Days::new(1);
        let date = between(&mut self.world.rng, start, last.max(start));
        self.register.push(RegisterRow {
            recipient: member,
            cert: self.households[household].id.clone(),
            staff,
            relation,
            date,
            stale,
        });
    }

    fn pair(
        &mut self,
        staff: usize,
        member: usize,
        household: usize,
        relation: &'static str,
        kind: PairKind,
        declared: bool,
    ) {
        self.pairs.push(Pair {
            staff,
            member,
            household,
            relation,
            kind,
            declared,
        });
        if declared {
            self.declare(staff, member, household, relation);
        }
    }

    /// The staff member's own 户 at `address`: the staff member as 户主, often a spouse and
    /// children (new people), and `kin` (a recipient registered with them) if given.
    fn own_hu(
        &mut self,
        staff: usize,
        address: String,
        kin: Option<(usize, &'static str)>,
        spouse_surname: Option<String>,
    ) {
        let s = self.person(staff).clone();
        let mut rows = vec![(staff, "户主")];
        let spouse = kin.filter(|(_, label)| *label == "配偶").map(|(p, _)| p);
        let mut father = if s.male {
            Some(staff)
        } else {
            spouse.filter(|&p| self.person(p).male)
        };
        let has_spouse = spouse.is_some();
        if !has_spouse && age(&s) >= 24 && self.rng().random_bool(0.75) {
            let spouse = self.world.new_spouse(staff);
            if let Some(surname) = spouse_surname.filter(|x| !x.is_empty()) {
                let p = &self.world.people[spouse];
                let (pattern, male, year) = (p.pattern, p.male, p.birth.year());
                let name = self.name(pattern, male, year, Some(&surname), None);
                self.world.people[spouse].name = name;
            }
            rows.push((spouse, "配偶"));
            if !s.male {
                father = Some(spouse);
            }
        }
        if age(&s) >= 28 {
            for _ in 0..self.rng().random_range(0..=2) {
                let gap = self.rng().random_range(22..=34);
                let child_age = (age(&s) - gap).max(0);
                let male = self.rng().random_bool(0.5);
                let father_name = father.map(|f| self.person(f).name.clone());
                let surname = father_name.as_ref().map(|n| n.surname().to_string());
                let last = father_name.as_ref().and_then(Name::last_char);
                let name = self.name(
                    s.pattern,
                    male,
                    AGE_YEAR - child_age,
                    surname.as_deref(),
                    last,
                );
                let child = self.new_person(name, male, child_age, s.place, s.pattern);
                rows.push((child, if male { "子" } else { "女" }));
            }
        }
        rows.extend(kin);
        self.hus.push(Hu { address, rows });
    }

    /// A staff member who heads a recipient household.
    fn self_staff(&mut self) -> bool {
        let left = self.rng().random_bool(SELF_LEFT);
        let (lo, hi) = if left { (45, 80) } else { (25, 60) };
        let Some(h) = self.pick_household(|b, hh| {
            let a = age(b.person(hh.head()));
            (lo..=hi).contains(&a) && hh.members.iter().all(|(_, r)| *r != Relation::Other)
        }) else {
            return false;
        };
        self.used[h] = true;
        let households = self.households;
        let hh = &households[h];
        let head = hh.head();
        let place = hh.place;
        let post = if self.rng().random_bool(0.7) {
            post(&mut self.world.rng, Level::Village, &place)
        } else {
            let level = weighted(&mut self.world.rng, &LEVELS[..2]);
            post(&mut self.world.rng, level, &place)
        };
        let staff = self.add_staff(head, post, left);
        self.count(if left {
            "self_left_office"
        } else {
            "self_in_office"
        });
        let declared = self.rng().random_bool(DECLARED);
        self.pair(staff, head, h, "", PairKind::SelfMember, false);
        let head_birth = self.person(head).birth;
        for &(m, relation) in &hh.members[1..] {
            let p = self.person(m);
            let label = member_label(relation, p.male, p.birth < head_birth);
            let word = derive("户主", label).unwrap_or("其他");
            self.pair(
                staff,
                m,
                h,
                word,
                PairKind::Relative(Evidence::Strong),
                declared,
            );
        }
        let has_parent = hh.with(Relation::Parent).is_some();
        if !has_parent && self.rng().random_bool(SELF_PARENT) {
            let s = self.person(head).clone();
            let surname = s.name.surname().to_string();
            let parent = self.pick_household(|b, hh| {
                let m = b.person(hh.head());
                let gap = age(m) - age(&s);
                hh.members.len() == 1
                    && (20..=38).contains(&gap)
                    && (!m.male || (!surname.is_empty() && m.name.surname() == surname))
            });
            if let Some(b) = parent {
                self.used[b] = true;
                self.absorbed[b] = true;
                let m = self.households[b].head();
                let label = Kin::Parent.hukou_label(self.person(m).male, true, s.male);
                self.extra[h].push((m, label));
                self.count("self_parent_in_staff_hu");
                let kind = PairKind::Relative(Evidence::Strong);
                self.pair(staff, m, b, "父母", kind, declared);
            }
        }
        true
    }

    /// The kins `m` (head of `hh`) can be of a staff member aged within `ages`, with the
    /// staff member's ages each allows; `same_surname` keeps those where the staff member
    /// carries `m`'s surname.
    fn kins(
        &self,
        m: &Person,
        hh: &Household,
        ages: (i32, i32),
        same_surname: bool,
    ) -> Vec<(Kin, u32, (i32, i32))> {
        let has_spouse = hh.with(Relation::Spouse).is_some();
        let has_parent = hh.with(Relation::Parent).is_some();
        let surname = !m.name.surname().is_empty();
        KINS.iter()
            .filter_map(|&(kin, w)| {
                let (lo, hi) = kin.age_gap();
                let range = ((age(m) + lo).max(ages.0), (age(m) + hi).min(ages.1));
                let allowed = match kin {
                    // The head's spouse or parents are in the household already.
                    Kin::Spouse => !has_spouse,
                    Kin::Child | Kin::ChildInLaw => !has_parent,
                    _ => true,
                };
                let keeps_surname = surname
                    && match kin {
                        Kin::Parent | Kin::Grandparent => m.male,
                        Kin::Sibling | Kin::Child | Kin::Grandchild => true,
                        _ => false,
                    };
                (range.0 <= range.1 && allowed && (!same_surname || keeps_surname))
                    .then_some((kin, w, range))
            })
            .collect()
    }

    /// A new person who is `kin`'s counterpart of `m`: `m` is their `kin`.
    fn kin_person(
        &mut self,
        kin: Kin,
        m: &Person,
        male: bool,
        age: i32,
        place: Place,
        same_surname: bool,
    ) -> usize {
        let year = AGE_YEAR - age;
        let blood = !matches!(kin, Kin::Spouse | Kin::ParentInLaw | Kin::ChildInLaw);
        let pattern = if blood {
            m.pattern
        } else {
            self.world.pattern_for(m.place.county)
        };
        // A relative named exactly as the member would be a namesake too; draw again.
        let mut name = self.kin_name(kin, m, male, year, pattern, same_surname);
        for _ in 0..8 {
            if name.full != m.name.full {
                break;
            }
            name = self.kin_name(kin, m, male, year, pattern, same_surname);
        }
        self.new_person(name, male, age, place, pattern)
    }

    /// The name of someone who is `m`'s `kin`'s counterpart: the surname and Hani linkage
    /// of the paternal line where they share it.
    fn kin_name(
        &mut self,
        kin: Kin,
        m: &Person,
        male: bool,
        year: i32,
        pattern: Pattern,
        same_surname: bool,
    ) -> Name {
        let surname = m.name.surname().to_string();
        match kin {
            Kin::Parent | Kin::Grandparent if m.male || same_surname => {
                let last = (kin == Kin::Parent).then(|| m.name.last_char()).flatten();
                self.name(pattern, male, year, Some(&surname), last)
            }
            Kin::Sibling => self.name(pattern, male, year, Some(&surname), first_given(&m.name)),
            Kin::Child | Kin::Grandchild if male || same_surname => {
                match first_given(&m.name) {
                    // Reverse linkage: the child's first given syllable is the father's last.
                    Some(c)
                        if kin == Kin::Child
                            && pattern == Pattern::Minority
                            && !surname.is_empty() =>
                    {
                        let first = crate::names::linked_syllable(&mut self.world.rng);
                        Name {
                            full: format!("{surname}{first}{c}"),
                            surname_len: m.name.surname_len,
                        }
                    }
                    _ => self.name(pattern, male, year, Some(&surname), None),
                }
            }
            _ => self.name(pattern, male, year, None, None),
        }
    }

    /// A staff member made as a relative of a recipient household's head.
    fn relative_staff(&mut self) -> bool {
        let evidence = weighted(&mut self.world.rng, &EVIDENCE);
        let declared = self.rng().random_bool(DECLARED);
        let left = self.rng().random_bool(RELATIVE_LEFT);
        let case_worker = self.rng().random_bool(CASE_WORKER);
        let ages = staff_ages(left);
        for evidence in [evidence, Evidence::None] {
            if self.try_relative(evidence, ages, declared, left, case_worker) {
                return true;
            }
        }
        false
    }

    fn try_relative(
        &mut self,
        evidence: Evidence,
        ages: (i32, i32),
        declared: bool,
        left: bool,
        case_worker: bool,
    ) -> bool {
        let same_surname = evidence == Evidence::Weak;
        let Some(h) = self.pick_household(|b, hh| {
            let fits = match evidence {
                Evidence::Strong => hh.members.len() == 1,
                Evidence::Weak => hh.members.len() == 1 && house_precise(hh),
                Evidence::None => true,
            };
            fits && !b
                .kins(b.person(hh.head()), hh, ages, same_surname)
                .is_empty()
        }) else {
            return false;
        };
        self.used[h] = true;
        let households = self.households;
        let hh = &households[h];
        let m = self.person(hh.head()).clone();
        let kins = self.kins(&m, hh, ages, same_surname);
        let weights: Vec<(usize, u32)> = kins.iter().enumerate().map(|(i, k)| (i, k.1)).collect();
        let (kin, _, (lo, hi)) = kins[weighted(&mut self.world.rng, &weights)];
        let staff_age = self.rng().random_range(lo..=hi);
        let male = match kin {
            Kin::Spouse => !m.male,
            Kin::Child | Kin::Grandchild if same_surname => true,
            _ => self.rng().random_bool(0.6),
        };
        // Layout A registers the member in the staff member's 户, B the staff member in the
        // member's; strong evidence only.
        let layout_b = evidence == Evidence::Strong && self.rng().random_bool(0.5);
        let place = if layout_b || evidence == Evidence::Weak {
            hh.place
        } else if case_worker {
            let rng = &mut self.world.rng;
            self.world.tables.geo.neighbour(rng, &hh.place)
        } else {
            self.random_place(hh.place.county, 0.3)
        };
        let s = self.kin_person(kin, &m, male, staff_age, place, same_surname);
        let post = if case_worker {
            post(&mut self.world.rng, Level::Village, &hh.place)
        } else {
            self.any_post(&place)
        };
        let staff = self.add_staff(s, post, left);
        let sp = self.person(s).clone();
        let word = kin.register_word(sp.male, m.male);
        let spouse_surname =
            (kin == Kin::ParentInLaw && m.male).then(|| m.name.surname().to_string());
        match evidence {
            Evidence::Strong if layout_b => {
                let label = kin
                    .inverse()
                    .hukou_label(sp.male, sp.birth < m.birth, m.male);
                self.extra[h].push((s, label));
            }
            Evidence::Strong => {
                self.absorbed[h] = true;
                let label = kin.hukou_label(m.male, m.birth < sp.birth, sp.male);
                let address = place.hukou_address();
                self.own_hu(s, address, Some((hh.head(), label)), spouse_surname);
            }
            Evidence::Weak => {
                let address = same_address_variant(&mut self.world.rng, &hh.address, &hh.place);
                self.own_hu(s, address, None, spouse_surname);
            }
            Evidence::None => {
                self.own_hu(s, place.hukou_address(), None, spouse_surname);
            }
        }
        self.count(match evidence {
            Evidence::Strong => "relative_staff_strong",
            Evidence::Weak => "relative_staff_weak",
            Evidence::None => "relative_staff_none",
        });
        let kind = PairKind::Relative(evidence);
        self.pair(staff, hh.head(), h, word, kind, declared);
        true
    }

    /// A staff member with a recipient's full name (and sex), born on another day.
    fn namesake(&mut self) -> bool {
        let Some(h) =
            self.pick_household(|b, hh| hh.members.iter().any(|(p, _)| age(b.person(*p)) >= 18))
        else {
            return false;
        };
        self.used[h] = true;
        let households = self.households;
        let hh = &households[h];
        let adults: Vec<usize> = hh
            .members
            .iter()
            .map(|(p, _)| *p)
            .filter(|&p| age(self.person(p)) >= 18)
            .collect();
        let member = *pick(&mut self.world.rng, &adults);
        let m = self.person(member).clone();
        let (lo, hi) = staff_ages(false);
        let staff_age = loop {
            let a = self.rng().random_range(lo..=hi);
            if a != age(&m) {
                break a;
            }
        };
        let place = self.random_place(m.place.county, 0.3);
        let s = self.new_person(m.name.clone(), m.male, staff_age, place, m.pattern);
        let post = self.any_post(&place);
        let staff = self.add_staff(s, post, false);
        self.own_hu(s, place.hukou_address(), None, None);
        self.count("namesake_staff");
        self.pair(staff, member, h, "", PairKind::Namesake, false);
        true
    }

    /// A staff member with a recipient household's surname living in the same village, at
    /// an address written as the household's but naming another house.
    fn neighbour(&mut self) -> bool {
        let Some(h) = self.pick_household(|b, hh| {
            house_precise(hh) && !b.person(hh.head()).name.surname().is_empty()
        }) else {
            return false;
        };
        let households = self.households;
        let hh = &households[h];
        let Some(style) = style_of(hh) else {
            return false;
        };
        let key = address_key(&hh.address);
        let mut found = None;
        for _ in 0..8 {
            let rng = &mut self.world.rng;
            let p = self.world.tables.geo.neighbour(rng, &hh.place);
            let address = p.address(style);
            if address_key(&address) != key {
                found = Some((p, address));
                break;
            }
        }
        let Some((place, address)) = found else {
            return false;
        };
        self.used[h] = true;
        let head = self.person(hh.head()).clone();
        let surname = head.name.surname().to_string();
        let (lo, hi) = staff_ages(false);
        let staff_age = self.rng().random_range(lo..=hi);
        let male = self.rng().random_bool(0.6);
        let name = self.name(
            head.pattern,
            male,
            AGE_YEAR - staff_age,
            Some(&surname),
            None,
        );
        let s = self.new_person(name, male, staff_age, place, head.pattern);
        let post = if self.rng().random_bool(0.5) {
            post(&mut self.world.rng, Level::Village, &place)
        } else {
            self.any_post(&place)
        };
        let staff = self.add_staff(s, post, false);
        self.own_hu(s, address, None, None);
        self.count("neighbour_staff");
        for &(member, _) in &hh.members {
            if self.person(member).name.surname() == surname {
                self.pair(staff, member, h, "", PairKind::Neighbour, false);
            }
        }
        true
    }

    /// Anyone else on the roster.
    fn ordinary(&mut self) {
        let county = self.world.tables.geo.county(&mut self.world.rng);
        let level = weighted(&mut self.world.rng, &LEVELS);
        let urban_share = if level == Level::Village { 0.2 } else { 0.6 };
        let place = self.random_place(county, urban_share);
        let left = self.rng().random_bool(ORDINARY_LEFT);
        let (lo, hi) = staff_ages(left);
        let staff_age = self.rng().random_range(lo..=hi);
        let male = self.rng().random_bool(0.6);
        let pattern = self.world.pattern_for(county);
        let name = self.name(pattern, male, AGE_YEAR - staff_age, None, None);
        let s = self.new_person(name, male, staff_age, place, pattern);
        let post = post(&mut self.world.rng, level, &place);
        self.add_staff(s, post, left);
        self.own_hu(s, place.hukou_address(), None, None);
    }

    /// A register row for a parent of staff member `staff` who is in no current household.
    fn gone(&mut self, staff: usize) {
        if self.households.is_empty() {
            return;
        }
        let s = self.person(self.staff[staff].person).clone();
        let male = self.rng().random_bool(0.5);
        let gap = self.rng().random_range(20..=32);
        let parent_age = (age(&s) + gap).min(95);
        let surname = male.then(|| s.name.surname().to_string());
        let name = self.name(
            s.pattern,
            male,
            AGE_YEAR - parent_age,
            surname.as_deref(),
            None,
        );
        let r = self.new_person(name, male, parent_age, s.place, s.pattern);
        let n = self.households.len();
        let h = self.rng().random_range(0..n);
        let start = self.staff[staff].start;
        let date = between(&mut self.world.rng, start, check_date() - Days::new(1));
        self.register.push(RegisterRow {
            recipient: r,
            cert: self.households[h].id.clone(),
            staff,
            relation: "父母",
            date,
            stale: Some("recipient_gone"),
        });
    }
}

/// Generates the chunk's staff, register and registration households and renders them.
/// Must run after everything else of the chunk has drawn from `world.rng` and allocated IDs.
pub(crate) fn generate(
    world: &mut ChunkWorld<'_>,
    households: &[Household],
    households_per_staff: f64,
    rates: &DefectRates,
) -> ChunkRelatives {
    let n = households.len();
    let mut b = Builder {
        world,
        households,
        used: vec![false; n],
        absorbed: vec![false; n],
        extra: vec![Vec::new(); n],
        staff: Vec::new(),
        pairs: Vec::new(),
        register: Vec::new(),
        hus: Vec::new(),
        counts: BTreeMap::new(),
    };
    let staff_count = if households_per_staff > 0.0 {
        stochastic_round(&mut b.world.rng, n as f64 / households_per_staff)
    } else {
        0
    };
    for _ in 0..staff_count {
        let u: f64 = b.rng().random();
        let mut edge = SELF_SHARE;
        let made = if u < edge {
            b.self_staff()
        } else if u < {
            edge += RELATIVE_SHARE;
            edge
        } {
            b.relative_staff()
        } else if u < {
            edge += NAMESAKE_SHARE;
            edge
        } {
            b.namesake()
        } else if u < {
            edge += NEIGHBOUR_SHARE;
            edge
        } {
            b.neighbour()
        } else {
            false
        };
        if !made {
            b.ordinary();
        }
        let last = b.staff.len() - 1;
        let is_recipient = b.person(b.staff[last].person).household.is_some();
        if !is_recipient && b.staff[last].in_office() && b.rng().random_bool(GONE_SHARE) {
            b.gone(last);
        }
    }
    render::render(b, rates)
}
