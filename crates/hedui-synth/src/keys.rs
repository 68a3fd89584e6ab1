//! Record keys of vehicles and property: plates, VINs and certificate numbers.
//!
//! Each is derived from a per-kind interleaved serial (see `ids`) so keys are unique across
//! chunks; the scramble offset depends on the seed so different seeds give different keys.

use chrono::Datelike;
use rand::Rng;

use crate::ids::scramble;
use crate::rng::{SynthRng, pick};

/// Plate letters: A–Z without I and O (GA 36).
const PLATE_LETTERS: &[u8; 24] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
/// VIN characters: 0–9 and A–Z without I, O and Q (ISO 3779).
const VIN_CHARS: &[u8; 33] = b"0123456789ABCDEFGHJKLMNPRSTUVWXYZ";

/// Letter positions of the 16 ordinary plate shapes (at most two letters among five).
fn plate_shapes() -> impl Iterator<Item = (u64, [bool; 5])> {
    let mut shapes = vec![[false; 5]];
    for i in 0..5 {
        let mut s = [false; 5];
        s[i] = true;
        shapes.push(s);
    }
    for i in 0..5 {
        for j in i + 1..5 {
            let mut s = [false; 5];
            s[i] = true;
            s[j] = true;
            shapes.push(s);
        }
    }
    shapes.into_iter().map(|s| {
        let size = s.iter().map(|&l| if l { 24u64 } else { 10 }).product();
        (size, s)
    })
}

/// Size of the ordinary plate space: 7,060,000.
const ORDINARY_SPACE: u64 = 100_000 + 5 * 240_000 + 10 * 576_000;
/// Size of the small new-energy plate space (D/F, then a letter or digit, then 4 digits).
const NEW_ENERGY_SPACE: u64 = 2 * 34 * 10_000;

/// A Yunnan plate (`云` and the issuing prefecture's letter, `G` for Honghe, then 5
/// characters, or 6 for new energy) for a vehicle serial.
pub(crate) fn plate(serial: u64, offset: u64, new_energy: bool, letter: char) -> String {
    let mut out = String::from("云");
    out.push(letter);
    if new_energy {
        let mut n = scramble(serial, offset, NEW_ENERGY_SPACE);
        out.push(if n.is_multiple_of(2) { 'D' } else { 'F' });
        n /= 2;
        let second = n % 34;
        n /= 34;
        out.push(if second < 10 {
            char::from(b'0' + second as u8)
        } else {
            char::from(PLATE_LETTERS[(second - 10) as usize])
        });
        out.push_str(&format!("{:04}", n % 10_000));
        return out;
    }
    let mut n = scramble(serial, offset, ORDINARY_SPACE);
    for (size, shape) in plate_shapes() {
        if n >= size {
            n -= size;
            continue;
        }
        for letter in shape {
            if letter {
                out.push(char::from(PLATE_LETTERS[(n % 24) as usize]));
                n /= 24;
            } else {
                out.push(char::from(b'0' + (n % 10) as u8));
                n /= 10;
            }
        }
        break;
    }
    out
}

fn vin_value(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'A'..=b'H' => u32::from(c - b'A') + 1,
        b'J'..=b'N' => u32::from(c - b'J') + 1,
        b'P' => 7,
        b'R' => 9,
        b'S'..=b'Z' => u32::from(c - b'S') + 2,
        _ => 0,
    }
}

/// ISO 3779 model-year character.
fn year_code(year: i32) -> u8 {
    const CODES: &[u8; 30] = b"ABCDEFGHJKLMNPRSTVWXY123456789";
    CODES[(year - 1980).rem_euclid(30) as usize]
}

/// A VIN with a valid check digit (position 9) for a vehicle serial.
pub(crate) fn vin(
    rng: &mut SynthRng,
    wmi: &str,
    serial: u64,
    registered: chrono::NaiveDate,
) -> String {
    let mut v: Vec<u8> = Vec::with_capacity(17);
    v.extend_from_slice(wmi.as_bytes());
    for _ in 0..5 {
        v.push(*pick(rng, VIN_CHARS));
    }
    v.push(b'0');
    let model_year = registered.year() - i32::from(rng.random_bool(0.3));
    v.push(year_code(model_year));
    v.push(VIN_CHARS[10 + ((serial / 1_000_000) % 23) as usize]);
    v.extend_from_slice(format!("{:06}", serial % 1_000_000).as_bytes());
    const W: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    let sum: u32 = v.iter().zip(W).map(|(&c, w)| vin_value(c) * w).sum();
    v[8] = match sum % 11 {
        10 => b'X',
        d => b'0' + d as u8,
    };
    String::from_utf8_lossy(&v).into_owned()
}

/// A property certificate number. Records from the unified registration (2015 on) read
/// `云(2019)金平县不动产权第0001234号`; older rural land certificates read
/// `金平集用(2005)第012345号`.
pub(crate) fn certificate(
    serial: u64,
    offset: u64,
    county: &str,
    stem: &str,
    year: i32,
    old_rural: bool,
) -> String {
    if old_rural {
        format!(
            "{stem}集用({year})第{:06}号",
            scramble(serial, offset, 1_000_000)
        )
    } else {
        format!(
            "云({year}){county}不动产权第{:07}号",
            scramble(serial, offset, 10_000_000)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::chunk_rng;
    use std::collections::HashSet;

    #[test]
    fn plates_are_unique_and_parse() {
        let mut seen = HashSet::new();
        for serial in 0..20_000 {
            for ne in [false, true] {
                let p = plate(serial, 12345, ne, 'G');
                assert!(hedui_core::Plate::parse(&p).is_ok(), "{p}");
                assert!(seen.insert(p));
            }
        }
        assert_eq!(plate_shapes().map(|(s, _)| s).sum::<u64>(), ORDINARY_SPACE);
        let kunming = hedui_core::Plate::parse(&plate(7, 12345, false, 'A')).unwrap();
        assert_eq!(kunming.prefecture().map(|p| p.stem), Some("昆明"));
    }

    #[test]
    fn vin_check_digit_matches_known_example() {
        // 1M8GDM9AXKP042788 is the textbook valid VIN; recompute its check from its parts.
        let v = b"1M8GDM9A_KP042788";
        const W: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
        let sum: u32 = v.iter().zip(W).map(|(&c, w)| vin_value(c) * w).sum();
        assert_eq!(sum % 11, 10);
        let mut rng = chunk_rng(1, 1);
        let date = chrono::NaiveDate::from_ymd_opt(2019, 3, 5).unwrap();
        assert_eq!(vin(&mut rng, "LSV", 42, date).len(), 17);
    }
}
