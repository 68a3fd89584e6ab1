//! Properties of identity-number parsing that typo blocking relies on.

use chrono::{Datelike, NaiveDate};
use hedui_core::resident_id::{ResidentId, check_char, one_edit_neighbours};
use proptest::prelude::*;

const AREAS: [&str; 6] = ["532501", "532522", "532530", "110105", "440300", "530102"];

fn valid_id() -> impl Strategy<Value = ResidentId> {
    (0..AREAS.len(), 1900i32..=2025, 1u32..=366, 0u32..1000).prop_filter_map(
        "real calendar date",
        |(area, year, ordinal, seq)| {
            let date = NaiveDate::from_yo_opt(year, ordinal)?;
            let body = format!("{}{}{:03}", AREAS[area], date.format("%Y%m%d"), seq);
            let body: [u8; 17] = body.as_bytes().try_into().ok()?;
            ResidentId::from_body(&body)
        },
    )
}

proptest! {
    #[test]
    fn upgrade_15_to_18_keeps_birth_date_and_validates(id in valid_id()) {
        prop_assume!(id.birth_date().year() < 2000);
        let legacy = id.to_legacy15().unwrap();
        prop_assert_eq!(legacy.len(), 15);
        let upgraded = ResidentId::parse(&legacy).unwrap();
        prop_assert_eq!(upgraded.birth_date(), id.birth_date());
        prop_assert_eq!(upgraded.as_str(), id.as_str());
        prop_assert!(upgraded.upgraded_from_15());
    }

    #[test]
    fn every_neighbour_validates(id in valid_id(), position in 0usize..18, digit in 0u8..10) {
        let mut corrupted = id.as_str().as_bytes().to_vec();
        corrupted[position] = b'0' + digit;
        let corrupted = String::from_utf8(corrupted).unwrap();
        for n in one_edit_neighbours(&corrupted) {
            prop_assert!(ResidentId::parse(n.as_str()).is_ok());
            let body: [u8; 17] = n.as_str().as_bytes()[..17].try_into().unwrap();
            prop_assert_eq!(check_char(&body), n.as_str().as_bytes()[17]);
        }
    }

    #[test]
    fn neighbours_contain_original_after_any_substitution(
        id in valid_id(), position in 0usize..18, digit in 0u8..10,
    ) {
        let original = id.as_str().as_bytes();
        prop_assume!(original[position] != b'0' + digit);
        let mut corrupted = original.to_vec();
        corrupted[position] = b'0' + digit;
        let corrupted = String::from_utf8(corrupted).unwrap();
        // MOD 11-2 detects every single substitution, so the corrupted number never validates.
        prop_assert!(ResidentId::parse(&corrupted).is_err());
        prop_assert!(one_edit_neighbours(&corrupted).contains(&id));
    }

    #[test]
    fn neighbours_contain_original_after_any_adjacent_transposition(
        id in valid_id(), position in 0usize..17,
    ) {
        let mut swapped = id.as_str().as_bytes().to_vec();
        prop_assume!(swapped[position] != swapped[position + 1]);
        swapped.swap(position, position + 1);
        let swapped = String::from_utf8(swapped).unwrap();
        prop_assume!(ResidentId::parse(&swapped).is_err());
        prop_assert!(one_edit_neighbours(&swapped).contains(&id));
    }

    #[test]
    fn parse_never_panics(raw in "\\PC{0,24}") {
        let _ = ResidentId::parse(&raw);
        let _ = one_edit_neighbours(&raw);
    }

    #[test]
    fn cosmetic_noise_does_not_change_the_number(id in valid_id()) {
        let lower = id.as_str().to_lowercase();
        let spaced = format!(" {} {} ", &lower[..6], &lower[6..]);
        prop_assert_eq!(ResidentId::parse(&spaced).unwrap(), id);
    }
}
