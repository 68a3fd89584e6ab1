//! Identity numbers. Two valid numbers that differ are two registered people, so the only
//! benign disagreement is a broken number (failed check) one keystroke from the member's.

use hedui_core::resident_id::{ResidentId, typed_digits};

use crate::prepare::IdEvidence;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdLevel {
    Exact = 0,
    /// The owner's number fails its check and is one substitution or adjacent transposition
    /// from the member's (or is the member's without its check character).
    OneEdit = 1,
    /// The owner's number was upgraded from 15 digits, which carry no check, and its typed
    /// digits are one substitution or adjacent transposition from the member's: a slip the
    /// check could not catch. Weaker than `OneEdit`, since a 15-digit number has many
    /// plausible neighbours.
    LegacyOneEdit = 2,
    /// The owner's number is broken and, beyond one keystroke from the member's, agrees only
    /// on area code and birth date: partial evidence. Two *valid* numbers that differ in the
    /// sequence are two registered people born the same day in the same place, so they are
    /// `Different`, never this level.
    SameAreaBirth = 3,
    Different = 4,
    Missing = 5,
}

pub fn id_level(owner: &IdEvidence, member: Option<&ResidentId>) -> IdLevel {
    let Some(member) = member else {
        return IdLevel::Missing;
    };
    let m = member.as_str();
    match owner {
        IdEvidence::Missing => IdLevel::Missing,
        IdEvidence::Valid(v) if v == member => IdLevel::Exact,
        IdEvidence::Valid(v) if is_legacy_one_edit(v, member) => IdLevel::LegacyOneEdit,
        IdEvidence::Broken(digits) if is_one_edit(digits, m) => IdLevel::OneEdit,
        IdEvidence::Broken(digits) if digits.get(..14) == m.get(..14) => IdLevel::SameAreaBirth,
        _ => IdLevel::Different,
    }
}

/// Whether `digits` (a broken number) is one typing slip away from the valid `member`.
pub fn is_one_edit(digits: &str, member: &str) -> bool {
    let (a, b) = (digits.as_bytes(), member.as_bytes());
    if a.len() == 17 {
        return b.starts_with(a);
    }
    one_slip(a, b)
}

/// One substitution or one adjacent transposition between equally long digit strings.
fn one_slip(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    match diffs.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

/// Whether `owner`, upgraded from 15 digits, was typed one slip away from `member`'s
/// number. Only the typed digits count: the upgrade's `19` and check are computed.
pub fn is_legacy_one_edit(owner: &ResidentId, member: &ResidentId) -> bool {
    if !owner.upgraded_from_15() || member.as_str().get(6..8) != Some("19") {
        return false;
    }
    match (typed_digits(owner), typed_digits(member)) {
        (Some(a), Some(b)) => a != b && one_slip(&a, &b),
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
            "typo"
        );
        assert_eq!(
            id_level(&ev("532522197506150304"), Some(&m)),
            IdLevel::OneEdit,
            "transposition"
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
            id_level(&ev("11010519491231002X"), Some(&m)),
            IdLevel::Different
        );
        assert_eq!(id_level(&ev(""), Some(&m)), IdLevel::Missing);
        assert_eq!(id_level(&ev("532522197506150034"), None), IdLevel::Missing);
    }

    #[test]
    fn similarity_and_cutoff() {
        assert_eq!(id_similarity("123", "123"), 1.0);
        assert!(id_similarity_cutoff("532522197506150034", "532522197506180034", 0.9).is_some());
        assert!(id_similarity_cutoff("532522197506150034", "110105194912310021", 0.9).is_none());
    }
}
