//! Household aggregation: which active records each household holds, and how surely.
//!
//! An asset counts for a household when any current member (anyone on the roster) holds
//! it, including as a co-owner. Relatives in other households never count here: their links
//! point to their own member rows, which carry their own household id.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use hedui_core::{AssetRecord, Member};
use rustc_hash::FxHashMap;

use crate::activity::{Activity, activity};
use crate::candidate::LinkRef;
use crate::policy::Policy;

/// One member's hold on one active record, after deduplication.
#[derive(Debug, Clone)]
pub(crate) struct Holding {
    pub record: usize,
    pub owner: usize,
    pub member: usize,
    /// Every link between this record and this member was in the review band.
    pub review: bool,
    pub activity: Activity,
}

/// What the rules see: the inputs, the households in scope and their active holdings.
#[derive(Debug)]
pub(crate) struct Context<'a> {
    pub policy: &'a Policy,
    pub members: &'a [Member],
    pub assets: &'a [AssetRecord],
    /// Roster members per household, for per-capita limits. Only looked up, so hashed:
    /// an ordered map compared household ids byte by byte for each of a prefecture's
    /// members.
    pub sizes: FxHashMap<&'a str, usize>,
    /// Sorted by record, then member.
    pub holdings: Vec<Holding>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        policy: &'a Policy,
        check_date: NaiveDate,
        members: &'a [Member],
        assets: &'a [AssetRecord],
        links: &[LinkRef],
    ) -> Self {
        // (members, in scope) per household.
        let mut households: FxHashMap<&str, (usize, bool)> = FxHashMap::default();
        for m in members {
            let (size, in_scope) = households.entry(&*m.household_id).or_default();
            *size += 1;
            // A member whose address names no county keeps the household in scope: the
            // roster is the centre's own, and an address that did not parse is no reason to
            // leave a family unchecked. Whatever is found is still reviewed by a person.
            let covered = m
                .address
                .county
                .is_none_or(|c| policy.covers_county(c.code));
            *in_scope |= covered;
        }
        // Per (record, member): plain if any link is plain, and the first owner position.
        let mut best: BTreeMap<(usize, usize), (bool, usize)> = BTreeMap::new();
        for link in links {
            // Indices come from another stage; a bad one is skipped, never a panic.
            let (Some(_), Some(member)) = (assets.get(link.record), members.get(link.member))
            else {
                continue;
            };
            if !households
                .get(&*member.household_id)
                .is_some_and(|&(_, in_scope)| in_scope)
            {
                continue;
            }
            best.entry((link.record, link.member))
                .and_modify(|(review, owner)| {
                    *review &= link.review;
                    *owner = (*owner).min(link.owner);
                })
                .or_insert((link.review, link.owner));
        }
        let holdings = best
            .into_iter()
            .filter_map(|((record, member), (review, owner))| {
                let record_ref = assets.get(record)?;
                let activity = activity(record_ref, check_date, &policy.inactive_statuses);
                activity.is_active().then_some(Holding {
                    record,
                    owner,
                    member,
                    review,
                    activity,
                })
            })
            .collect();
        Self {
            policy,
            members,
            assets,
            sizes: households
                .into_iter()
                .map(|(household, (size, _))| (household, size))
                .collect(),
            holdings,
        }
    }

    /// The household a holding counts for.
    pub(crate) fn household(&self, h: &Holding) -> &'a str {
        self.members.get(h.member).map_or("", |m| &*m.household_id)
    }

    /// The record a holding is on. Holdings are only made for records that exist.
    pub(crate) fn record(&self, h: &Holding) -> Option<&'a AssetRecord> {
        self.assets.get(h.record)
    }
}
