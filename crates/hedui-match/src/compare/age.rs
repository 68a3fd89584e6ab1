//! The member's age when the record was registered.
//!
//! A record registered before its holder was born is someone else's, and one registered to
//! a child is rare: homesteads are allotted to households through their heads, vehicles and
//! businesses are registered by adults. A namesake in the same village is often of another
//! generation, so this tells the son from the father where the record carries no identity
//! number. How rare a child holder is differs by department (children do inherit homes),
//! and EM measures it per department.
//!
//! The registration date is the record's own when the export has one. Property exports
//! often leave 登簿日期 empty, but the certificate number carries its year: `蒙自集用(1994)第
//! 641271号`, `云(2019)开远市不动产权第3403161号`; then only years are compared.

use chrono::{Datelike, NaiveDate};

/// Age from which a holder counts as an adult.
const ADULT: i32 = 18;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeLevel {
    Adult = 0,
    Minor = 1,
    /// Registered before the member was born.
    Unborn = 2,
    Missing = 3,
}

/// When a record was registered, as precisely as the export says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registered {
    On(NaiveDate),
    InYear(i32),
}

impl Registered {
    /// The record's date, else the year in its certificate number.
    pub fn of(date: Option<NaiveDate>, certificate: &str) -> Option<Self> {
        date.map(Self::On)
            .or_else(|| certificate_year(certificate).map(Self::InYear))
    }
}

pub fn age_level(registered: Option<Registered>, birth: Option<NaiveDate>) -> AgeLevel {
    let (Some(registered), Some(birth)) = (registered, birth) else {
        return AgeLevel::Missing;
    };
    let age = match registered {
        Registered::On(date) if date < birth => return AgeLevel::Unborn,
        Registered::On(date) => date.years_since(birth).map_or(0, |y| y as i32),
        Registered::InYear(year) if year < birth.year() => return AgeLevel::Unborn,
        // Years alone: the holder may not have had the birthday yet, so count generously.
        Registered::InYear(year) => year - birth.year(),
    };
    if age >= ADULT {
        AgeLevel::Adult
    } else {
        AgeLevel::Minor
    }
}

/// The year in brackets that Chinese certificate numbers carry: `(1994)`, `（2019）`,
/// `〔2003〕`, `[2010]`.
fn certificate_year(certificate: &str) -> Option<i32> {
    for (at, c) in certificate.char_indices() {
        if !matches!(c, '(' | '（' | '〔' | '[' | '【') {
            continue;
        }
        let digits = certificate.get(at + c.len_utf8()..).unwrap_or_default();
        let Some(year) = digits.get(..4) else {
            continue;
        };
        let closes = digits
            .get(4..)
            .unwrap_or_default()
            .starts_with([')', '）', '〕', ']', '】']);
        if closes && year.bytes().all(|b| b.is_ascii_digit()) {
            match year.parse::<i32>() {
                Ok(year) if (1949..=2100).contains(&year) => return Some(year),
                _ => continue,
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn certificate_years() {
        assert_eq!(certificate_year("蒙自集用(1994)第641271号"), Some(1994));
        assert_eq!(
            certificate_year("云(2019)开远市不动产权第3403161号"),
            Some(2019)
        );
        assert_eq!(certificate_year("建水集用（2006）第049520号"), Some(2006));
        assert_eq!(certificate_year("个房权证〔2003〕字第12号"), Some(2003));
        assert_eq!(certificate_year("云GAC628"), None);
        assert_eq!(certificate_year("(12345)号"), None);
        assert_eq!(
            certificate_year("(1234)号"),
            None,
            "no register before 1949"
        );
        assert_eq!(certificate_year("("), None);
        assert_eq!(
            certificate_year("云(字)（2019）第1号"),
            Some(2019),
            "a later bracket"
        );
    }

    #[test]
    fn every_level() {
        let born = Some(date("1990-06-15"));
        let on = |s: &str| Some(Registered::On(date(s)));
        assert_eq!(age_level(on("2008-06-15"), born), AgeLevel::Adult);
        assert_eq!(age_level(on("2008-06-14"), born), AgeLevel::Minor);
        assert_eq!(age_level(on("1990-06-14"), born), AgeLevel::Unborn);
        assert_eq!(
            age_level(Some(Registered::InYear(2008)), born),
            AgeLevel::Adult
        );
        assert_eq!(
            age_level(Some(Registered::InYear(2007)), born),
            AgeLevel::Minor
        );
        assert_eq!(
            age_level(Some(Registered::InYear(1989)), born),
            AgeLevel::Unborn
        );
        assert_eq!(age_level(None, born), AgeLevel::Missing);
        assert_eq!(age_level(on("2008-06-15"), None), AgeLevel::Missing);
    }

    #[test]
    fn the_record_date_wins_over_the_certificate_year() {
        let registered = Registered::of(Some(date("2001-03-04")), "蒙自集用(1994)第1号");
        assert_eq!(registered, Some(Registered::On(date("2001-03-04"))));
        assert_eq!(
            Registered::of(None, "蒙自集用(1994)第1号"),
            Some(Registered::InYear(1994))
        );
    }
}
