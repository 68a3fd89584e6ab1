//! The text pipeline behind [`PersonName::normalise`](super::PersonName::normalise).
//!
//! Order matters: NFKC first, so full-width `？`, `．` and the ideographic space reach the
//! classifier as their ASCII forms; whitespace is resolved before script conversion, so
//! OpenCC sees whole name parts; a final NFKC covers combining marks that only met their
//! base character once the whitespace between them was removed.

use std::sync::LazyLock;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;

use super::{SEPARATOR, WILDCARD, is_han};

/// Building the converter loads several dictionaries, so it happens once per process.
/// If the embedded dictionaries ever failed to load, names would stay unconverted rather
/// than the process panicking; the tests catch that case.
static T2S: LazyLock<Option<OpenCC>> =
    LazyLock::new(|| OpenCC::from_config(BuiltinConfig::T2s).ok());

/// Fewest characters for which a space between two Han parts is read as a minority-name
/// separator. Shorter names with a space are ordinary names padded for alignment
/// (`王  伟`, `张 小明`, `欧阳 修明`), where the space carries no meaning.
const MIN_MULTIPART_CHARS: usize = 5;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Char(char),
    Space,
    Sep,
}

pub(super) fn normal_text(raw: &str) -> String {
    let units: Vec<Unit> = crate::nfkc::nfkc(raw)
        .chars()
        .filter_map(classify)
        .collect();
    let name_chars = units
        .iter()
        .filter(|u| matches!(u, Unit::Char(c) if is_hanlike(*c)))
        .count();
    let mut out = String::with_capacity(raw.len());
    for segment in units.split(|u| *u == Unit::Sep) {
        let mut words = segment
            .split(|u| *u == Unit::Space)
            .filter(|w| !w.is_empty())
            .peekable();
        if words.peek().is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push(SEPARATOR);
        }
        let mut previous: Option<&[Unit]> = None;
        for word in words {
            if let Some(left) = previous
                && space_is_separator(left, word, name_chars)
            {
                out.push(SEPARATOR);
            }
            out.extend(word.iter().filter_map(|u| match u {
                Unit::Char(c) => Some(*c),
                _ => None,
            }));
            previous = Some(word);
        }
    }
    let out = to_simplified(out);
    if out.is_ascii() {
        out
    } else {
        crate::nfkc::nfkc(&out).into_owned()
    }
}

fn classify(c: char) -> Option<Unit> {
    if is_placeholder(c) {
        Some(Unit::Char(WILDCARD))
    } else if is_separator(c) {
        Some(Unit::Sep)
    } else if c.is_whitespace() {
        Some(Unit::Space)
    } else if is_invisible(c) {
        None
    } else {
        Some(Unit::Char(c))
    }
}

/// Placeholders that systems write for a character they cannot store. 〇 is deliberately
/// absent: it is a real character (`李〇`) and must match only itself. 〓 (geta mark) is
/// the traditional typesetter's mark for a missing glyph. `*` is what a clerk types for a
/// character the keyboard cannot reach, and what masked extracts write.
fn is_placeholder(c: char) -> bool {
    matches!(c,
        '?' | '*' | '\u{FF0A}' | '\u{25A1}' | '\u{25A0}' | '\u{3013}' | '\u{FFFD}'
        | '\u{E000}'..='\u{F8FF}'
        | '\u{F0000}'..='\u{10FFFF}')
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '\u{00B7}'
            | '.'
            | '\u{2022}'
            | '\u{2219}'
            | '\u{22C5}'
            | '\u{30FB}'
            | '\u{2027}'
            | '\u{2E31}'
    )
}

/// Control and format characters (zero-width spaces, BOMs, bidi marks, variation
/// selectors) that survive NFKC, are invisible in every report, and would otherwise make
/// two identical-looking names unequal.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0000}'..='\u{E0FFF}')
}

fn is_hanlike(c: char) -> bool {
    c == WILDCARD || is_han(c)
}

fn is_latinlike(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c)
}

/// Whether the whitespace between two words separates parts of one name. Latin words
/// (`Zhang Wei`) always are parts; Han words only when both sides are at least two
/// characters in a long name, see [`MIN_MULTIPART_CHARS`]. A space between Han and Latin
/// (`李 yan 华`, pinyin written for a rare character) is dropped.
fn space_is_separator(left: &[Unit], right: &[Unit], name_chars: usize) -> bool {
    let (Some(Unit::Char(l)), Some(Unit::Char(r))) = (left.last(), right.first()) else {
        return false;
    };
    if is_latinlike(*l) && is_latinlike(*r) {
        return true;
    }
    is_hanlike(*l)
        && is_hanlike(*r)
        && name_chars >= MIN_MULTIPART_CHARS
        && left.len() >= 2
        && right.len() >= 2
}

/// OpenCC converts by phrase, so one pass can, in rare contexts, leave text that a second
/// pass changes again; iterating to a fixed point keeps normalisation idempotent. Names
/// already simplified cost one pass.
fn to_simplified(text: String) -> String {
    if text.is_ascii() {
        return text;
    }
    let Some(converter) = T2S.as_ref() else {
        return text;
    };
    let mut current = text;
    for _ in 0..4 {
        let next = converter.convert(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}
