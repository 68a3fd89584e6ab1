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

    #[test]
    fn cutoff_variant_agrees_with_score() {
        let (a, b) = (n("张伟明"), n("张伟民"));
        let s = name_similarity(&a, &b);
        assert!((0.0..=1.0).contains(&s));
        assert_eq!(name_similarity_cutoff(&a, &b, s), Some(s));
        assert_eq!(name_similarity_cutoff(&a, &b, s + 0.01), None);
    }
}
