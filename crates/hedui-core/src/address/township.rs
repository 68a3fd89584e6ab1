//! Township (乡镇级) recognition: known names from the county table first, then a generic
//! "text up to the first 镇/乡/街道" rule for townships the table does not list.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::area::{COUNTIES, County};

/// Suffixes that end a township name, longest first at each position.
const SUFFIXES: [&str; 5] = ["街道办事处", "街道", "办事处", "镇", "乡"];

/// Ethnic designations inside township names (`者米拉祜族乡`), which people often leave out.
const ETHNIC: [&str; 10] = [
    "哈尼族",
    "拉祜族",
    "布依族",
    "苗族",
    "瑶族",
    "傣族",
    "壮族",
    "彝族",
    "回族",
    "白族",
];

/// Longest generic township stem accepted; a longer run before the first 镇 is more likely
/// a street address that happens to contain the character.
const MAX_GENERIC_STEM_CHARS: usize = 8;

/// Takes a township from the start of `s`. Returns the canonical name and the text after it.
pub(super) fn take<'a>(s: &'a str, county: Option<&'static County>) -> (Option<String>, &'a str) {
    if let Some((name, len)) = known(s, county) {
        return (Some(name.to_owned()), &s[len..]);
    }
    generic(s).map_or((None, s), |(name, len)| (Some(name), &s[len..]))
}

/// Whether `s` starts with a township suffix (so a county stem before it is a town name,
/// as in `河口镇`).
pub(super) fn starts_with_suffix(s: &str) -> bool {
    SUFFIXES.iter().any(|suffix| s.starts_with(suffix))
}

/// The bare stem of a known township: `者米拉祜族乡` → `者米`.
fn stem(name: &str) -> &str {
    let mut stem = SUFFIXES
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .unwrap_or(name);
    while let Some(shorter) = ETHNIC.iter().find_map(|e| stem.strip_suffix(e)) {
        stem = shorter;
    }
    stem
}

/// A listed township with its county and its bare stem.
struct Listed {
    county: &'static County,
    name: &'static str,
    stem: &'static str,
}

/// Every listed township, by the first character of its name. Any written form starts with
/// that character (the stem is a prefix of the name), so a text is compared only with the
/// few townships that could start it: scanning all of them with every row was a twentieth
/// of the time spent reading a vehicle export.
static BY_FIRST_CHAR: LazyLock<HashMap<char, Vec<Listed>>> = LazyLock::new(|| {
    let mut index: HashMap<char, Vec<Listed>> = HashMap::new();
    for county in &COUNTIES {
        for &name in county.townships {
            if let Some(first) = name.chars().next() {
                index.entry(first).or_default().push(Listed {
                    county,
                    name,
                    stem: stem(name),
                });
            }
        }
    }
    index
});

/// Length of a written form of a listed township at the start of `s`: the full name, or
/// its stem with any ethnic designations and any suffix. Any suffix is accepted because
/// townships were upgraded over the years (乡 → 镇, 镇 → 街道) and old records keep the old
/// one.
fn written_len(s: &str, listed: &Listed) -> Option<usize> {
    if s.starts_with(listed.name) {
        return Some(listed.name.len());
    }
    let stem = listed.stem;
    let mut after = s.strip_prefix(stem).filter(|_| !stem.is_empty())?;
    while let Some(shorter) = ETHNIC.iter().find_map(|e| after.strip_prefix(e)) {
        after = shorter;
    }
    let suffix = SUFFIXES.iter().find(|suffix| after.starts_with(*suffix))?;
    Some(s.len() - after.len() + suffix.len())
}

/// The best known township at the start of `s`, searching the county's list, or every
/// county's when the county is unknown. Without a county, two different townships written
/// the same way are ambiguous and give `None`.
fn known(s: &str, county: Option<&'static County>) -> Option<(&'static str, usize)> {
    let listed = BY_FIRST_CHAR.get(&s.chars().next()?)?;
    let in_county = |l: &&Listed| county.is_none_or(|c| c.code == l.county.code);
    let mut best: Option<(&'static str, usize)> = None;
    let mut tied = false;
    for l in listed.iter().filter(in_county) {
        let Some(len) = written_len(s, l) else {
            continue;
        };
        let name = l.name;
        match best {
            Some((best_name, best_len)) if len == best_len && best_name != name => tied = true,
            Some((_, best_len)) if len <= best_len => {}
            _ => {
                best = Some((name, len));
                tied = false;
            }
        }
    }
    if tied { None } else { best }
}

/// Text up to the earliest township suffix, if what precedes it looks like a name.
/// `…街道办事处` is written `…街道`, its current short form.
fn generic(s: &str) -> Option<(String, usize)> {
    let (at, suffix) = s.char_indices().find_map(|(at, _)| {
        SUFFIXES
            .iter()
            .find(|suffix| s[at..].starts_with(*suffix))
            .map(|suffix| (at, *suffix))
    })?;
    let stem = &s[..at];
    let plausible = !stem.is_empty()
        && stem.chars().count() <= MAX_GENERIC_STEM_CHARS
        && !stem.chars().any(|c| c.is_ascii_digit())
        && !["村", "社区", "居委", "组", "省", "州", "市", "县"]
            .iter()
            .any(|m| stem.contains(m))
        // 区 ends a township stem (城区街道) but inside one it marks a district (五华区护国).
        && !stem.trim_end_matches('区').contains('区');
    if !plausible {
        return None;
    }
    let name = match suffix {
        "街道办事处" => format!("{stem}街道"),
        _ => format!("{stem}{suffix}"),
    };
    Some((name, at + suffix.len()))
}
