//! Household aggregation: which active records each household holds, and how surely.
//!
//! An asset counts for a household when any current member (anyone on the roster) holds
//! it, including as a co-owner. Relatives in other households never count here: their links
//! point to their own member rows, which carry their own household id.

use chrono::NaiveDate;
use hedui_core::{AssetRecord, Department, Member};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::activity::{Activity, StatusReading, activity_read};
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
    /// Every link to a member in scope as (record, member, review, owner), sorted: the
    /// relatives rules read who is who from records that are no holdings (rosters,
    /// registers, registration rows).
    pub links: Vec<(usize, usize, bool, usize)>,
    pub check_date: NaiveDate,
    /// Built on first use by the rules that need it.
    kin: std::sync::OnceLock<crate::kin::Kin>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(
        policy: &'a Policy,
        check_date: NaiveDate,
        members: &'a [Member],
        assets: &'a [AssetRecord],
        links: &[LinkRef],
    ) -> Self {
        // (members, in scope) per household. Counted in parallel: reading a prefecture's
        // roster is a cache miss per member, and the rules wait for this.
        let households: FxHashMap<&str, (usize, bool)> = members
            .par_iter()
            .fold(FxHashMap::default, |mut households, m| {
                let (size, in_scope) = households.entry(&*m.household_id).or_default();
                *size += 1;
                // A member whose address names no county keeps the household in scope: the
                // roster is the centre's own, and an address that did not parse is no
                // reason to leave a family unchecked. Whatever is found is still reviewed
                // by a person.
                *in_scope |= m
                    .address
                    .county
                    .is_none_or(|c| policy.covers_county(c.code));
                households
            })
            .reduce(FxHashMap::default, |mut a, b| {
                for (household, (size, in_scope)) in b {
                    let (s, i) = a.entry(household).or_default();
                    *s += size;
                    *i |= in_scope;
                }
                a
            });
        // Per (record, member): plain if any link is plain, and the first owner position.
        let mut links_in_scope: Vec<(usize, usize, bool, usize)> = links
            .par_iter()
            .filter_map(|link| {
                // Indices come from another stage; a bad one is skipped, never a panic.
                assets.get(link.record)?;
                let member = members.get(link.member)?;
                households
                    .get(&*member.household_id)
                    .is_some_and(|&(_, in_scope)| in_scope)
                    .then_some((link.record, link.member, link.review, link.owner))
            })
            .collect();
        links_in_scope.par_sort_unstable();
        let all_links = links_in_scope.clone();
        let best: Vec<(usize, usize, bool, usize)> = links_in_scope
            .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
            .map(|same| {
                let review = same.iter().all(|l| l.2);
                let owner = same.iter().map(|l| l.3).min().unwrap_or(0);
                (same[0].0, same[0].1, review, owner)
            })
            .collect();
        // Each distinct status cell is read once: a prefecture's millions of links share a
        // few hundred cells, and reading one is most of an activity's cost.
        let cell_of = |record: &'a AssetRecord| (record.department(), &*record.statuses);
        let cells: Vec<(Department, &[Box<str>])> = best
            .par_iter()
            .filter_map(|&(record, ..)| assets.get(record).map(cell_of))
            .fold(FxHashSet::default, |mut cells, cell| {
                cells.insert(cell);
                cells
            })
            .reduce(FxHashSet::default, |mut a, b| {
                a.extend(b);
                a
            })
            .into_iter()
            .collect();
        let readings: FxHashMap<(Department, &[Box<str>]), StatusReading> = cells
            .into_par_iter()
            .filter_map(|(department, statuses)| {
                // No vocabulary means no rule of the department is enabled.
                let vocabulary = policy.status.of(department)?;
                Some((
                    (department, statuses),
                    StatusReading::of(statuses, vocabulary),
                ))
            })
            .collect();
        let holdings = best
            .into_par_iter()
            .filter_map(|(record, member, review, owner)| {
                let record_ref = assets.get(record)?;
                let reading = readings.get(&cell_of(record_ref))?;
                let activity = activity_read(
                    reading,
                    record_ref.registered_on,
                    record_ref.status_changed_on,
                    check_date,
                );
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
            links: all_links,
            check_date,
            kin: std::sync::OnceLock::new(),
        }
    }

    /// Who the staff are and which members are their relatives (see [`crate::kin`]).
    pub(crate) fn kin(&self) -> &crate::kin::Kin {
        self.kin.get_or_init(|| crate::kin::Kin::build(self))
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
