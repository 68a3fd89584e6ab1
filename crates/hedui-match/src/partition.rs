//! Matching one county at a time: owners are routed to a county, and each pass of matching
//! blocks and compares one county's owners, uses them, and drops their pairs before the
//! next county. Only the pairs are partitioned; the member index, the model and the titles
//! each household holds are computed over every county, so the result is the single run's.
//!
//! Routing: an owner whose identity number is a member's goes to that member's county
//! (people own cars and firms outside their own county); any other owner to the county the
//! record's address names; an owner of a record that names no county to a partition of its
//! own. Which partition an owner lands in changes memory and time, never the result: every
//! owner is matched in exactly one, against every member.

use std::collections::BTreeMap;

use hedui_core::area::County;
use hedui_core::record::{AssetRecord, Member};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::blocking::MemberIndex;
use crate::pairs::Compared;

/// How the owners are split for matching.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Partitioning {
    /// Every owner's pairs at once: the fastest, and the most memory.
    #[default]
    None,
    /// One county's owners at a time: pairs are held for one county only, and compared
    /// again in each of the passes that need them.
    County,
}

impl Partitioning {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::County => "county",
        }
    }
}

impl std::str::FromStr for Partitioning {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "none" => Ok(Self::None),
            "county" => Ok(Self::County),
            other => Err(format!(
                "unknown partitioning {other:?}: expected \"none\" or \"county\""
            )),
        }
    }
}

/// One partition's share of the work, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionSummary {
    /// The county's code, or empty for owners of records that name no county.
    pub county: &'static str,
    pub records: u64,
    pub owners: u64,
    pub pairs_compared: u64,
}

/// Which owners a pass needs; the others' pairs are not formed when a partition is compared
/// afresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subset {
    All,
    /// Owners without an identity number: the only ones the second pass weighs again.
    LackingNumber,
}

/// The owners of each county.
pub(crate) struct Routes {
    /// In county-code order, the partition of records naming no county last.
    pub partitions: Vec<Route>,
    /// Per record, where its owners' partitions start in `of_owner`.
    start: Vec<u32>,
    /// Per owner of every record, in record then owner order: its partition.
    of_owner: Vec<u16>,
}

pub(crate) struct Route {
    pub county: Option<&'static County>,
    /// Records with at least one owner in the partition, ascending.
    pub records: Vec<u32>,
}

impl Routes {
    /// Routes every owner (see the module documentation).
    pub fn by_county(members: &[Member], assets: &[AssetRecord], index: &MemberIndex) -> Self {
        let county_of = |asset: &AssetRecord, owner: &hedui_core::record::Owner| {
            let member_county = owner
                .id
                .valid()
                .and_then(|id| index.members_with_id(id).first())
                .and_then(|&m| members.get(m as usize))
                .and_then(|m| m.address.county);
            member_county.or(asset.address.county)
        };
        // One flat list, owner by owner, rather than a list per record: a province has
        // tens of millions of records, and a small allocation each outweighed the routes.
        let counties: Vec<Option<&'static County>> = assets
            .par_iter()
            .flat_map_iter(|a| a.owners.iter().map(move |o| county_of(a, o)))
            .collect();
        // Codes sort the counties; `None` (no county) after every code.
        let key =
            |county: &Option<&'static County>| (county.is_none(), county.map_or("", |c| c.code));
        let mut keys: BTreeMap<(bool, &'static str), Option<&'static County>> = BTreeMap::new();
        for county in &counties {
            keys.entry(key(county)).or_insert(*county);
        }
        let number: BTreeMap<(bool, &'static str), u16> = keys
            .keys()
            .enumerate()
            .map(|(i, k)| (*k, u16::try_from(i).unwrap_or(u16::MAX)))
            .collect();
        // Every county has its number (both come from `counties`); were one missing, any
        // partition would still match the owner exactly once, so the first stands in.
        let of_owner: Vec<u16> = counties
            .par_iter()
            .map(|c| number.get(&key(c)).copied().unwrap_or(0))
            .collect();
        drop(counties);
        let mut partitions: Vec<Route> = keys
            .values()
            .map(|&county| Route {
                county,
                records: Vec::new(),
            })
            .collect();
        let mut start = Vec::with_capacity(assets.len());
        let mut at = 0usize;
        let mut seen: Vec<u16> = Vec::new();
        for (r, asset) in assets.iter().enumerate() {
            start.push(u32::try_from(at).unwrap_or(u32::MAX));
            let owners = of_owner
                .get(at..at + asset.owners.len())
                .unwrap_or_default();
            at += asset.owners.len();
            seen.clear();
            seen.extend_from_slice(owners);
            seen.sort_unstable();
            seen.dedup();
            for &p in &seen {
                if let Some(route) = partitions.get_mut(p as usize) {
                    route.records.push(r as u32);
                }
            }
        }
        Self {
            partitions,
            start,
            of_owner,
        }
    }

    /// Whether owner `owner` of record `record` is in partition `p`.
    pub fn holds(&self, p: usize, record: usize, owner: usize) -> bool {
        self.start
            .get(record)
            .and_then(|&s| self.of_owner.get(s as usize + owner))
            .is_some_and(|&q| q as usize == p)
    }
}

/// The compared owners a pass reads: held once for the whole run, or compared afresh one
/// county at a time.
pub(crate) enum Owners {
    Held(Compared),
    Routed(Routes),
}

impl Owners {
    /// Calls `each` with the compared owners: once with all of them (held), or once per
    /// partition in partition order with its route (routed). A routed partition's pairs
    /// are dropped before the next partition's are formed.
    pub fn each(
        &mut self,
        subset: Subset,
        compare: &impl Fn(&[u32], &(dyn Fn(usize, usize) -> bool + Sync), Subset) -> Compared,
        mut each: impl FnMut(Option<&Route>, &mut Compared),
    ) {
        match self {
            Self::Held(compared) => each(None, compared),
            Self::Routed(routes) => {
                for (p, route) in routes.partitions.iter().enumerate() {
                    let keep = |r: usize, o: usize| routes.holds(p, r, o);
                    let mut compared = compare(&route.records, &keep, subset);
                    tracing::debug!(
                        county = route.county.map_or("", |c| c.code),
                        owners = compared.owners.len(),
                        "partition compared"
                    );
                    each(Some(route), &mut compared);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use hedui_core::record::IdField;
    use hedui_core::resident_id::ResidentId;
    use hedui_testkit::{Mem, Rec};

    use super::*;
    use crate::prepare::{MemberFeatures, MemberTable};

    fn owned(address: Option<&str>, owner: &str, id: &str) -> AssetRecord {
        let mut rec = Rec::vehicle("云G12345", "小型普通客车").owner(owner);
        if let Some(address) = address {
            rec = rec.address(address);
        }
        let mut record = rec.build();
        record.owners[0].id = IdField::parse(id);
        record
    }

    /// A member's number takes its owner to the member's county, wherever the record is
    /// registered; other owners go where the record is, or last when it names no county.
    #[test]
    fn owners_go_to_their_members_county_else_the_records() {
        let id = ResidentId::from_body(b"53252719800101123").unwrap();
        let members = vec![
            Mem::new("H1", "张三")
                .id(id.as_str())
                .address("泸西县旧城镇凉水村委会竹林村民小组")
                .build(),
            Mem::new("H2", "李四").address("个旧市锡城镇").build(),
        ];
        let assets = vec![
            owned(Some("个旧市锡城镇金湖路1号"), "张三", id.as_str()),
            owned(Some("蒙自市文澜镇"), "王五", ""),
            owned(None, "赵六", ""),
        ];
        let features: Vec<MemberFeatures> = members.iter().map(MemberFeatures::of).collect();
        let table = MemberTable::build(&members, features);
        let index = MemberIndex::build(&table.features, 300);
        let routes = Routes::by_county(&members, &assets, &index);
        let counties: Vec<&str> = routes
            .partitions
            .iter()
            .map(|p| p.county.map_or("", |c| c.code))
            .collect();
        // 蒙自 (532503) and 泸西 (532527) in code order, then the record naming no county.
        assert_eq!(counties, ["532503", "532527", ""]);
        let records: Vec<&[u32]> = routes.partitions.iter().map(|p| &p.records[..]).collect();
        assert_eq!(records, [&[1][..], &[0], &[2]]);
        assert!(routes.holds(1, 0, 0) && !routes.holds(0, 0, 0));
        assert!(
            !routes.holds(0, 9, 0) && !routes.holds(0, 1, 3),
            "out of range"
        );
    }
}
