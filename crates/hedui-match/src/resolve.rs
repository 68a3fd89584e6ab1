//! Bands and one-to-one discipline for one owner's candidates.

use crate::blocking::Rule;
use crate::compare::Levels;
use crate::config::MatchConfig;
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
) -> Vec<Link> {
    let mut scored: Vec<(f64, u32, u8, Levels)> = pairs
        .iter()
        .map(|&(m, rules, levels)| (scorer.weight(&levels, features, m), m, rules, levels))
        .filter(|(w, ..)| probability(*w) >= config.review_threshold)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let Some(&(best_weight, ..)) = scored.first() else {
        return Vec::new();
    };
    let runner_up = scored.get(1).map(|s| s.0);
    let clear = runner_up.is_none_or(|w| best_weight - w >= config.margin_bits);
    let best_is_link = probability(best_weight) >= config.link_threshold;

    let keep = if clear { 1 } else { scored.len() };
    scored
        .into_iter()
        .take(keep)
        .map(|(weight, member, rules, levels)| {
            let (band, note) = match (best_is_link, clear) {
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
                (false, _) => (
                    Band::Review,
                    Some("match probability below the link threshold".to_owned()),
                ),
            };
            Link {
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
            }
        })
        .collect()
}
