//! Birth date and sex. When the owner has an identity number, valid or broken, both are read
//! from it and the identity comparison already holds their evidence (see [`super::id`]):
//! counting them again would weigh the same digits twice, so they are `implied_by_id` and
//! weigh nothing. They are compared only where a record states them beside no number.

use chrono::{Datelike, NaiveDate};
use hedui_core::resident_id::Sex;

use crate::prepare::IdEvidence;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthLevel {
    Exact = 0,
    /// Exactly one of year, month, day differs: a typo in the number's date digits.
    OneComponent = 1,
    Different = 2,
    Missing = 3,
    ImpliedById = 4,
}

pub fn birth_level(
    id: &IdEvidence,
    owner: Option<NaiveDate>,
    member: Option<NaiveDate>,
) -> BirthLevel {
    if !matches!(id, IdEvidence::Missing) {
        return BirthLevel::ImpliedById;
    }
    let (Some(a), Some(b)) = (owner, member) else {
        return BirthLevel::Missing;
    };
    let differing = [
        a.year() != b.year(),
        a.month() != b.month(),
        a.day() != b.day(),
    ]
    .iter()
    .filter(|d| **d)
    .count();
    match differing {
        0 => BirthLevel::Exact,
        1 => BirthLevel::OneComponent,
        _ => BirthLevel::Different,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SexLevel {
    Same = 0,
    Different = 1,
    Missing = 2,
    ImpliedById = 3,
}

pub fn sex_level(id: &IdEvidence, owner: Option<Sex>, member: Option<Sex>) -> SexLevel {
    if !matches!(id, IdEvidence::Missing) {
        return SexLevel::ImpliedById;
    }
    match (owner, member) {
        (Some(a), Some(b)) if a == b => SexLevel::Same,
        (Some(_), Some(_)) => SexLevel::Different,
        _ => SexLevel::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        let none = IdEvidence::Missing;
        assert_eq!(
            birth_level(&none, d(1975, 6, 18), d(1975, 6, 18)),
            BirthLevel::Exact
        );
        assert_eq!(
            birth_level(&none, d(1975, 6, 18), d(1975, 6, 15)),
            BirthLevel::OneComponent
        );
        assert_eq!(
            birth_level(&none, d(1975, 6, 18), d(1980, 1, 15)),
            BirthLevel::Different
        );
        assert_eq!(
            birth_level(&none, None, d(1980, 1, 15)),
            BirthLevel::Missing
        );
        assert_eq!(
            sex_level(&none, Some(Sex::Male), Some(Sex::Male)),
            SexLevel::Same
        );
        assert_eq!(
            sex_level(&none, Some(Sex::Male), Some(Sex::Female)),
            SexLevel::Different
        );
        assert_eq!(sex_level(&none, None, Some(Sex::Female)), SexLevel::Missing);
    }

    /// The birth date and sex digits of a number, valid or broken, are the number's
    /// evidence: the identity level already counted them.
    #[test]
    fn a_number_read_leaves_birth_and_sex_to_the_identity_level() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        let broken = IdEvidence::Broken("532522197506180034".into());
        let valid = IdEvidence::Valid(hedui_core::ResidentId::parse("532522197506150034").unwrap());
        for id in [&broken, &valid] {
            assert_eq!(
                birth_level(id, d(1975, 6, 18), d(1975, 6, 18)),
                BirthLevel::ImpliedById
            );
            assert_eq!(
                sex_level(id, Some(Sex::Male), Some(Sex::Female)),
                SexLevel::ImpliedById
            );
        }
    }
}
