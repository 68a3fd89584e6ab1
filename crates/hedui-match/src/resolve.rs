//! Bands and one-to-one discipline for one owner's candidates, and the check across owners
//! for links that rest on a name alone.

use std::collections::BTreeSet;

use rustc_hash::FxHashMap;

use hedui_core::record::{AssetRecord, Department};

use crate::blocking::Rule;
use crate::compare::{AddressLevel, Field, IdLevel, Levels};
use crate::config::MatchConfig;
use crate::histogram::ScoreTally;
use crate::prepare::OwnerFeatures;
use crate::score::{Scorer, probability};
use crate::{Band, Link};

/// Keeps at most one link per owner. Candidates are ranked by weight (then member index, so
/// ties are deterministic). The best is a link only if it clears the link threshold and
/// leads every other reviewable candidate by `margin_bits`; otherwise every reviewable
/// candidate goes to review, each saying why.
pub(crate) fn resolve_owner(
    record: usize,
    owner: usize,
    features: &OwnerFeatures,
    pairs: &[(u32, u8, Levels)],
    scorer: &Scorer<'_>,
    config: &MatchConfig,
    tally: Option<&ScoreTally>,
) -> Vec<Link> {
    let mut scored: Vec<(f64, u32, u8, Levels)> = pairs
        .iter()
        .map(|&(m, rules, levels)| {
            let weight = scorer.weight(&levels, features, m);
            if let Some(tally) = tally {
                tally.add(weight);
            }
            (weight, m, rules, levels)
        })
        .filter(|(w, _, _, levels)| {
            repair(levels) != Repair::Excluded
                && (probability(*w) >= config.review_threshold || number_and_name(levels))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let Some(&(best_weight, ..)) = scored.first() else {
        return Vec::new();
    };
    let link = |(weight, member, rules, levels): (f64, u32, u8, Levels), band, note| Link {
        record,
        owner,
        member: member as usize,
        band,
        weight,
        probability: probability(weight),
        levels,
        rules: Rule::names(rules),
        waterfall: scorer.waterfall(&levels, features, member),
        note,
    };
    // One number on several members is one person on several households' rosters: the
    // record is theirs in each, and the double enrolment is for a person to sort out, so
    // none of them wins on a better address.
    let exact_number = |s: &(f64, u32, u8, Levels)| s.3.label(Field::Id) == "exact";
    if scored.iter().filter(|s| exact_number(s)).count() > 1 {
        let note = "the roster lists this identity number in more than one household";
        return scored
            .into_iter()
            .filter(exact_number)
            .map(|s| link(s, Band::Review, Some(note.to_owned())))
            .collect();
    }
    let runner_up = scored.get(1).map(|s| s.0);
    let clear = runner_up.is_none_or(|w| best_weight - w >= config.margin_bits);
    let best_is_link = probability(best_weight) >= config.link_threshold;

    let keep = if clear { 1 } else { scored.len() };
    scored
        .into_iter()
        .take(keep)
        .map(|s| {
            let (weight, levels) = (s.0, s.3);
            let held = match repair(&levels) {
                Repair::Review(why) => Some(why),
                Repair::Carried | Repair::Excluded => None,
            };
            let (band, note) = match (best_is_link, clear) {
                (true, true) if held.is_some() => (Band::Review, held.map(str::to_owned)),
                (true, true) if number_without_name(&levels) => (
                    Band::Review,
                    Some(
                        "the identity number agrees but the name is a different one: a \
                         number entered for the wrong person, or a wrong name"
                            .to_owned(),
                    ),
                ),
                (true, true) => (Band::Link, None),
                (true, false) => (
                    Band::Review,
                    Some(format!(
                        "another member scores within {} bits for the same owner",
                        config.margin_bits
                    )),
                ),
                (false, _) if probability(weight) >= config.link_threshold => (
                    Band::Review,
                    Some("competing candidates for the same owner".to_owned()),
                ),
                (false, _) if probability(weight) < config.review_threshold => (
                    Band::Review,
                    Some(
                        "the identity number and the name agree, but the rest of the record \
                         speaks against this member (address, age, household); kept for a \
                         person to decide"
                            .to_owned(),
                    ),
                ),
                (false, _) => (
                    Band::Review,
                    Some("match probability below the link threshold".to_owned()),
                ),
            };
            link(s, band, note)
        })
        .collect()
}

/// What the rest of a record says of a pair whose identity number had to be repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repair {
    /// Not repaired, or carried by the rest: weighed as any pair.
    Carried,
    /// At most a review item, for the reason given.
    Review(&'static str),
    /// Not a pair at all: the repair points at the member and everything else at someone
    /// else.
    Excluded,
}

/// A repair says which member a number was *probably* meant for; a namesake or twin born
/// the same day in the same county, or a stranger whose own number slipped, reaches the
/// same repair. So:
///
/// - a repaired number under a name that differs outright (not a variant) is another
///   person, and is no pair;
/// - a repair a cohort-mate can reach (sequence or check digits, 15 digits, area and birth
///   only) under a near spelling of the name (not a homophone, traditional form or
///   placeholder) is a twin's far more often than a slip in the number *and* the name on
///   one row: no pair; under a homophone, review;
/// - a 15-digit number has no check, so its slip needs the same village or house, or a
///   co-owner from the household, beyond name and birth: else review;
/// - any other cohort-shared repair needs the member's own village or a co-owner from the
///   household: a namesake born the same day lives anywhere in the county, often in the
///   member's township: else review.
fn repair(levels: &Levels) -> Repair {
    let id = IdLevel::of(levels);
    if !id.is_repaired() {
        return Repair::Carried;
    }
    let name = levels.label(Field::Name);
    if matches!(name, "different" | "missing") {
        return Repair::Excluded;
    }
    if !id.cohort_shared() || levels.label(Field::Household) == "co_owner_in_household" {
        return Repair::Carried;
    }
    if matches!(name, "jaro_winkler_high" | "jaro_winkler_mid") {
        return Repair::Excluded;
    }
    if name == "homophone" {
        return Repair::Review(
            "the number was repaired in digits a twin or a namesake of the same birth day \
             would differ in, and the name only sounds the same",
        );
    }
    let address = AddressLevel::of(levels);
    if id == IdLevel::LegacyOneEdit && !address.same_village() {
        return Repair::Review(
            "a 15-digit number has no check character: its slip is corroborated only by the \
             same village or house, or a co-owner from the household",
        );
    }
    if !address.same_village() {
        return Repair::Review(
            "the number was repaired in digits a namesake born the same day in the same \
             county would differ in, and the address is not the member's village",
        );
    }
    Repair::Carried
}

/// An exact identity number under a name that is neither the member's nor a variant of it
/// (homophone, traditional form, placeholder, near spelling). The number outweighs the name
/// in bits, but the two disagree on who this is, and deciding that is a person's job.
fn number_without_name(levels: &Levels) -> bool {
    levels.label(Field::Id) == "exact" && levels.label(Field::Name) == "different"
}

/// An exact identity number under the member's name or a variant of it. Soft evidence
/// (address, role, age at registration, co-owners) is learned field by field as if
/// independent, and on a child's inherited title or an old address several penalties that
/// go together add up to more than the number and name. They may make such a pair
/// uncertain, never nothing: it is always reviewable.
fn number_and_name(levels: &Levels) -> bool {
    levels.label(Field::Id) == "exact"
        && !matches!(levels.label(Field::Name), "different" | "missing")
}

/// Sends to review the links that make one household, on name and place alone, the
/// holder of several records of one department.
///
/// Each such link is scored as if it were the only one. But a rural household holds one
/// homestead (一户一宅), and two old titles found in the same group for the head's name and
/// the spouse's, or twice for one name, are far more often a namesake's and the household's
/// than both the household's. It is also exactly the pattern that makes a household look
/// like it holds "too many homes", so a namesake would turn into a disqualification. Links
/// with an identity number, or with a co-owner from the member's household, are left
/// alone: they do not rest on the name. `household_of` maps a member to its household.
pub(crate) fn demote_namesake_links(
    links: &mut [Link],
    assets: &[AssetRecord],
    household_of: impl Fn(usize) -> Option<u32>,
) {
    let mut by_household: FxHashMap<(u32, Department), Vec<usize>> = FxHashMap::default();
    for (i, link) in links.iter().enumerate() {
        let rests_on_name = link.band == Band::Link
            && link.levels.label(Field::Id) == "missing"
            && !link.co_owner_in_household();
        let household = household_of(link.member);
        if let (true, Some(asset), Some(household)) =
            (rests_on_name, assets.get(link.record), household)
        {
            by_household
                .entry((household, asset.department()))
                .or_default()
                .push(i);
        }
    }
    for indices in by_household.into_values() {
        let keys: BTreeSet<&str> = indices
            .iter()
            .filter_map(|&i| assets.get(links[i].record))
            .map(|a| &*a.record_key)
            .collect();
        if keys.len() < 2 {
            continue;
        }
        let note = format!(
            "the household is linked without an identity number to {} records of this \
             department; a namesake may hold some of them",
            keys.len()
        );
        for i in indices {
            links[i].band = Band::Review;
            links[i].note = Some(note.clone());
        }
    }
}

#[cfg(test)]
mod tests;
