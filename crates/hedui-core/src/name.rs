//! Personal names as department exports write them, normalised so that the matcher can
//! compare them cheaply.
//!
//! Exports disagree on width (full-width Latin), script (traditional 陳 vs simplified 陈),
//! minority-name separators (`·`, `•`, `.`, spaces) and on how they store characters the
//! system could not encode (`?`, `*`, `□`, U+FFFD, private-use code points). [`PersonName`]
//! folds all of these into one form at construction and precomputes the pinyin key, so the
//! comparison helpers [`wildcard_compatible`] and [`same_pinyin`] never allocate.

mod normalise;
mod pinyin_key;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::shared::Shared;

/// The separator between the parts of a multi-part (minority) name, U+00B7 MIDDLE DOT.
pub const SEPARATOR: char = '\u{00B7}';

/// The character that stands for one unreadable (rare) character in [`PersonName::as_str`].
///
/// A literal `?` is the most common placeholder in real exports already, and no registered
/// name contains a real question mark, so reusing it keeps the normal form readable in
/// reports and lossless: every `?` in the normal form is a wildcard and nothing else.
pub const WILDCARD: char = '?';

/// The token that stands for a wildcard position in [`PersonName::pinyin_key`].
pub const PINYIN_WILDCARD: &str = "*";

/// A normalised personal name.
///
/// Build one with [`PersonName::normalise`]; the derived fields are computed from the text
/// once, so equality, hashing and the comparison helpers stay consistent with the text.
/// It serialises as its normal text and re-normalises when deserialised, so stored names
/// can never hold a non-normal form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub struct PersonName {
    /// Shared, because a prefecture's millions of rows hold tens of thousands of distinct
    /// names: a remembered name is handed out, not copied.
    parts: Shared<NameParts>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct NameParts {
    text: String,
    /// Characters excluding separators; wildcards count as one each.
    char_count: usize,
    wildcards: usize,
    multipart: bool,
    pinyin: String,
}

impl PersonName {
    /// Normalises a raw name from any export. Never fails: text that is not a name at all
    /// still yields a (possibly empty) value, and the caller decides what to do with it.
    pub fn normalise(raw: &str) -> PersonName {
        let text = normalise::normal_text(raw);
        let char_count = text.chars().filter(|&c| c != SEPARATOR).count();
        let wildcards = text.chars().filter(|&c| c == WILDCARD).count();
        // Only names with Han parts are minority transliterations; a Latin `Zhang·Wei` is a
        // pinyin spelling of an ordinary Han name and keeps its surname reading.
        let multipart = text.contains(SEPARATOR) && text.chars().any(is_han);
        let pinyin = pinyin_key::pinyin_key(&text, multipart);
        PersonName {
            parts: Shared::from(NameParts {
                text,
                char_count,
                wildcards,
                multipart,
                pinyin,
            }),
        }
    }

    /// This name, kept for the rest of the process, so that its copies count nothing (see
    /// [`Shared`]): for a memo that hands it to row after row.
    pub fn kept(self) -> PersonName {
        PersonName {
            parts: self.parts.into_kept(),
        }
    }

    /// The normal form: simplified, separators unified to `·`, wildcards as `?`.
    pub fn as_str(&self) -> &str {
        &self.parts.text
    }

    /// Whether nothing of the name survived normalisation.
    pub fn is_empty(&self) -> bool {
        self.parts.text.is_empty()
    }

    /// The surname: the first character, or for a multi-part name the first part.
    ///
    /// Compound Han surnames (欧阳) are not detected, and in Uyghur-style names the first
    /// part is the personal name rather than a family name; callers use this for blocking
    /// and frequency tables, where a consistent rule matters more than the linguistics.
    pub fn surname(&self) -> &str {
        if self.parts.text.contains(SEPARATOR) {
            return self.parts.text.split(SEPARATOR).next().unwrap_or_default();
        }
        match self.parts.text.char_indices().nth(1) {
            Some((end, _)) => &self.parts.text[..end],
            None => &self.parts.text,
        }
    }

    /// Number of characters, not counting separators; each wildcard counts as one.
    pub fn char_count(&self) -> usize {
        self.parts.char_count
    }

    /// Number of wildcard positions (characters the source system could not store).
    pub fn wildcards(&self) -> usize {
        self.parts.wildcards
    }

    /// Whether any position is a wildcard.
    pub fn has_wildcard(&self) -> bool {
        self.parts.wildcards > 0
    }

    /// Whether this is a multi-part Han name such as `阿依古丽·买买提`.
    pub fn is_minority_multipart(&self) -> bool {
        self.parts.multipart
    }

    /// Toneless pinyin syllables joined by single spaces, e.g. `shan wei` for 单伟.
    ///
    /// Wildcards become `*`, separators are dropped, Latin runs are lowercased and kept as
    /// one syllable each, and `ü` is written `v` so that `lv` typed by hand matches 吕.
    pub fn pinyin_key(&self) -> &str {
        &self.parts.pinyin
    }

    /// The first letter of each pinyin syllable (`*` for a wildcard), e.g. `sw` for 单伟.
    pub fn pinyin_initials(&self) -> String {
        self.parts
            .pinyin
            .split(' ')
            .filter_map(|syllable| syllable.chars().next())
            .collect()
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.parts.text)
    }
}

impl From<String> for PersonName {
    fn from(raw: String) -> Self {
        PersonName::normalise(&raw)
    }
}

impl From<&str> for PersonName {
    fn from(raw: &str) -> Self {
        PersonName::normalise(raw)
    }
}

impl From<PersonName> for String {
    fn from(name: PersonName) -> Self {
        name.parts.text.clone()
    }
}

/// Whether `c` is a Han ideograph (any CJK Unified Ideographs block, the compatibility
/// block, or 〇, which is a real character in names, not a placeholder).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3007}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{323AF}')
}

/// Whether two names can be the same person's name once wildcards are allowed to stand for
/// any character: same length, every position equal or a wildcard on either side, and at
/// least one real character agreeing (two all-wildcard names say nothing). Separators are
/// skipped, because some systems drop them from minority names.
pub fn wildcard_compatible(a: &PersonName, b: &PersonName) -> bool {
    if a.parts.char_count != b.parts.char_count || a.parts.char_count == 0 {
        return false;
    }
    if a.parts.text == b.parts.text {
        return a.parts.char_count > a.parts.wildcards;
    }
    // Zip the two streams without collecting: the counts are already known to be equal.
    let mut agreeing = 0usize;
    let left = a.parts.text.chars().filter(|&c| c != SEPARATOR);
    let right = b.parts.text.chars().filter(|&c| c != SEPARATOR);
    for (x, y) in left.zip(right) {
        if x == WILDCARD || y == WILDCARD {
            continue;
        }
        if x != y {
            return false;
        }
        agreeing += 1;
    }
    agreeing > 0
}

/// Whether two names read the same in toneless pinyin, syllable by syllable, with a `*`
/// (wildcard) on either side matching any syllable and at least one real syllable agreeing.
/// Homophones such as 张伟/张玮 and 王伟/汪伟 are the same here; that is the point.
pub fn same_pinyin(a: &PersonName, b: &PersonName) -> bool {
    if a.parts.pinyin.is_empty() || b.parts.pinyin.is_empty() {
        return false;
    }
    if a.parts.wildcards == 0 && b.parts.wildcards == 0 {
        return a.parts.pinyin == b.parts.pinyin;
    }
    let mut left = a.parts.pinyin.split(' ');
    let mut right = b.parts.pinyin.split(' ');
    let mut agreeing = 0usize;
    loop {
        match (left.next(), right.next()) {
            (None, None) => return agreeing > 0,
            (Some(x), Some(y)) => {
                if x == PINYIN_WILDCARD || y == PINYIN_WILDCARD {
                    continue;
                }
                if x != y {
                    return false;
                }
                agreeing += 1;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests;
