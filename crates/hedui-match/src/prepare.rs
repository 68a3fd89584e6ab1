//! The features both sides are compared on, computed once per record.
//!
//! Members are prepared once per run and reused by every comparison (the "batch comparator
//! that caches one side"); owners are prepared once each. Nothing here allocates per pair.

use chrono::NaiveDate;
use hedui_core::address::Address;
use hedui_core::name::{PersonName, is_han, same_pinyin};

use hedui_core::record::{AssetRecord, Department, IdField, Member, Owner};
use hedui_core::resident_id::{IdDefect, ResidentId, Sex, clean};
use hedui_core::shared::Shared;
use rustc_hash::FxHashMap;

use crate::compare::{Registered, Role};
use crate::group_names::GroupNames;

/// How a department record's identity number can be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdEvidence {
    /// A number that validates (possibly upgraded from 15 digits).
    Valid(ResidentId),
    /// Digits that fail the check, or lack the check character: a likely typo. Holds the
    /// cleaned text for neighbour generation.
    Broken(String),
    /// Nothing usable: empty, mangled, or not an identity number.
    Missing,
}

impl IdEvidence {
    pub fn from_field(id: &IdField) -> Self {
        match &id.parsed {
            Ok(valid) => Self::Valid(*valid),
            Err(
                IdDefect::CheckMismatch { .. }
                | IdDefect::MissingCheckChar
                | IdDefect::ImpossibleBirthDate(_)
                | IdDefect::UnknownArea(_),
            ) => Self::Broken(clean(id.raw())),
            Err(_) => Self::Missing,
        }
    }
}

/// One recipient member as the matcher sees it.
#[derive(Debug, Clone)]
pub struct MemberFeatures {
    pub id: Option<ResidentId>,
    pub name: PersonName,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub address: Shared<Address>,
    pub role: Role,
}

impl MemberFeatures {
    pub fn of(member: &Member) -> Self {
        let id = member.id.valid().copied();
        Self {
            birth_date: id.map(|i| i.birth_date()).or(member.birth_date),
            sex: id.map(|i| i.sex()).or(member.sex),
            id,
            name: member.name.clone(),
            address: member.address.clone(),
            role: Role::from_relation(&member.relation),
        }
    }
}

/// The recipient side of every comparison, prepared once per run.
#[derive(Debug, Default)]
pub struct MemberTable {
    pub features: Vec<MemberFeatures>,
    /// Per member, the index of its household in `households`.
    household_of: Vec<u32>,
    households: Vec<Vec<u32>>,
    /// Natural villages' group numbers, learned from the run's records once the table is
    /// indexed ([`GroupNames::learn`]); comparisons read it to tell whether two addresses
    /// written in different forms name one group.
    pub group_names: GroupNames,
}

impl MemberTable {
    pub fn build(members: &[Member], features: Vec<MemberFeatures>) -> Self {
        Self::grouped(members.iter().map(|m| &*m.household_id), features)
    }

    /// A table whose members belong to the households named in order, one per feature.
    pub fn grouped<'h>(
        household_ids: impl Iterator<Item = &'h str>,
        features: Vec<MemberFeatures>,
    ) -> Self {
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        let mut households: Vec<Vec<u32>> = Vec::new();
        let mut household_of = Vec::with_capacity(features.len());
        for (i, id) in household_ids.enumerate() {
            let h = *index.entry(id).or_insert_with(|| {
                households.push(Vec::new());
                (households.len() - 1) as u32
            });
            households[h as usize].push(i as u32);
            household_of.push(h);
        }
        Self {
            features,
            household_of,
            households,
            group_names: GroupNames::default(),
        }
    }

    /// The index of `member`'s household, shared by every member of it.
    pub fn household_index(&self, member: u32) -> Option<u32> {
        self.household_of.get(member as usize).copied()
    }

    /// Every member of `member`'s household, itself included.
    pub fn housemates(&self, member: u32) -> &[u32] {
        self.household_of
            .get(member as usize)
            .and_then(|&h| self.households.get(h as usize))
            .map_or(&[], Vec::as_slice)
    }

    pub fn len(&self) -> usize {
        self.features.len()
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }
}

/// One owner named on a department record, as the matcher sees it.
#[derive(Debug, Clone)]
pub struct OwnerFeatures {
    pub id: IdEvidence,
    pub name: PersonName,
    /// The raw name contained Han characters that normalisation changed (traditional forms).
    pub name_converted: bool,
    /// From a valid ID, or from the date digits of a broken one when they form a date.
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub address: Shared<Address>,
    /// The other owners named on the same record.
    pub co_owners: Vec<PersonName>,
    pub registered: Option<Registered>,
}

/// What blocking reads of an owner, borrowed from its record. Most owners on an export get
/// no candidate pair, so their full [`OwnerFeatures`] (co-owners, the title's other rows,
/// shared names and addresses) are never built.
#[derive(Debug, Clone)]
pub struct BlockingView<'a> {
    pub id: IdEvidence,
    pub name: &'a PersonName,
    pub birth_date: Option<NaiveDate>,
    pub address: &'a Address,
}

impl<'a> BlockingView<'a> {
    pub fn of(record: &'a AssetRecord, owner: &'a Owner) -> Self {
        let id = IdEvidence::from_field(&owner.id);
        let birth_date = match &id {
            IdEvidence::Valid(valid) => Some(valid.birth_date()),
            IdEvidence::Broken(digits) => birth_from_digits(digits),
            IdEvidence::Missing => None,
        };
        Self {
            id,
            name: &owner.name,
            birth_date,
            address: &record.address,
        }
    }
}

impl OwnerFeatures {
    pub fn of(record: &AssetRecord, owner: &Owner) -> Self {
        Self::from_view(BlockingView::of(record, owner), record, owner)
    }

    /// The full features, from the view blocking already made.
    pub fn from_view(view: BlockingView<'_>, record: &AssetRecord, owner: &Owner) -> Self {
        let BlockingView { id, birth_date, .. } = view;
        let sex = match &id {
            IdEvidence::Valid(valid) => Some(valid.sex()),
            IdEvidence::Broken(digits) => sex_from_digits(digits),
            IdEvidence::Missing => None,
        };
        // A name written as it normalised keeps no raw text, and nothing in it was converted;
        // this runs for every owner of every pair, most of them written plainly.
        let name_converted = owner.raw_name.differs()
            && owner
                .name_raw()
                .chars()
                .any(|c| is_han(c) && !owner.name.as_str().contains(c));
        let co_owners = record
            .owners
            .iter()
            .filter(|o| o.position != owner.position)
            .map(|o| o.name.clone())
            .collect();
        Self {
            id,
            name: owner.name.clone(),
            name_converted,
            birth_date,
            sex,
            address: record.address.clone(),
            co_owners,
            registered: Registered::of(record.registered_on, &record.record_key),
        }
    }

    /// The view blocking takes of these features.
    pub fn view(&self) -> BlockingView<'_> {
        BlockingView {
            id: self.id.clone(),
            name: &self.name,
            birth_date: self.birth_date,
            address: &self.address,
        }
    }

    /// Adds the owners of the title's other rows as co-owners, except repeats of this
    /// owner (a title re-exported with the same holder is not a second person).
    pub fn with_title_co_owners<'o>(mut self, others: impl Iterator<Item = &'o Owner>) -> Self {
        for other in others {
            let repeat = same_pinyin(&other.name, &self.name)
                || self.co_owners.iter().any(|c| same_pinyin(c, &other.name));
            if !repeat && !other.name.is_empty() {
                self.co_owners.push(other.name.clone());
            }
        }
        self
    }
}

/// Property registries often export a title with several owners as one row per owner,
/// each repeating the certificate number. Those rows are one record for the question "who
/// else owns this?", so each owner's co-owners include the owners of the sibling rows.
#[derive(Debug, Default)]
pub struct SharedTitles<'a> {
    rows_by_certificate: FxHashMap<&'a str, Vec<u32>>,
}

impl<'a> SharedTitles<'a> {
    pub fn build(assets: &'a [AssetRecord]) -> Self {
        // Sorted, not mapped: a map of every certificate, most of them on one row, was
        // hundreds of megabytes at province scale and kept its size after the single rows
        // were dropped. Sorting by certificate, then row, keeps each title's rows in order.
        let mut rows: Vec<(&str, u32)> = assets
            .iter()
            .enumerate()
            .filter(|(_, asset)| {
                asset.department() == Department::Property && !asset.record_key.is_empty()
            })
            .map(|(r, asset)| (&*asset.record_key, r as u32))
            .collect();
        rayon::slice::ParallelSliceMut::par_sort_unstable(&mut rows[..]);
        let rows_by_certificate = rows
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|title| title.len() > 1)
            .filter_map(|title| Some((title.first()?.0, title.iter().map(|&(_, r)| r).collect())))
            .collect();
        Self {
            rows_by_certificate,
        }
    }

    /// The owners named on the other rows of record `r`'s title.
    pub fn other_owners<'s>(
        &'s self,
        assets: &'a [AssetRecord],
        r: usize,
    ) -> impl Iterator<Item = &'a Owner> + 's {
        let asset = &assets[r];
        let rows = if asset.department() == Department::Property {
            self.rows_by_certificate.get(&*asset.record_key)
        } else {
            None
        };
        rows.into_iter()
            .flatten()
            .filter(move |&&other| other as usize != r)
            .flat_map(move |&other| assets[other as usize].owners.iter())
    }
}

/// The birth date inside a broken 18- (or 17-) digit number, if those digits are a date.
/// A typo elsewhere in the number leaves them intact, which is what blocking relies on.
pub fn birth_from_digits(digits: &str) -> Option<NaiveDate> {
    let part = digits.get(6..14)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = part[..4].parse().ok()?;
    if !(1900..=2099).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, part[4..6].parse().ok()?, part[6..8].parse().ok()?)
}

fn sex_from_digits(digits: &str) -> Option<Sex> {
    let d = digits.as_bytes().get(16)?;
    d.is_ascii_digit().then(|| {
        if (d - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_in_the_province_digits_is_a_broken_number_not_a_missing_one() {
        let field = IdField::parse("932527193905103343");
        assert!(matches!(
            IdEvidence::from_field(&field),
            IdEvidence::Broken(_)
        ));
        let neighbours = hedui_core::resident_id::one_edit_neighbours("932527193905103343");
        assert!(
            neighbours
                .iter()
                .any(|n| n.as_str() == "532527193905103343")
        );
    }

    #[test]
    fn only_a_name_written_in_other_characters_is_marked_converted() {
        let record = hedui_testkit::Rec::vehicle("云G12345", "小型轿车")
            .owner("陈明")
            .build();
        let converted = |raw: &str| {
            let mut owner = record.owners[0].clone();
            owner.raw_name = hedui_core::record::RawName::new(raw, &owner.name);
            OwnerFeatures::from_view(BlockingView::of(&record, &owner), &record, &owner)
                .name_converted
        };
        assert_eq!(PersonName::normalise("陳明").as_str(), "陈明");
        assert!(converted("陳明"));
        assert!(!converted("陈明"));
        // Written apart, in the same characters: normalised, but nothing converted.
        assert!(!converted("陈 明"));
    }

    #[test]
    fn broken_ids_keep_their_birth_date() {
        assert_eq!(
            birth_from_digits("532522197506180034"),
            NaiveDate::from_ymd_opt(1975, 6, 18)
        );
        assert_eq!(birth_from_digits("53252219751318003"), None);
        assert_eq!(birth_from_digits("5325"), None);
        assert_eq!(sex_from_digits("532522197506180034"), Some(Sex::Male));
    }
}
