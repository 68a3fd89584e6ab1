//! Toneless pinyin keys for names, with surname readings for the first character.
//!
//! The `pinyin` crate (0.11) gives each character its most common reading and offers
//! heteronyms, but has no surname mode, so the surname readings that differ from the common
//! reading are kept here as data.

use pinyin::ToPinyin;
use unicode_normalization::UnicodeNormalization;

use super::{PINYIN_WILDCARD, WILDCARD, is_han};

/// Surnames whose reading differs from the character's most common reading in the crate.
/// Only entries where the crate's default is wrong for a surname are listed; 乐 is left out
/// because both `le` and `yue` are common surname readings.
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('朴', "piao"),
    ('区', "ou"),
    ('查', "zha"),
    ('覃', "qin"),
    ('盖', "ge"),
    ('缪', "miao"),
    ('员', "yun"),
    ('秘', "bi"),
    ('繁', "po"),
    ('种', "chong"),
    ('翟', "zhai"),
    ('召', "shao"),
    ('能', "nai"),
    ('隗', "wei"),
    ('句', "gou"),
    ('祭', "zhai"),
    ('阚', "kan"),
    ('乜', "nie"),
    ('长', "chang"),
    ('藏', "zang"),
    ('折', "she"),
    ('都', "du"),
    ('佴', "nai"),
    ('卜', "bu"),
    ('重', "chong"),
];

fn surname_reading(c: char) -> Option<&'static str> {
    SURNAME_READINGS
        .iter()
        .find(|(s, _)| *s == c)
        .map(|(_, reading)| *reading)
}

/// Builds the key for a normalised name. The surname table applies only to the first
/// character of a name that is not a multi-part transliteration, where 查 in 查尔斯 is `cha`.
pub(super) fn pinyin_key(text: &str, multipart: bool) -> String {
    let mut key = String::with_capacity(text.len() * 2);
    let mut in_latin = false;
    for (i, c) in text.chars().enumerate() {
        if is_han(c) {
            in_latin = false;
            start_syllable(&mut key);
            let reading = if i == 0 && !multipart {
                surname_reading(c)
            } else {
                None
            }
            .or_else(|| c.to_pinyin().map(|p| p.plain()));
            match reading {
                Some(syllable) => syllable.chars().for_each(|l| push_letter(&mut key, l)),
                // A character the crate does not know still has to match itself.
                None => key.push(c),
            }
        } else if c == WILDCARD {
            in_latin = false;
            start_syllable(&mut key);
            key.push_str(PINYIN_WILDCARD);
        } else if c.is_alphanumeric() {
            if !in_latin {
                start_syllable(&mut key);
                in_latin = true;
            }
            c.to_lowercase().for_each(|l| push_letter(&mut key, l));
        } else {
            // Separators and punctuation only end a syllable.
            in_latin = false;
        }
    }
    key
}

fn start_syllable(key: &mut String) {
    if !key.is_empty() {
        key.push(' ');
    }
}

/// Writes `ü` (with or without a tone mark) as `v`, as keyboards do, and drops the tone
/// marks of hand-typed pinyin (`Zhāng` → `zhang`).
fn push_letter(key: &mut String, c: char) {
    if c.is_ascii() {
        key.push(c);
        return;
    }
    let mut decomposed = c.nfd();
    match decomposed.next() {
        Some('u') if c != 'u' && c.nfd().any(|m| m == '\u{0308}') => key.push('v'),
        Some(base) => {
            key.push(base);
            key.extend(decomposed.filter(|m| !('\u{0300}'..='\u{036F}').contains(m)));
        }
        None => {}
    }
}
