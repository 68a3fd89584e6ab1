//! How often a non-member's identity number lands near a *member's* number.
//!
//! A broken number (its check fails) is blocked against the valid numbers one edit away, so
//! a repaired level's u is the chance that a random member is among those neighbours when
//! the owner is someone else. That depends on how densely the roster fills the number space
//! near the numbers departments hold: a prefecture's members are a sixth of its people,
//! everyone born on one day in one county shares the first 14 digits, and a vehicle owner
//! from another province has no member near him at all. It is measured on the run's own
//! data: one random slip is made in each of a sample of the department's valid numbers that
//! no member holds, and the members among the broken number's valid neighbours are counted,
//! apart for slips that touch the sequence and check digits (where a cohort-mate's number
//! lands) and those that do not. The same sample counts the members who share a number's
//! area, birth date and sex: the cohort a broken number's intact digits point into.

use hedui_core::resident_id::{ResidentId, one_edit_neighbours};

use crate::compare::{Slip, slip};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Slips made per department: a rate at the floor below is still some 250 hits.
pub(crate) const SLIPS: usize = 50_000;

/// With fewer measurable slips than this the sample says too little, and the rate set by
/// reasoning is kept: a broken number has about ten valid neighbours, about one in a
/// hundred of them a real person's.
const MIN_SLIPS: usize = 1_000;
/// Distinct numbers the slips must be spread over, for the same reason.
const MIN_NUMBERS: usize = 500;
pub(crate) const REASONED_HITS: f64 = 0.1;

/// The fewest hits per slip the measurement may claim. Structure a sample does not show,
/// such as twins (one birth date, neighbouring sequence numbers) or a household whose
/// members were registered one after another, still puts some members next to
/// non-members' numbers: the one-edit weight is never more than about four bits stronger
/// than the reasoned one. It is spread over the two kinds of slip by the positions each
/// covers (4 of 18 touch the sequence or check).
const MIN_HITS: f64 = 0.005;
/// The fewest members a non-member's cohort (area, birth date, sex) may be taken to hold:
/// a county-day has dozens of births, and the sample may miss the crowded ones.
const MIN_COHORT: f64 = 0.05;

/// Members near a non-member's number, per slip or per number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FalseHits {
    /// Members one slip from a broken number outside its sequence and check digits.
    pub elsewhere: f64,
    /// Members one slip from it in the sequence or check digits.
    pub sequence: f64,
    /// Members of the same area, birth date and sex.
    pub cohort: f64,
}

impl FalseHits {
    /// The rates set by reasoning, for a sample too small to measure.
    pub(crate) fn reasoned() -> Self {
        Self {
            elsewhere: REASONED_HITS * 14.0 / 18.0,
            sequence: REASONED_HITS * 4.0 / 18.0,
            cohort: 1.0,
        }
    }
}

/// How many members share each cohort: area code, birth date and sex, the part of a number
/// that everyone born on one day in one county has in common.
#[derive(Debug, Default)]
pub(crate) struct Cohorts {
    members: FxHashMap<u64, u32>,
}

impl Cohorts {
    pub(crate) fn build<'a>(numbers: impl Iterator<Item = &'a ResidentId>) -> Self {
        let mut members: FxHashMap<u64, u32> = FxHashMap::default();
        for number in numbers {
            *members.entry(cohort_key(number)).or_default() += 1;
        }
        Self { members }
    }

    /// Members in `number`'s cohort (`number` itself included if it is a member's).
    pub(crate) fn members_like(&self, number: &ResidentId) -> u32 {
        self.members.get(&cohort_key(number)).copied().unwrap_or(0)
    }
}

/// A cohort's key: the first 14 digits and the parity of the sex digit.
fn cohort_key(number: &ResidentId) -> u64 {
    let text = number.as_str().as_bytes();
    let sex = text.get(16).map_or(0, |d| d % 2);
    crate::blocking::key((text.get(..14), sex))
}

/// Members per slip of a non-member's number, measured with `slips` slips (see [`SLIPS`])
/// on `numbers` (valid numbers the department holds, in content order) against `members`
/// (whether a number is a member's), and members per cohort by `cohort_members` (how many
/// members share a number's area, birth date and sex).
pub(crate) fn false_hits_per_slip(
    numbers: &[ResidentId],
    is_member: impl Fn(&ResidentId) -> bool + Sync,
    cohort_members: impl Fn(&ResidentId) -> u32 + Sync,
    slips: usize,
    seed: u64,
) -> FalseHits {
    let outside: Vec<&ResidentId> = numbers.iter().filter(|n| !is_member(n)).collect();
    if outside.len() < MIN_NUMBERS {
        return FalseHits::reasoned();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x51_1B5);
    let slips: Vec<(usize, usize, u8)> = (0..slips)
        .map(|_| {
            let number = rng.random_range(0..outside.len());
            let position = rng.random_range(0..18);
            let choices: &[u8] = if position == 17 {
                b"0123456789X"
            } else {
                b"0123456789"
            };
            (
                number,
                position,
                choices[rng.random_range(0..choices.len())],
            )
        })
        .collect();
    let (measured, elsewhere, sequence, cohort) = slips
        .par_iter()
        .filter_map(|&(number, position, typed)| {
            let original = outside[number];
            let cohort = u64::from(cohort_members(original));
            let mut text = *original.as_str().as_bytes().first_chunk::<18>()?;
            if text[position] == typed {
                return None;
            }
            text[position] = typed;
            let broken = std::str::from_utf8(&text).ok()?;
            // A slip the check lets through is another valid number, not a broken one.
            if ResidentId::parse(broken).is_ok() {
                return None;
            }
            let (mut elsewhere, mut sequence) = (0u64, 0u64);
            for n in one_edit_neighbours(broken) {
                if n == *original || !is_member(&n) {
                    continue;
                }
                // The level such a pair gets is set by where the broken number and the
                // member's differ, not by where the slip was made.
                match slip(broken, n.as_str()) {
                    Some(Slip::Sequence) => sequence += 1,
                    Some(Slip::Elsewhere) | None => elsewhere += 1,
                }
            }
            Some((1u64, elsewhere, sequence, cohort))
        })
        .reduce(
            || (0, 0, 0, 0),
            |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2, a.3 + b.3),
        );
    if measured < MIN_SLIPS as u64 {
        return FalseHits::reasoned();
    }
    let per = |hits: u64| hits as f64 / measured as f64;
    FalseHits {
        elsewhere: per(elsewhere).clamp(MIN_HITS * 14.0 / 18.0, 1.0),
        sequence: per(sequence).clamp(MIN_HITS * 4.0 / 18.0, 1.0),
        cohort: per(cohort).max(MIN_COHORT),
    }
}

#[cfg(test)]
mod tests {
    use rustc_hash::FxHashSet;

    use super::*;

    fn id(body: &str) -> ResidentId {
        let body: [u8; 17] = *body.as_bytes().first_chunk().unwrap();
        ResidentId::from_body(&body).unwrap()
    }

    /// Numbers of one county and birth date, with every sequence number from `from`.
    fn neighbours_of_day(from: u32, count: u32) -> Vec<ResidentId> {
        (from..from + count)
            .map(|s| id(&format!("53250119800101{s:03}")))
            .collect()
    }

    fn measure(numbers: &[ResidentId], members: &FxHashSet<ResidentId>) -> FalseHits {
        let cohorts = Cohorts::build(members.iter());
        false_hits_per_slip(
            numbers,
            |n| members.contains(n),
            |n| cohorts.members_like(n),
            4_000,
            7,
        )
    }

    #[test]
    fn members_far_from_every_number_are_never_hit_but_the_rate_has_a_floor() {
        let numbers = neighbours_of_day(0, 1000);
        let members: FxHashSet<ResidentId> = [id("53253019550922293")].into_iter().collect();
        let hits = measure(&numbers, &members);
        assert_eq!(hits.elsewhere, MIN_HITS * 14.0 / 18.0);
        assert_eq!(hits.sequence, MIN_HITS * 4.0 / 18.0);
        assert_eq!(hits.cohort, MIN_COHORT);
    }

    #[test]
    fn members_of_the_same_day_are_hit_through_the_sequence_digits() {
        // Half the sequence numbers of the day, of either sex, are members': a slip in a
        // non-member's sequence digits often lands next to one, and that is where the hits
        // are.
        let all = neighbours_of_day(0, 1000);
        let members: FxHashSet<ResidentId> = all
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 4 < 2)
            .map(|(_, n)| *n)
            .collect();
        let hits = measure(&all, &members);
        assert!(hits.sequence > REASONED_HITS, "{hits:?}");
        assert!(hits.sequence > 10.0 * hits.elsewhere, "{hits:?}");
        // Every non-member of the day shares it with 250 members of its own sex.
        assert!((hits.cohort - 250.0).abs() < 1.0, "{hits:?}");
        // The same, measured twice, is the same.
        assert_eq!(hits, measure(&all, &members));
    }

    #[test]
    fn too_few_numbers_keep_the_reasoned_rate() {
        let members: FxHashSet<ResidentId> = FxHashSet::default();
        assert_eq!(measure(&[], &members), FalseHits::reasoned());
        let few = neighbours_of_day(0, 400);
        assert_eq!(measure(&few, &members), FalseHits::reasoned());
    }
}
