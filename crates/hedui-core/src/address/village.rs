//! Village (村/社区) and group (村民小组) recognition.
//!
//! Both are found by scanning for markers, so the rules here are what keeps a rendered
//! address parsing back to the same parts: every check looks at the text that follows
//! the canonical form, not the original marker.

use super::{is_punctuation, numeral, township};

/// Village-level markers and the canonical ending each is reduced to. At one position the
/// longest marker wins, so `社区居委会` is taken whole rather than as `社区`.
const VILLAGE_MARKERS: [(&str, &str); 9] = [
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("社区", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("村委", "村"),
    ("村", "村"),
];

/// Committee words that may follow a village's full name (`大寨村村委会`) and add nothing,
/// with the ending they belong to: only a committee of the same kind is redundant.
const COMMITTEES: [(&str, &str); 7] = [
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", "社区"),
    ("居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("村委", "村"),
];

/// After a village marker, these show it is part of a street or estate name (`新村路`),
/// not a village.
const NOT_A_VILLAGE_AFTER: [&str; 9] = [
    "民小组",
    "路",
    "街",
    "巷",
    "道",
    "小区",
    "花园",
    "公寓",
    "苑",
];

/// Group (村民小组) suffixes after a number, longest first.
const GROUP_SUFFIXES: [&str; 5] = ["村民小组", "居民小组", "小组", "组", "社"];

/// Longest village stem accepted; longer runs before `村` are street text.
const MAX_VILLAGE_STEM_CHARS: usize = 12;

/// Whether `s` starts with a village-level marker.
pub(super) fn starts_with_marker(s: &str) -> bool {
    VILLAGE_MARKERS.iter().any(|(m, _)| s.starts_with(m))
}

/// Takes a village from the start of `s`: the text up to the earliest village marker.
pub(super) fn take_village(s: &str) -> (Option<String>, &str) {
    for (at, _) in s.char_indices() {
        let tail = &s[at..];
        let Some((marker, ending)) = VILLAGE_MARKERS
            .iter()
            .filter(|(m, _)| tail.starts_with(m))
            .max_by_key(|(m, _)| m.len())
        else {
            continue;
        };
        let mut after = tail[marker.len()..].trim_start_matches(is_punctuation);
        while let Some(committee) = COMMITTEES
            .iter()
            .find(|(c, kind)| kind == ending && after.starts_with(*c))
            .map(|(c, _)| c)
        {
            after = after[committee.len()..].trim_start_matches(is_punctuation);
        }
        // Checked on what follows the canonical form, so the rendered `…村路` re-parses the
        // same way: not a village. `…村镇` would re-parse as a township (三村乡 is one), and
        // `村委会委` as `村委` plus nothing.
        let extends_ending = VILLAGE_MARKERS.iter().any(|(m, _)| {
            m.len() > ending.len() && m.strip_prefix(ending).is_some_and(|x| after.starts_with(x))
        });
        if extends_ending
            || NOT_A_VILLAGE_AFTER.iter().any(|w| after.starts_with(w))
            || township::starts_with_suffix(after)
        {
            continue;
        }
        let stem = &s[..at];
        // A stem holding a group number (`3组村委会`) means the text is out of order, and
        // taking it as a village would swallow the group.
        let plausible = !stem.is_empty()
            && stem.chars().count() <= MAX_VILLAGE_STEM_CHARS
            && !stem.chars().any(|c| c.is_ascii_digit())
            && !stem.contains('组');
        if !plausible {
            continue;
        }
        return (Some(format!("{stem}{ending}")), after);
    }
    (None, s)
}

/// Takes the first group number (`三组`, `第3村民小组`, `五社`) anywhere in `s` and returns
/// it with the text around it.
pub(super) fn take_group(s: &str) -> (Option<u32>, String) {
    let mut previous: Option<char> = None;
    for (at, c) in s.char_indices() {
        let inside_number = previous.is_some_and(numeral::is_numeral);
        previous = Some(c);
        if inside_number {
            continue;
        }
        let start = if c == '第' { at + c.len_utf8() } else { at };
        let Some((number, len)) = numeral::leading_number(&s[start..]) else {
            continue;
        };
        let after = &s[start + len..];
        let Some(suffix) = GROUP_SUFFIXES.iter().find(|g| after.starts_with(*g)) else {
            continue;
        };
        if after.starts_with("社区") || !(1..=999).contains(&number) {
            continue;
        }
        let end = start + len + suffix.len();
        return (Some(number), format!("{}{}", &s[..at], &s[end..]));
    }
    (None, s.to_owned())
}
