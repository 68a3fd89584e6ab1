//! How often a slip in someone's identity number lands one edit from a *member's* number.
//!
//! A broken number (its check fails) is blocked against the valid numbers one edit away, so
//! the one-edit level's u is the chance that a random member is among those neighbours when
//! the owner is someone else. That depends on how densely the roster fills the number space
//! near the numbers departments hold: a prefecture's members are a sixth of its people, and
//! a vehicle owner from another province has no member near him at all. It is measured on
//! the run's own data: one random slip is made in each of a sample of the department's valid
//! numbers that no member holds, and the members among the broken number's valid neighbours
//! are counted. Every hit is a member that a non-member's typo would have been blocked with.

use hedui_core::resident_id::{ResidentId, one_edit_neighbours};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

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
/// than the reasoned one.
const MIN_HITS: f64 = 0.005;

/// Members per slip of a non-member's number, measured with `slips` slips (see [`SLIPS`])
/// on `numbers` (valid numbers the department holds, in content order) against `members`
/// (whether a number is a member's).
pub(crate) fn false_hits_per_slip(
    numbers: &[ResidentId],
    is_member: impl Fn(&ResidentId) -> bool + Sync,
    slips: usize,
    seed: u64,
) -> f64 {
    let outside: Vec<&ResidentId> = numbers.iter().filter(|n| !is_member(n)).collect();
    if outside.len() < MIN_NUMBERS {
        return REASONED_HITS;
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
    let (measured, hits) = slips
        .par_iter()
        .filter_map(|&(number, position, typed)| {
            let original = outside[number];
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
            let hits = one_edit_neighbours(broken)
                .iter()
                .filter(|n| *n != original && is_member(n))
                .count();
            Some((1usize, hits))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    if measured < MIN_SLIPS {
        return REASONED_HITS;
    }
    (hits as f64 / measured as f64).clamp(MIN_HITS, 1.0)
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

    #[test]
    fn members_far_from_every_number_are_never_hit_but_the_rate_has_a_floor() {
        let numbers = neighbours_of_day(0, 1000);
        let members: FxHashSet<ResidentId> = [id("53253019550922293")].into_iter().collect();
        assert_eq!(
            false_hits_per_slip(&numbers, |n| members.contains(n), 4_000, 7),
            MIN_HITS
        );
    }

    #[test]
    fn members_among_the_numbers_neighbours_are_hit() {
        // Every other sequence number of the day is a member's: a slip in a non-member's
        // sequence digits often lands next to one.
        let all = neighbours_of_day(0, 1000);
        let members: FxHashSet<ResidentId> = all.iter().step_by(2).copied().collect();
        let rate = false_hits_per_slip(&all, |n| members.contains(n), 4_000, 7);
        assert!(rate > REASONED_HITS, "{rate}");
        // The same, measured twice, is the same.
        assert_eq!(
            rate,
            false_hits_per_slip(&all, |n| members.contains(n), 4_000, 7)
        );
    }

    #[test]
    fn too_few_numbers_keep_the_reasoned_rate() {
        let members: FxHashSet<ResidentId> = FxHashSet::default();
        assert_eq!(
            false_hits_per_slip(&[], |n| members.contains(n), 4_000, 7),
            REASONED_HITS
        );
        let few = neighbours_of_day(0, 400);
        assert_eq!(
            false_hits_per_slip(&few, |n| members.contains(n), 4_000, 7),
            REASONED_HITS
        );
    }
}
