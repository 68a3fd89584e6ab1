//! The ISO 7064 MOD 11-2 check and the cosmetic clean-up that precedes it.

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS: &[u8; 11] = b"10X98765432";

/// The check character for 17 ASCII digits. Non-digits count as zero, so the function is
/// total; callers validate digits first.
pub fn check_char(body: &[u8; 17]) -> u8 {
    check_char_of_sum(weighted_sum(body))
}

/// Σ weight × digit, the quantity the check character encodes (mod 11).
pub(crate) fn weighted_sum(body: &[u8; 17]) -> u32 {
    body.iter().zip(WEIGHTS).map(|(&d, w)| digit(d) * w).sum()
}

/// Each weight's inverse mod 11 (11 is prime, and no weight is a multiple of it).
const INVERSES: [u32; 17] = {
    let mut inverses = [0u32; 17];
    let mut i = 0;
    while i < 17 {
        let mut x = 1;
        while WEIGHTS[i] * x % 11 != 1 {
            x += 1;
        }
        inverses[i] = x;
        i += 1;
    }
    inverses
};

/// The one digit that, put at `position` in place of `from`, makes a body of weighted sum
/// `sum` carry the check character `check`; `None` when no digit does (the needed value is
/// ten, or `check` is no check character) or when only `from` itself does.
///
/// A weight is invertible mod 11, so the check fixes the new digit mod 11: one candidate
/// per position instead of trying all ten.
pub(crate) fn substitution_for_check(sum: u32, position: usize, from: u8, check: u8) -> Option<u8> {
    let target = CHECK_CHARS.iter().position(|&c| c == check)? as u32;
    let old = digit(from);
    // new ≡ old + (target − sum) × w⁻¹ (mod 11), kept in unsigned arithmetic.
    let change = (target + 11 - sum % 11) % 11 * INVERSES[position] % 11;
    let new = (old + change) % 11;
    let byte = b'0' + u8::try_from(new).ok().filter(|&d| d <= 9)?;
    (byte != from).then_some(byte)
}

pub(crate) fn check_char_of_sum(sum: u32) -> u8 {
    CHECK_CHARS[(sum % 11) as usize]
}

fn digit(d: u8) -> u32 {
    u32::from(d.wrapping_sub(b'0')).min(9)
}

/// Removes what is cosmetic: whitespace, separators, a leading Excel text apostrophe, a
/// trailing `.0` from a number cell; folds full-width characters and lowercase `x`.
///
/// Only characters that cannot carry identity are touched, so two numbers that differ after
/// cleaning really differ.
pub fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(18);
    for ch in raw.trim().trim_start_matches(['\'', '`']).chars() {
        let ch = match ch {
            '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (ch as u32 - 0xFF10) as u8),
            '\u{FF38}' | '\u{FF58}' | 'x' | '×' => 'X',
            '\u{FF45}' => 'e',
            '\u{FF0B}' => '+',
            c if c.is_whitespace() || matches!(c, '-' | '_' | '\u{3000}' | '\u{200B}') => continue,
            c => c,
        };
        out.push(ch);
    }
    if let Some(stripped) = out.strip_suffix(".0") {
        out.truncate(stripped.len());
    }
    out
}
