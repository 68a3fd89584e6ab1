//! Names. Levels run from the same normal form, through forms that only differ in script,
//! sound or unreadable characters, to fuzzy similarity of the pinyin.

use hedui_core::name::{PersonName, same_pinyin, wildcard_compatible};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameLevel {
    Exact = 0,
    /// Equal once traditional characters are simplified (陳小明 / 陈小明).
    TraditionalSimplified = 1,
    /// Same toneless pinyin (张伟 / 张玮).
    Homophone = 2,
    /// Equal wherever neither side has a rare-character placeholder (李?华 / 李晔华).
    Wildcard = 3,
    JaroWinklerHigh = 4,
    JaroWinklerMid = 5,
    Different = 6,
    Missing = 7,
}

/// Pinyin Jaro–Winkler at or above this is "high": one syllable differs slightly.
pub const JW_HIGH: f64 = 0.94;
/// At or above this is "mid".
pub const JW_MID: f64 = 0.88;

pub fn name_level(owner: &PersonName, owner_converted: bool, member: &PersonName) -> NameLevel {
    if owner.is_empty() || member.is_empty() {
        return NameLevel::Missing;
    }
    if owner == member {
        return if owner_converted {
            NameLevel::TraditionalSimplified
        } else {
            NameLevel::Exact
        };
    }
    if (owner.has_wildcard() || member.has_wildcard()) && wildcard_compatible(owner, member) {
        return NameLevel::Wildcard;
    }
    if same_pinyin(owner, member) {
        return NameLevel::Homophone;
    }
    if !similarity_may_reach(owner.pinyin_key(), member.pinyin_key(), JW_MID) {
        return NameLevel::Different;
    }
    let jw = name_similarity(owner, member);
    if jw >= JW_HIGH {
        NameLevel::JaroWinklerHigh
    } else if jw >= JW_MID {
        NameLevel::JaroWinklerMid
    } else {
        NameLevel::Different
    }
}

/// Jaro–Winkler similarity of the pinyin keys, in [0, 1].
pub fn name_similarity(a: &PersonName, b: &PersonName) -> f64 {
    strsim::jaro_winkler(a.pinyin_key(), b.pinyin_key())
}

/// Whether the Jaro–Winkler similarity of `a` and `b` can reach `cutoff`, by a bound that
/// costs one count of letters: Jaro's matches are at most the letters the two share in any
/// position, and the Winkler boost is at most the shared prefix. Most pairs compared (every
/// random pair of the u-sample) share too few letters, and are spared strsim's allocation
/// and its quadratic scan; the level of every pair is the one the similarity gives.
fn similarity_may_reach(a: &str, b: &str, cutoff: f64) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    // strsim counts characters; for ASCII they are the bytes. Anything else is measured.
    if a.is_empty() || b.is_empty() || !a.is_ascii() || !b.is_ascii() {
        return true;
    }
    let mut left = [0u32; 128];
    for &c in a {
        left[usize::from(c)] += 1;
    }
    let mut shared = 0u32;
    for &c in b {
        let count = &mut left[usize::from(c)];
        if *count > 0 {
            *count -= 1;
            shared += 1;
        }
    }
    if shared == 0 {
        return cutoff <= 0.0;
    }
    let m = f64::from(shared);
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0;
    let prefix = a.iter().take(4).zip(b).take_while(|(x, y)| x == y).count() as f64;
    // strsim boosts only above 0.7, and the boost grows with the similarity it boosts.
    let bound = if jaro > 0.7 {
        jaro + 0.1 * prefix * (1.0 - jaro)
    } else {
        jaro
    };
    // Rounding in a different order must never prune a pair that reaches the cutoff.
    bound + 1e-9 >= cutoff
}

/// `Some(score)` when the similarity reaches `cutoff`.
pub fn name_similarity_cutoff(a: &PersonName, b: &PersonName, cutoff: f64) -> Option<f64> {
    Some(name_similarity(a, b)).filter(|s| *s >= cutoff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> PersonName {
        PersonName::normalise(s)
    }

    #[test]
    fn every_level() {
        assert_eq!(
            name_level(&n("陈小明"), false, &n("陈小明")),
            NameLevel::Exact
        );
        assert_eq!(
            name_level(&n("陳小明"), true, &n("陈小明")),
            NameLevel::TraditionalSimplified
        );
        assert_eq!(
            name_level(&n("张玮"), false, &n("张伟")),
            NameLevel::Homophone
        );
        assert_eq!(
            name_level(&n("李?华"), false, &n("李晔华")),
            NameLevel::Wildcard
        );
        assert_eq!(
            name_level(&n("张伟明"), false, &n("张伟民")),
            NameLevel::JaroWinklerHigh
        );
        assert_eq!(
            name_level(&n("王小红"), false, &n("李大山")),
            NameLevel::Different
        );
        assert_eq!(name_level(&n(""), false, &n("李大山")), NameLevel::Missing);
    }

    proptest::proptest! {
        /// The bound is never below the similarity itself, so no pair that reaches a cutoff
        /// is pruned: the tightest cutoff, the pair's own similarity, is always reachable.
        /// Pairs are a pinyin-like key and the same key with a few slips, so that many come
        /// close, plus unrelated keys.
        #[test]
        fn the_bound_is_never_below_the_similarity(
            a in "[aeginouhz *]{0,12}",
            slips in proptest::collection::vec((0usize..12, "[aeginouhz *]"), 0..4),
            other in "[aeginouhz *]{0,12}",
        ) {
            let mut b: Vec<char> = a.chars().collect();
            for (at, typed) in slips {
                if b.is_empty() {
                    break;
                }
                let at = at % b.len();
                match typed.chars().next() {
                    Some(' ') => { b.remove(at); }
                    Some(c) => b[at] = c,
                    None => {}
                }
            }
            let b: String = b.into_iter().collect();
            for (x, y) in [(&a, &b), (&b, &a), (&a, &other)] {
                let jw = strsim::jaro_winkler(x, y);
                proptest::prop_assert!(similarity_may_reach(x, y, jw), "{x:?} {y:?} {jw}");
            }
        }
    }

    #[test]
    fn the_bound_prunes_names_far_apart_and_keeps_near_ones() {
        assert!(!similarity_may_reach(
            "wang xiao hong",
            "li da shan",
            JW_MID
        ));
        assert!(similarity_may_reach(
            "zhang wei ming",
            "zhang wei min",
            JW_MID
        ));
        // A non-ASCII key is always measured.
        assert!(similarity_may_reach("lü", "li da shan", JW_MID));
    }

    #[test]
    fn cutoff_variant_agrees_with_score() {
        let (a, b) = (n("张伟明"), n("张伟民"));
        let s = name_similarity(&a, &b);
        assert!((0.0..=1.0).contains(&s));
        assert_eq!(name_similarity_cutoff(&a, &b, s), Some(s));
        assert_eq!(name_similarity_cutoff(&a, &b, s + 0.01), None);
    }
}
