//! Identity numbers, as one joint comparison with the birth date, sex and area read from
//! them. Everyone born on one day in one county shares a number's first 14 digits, so the
//! birth date and area of a broken number are not evidence apart from the number: each level
//! below says once how much of the number agrees, and [`birth_level`](super::birth_level)
//! and [`sex_level`](super::sex_level) weigh nothing whenever a number was read.

use hedui_core::resident_id::{ResidentId, one_slip, typed_digits};

use crate::prepare::IdEvidence;

/// The sequence digits (the three the issuing station assigns in order, the last odd for
/// men) and the check character computed from them. A cohort-mate's number differs from the
/// member's only here, so a slip here is one a namesake's number can make.
const SEQUENCE_AND_CHECK: std::ops::RangeInclusive<usize> = 14..=17;
/// The sex digit, the last of the sequence.
const SEX_DIGIT: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdLevel {
    Exact = 0,
    /// The owner's number fails its check and is one substitution or adjacent transposition
    /// from the member's, with the sequence digits intact (or it is the member's without
    /// its check character). A namesake born the same day differs from the member in the
    /// sequence, so no namesake's slip lands here.
    OneEdit = 1,
    /// As `OneEdit`, but the slip is in the sequence digits or the check character: exactly
    /// what tells apart the people born on one day in one county. A namesake's or a twin's
    /// number with one slip lands here as easily as the member's own: a namesake whose
    /// sequence digit was typed as the member's gives the member's digits under the
    /// namesake's check character.
    OneEditSequence = 2,
    /// The owner's number was upgraded from 15 digits, which carry no check, and its typed
    /// digits are one substitution or adjacent transposition from the member's: a slip no
    /// check could catch, only other evidence can corroborate.
    LegacyOneEdit = 3,
    /// The owner's number is broken and, beyond one keystroke from the member's, agrees on
    /// area code, birth date and the sex its sequence gives: what every same-sex person born
    /// that day in that county shares. Two *valid* numbers that differ in the sequence are
    /// two registered people, so they are `Different`, never this level.
    SameAreaBirth = 4,
    Different = 5,
    Missing = 6,
}

impl IdLevel {
    /// A level reached only by repairing a number the department wrote wrongly: the pair's
    /// identity rests on the repair, not on a number that checks.
    pub fn is_repaired(self) -> bool {
        matches!(
            self,
            Self::OneEdit | Self::OneEditSequence | Self::LegacyOneEdit | Self::SameAreaBirth
        )
    }

    /// A repaired level a namesake of the member's birth cohort can reach by one slip of
    /// its own number, so the name and place must carry the pair.
    pub fn cohort_shared(self) -> bool {
        matches!(
            self,
            Self::OneEditSequence | Self::LegacyOneEdit | Self::SameAreaBirth
        )
    }

    /// The level a comparison vector holds for [`super::Field::Id`].
    pub fn of(levels: &super::Levels) -> Self {
        match levels.get(super::Field::Id) {
            0 => Self::Exact,
            1 => Self::OneEdit,
            2 => Self::OneEditSequence,
            3 => Self::LegacyOneEdit,
            4 => Self::SameAreaBirth,
            5 => Self::Different,
            _ => Self::Missing,
        }
    }
}

pub fn id_level(owner: &IdEvidence, member: Option<&ResidentId>) -> IdLevel {
    let Some(member) = member else {
        return IdLevel::Missing;
    };
    match owner {
        IdEvidence::Missing => IdLevel::Missing,
        IdEvidence::Valid(v) if v == member => IdLevel::Exact,
        IdEvidence::Valid(v) if is_legacy_one_edit(v, member) => IdLevel::LegacyOneEdit,
        IdEvidence::Broken(digits) => {
            // Taken here, not for every pair: the text checks the bytes each time.
            let m = member.as_str();
            match slip(digits, m) {
                Some(Slip::Sequence) => IdLevel::OneEditSequence,
                Some(Slip::Elsewhere) => IdLevel::OneEdit,
                None if digits.get(..14) == m.get(..14) && same_sex_digit(digits, m) => {
                    IdLevel::SameAreaBirth
                }
                None => IdLevel::Different,
            }
        }
        IdEvidence::Valid(_) => IdLevel::Different,
    }
}

/// Where one slip between a broken number and a valid one lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slip {
    /// In a sequence digit or the check character (a transposition that touches one counts).
    Sequence,
    /// In the area or birth date digits, or the check character left off.
    Elsewhere,
}

/// Whether `digits` (a broken number) is one typing slip away from the valid `member`.
pub fn is_one_edit(digits: &str, member: &str) -> bool {
    slip(digits, member).is_some()
}

/// The one slip that turns `member` into `digits`, if there is exactly one.
pub fn slip(digits: &str, member: &str) -> Option<Slip> {
    let (a, b) = (digits.as_bytes(), member.as_bytes());
    if a.len() == 17 {
        return b.starts_with(a).then_some(Slip::Elsewhere);
    }
    let (first, last) = one_slip(a, b)?;
    if SEQUENCE_AND_CHECK.contains(&first) || SEQUENCE_AND_CHECK.contains(&last) {
        Some(Slip::Sequence)
    } else {
        Some(Slip::Elsewhere)
    }
}

/// Whether the sex digits of two numbers give the same sex. A digit that cannot be read
/// gives no sex and so no disagreement.
fn same_sex_digit(a: &str, b: &str) -> bool {
    match (a.as_bytes().get(SEX_DIGIT), b.as_bytes().get(SEX_DIGIT)) {
        (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => x % 2 == y % 2,
        _ => true,
    }
}

/// Whether `owner`, upgraded from 15 digits, was typed one slip away from `member`'s
/// number. Only the typed digits count: the upgrade's `19` and check are computed.
pub fn is_legacy_one_edit(owner: &ResidentId, member: &ResidentId) -> bool {
    if !owner.upgraded_from_15() || member.as_bytes()[6..8] != *b"19" {
        return false;
    }
    match (typed_digits(owner), typed_digits(member)) {
        (Some(a), Some(b)) => a != b && one_slip(&a, &b).is_some(),
        _ => false,
    }
}

/// Digit-level similarity in [0, 1] (normalised Levenshtein), for ranking.
pub fn id_similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_levenshtein(a, b)
}

/// `Some(score)` when the similarity reaches `cutoff`, else `None`.
pub fn id_similarity_cutoff(a: &str, b: &str, cutoff: f64) -> Option<f64> {
    Some(id_similarity(a, b)).filter(|s| *s >= cutoff)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(s: &str) -> ResidentId {
        ResidentId::parse(s).unwrap()
    }

    #[test]
    fn every_level() {
        let m = valid("532522197506150034");
        let ev = |s: &str| IdEvidence::from_field(&hedui_core::record::IdField::parse(s));
        assert_eq!(
            id_level(&ev("532522197506150034"), Some(&m)),
            IdLevel::Exact
        );
        assert_eq!(
            id_level(&ev("532522750615003"), Some(&m)),
            IdLevel::Exact,
            "15-digit"
        );
        assert_eq!(
            id_level(&ev("532522197506180034"), Some(&m)),
            IdLevel::OneEdit,
            "a typo in the birth date"
        );
        assert_eq!(
            id_level(&ev("532522197506150035"), Some(&m)),
            IdLevel::OneEditSequence,
            "the member's digits under another check character: a check typo, or a \
             cohort-mate's number with the sequence typed as the member's"
        );
        assert_eq!(
            id_level(&ev("532522197506150304"), Some(&m)),
            IdLevel::OneEditSequence,
            "a transposition into the sequence"
        );
        assert_eq!(
            id_level(&ev("532522197506150054"), Some(&m)),
            IdLevel::OneEditSequence,
            "a typo in the sequence: a namesake's number can land here"
        );
        assert_eq!(
            id_level(&ev("53252219750615003"), Some(&m)),
            IdLevel::OneEdit,
            "no check char"
        );
        assert_eq!(
            id_level(&ev("532522750615030"), Some(&m)),
            IdLevel::LegacyOneEdit,
            "a 15-digit number with a swap, which no check could catch"
        );
        assert_eq!(
            id_level(&ev("532522750615035"), Some(&m)),
            IdLevel::Different,
            "two slips in a 15-digit number"
        );
        let twin = ResidentId::from_body(b"53252219750615005").unwrap();
        assert_eq!(
            id_level(&IdEvidence::Valid(twin), Some(&m)),
            IdLevel::Different,
            "a valid number differing in the sequence is another person"
        );
        assert_eq!(
            id_level(&ev("532522197506159934"), Some(&m)),
            IdLevel::SameAreaBirth,
            "a broken number two slips away keeps partial evidence"
        );
        assert_eq!(
            id_level(&ev("532522197506159844"), Some(&m)),
            IdLevel::Different,
            "the same area and birth with the other sex is another person"
        );
        assert_eq!(
            id_level(&ev("11010519491231002X"), Some(&m)),
            IdLevel::Different
        );
        assert_eq!(id_level(&ev(""), Some(&m)), IdLevel::Missing);
        assert_eq!(id_level(&ev("532522197506150034"), None), IdLevel::Missing);
    }

    #[test]
    fn a_level_reads_back_from_its_number() {
        for level in [
            IdLevel::Exact,
            IdLevel::OneEdit,
            IdLevel::OneEditSequence,
            IdLevel::LegacyOneEdit,
            IdLevel::SameAreaBirth,
            IdLevel::Different,
            IdLevel::Missing,
        ] {
            let mut levels = super::super::Levels([0; super::super::FIELDS]);
            levels.0[super::super::Field::Id.index()] = level as u8;
            assert_eq!(IdLevel::of(&levels), level);
        }
    }

    #[test]
    fn similarity_and_cutoff() {
        assert_eq!(id_similarity("123", "123"), 1.0);
        assert!(id_similarity_cutoff("532522197506150034", "532522197506180034", 0.9).is_some());
        assert!(id_similarity_cutoff("532522197506150034", "110105194912310021", 0.9).is_none());
    }
}
