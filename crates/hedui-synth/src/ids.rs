//! Identifiers: resident IDs, credit codes and registration numbers, plates, VINs and
//! certificate numbers, each unique across the whole world without a global lock.
//!
//! Uniqueness comes from partitioning rather than from a shared set. A resident ID is
//! (area, birth date, 3-digit sequence); the sequence's first two digits form a "group", and
//! for every (area, date) the 100 groups are dealt out to the `CHUNKS` chunks by a rotation,
//! so two chunks can never issue the same ID. Other keys use an interleaved serial
//! `local_index * CHUNKS + chunk` pushed through a bijective scramble, so they look random but
//! cannot collide (until a key space is exhausted, far beyond any realistic N).

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use rand::Rng;

use crate::rng::{SynthRng, mix64, pick};

/// Number of chunks the world is cut into; fixed so output does not depend on thread count.
pub(crate) const CHUNKS: u32 = 50;

/// A canonical 18-character resident ID in ASCII.
pub(crate) type Rid = [u8; 18];

/// Multiplier of every scramble; prime and coprime to every key-space size used here.
const SCRAMBLE: u128 = 2_654_435_761;

/// Maps `serial` into `[0, space)` bijectively (for serials below `space`).
pub(crate) fn scramble(serial: u64, offset: u64, space: u64) -> u64 {
    ((u128::from(serial) * SCRAMBLE + u128::from(offset)) % u128::from(space.max(1))) as u64
}

/// The interleaved global serial of the `local`-th key of a kind in `chunk`.
pub(crate) fn global_serial(local: u64, chunk: u32) -> u64 {
    local * u64::from(CHUNKS) + u64::from(chunk)
}

/// Builds the 18-character ID from its parts and the GB 11643 check character.
pub(crate) fn resident_id(area: u32, birth: NaiveDate, seq: u16) -> Rid {
    let head = format!(
        "{area:06}{:04}{:02}{:02}{seq:03}",
        birth.year(),
        birth.month(),
        birth.day()
    );
    let mut body = [b'0'; 17];
    body.copy_from_slice(&head.as_bytes()[..17]);
    let mut id = [b'0'; 18];
    id[..17].copy_from_slice(&body);
    id[17] = hedui_core::resident_id::check_char(&body);
    id
}

/// The ID as text.
pub(crate) fn rid_str(id: &Rid) -> &str {
    std::str::from_utf8(id).unwrap_or("")
}

/// Issues resident IDs for one chunk.
#[derive(Debug)]
pub(crate) struct IdAllocator {
    chunk: u32,
    used: HashSet<u64>,
}

fn slot_key(area: u32, birth: NaiveDate, seq: u16) -> u64 {
    let days = birth.num_days_from_ce() as u64;
    (u64::from(area) * 100_000 + days) * 1000 + u64::from(seq)
}

impl IdAllocator {
    pub(crate) fn new(chunk: u32) -> Self {
        Self {
            chunk,
            used: HashSet::new(),
        }
    }

    /// The two sequence groups (tens of the sequence) this chunk owns for (area, date).
    fn groups(&self, area: u32, birth: NaiveDate) -> [u16; 2] {
        let rot = (mix64(u64::from(area) << 32 | birth.num_days_from_ce() as u64)
            % u64::from(CHUNKS)) as u32;
        let g = ((self.chunk + CHUNKS - rot) % CHUNKS) as u16;
        [g, g + CHUNKS as u16]
    }

    fn take(&mut self, area: u32, birth: NaiveDate, seq: u16) -> Option<Rid> {
        // Sequence 000 is never issued.
        (seq != 0 && self.used.insert(slot_key(area, birth, seq)))
            .then(|| resident_id(area, birth, seq))
    }

    /// An unused ID for (area, date, sex), or `None` if this chunk's ten slots are taken.
    pub(crate) fn alloc(
        &mut self,
        rng: &mut SynthRng,
        area: u32,
        birth: NaiveDate,
        male: bool,
    ) -> Option<Rid> {
        let groups = self.groups(area, birth);
        let start = rng.random_range(0..10u16);
        (0..10u16).find_map(|k| {
            let slot = (start + k) % 10;
            let group = groups[usize::from(slot / 5)];
            let digit = (slot % 5) * 2 + u16::from(male);
            self.take(area, birth, group * 10 + digit)
        })
    }

    /// Like `alloc`, but moves the birth date forward a day at a time when slots run out.
    pub(crate) fn alloc_shifting(
        &mut self,
        rng: &mut SynthRng,
        area: u32,
        birth: NaiveDate,
        male: bool,
    ) -> Option<(Rid, NaiveDate)> {
        let mut date = birth;
        for _ in 0..366 {
            if let Some(id) = self.alloc(rng, area, date, male) {
                return Some((id, date));
            }
            date = date.succ_opt()?;
        }
        None
    }

    /// A valid, unused ID that shares area, date and sequence group with `base` and differs
    /// only in the last sequence digit (same sex) and the check character.
    pub(crate) fn alloc_near(&mut self, base: &Rid) -> Option<Rid> {
        let text = rid_str(base);
        let area: u32 = text.get(0..6)?.parse().ok()?;
        let birth = NaiveDate::parse_from_str(text.get(6..14)?, "%Y%m%d").ok()?;
        let seq: u16 = text.get(14..17)?.parse().ok()?;
        let (group, digit) = (seq / 10, seq % 10);
        (1..5u16).find_map(|k| self.take(area, birth, group * 10 + (digit + 2 * k) % 10))
    }

    /// Whether this chunk may issue (area, date, sequence): its group is one of this
    /// chunk's, so no other chunk can issue the same number.
    fn owns(&self, area: u32, birth: NaiveDate, seq: u16) -> bool {
        self.groups(area, birth).contains(&(seq / 10))
    }

    /// Whether `id` is a number this chunk may issue and has not issued yet.
    pub(crate) fn is_free(&self, id: &Rid) -> bool {
        parts(id).is_some_and(|(area, birth, seq)| {
            seq != 0
                && self.owns(area, birth, seq)
                && !self.used.contains(&slot_key(area, birth, seq))
        })
    }

    /// Issues exactly `id` if [`IdAllocator::is_free`] allows it.
    pub(crate) fn claim(&mut self, id: &Rid) -> bool {
        match parts(id) {
            Some((area, birth, seq)) if self.is_free(id) => {
                self.used.insert(slot_key(area, birth, seq))
            }
            _ => false,
        }
    }
}

/// Area code, birth date and sequence of an ID.
pub(crate) fn parts(id: &Rid) -> Option<(u32, NaiveDate, u16)> {
    let text = rid_str(id);
    let area: u32 = text.get(0..6)?.parse().ok()?;
    let birth = NaiveDate::parse_from_str(text.get(6..14)?, "%Y%m%d").ok()?;
    let seq: u16 = text.get(14..17)?.parse().ok()?;
    Some((area, birth, seq))
}

/// The ID `step` sequence numbers from `base`, in the same sequence group (same area, date
/// and tens of the sequence, so issued by the same chunk), or `None` past the group's end.
/// A step of ±2 keeps the sex; ±1 is a twin's consecutive number.
pub(crate) fn step_id(base: &Rid, step: i16) -> Option<Rid> {
    let (area, birth, seq) = parts(base)?;
    let digit = i16::try_from(seq % 10).ok()? + step;
    let digit = u16::try_from(digit).ok().filter(|d| *d <= 9)?;
    let seq = seq / 10 * 10 + digit;
    (seq != 0).then(|| resident_id(area, birth, seq))
}

/// The legacy 15-digit form (YYMMDD, no check character) of a 19xx-born person's ID.
pub(crate) fn legacy15(id: &Rid) -> Option<String> {
    let text = rid_str(id);
    (text.get(6..8)? == "19").then(|| format!("{}{}{}", &text[..6], &text[8..14], &text[14..17]))
}

/// Alphabet of GB 32100 credit codes.
const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// GB 11714 organisation-code check character for 8 characters.
fn org_check(body: &[u8]) -> u8 {
    const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let value = |b: u8| {
        if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        }
    };
    let sum: u32 = body.iter().zip(W).map(|(&b, w)| value(b) * w).sum();
    match 11 - sum % 11 {
        10 => b'X',
        11 => b'0',
        d => b'0' + d as u8,
    }
}

/// A unified social credit code: `9`, entity type, area, organisation code, check.
/// Entities registered before the 2015 reform keep an all-digit organisation code; newer
/// ones get the `MA…` form.
pub(crate) fn credit_code(
    entity: u8,
    area: u32,
    serial: u64,
    offset: u64,
    legacy_org: bool,
) -> String {
    let mut org: Vec<u8> = Vec::with_capacity(9);
    if legacy_org {
        org.extend(format!("{:08}", scramble(serial, offset, 100_000_000)).bytes());
    } else {
        org.extend_from_slice(b"MA");
        let mut n = scramble(serial, offset, 31u64.pow(6));
        let mut tail = [b'0'; 6];
        for slot in tail.iter_mut().rev() {
            *slot = CREDIT_ALPHABET[(n % 31) as usize];
            n /= 31;
        }
        org.extend_from_slice(&tail);
    }
    org.push(org_check(&org));
    let body = format!(
        "9{}{area:06}{}",
        char::from(entity),
        String::from_utf8_lossy(&org)
    );
    let check = hedui_core::credit_code::check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// The same code with a check character that fails, as some early codes do.
pub(crate) fn break_credit_check(code: &str, rng: &mut SynthRng) -> String {
    let body = code.get(..17).unwrap_or(code);
    let good = code.chars().nth(17).unwrap_or('0');
    let bad = loop {
        let c = char::from(*pick(rng, CREDIT_ALPHABET));
        if c != good {
            break c;
        }
    };
    format!("{body}{bad}")
}

/// A 15-digit pre-2015 registration number (注册号) with its ISO 7064 MOD 11,10 check digit.
pub(crate) fn registration_number(area: u32, serial: u64, offset: u64) -> String {
    let body = format!("{area:06}{:08}", scramble(serial, offset, 100_000_000));
    let mut p = 10u32;
    for d in body.bytes().map(|b| u32::from(b - b'0')) {
        let s = match (p + d) % 10 {
            0 => 10,
            s => s,
        };
        p = (2 * s) % 11;
    }
    format!("{body}{}", (11 - p) % 10)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::chunk_rng;

    #[test]
    fn chunks_never_issue_the_same_id() {
        let mut seen = HashSet::new();
        let day = NaiveDate::from_ymd_opt(1975, 6, 15).unwrap();
        for chunk in 0..CHUNKS {
            let mut ids = IdAllocator::new(chunk);
            let mut rng = chunk_rng(1, chunk);
            // Far more people born on one day in one county than one chunk can hold.
            for i in 0..30 {
                let found = ids
                    .alloc_shifting(&mut rng, 532530, day, i % 2 == 0)
                    .unwrap();
                let text = rid_str(&found.0).to_string();
                let parsed = hedui_core::ResidentId::parse(&text).unwrap();
                assert_eq!(parsed.birth_date(), found.1);
                assert!(seen.insert(text));
            }
        }
    }

    #[test]
    fn near_ids_are_valid_and_two_characters_away() {
        let mut ids = IdAllocator::new(3);
        let mut rng = chunk_rng(2, 3);
        let day = NaiveDate::from_ymd_opt(1962, 1, 2).unwrap();
        let base = ids.alloc(&mut rng, 532522, day, true).unwrap();
        let near = ids.alloc_near(&base).unwrap();
        assert!(hedui_core::ResidentId::parse(rid_str(&near)).is_ok());
        let diff = base.iter().zip(near.iter()).filter(|(a, b)| a != b).count();
        assert_eq!(diff, 2, "{} vs {}", rid_str(&base), rid_str(&near));
        assert_eq!(legacy15(&base).unwrap().len(), 15);
    }

    #[test]
    fn credit_codes_pass_their_check_and_registration_numbers_have_15_digits() {
        for serial in 0..500 {
            let code = credit_code(b'2', 532530, serial, 99, serial % 2 == 0);
            let parsed = hedui_core::CreditCode::parse(&code).unwrap();
            assert!(parsed.check_ok(), "{code}");
            let mut rng = chunk_rng(4, 0);
            let broken = break_credit_check(&code, &mut rng);
            assert!(
                !hedui_core::CreditCode::parse(&broken)
                    .map(|c| c.check_ok())
                    .unwrap_or(true),
                "{broken}"
            );
            assert_eq!(registration_number(532530, serial, 7).len(), 15);
        }
    }
}
