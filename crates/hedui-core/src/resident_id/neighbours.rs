//! Valid one-edit neighbours of a number whose check fails.
//!
//! A single mistyped digit or an adjacent transposition breaks the MOD 11-2 check in almost
//! every case. The true number is then among the few valid numbers one edit away, which is a
//! small enough set to use as blocking keys.

use super::check::{check_char_of_sum, substitution_for_check, weighted_sum};
use super::{ResidentId, check_char, clean};

/// The valid numbers one substitution or one adjacent transposition away from `raw`.
///
/// `raw` may be any text; it is cleaned first. Results are sorted and deduplicated. A valid
/// input yields nothing: every weight, and every difference of adjacent weights, is non-zero
/// mod 11, so one edit always changes the check. A 17-digit input (check character lost)
/// yields the number completed with its check character.
pub fn one_edit_neighbours(raw: &str) -> Vec<ResidentId> {
    let cleaned = clean(raw);
    let bytes = cleaned.as_bytes();
    let mut out = Vec::new();
    match bytes.len() {
        17 => out.extend(body_of(bytes).and_then(|b| ResidentId::from_body(&b))),
        18 => {
            substitutions(bytes, &mut out);
            transpositions(bytes, &mut out);
        }
        _ => {}
    }
    let original = ResidentId::parse(&cleaned).ok();
    out.retain(|id| Some(*id) != original);
    out.sort_unstable();
    out.dedup();
    out
}

/// The first and last differing position when `a` and `b` (texts of equal length) differ
/// by exactly one substitution or one adjacent transposition; `None` when they are equal or
/// further apart. The matcher reads where a slip lies from it, and the generator checks its
/// slips with it.
pub fn one_slip(a: &[u8], b: &[u8]) -> Option<(usize, usize)> {
    if a.len() != b.len() {
        return None;
    }
    let mut diffs = (0..a.len()).filter(|&i| a[i] != b[i]);
    match (diffs.next(), diffs.next(), diffs.next()) {
        (Some(i), None, _) => Some((i, i)),
        (Some(i), Some(j), None) if j == i + 1 && a[i] == b[j] && a[j] == b[i] => Some((i, j)),
        _ => None,
    }
}

fn body_of(bytes: &[u8]) -> Option<[u8; 17]> {
    bytes.get(..17)?.try_into().ok()
}

fn substitutions(bytes: &[u8], out: &mut Vec<ResidentId>) {
    let Some(body) = body_of(bytes) else { return };
    let given_check = bytes[17];
    let sum = weighted_sum(&body);
    // A mistyped check character: the body itself is right.
    if check_char_of_sum(sum) != given_check {
        out.extend(ResidentId::from_body(&body));
    }
    // At most one digit per position passes the check, and it is computed, not searched
    // for: the full validation runs only for it.
    for (position, &from) in body.iter().enumerate() {
        if let Some(digit) = substitution_for_check(sum, position, from, given_check) {
            let mut candidate = body;
            candidate[position] = digit;
            out.extend(ResidentId::from_body(&candidate));
        }
    }
}

fn transpositions(bytes: &[u8], out: &mut Vec<ResidentId>) {
    for i in 0..17 {
        if bytes[i] == bytes[i + 1] {
            continue;
        }
        let mut swapped = [0u8; 18];
        swapped.copy_from_slice(bytes);
        swapped.swap(i, i + 1);
        let Some(body) = body_of(&swapped) else {
            continue;
        };
        if swapped[17] == check_char(&body) {
            out.extend(ResidentId::from_body(&body));
        }
    }
}

/// The numbers one typing slip away from a legacy 15-digit number, upgraded.
///
/// A 15-digit number has no check character, so a mistyped one still "validates" and its
/// upgrade carries a freshly computed check: valid, and wrong. The slip is in the 15 digits
/// that were typed, never in the `19` the upgrade inserted or in the check, so the
/// neighbours are every substitution and adjacent transposition of those 15 digits, each
/// upgraded again. Unlike a broken 18-digit number's few neighbours, these are many (no
/// check filters them) and most are plausible numbers, so a match through one must be
/// corroborated by the name. Empty for a number that was not upgraded.
pub fn legacy_neighbours(id: &ResidentId) -> Vec<ResidentId> {
    legacy_neighbours_among(id, |_| true)
}

/// [`legacy_neighbours`] whose 17-digit body `may_exist` admits. A caller that knows which
/// numbers exist (a filter over the roster) skips checking and building the ~160 others.
pub fn legacy_neighbours_among(
    id: &ResidentId,
    may_exist: impl Fn(&[u8; 17]) -> bool,
) -> Vec<ResidentId> {
    if !id.upgraded_from_15() {
        return Vec::new();
    }
    let Some(typed) = typed_digits(id) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut upgrade = |digits: &[u8; 15]| {
        let mut body = [0u8; 17];
        body[..6].copy_from_slice(&digits[..6]);
        body[6..8].copy_from_slice(b"19");
        body[8..].copy_from_slice(&digits[6..]);
        if may_exist(&body) {
            out.extend(ResidentId::from_body(&body));
        }
    };
    for position in 0..15 {
        for digit in b'0'..=b'9' {
            if digit != typed[position] {
                let mut candidate = typed;
                candidate[position] = digit;
                upgrade(&candidate);
            }
        }
    }
    for i in 0..14 {
        if typed[i] != typed[i + 1] {
            let mut candidate = typed;
            candidate.swap(i, i + 1);
            upgrade(&candidate);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The 15 digits a legacy number was typed with: the number without the upgrade's `19` and
/// check. Meaningful for any number born in the 1900s.
pub fn typed_digits(id: &ResidentId) -> Option<[u8; 15]> {
    let bytes = id.as_bytes();
    let mut typed = [0u8; 15];
    typed[..6].copy_from_slice(bytes.get(..6)?);
    typed[6..].copy_from_slice(bytes.get(8..17)?);
    Some(typed)
}
