//! Who the staff are, and which recipient members are their close relatives, on what
//! evidence: the facts the 关系保 rules (`staff_recipient`, `undeclared_relative`,
//! `case_worker_conflict`, `register_stale`) read.
//!
//! Staff, register and registration rows go through matching like any department's, so
//! "this row's person is that member" always comes with a band and a waterfall. Kinship is
//! then read from the rows, never guessed from names alone:
//!
//! - **strong**: the staff member and the member share a 户号 in the registration export,
//!   and the relation follows from both rows' 与户主关系;
//! - **medium**: they share a 户号 but the relation cannot be derived, or they hold one
//!   property title together;
//! - **weak**: same surname and the same house address (village, group and house number),
//!   nothing else; never more than a review candidate.
//!
//! A staff member is known across files by a valid identity number only: a name is shared
//! by too many people to tie a staff row to a registration row.

use chrono::NaiveDate;
use hedui_core::address::Address;
use hedui_core::name::{PersonName, same_pinyin};
use hedui_core::{AssetDetail, AssetRecord, Department, StaffDetail};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::household::Context;

/// How sure the kinship is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Strong,
    Medium,
    Weak,
}

impl Evidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Strong => "strong",
            Self::Medium => "medium",
            Self::Weak => "weak",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::Strong => "强（同一户籍户号，关系可推定）",
            Self::Medium => "中（同一户籍户号或共有不动产）",
            Self::Weak => "弱（仅同姓、同住址）",
        }
    }
}

/// One row of the staff roster.
#[derive(Debug, Clone)]
pub struct StaffRow {
    pub record: usize,
    /// The valid identity number, when the row has one.
    pub id: Option<String>,
    pub name: String,
    pub person: PersonName,
    pub position: String,
    pub unit: String,
    pub township: String,
    pub village: String,
    pub served: Address,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
}

impl StaffRow {
    /// In office on `date`: started by then (or unknown) and not ended before it.
    pub fn in_office(&self, date: NaiveDate) -> bool {
        in_office(self.term_start, self.term_end, date)
    }

    /// "低保专干，建水县岔科镇阿倮村委会，2019-03-01 起".
    pub fn describe(&self) -> String {
        let post = [self.position.as_str(), self.unit.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("，");
        let served = format!("{}{}", self.township, self.village);
        let term = term_text(self.term_start, self.term_end);
        if served.is_empty() {
            format!("{post}，{term}")
        } else {
            format!("{post}，服务{served}，{term}")
        }
    }
}

/// Whether a term covers `date`: started by then (or unknown) and not ended before it.
pub fn in_office(start: Option<NaiveDate>, end: Option<NaiveDate>, date: NaiveDate) -> bool {
    start.is_none_or(|d| d <= date) && end.is_none_or(|d| d >= date)
}

/// A term of office in words: `2019-03-01 至 2024-12-31`, `2019-03-01 起在任`.
pub fn term_text(start: Option<NaiveDate>, end: Option<NaiveDate>) -> String {
    match (start, end) {
        (Some(a), Some(b)) => format!("{a} 至 {b}"),
        (Some(a), None) => format!("{a} 起在任"),
        (None, Some(b)) => format!("至 {b}"),
        (None, None) => "任职日期未填".to_owned(),
    }
}

/// A staff member's close relative among the members, found in the data.
#[derive(Debug, Clone)]
pub struct Relative {
    /// Index into [`Kin::staff`].
    pub staff: usize,
    pub member: usize,
    /// The row linked to the member that shows the kinship (their registration row, the
    /// title they share); `None` for weak evidence, which no row of the member carries.
    pub record: Option<usize>,
    /// That row's link to the member is in the review band.
    pub review: bool,
    pub evidence: Evidence,
    /// What the member is to the staff member (`父母`), or what ties them (`同户`).
    pub relation_zh: String,
    /// Where it was seen, for the evidence.
    pub via: String,
}

/// A register (备案) row and who it names.
#[derive(Debug, Clone)]
pub struct Declaration {
    pub record: usize,
    /// Members the declared recipient links to: (member, review).
    pub members: Vec<(usize, bool)>,
    /// Staff rows whose number is the declared staff member's.
    pub staff: Vec<usize>,
    /// Those, or when the row has no readable number, the staff rows of that name (or a
    /// homophone of it).
    pub named_staff: Vec<usize>,
    pub relation: String,
}

/// Everything the relatives rules read, built once per evaluation.
#[derive(Debug, Default)]
pub struct Kin {
    pub staff: Vec<StaffRow>,
    /// Staff rows whose person is a member: (staff, member, review).
    pub staff_members: Vec<(usize, usize, bool)>,
    /// Relatives found in the data, declared or not, best evidence per (staff, member).
    pub relatives: Vec<Relative>,
    pub declarations: Vec<Declaration>,
    /// (staff, member) pairs the register declares.
    declared: FxHashSet<(usize, usize)>,
}

impl Kin {
    /// Whether the register declares `member` as a relative of `staff`.
    pub fn is_declared(&self, staff: usize, member: usize) -> bool {
        self.declared.contains(&(staff, member))
    }

    pub(crate) fn build(ctx: &Context<'_>) -> Kin {
        let assets = ctx.assets;
        // Links of each (record, owner), from the sorted list.
        let mut links_of: FxHashMap<(usize, usize), Vec<(usize, bool)>> = FxHashMap::default();
        for &(record, member, review, owner) in &ctx.links {
            links_of
                .entry((record, owner))
                .or_default()
                .push((member, review));
        }
        let linked = |record: usize, owner: usize| -> &[(usize, bool)] {
            links_of.get(&(record, owner)).map_or(&[], Vec::as_slice)
        };
        let valid_id = |r: &AssetRecord, owner: usize| -> Option<String> {
            r.owners
                .get(owner)?
                .id
                .valid()
                .map(|id| id.as_str().to_owned())
        };

        let mut kin = Kin::default();
        for (record, r) in assets.iter().enumerate() {
            let AssetDetail::Staff(post) = &r.detail else {
                continue;
            };
            let StaffDetail {
                position,
                unit,
                township,
                village,
                served,
                term_start,
                term_end,
            } = &**post;
            let Some(owner) = r.owners.first() else {
                continue;
            };
            kin.staff.push(StaffRow {
                record,
                id: valid_id(r, 0),
                name: owner.name_raw().trim().to_owned(),
                person: owner.name.clone(),
                position: position.trim().to_owned(),
                unit: unit.trim().to_owned(),
                township: township.trim().to_owned(),
                village: village.trim().to_owned(),
                served: Address::clone(served),
                term_start: *term_start,
                term_end: *term_end,
            });
        }
        let mut staff_by_id: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (i, s) in kin.staff.iter().enumerate() {
            if let Some(id) = &s.id {
                staff_by_id.entry(id.as_str()).or_default().push(i);
            }
        }
        for (i, s) in kin.staff.iter().enumerate() {
            for &(member, review) in linked(s.record, 0) {
                kin.staff_members.push((i, member, review));
            }
        }
        // A staff row's own member rows: never their own relative.
        let themselves: FxHashSet<(usize, usize)> =
            kin.staff_members.iter().map(|&(s, m, _)| (s, m)).collect();
        let member_id =
            |m: usize| -> Option<&str> { ctx.members.get(m)?.id.valid().map(|id| id.as_str()) };
        let is_self = |s: usize, m: usize| {
            themselves.contains(&(s, m))
                || kin.staff[s]
                    .id
                    .as_deref()
                    .is_some_and(|id| member_id(m) == Some(id))
        };

        let mut found: FxHashMap<(usize, usize), Relative> = FxHashMap::default();
        let mut keep = |r: Relative| {
            let key = (r.staff, r.member);
            match found.get(&key) {
                Some(old) if (old.evidence, old.review) <= (r.evidence, r.review) => {}
                _ => {
                    found.insert(key, r);
                }
            }
        };

        // Registration households: who shares a 户号 with a staff member.
        let mut hukou: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (record, r) in assets.iter().enumerate() {
            if let AssetDetail::Hukou { hukou_no, .. } = &r.detail
                && !hukou_no.is_empty()
            {
                hukou.entry(hukou_no).or_default().push(record);
            }
        }
        let relation_of = |record: usize| -> &str {
            match assets.get(record).map(|r| &r.detail) {
                Some(AssetDetail::Hukou { relation, .. }) => relation.trim(),
                _ => "",
            }
        };
        let mut households: Vec<(&&str, &Vec<usize>)> = hukou.iter().collect();
        households.sort();
        for (hukou_no, rows) in households {
            for &staff_row in rows {
                let Some(id) = valid_id(&assets[staff_row], 0) else {
                    continue;
                };
                let Some(staff) = staff_by_id.get(id.as_str()) else {
                    continue;
                };
                for &other in rows {
                    if other == staff_row || valid_id(&assets[other], 0).as_deref() == Some(&id) {
                        continue;
                    }
                    let derived = relation(relation_of(staff_row), relation_of(other));
                    for &s in staff {
                        for &(member, review) in linked(other, 0) {
                            if is_self(s, member) {
                                continue;
                            }
                            let line = assets[other].provenance.line;
                            keep(Relative {
                                staff: s,
                                member,
                                record: Some(other),
                                review,
                                evidence: if derived.is_some() {
                                    Evidence::Strong
                                } else {
                                    Evidence::Medium
                                },
                                relation_zh: derived
                                    .unwrap_or("同户（关系无法从户籍推定）")
                                    .to_owned(),
                                via: format!(
                                    "户籍户号 {hukou_no}：工作人员为「{}」，该成员为「{}」（户籍第 {line} 行）",
                                    relation_of(staff_row),
                                    relation_of(other)
                                ),
                            });
                        }
                    }
                }
            }
        }

        // One property title held together.
        for (record, r) in assets.iter().enumerate() {
            if r.department() != Department::Property || r.owners.len() < 2 {
                continue;
            }
            let staff_owners: Vec<(usize, usize)> = (0..r.owners.len())
                .filter_map(|o| Some((o, valid_id(r, o)?)))
                .flat_map(|(o, id)| {
                    staff_by_id
                        .get(id.as_str())
                        .into_iter()
                        .flatten()
                        .map(move |&s| (o, s))
                })
                .collect();
            for (staff_owner, s) in staff_owners {
                for other in (0..r.owners.len()).filter(|&o| o != staff_owner) {
                    for &(member, review) in linked(record, other) {
                        if is_self(s, member) {
                            continue;
                        }
                        keep(Relative {
                            staff: s,
                            member,
                            record: Some(record),
                            review,
                            evidence: Evidence::Medium,
                            relation_zh: "共有不动产".to_owned(),
                            via: format!("共同持有不动产权证 {}", r.record_key),
                        });
                    }
                }
            }
        }

        // Same surname at the same house: only where the address names the house.
        let mut at_house: FxHashMap<(&str, House<'_>), Vec<usize>> = FxHashMap::default();
        for (m, member) in ctx.members.iter().enumerate() {
            if let Some(h) = house(&member.address) {
                at_house
                    .entry((member.name.surname(), h))
                    .or_default()
                    .push(m);
            }
        }
        // Each staff member's registration rows, by number: looked up once per staff row.
        let mut hukou_rows_of: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for rows in hukou.values() {
            for &h in rows {
                if let Some(id) = assets[h].owners.first().and_then(|o| o.id.valid())
                    && staff_by_id.contains_key(id.as_str())
                {
                    hukou_rows_of.entry(id.as_str()).or_default().push(h);
                }
            }
        }
        for rows in hukou_rows_of.values_mut() {
            rows.sort_unstable();
        }
        for (s, staff) in kin.staff.iter().enumerate() {
            let r = &assets[staff.record];
            // The roster's own address, else the staff member's registration address.
            let own = house(&r.address);
            let registered = staff.id.as_deref().and_then(|id| {
                hukou_rows_of
                    .get(id)
                    .into_iter()
                    .flatten()
                    .find_map(|&h| house(&assets[h].address))
            });
            let Some(h) = own.or(registered) else {
                continue;
            };
            let Some(owner) = r.owners.first() else {
                continue;
            };
            for &member in at_house
                .get(&(owner.name.surname(), h))
                .into_iter()
                .flatten()
            {
                if is_self(s, member) {
                    continue;
                }
                keep(Relative {
                    staff: s,
                    member,
                    record: None,
                    review: true,
                    evidence: Evidence::Weak,
                    relation_zh: "同姓同址".to_owned(),
                    via: "与工作人员同姓，且住址（村、组、门牌）相同".to_owned(),
                });
            }
        }

        // The register: who is declared. A recipient written without a number (or with a
        // broken one) that matching could not place is found by name in the household its
        // certificate number names: the register row is the centre's own, about its own
        // recipients.
        let mut by_household: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
        for (m, member) in ctx.members.iter().enumerate() {
            by_household
                .entry(&member.household_id)
                .or_default()
                .push(m);
        }
        for (record, r) in assets.iter().enumerate() {
            let AssetDetail::Register {
                relation,
                certificate_no,
            } = &r.detail
            else {
                continue;
            };
            let staff: Vec<usize> = valid_id(r, 1)
                .and_then(|id| staff_by_id.get(id.as_str()).cloned())
                .unwrap_or_default();
            let mut members = linked(record, 0).to_vec();
            if members.is_empty()
                && let Some(recipient) = r.owners.first()
            {
                let name = recipient.name.as_str();
                members = by_household
                    .get(&**certificate_no)
                    .into_iter()
                    .flatten()
                    .filter(|&&m| ctx.members[m].name.as_str() == name)
                    .map(|&m| (m, false))
                    .collect();
            }
            // The declaration also covers a staff member it names without a readable number,
            // by name or a homophone of it: it can only take a lead away, never make one.
            let named: Vec<usize> = if staff.is_empty() {
                r.owners.get(1).map_or_else(Vec::new, |o| {
                    kin.staff
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| {
                            s.person.as_str() == o.name.as_str() || same_pinyin(&s.person, &o.name)
                        })
                        .map(|(i, _)| i)
                        .collect()
                })
            } else {
                staff.clone()
            };
            for &s in &named {
                for &(m, _) in &members {
                    kin.declared.insert((s, m));
                }
            }
            kin.declarations.push(Declaration {
                record,
                members,
                named_staff: named,
                staff,
                relation: relation.trim().to_owned(),
            });
        }

        let mut relatives: Vec<Relative> = found.into_values().collect();
        relatives.sort_by_key(|r| (r.staff, r.member));
        kin.relatives = relatives;
        kin
    }
}

/// Which records the 关系保 rules can read: every record but the registration (户籍) rows
/// outside each staff member's registration household.
///
/// A registration export lists every person of the county, about as many rows as the
/// roster and the other exports together; the rules read only the 户号 a staff member is
/// registered in (found by the staff member's valid identity number, as [`Kin`] finds it).
/// Linking the rest to members would cost a third of a prefecture check's time and memory
/// to produce links nothing reads, so they are counted and left out of matching.
#[derive(Debug, Default)]
pub struct ReadRecords {
    /// The 户号 holding a staff member: a few per staff member, owned so that the records
    /// they came from can be moved while the set is in use.
    households: FxHashSet<Box<str>>,
}

impl ReadRecords {
    /// Learns the staff members' 户号 from `records`: every staff and registration row of
    /// the run, in any order and from any number of lists.
    pub fn learn<'a, I>(records: I) -> Self
    where
        I: Iterator<Item = &'a AssetRecord> + Clone,
    {
        let staff: FxHashSet<&str> = records
            .clone()
            .filter(|r| r.department() == Department::Staff)
            .filter_map(|r| valid_id(r).map(|id| id.as_str()))
            .collect();
        // Only registration rows carry a 户号: the department is read before the number is
        // looked up, so the other departments' millions of rows cost no hashing.
        let households = records
            .filter(|r| r.department() == Department::Hukou)
            .filter(|r| valid_id(r).is_some_and(|id| staff.contains(id.as_str())))
            .filter_map(hukou_no)
            .map(Box::from)
            .collect();
        Self { households }
    }

    /// Whether [`ReadRecords::learn`] reads `department`'s records: a caller holding
    /// records by department passes only these, and skips the others' millions of rows.
    pub fn learns_from(department: Department) -> bool {
        matches!(department, Department::Staff | Department::Hukou)
    }

    /// Whether [`ReadRecords::reads`] can be false for a record of `department`.
    pub fn may_leave_out(department: Department) -> bool {
        department == Department::Hukou
    }

    /// Whether a rule can read `record`: true for every record but a registration row of a
    /// household without a staff member.
    pub fn reads(&self, record: &AssetRecord) -> bool {
        match record.department() {
            Department::Hukou => hukou_no(record).is_some_and(|no| self.households.contains(no)),
            _ => true,
        }
    }
}

fn valid_id(r: &AssetRecord) -> Option<&hedui_core::ResidentId> {
    r.owners.first().and_then(|o| o.id.valid())
}

fn hukou_no(r: &AssetRecord) -> Option<&str> {
    match &r.detail {
        AssetDetail::Hukou { hukou_no, .. } if !hukou_no.is_empty() => Some(hukou_no),
        _ => None,
    }
}

/// One flag per record of `assets`: whether a rule can read it ([`ReadRecords`]).
pub fn needed_records(assets: &[AssetRecord]) -> Vec<bool> {
    let read = ReadRecords::learn(assets.iter());
    assets.iter().map(|r| read.reads(r)).collect()
}

/// What a member is to a staff member of the same registration household, from both rows'
/// 与户主关系; `None` when it cannot be told (two in-laws, an unknown word).
pub fn relation(staff: &str, member: &str) -> Option<&'static str> {
    use Role::*;
    let (a, b) = (role(staff)?, role(member)?);
    Some(match (a, b) {
        (Head, Spouse) | (Spouse, Head) => "配偶",
        (Head, Child) | (Spouse, Child) => "子女",
        (Head, Parent) => "父母",
        (Head, Sibling) | (Child, Child) | (Sibling, Sibling) => "兄弟姐妹",
        (Head, ChildInLaw) | (Spouse, ChildInLaw) => "子女配偶",
        (Head, Grandchild) | (Spouse, Grandchild) => "孙子女",
        (Child, Head) | (Child, Spouse) => "父母",
        (Parent, Head) => "子女",
        (Sibling, Head) => "兄弟姐妹",
        (ChildInLaw, Head) | (ChildInLaw, Spouse) => "公婆或岳父母",
        (Grandchild, Head) | (Grandchild, Spouse) => "祖父母",
        (Spouse, Parent) => "公婆或岳父母",
        (Parent, Spouse) => "子女配偶",
        (Child, Grandchild) | (ChildInLaw, Grandchild) => "子女",
        (Grandchild, Child) | (Grandchild, ChildInLaw) => "父母",
        (Parent, Child) => "孙子女",
        (Child, Parent) => "祖父母",
        (Parent, Parent) => "配偶",
        (Child, ChildInLaw) | (ChildInLaw, Child) => "配偶或兄弟姐妹的配偶",
        (Head, Grandparent) => "祖父母",
        (Grandparent, Head) => "孙子女",
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Head,
    Spouse,
    Child,
    Parent,
    Sibling,
    ChildInLaw,
    Grandchild,
    Grandparent,
}

/// The role a 与户主关系 word names; `None` for words that name no close tie.
fn role(word: &str) -> Option<Role> {
    let w = word.trim();
    Some(match w {
        "户主" | "本人" => Role::Head,
        "配偶" | "妻" | "夫" | "妻子" | "丈夫" => Role::Spouse,
        "父亲" | "母亲" | "父母" | "父" | "母" => Role::Parent,
        "儿媳" | "女婿" => Role::ChildInLaw,
        "祖父" | "祖母" | "祖父母" | "外祖父" | "外祖母" => Role::Grandparent,
        "孙子" | "孙女" | "孙子女" | "外孙子" | "外孙女" => Role::Grandchild,
        "兄" | "弟" | "姐" | "妹" | "兄弟" | "姐妹" | "兄弟姐妹" | "哥哥" | "弟弟" | "姐姐"
        | "妹妹" => Role::Sibling,
        "子" | "女" | "儿子" | "女儿" | "长子" | "次子" | "三子" | "四子" | "长女" | "次女"
        | "三女" | "四女" | "独生子" | "独生女" | "养子" | "养女" | "继子" | "继女" | "子女" => {
            Role::Child
        }
        _ => return None,
    })
}

/// A house, where an address names one: county code, township, village, group number and
/// the rest. Its parts, not their text joined: a key per member built with `format!` cost
/// half a G of instructions at 200k, and a joined text let a `|` inside a part make two
/// houses one.
type House<'a> = (&'a str, &'a str, &'a str, Option<u32>, &'a str);

fn house(a: &Address) -> Option<House<'_>> {
    (a.village.is_some() && !a.rest.trim().is_empty()).then(|| {
        (
            a.county.map_or("", |c| c.code),
            a.township.as_deref().unwrap_or(""),
            a.village.as_deref().unwrap_or(""),
            a.group,
            a.rest.trim(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relations_follow_from_both_rows() {
        assert_eq!(relation("户主", "父亲"), Some("父母"));
        assert_eq!(relation("子", "户主"), Some("父母"));
        assert_eq!(relation("长女", "次子"), Some("兄弟姐妹"));
        assert_eq!(relation("户主", "配偶"), Some("配偶"));
        assert_eq!(relation("女婿", "户主"), Some("公婆或岳父母"));
        assert_eq!(relation("儿媳", "女婿"), None);
        assert_eq!(relation("户主", "侄子"), None);
        assert_eq!(relation("户主", "其他"), None);
        assert_eq!(relation("户主", "祖母"), Some("祖父母"));
    }

    #[test]
    fn a_house_is_its_parts_and_needs_a_house_number() {
        let address = Address::parse("建水县临安镇新寨村委会3组12号");
        let key = house(&address).expect("a village address with a number names a house");
        assert_eq!(key.2, "新寨村");
        assert_eq!((key.3, key.4), (Some(3), "12号"));
        assert_eq!(
            house(&Address::parse("建水县临安镇新寨村委会3组12号")),
            Some(key)
        );
        assert_eq!(house(&Address::parse("建水县临安镇新寨村委会")), None);
        // Where a `|` falls inside a part, the parts still tell two houses apart.
        let mut a = address.clone();
        let mut b = address.clone();
        a.township = Some("临安|镇".into());
        a.village = Some("新寨村".into());
        b.township = Some("临安".into());
        b.village = Some("镇|新寨村".into());
        assert_ne!(house(&a), house(&b));
    }
}
