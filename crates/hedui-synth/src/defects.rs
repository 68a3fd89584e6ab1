//! Noise applied when a clean record is rendered into an export row: ID and name defects per
//! owner, date styles and units per row.
//!
//! Every applied defect returns its tag, so the truth can say exactly what a matcher had to
//! overcome on each linked row. Defects never strip a true link of all evidence: a missing
//! ID never meets a placeholder in the name, and the address is always written.

use chrono::{Datelike, NaiveDate};
use ferrous_opencc::OpenCC;
use rand::Rng;

use crate::assets::Negative;
use crate::config::DefectRates;
use crate::ids::legacy15;
use crate::names::{NAME_DOT, RARE_CHARS};
use crate::people::Person;
use crate::rng::{SynthRng, chance, pick, pick_str};

/// Same-pinyin groups for given-name characters.
static HOMOPHONES: &[&[char]] = &[
    &['伟', '玮', '炜'],
    &['丽', '莉', '俐'],
    &['芳', '方'],
    &['明', '铭'],
    &['红', '虹', '宏'],
    &['英', '莹', '瑛'],
    &['杰', '洁'],
    &['勇', '永'],
    &['平', '萍'],
    &['林', '琳'],
    &['燕', '艳'],
    &['娟', '鹃'],
    &['军', '君'],
    &['华', '桦'],
    &['梅', '玫'],
    &['兰', '岚'],
    &['文', '雯'],
    &['静', '婧'],
    &['斌', '彬'],
    &['峰', '锋'],
    &['辉', '晖'],
    &['建', '健'],
    &['志', '智'],
    &['涛', '韬'],
    &['珍', '贞'],
    &['凤', '风'],
    &['秀', '琇'],
    &['玉', '钰'],
    &['才', '财'],
    &['福', '富'],
    &['德', '得'],
    &['成', '诚'],
    &['学', '雪'],
    &['发', '法'],
    &['强', '蔷'],
    &['生', '升'],
    &['忠', '中'],
    &['云', '芸'],
];
/// Alternatives to `·` seen in real data.
static SEPARATORS: &[char] = &['•', '∙', '・', '‧', '.', ' '];

/// A character that a system wrote instead of one it could not store.
pub(crate) fn placeholder(rng: &mut SynthRng) -> char {
    match rng.random_range(0..5) {
        0 => '?',
        1 => '？',
        2 => '□',
        3 => '\u{FFFD}',
        // GB18030's user-defined area maps to U+E000–U+E233, so these survive the encoding.
        _ => char::from_u32(0xE000 + rng.random_range(0..64)).unwrap_or('?'),
    }
}

/// Rates and the shared simplified→traditional converter.
#[derive(Clone, Copy)]
pub(crate) struct Noise<'a> {
    pub rates: &'a DefectRates,
    pub s2t: Option<&'a OpenCC>,
}

impl std::fmt::Debug for Noise<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Noise")
            .field("rates", self.rates)
            .finish_non_exhaustive()
    }
}

impl Noise<'_> {
    /// A noise rate, raised on rows that truly link to a recipient.
    pub(crate) fn rate(&self, base: f64, linked: bool) -> f64 {
        if linked {
            (base * self.rates.linked_multiplier).min(1.0)
        } else {
            base
        }
    }
}

/// Per-file behaviour of the exporting system.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FileNoise {
    /// The system cannot store rare characters and writes `placeholder` instead.
    pub mangles_rare: bool,
    pub placeholder: char,
}

impl FileNoise {
    /// `person`'s name as this file's system stores it, when it cannot store one of its
    /// rare characters: each written as the file's placeholder.
    fn mangled(&self, person: &Person) -> Option<String> {
        (self.mangles_rare && person.name.has_rare()).then(|| {
            person
                .name
                .full
                .chars()
                .map(|c| {
                    if RARE_CHARS.contains(&c) {
                        self.placeholder
                    } else {
                        c
                    }
                })
                .collect()
        })
    }
}

/// An owner's name and ID as written in one row, with the defects applied.
#[derive(Debug, Clone, Default)]
pub(crate) struct OwnerOut {
    pub name: String,
    pub id: String,
    pub tags: Vec<&'static str>,
}

/// How the ID column of an owner is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdMode {
    /// Subject to every ID defect, including `id_missing`.
    Normal,
    /// Written, but never left out (one of several IDs joined in a cell, whose positions
    /// must stay aligned with the names).
    Present,
    /// Left empty for the whole record: an old rural title.
    OldRuralMissing,
    /// Left empty for the whole co-owner cell.
    CellMissing,
}

/// Renders `person` as an owner.
pub(crate) fn owner(
    rng: &mut SynthRng,
    noise: Noise<'_>,
    file: FileNoise,
    person: &Person,
    linked: bool,
    mode: IdMode,
) -> OwnerOut {
    let r = noise.rates;
    let mut tags = Vec::new();
    let id_dropped = matches!(mode, IdMode::OldRuralMissing | IdMode::CellMissing);
    let mut id_missing =
        id_dropped || (mode == IdMode::Normal && chance(rng, noise.rate(r.id_missing, linked)));

    let mut name = person.name.full.clone();
    if let Some(mangled) = file.mangled(person) {
        name = mangled;
        tags.push("name_rare_placeholder");
        // A placeholder name must keep its ID, or the link would rest on the address alone.
        id_missing = false;
    } else if person.name.is_multipart() && chance(rng, r.name_separator) {
        let sep = *pick(rng, SEPARATORS);
        name = name.replace(NAME_DOT, &sep.to_string());
        tags.push("name_separator");
    } else {
        let (h, t) = (
            noise.rate(r.name_homophone, linked),
            noise.rate(r.name_traditional, linked),
        );
        let p = if id_missing {
            0.0
        } else {
            noise.rate(r.name_rare_placeholder, linked)
        };
        let u: f64 = rng.random();
        if u < h {
            if let Some(changed) = homophone(rng, &name, person.name.surname_len) {
                name = changed;
                tags.push("name_homophone");
            }
        } else if u < h + t {
            if let Some(changed) = noise.s2t.map(|cc| cc.convert(&name)).filter(|c| *c != name) {
                name = changed;
                tags.push("name_traditional");
            }
        } else if u < h + t + p {
            name = with_placeholder(rng, &name, person.name.surname_len);
            tags.push("name_rare_placeholder");
        }
    }

    let id = if id_missing {
        tags.push(if mode == IdMode::OldRuralMissing {
            "old_rural_id_missing"
        } else {
            "id_missing"
        });
        String::new()
    } else {
        id_text(rng, noise, person, linked, &mut tags)
    };
    OwnerOut { name, id, tags }
}

/// Renders the owner of an adversarial negative's record: the name as registered (rare
/// characters lost where the file's system cannot store them) and the number exactly as
/// the negative says, tagged with the negative's kind. `None` for any other record.
pub(crate) fn written_owner(
    file: FileNoise,
    person: &Person,
    negative: Option<Negative>,
) -> Option<OwnerOut> {
    let negative = negative?;
    let written = negative.written?;
    let mut tags = vec![negative.kind.label()];
    let mut name = person.name.full.clone();
    if let Some(mangled) = file.mangled(person) {
        name = mangled;
        tags.push("name_rare_placeholder");
    }
    Some(OwnerOut {
        name,
        id: written.text().to_string(),
        tags,
    })
}

/// Whether two characters are the same or read alike (a homophone pair of this module).
pub(crate) fn same_sound(a: char, b: char) -> bool {
    a == b || HOMOPHONES.iter().any(|g| g.contains(&a) && g.contains(&b))
}

fn id_text(
    rng: &mut SynthRng,
    noise: Noise<'_>,
    person: &Person,
    linked: bool,
    tags: &mut Vec<&'static str>,
) -> String {
    let r = noise.rates;
    let mut id = person.id_str().to_string();
    let legacy_ok = person.birth.year() < 2000;
    let options: [(&'static str, f64); 5] = [
        ("id_typo", r.id_typo),
        ("id_transposition", r.id_transposition),
        ("id_fullwidth", r.id_fullwidth),
        ("id_spaces", r.id_spaces),
        ("id_legacy15", if legacy_ok { r.id_legacy15 } else { 0.0 }),
    ];
    let u: f64 = rng.random();
    let mut edge = 0.0;
    let chosen = options.iter().find(|(_, rate)| {
        edge += noise.rate(*rate, linked);
        u < edge
    });
    let mut form = "plain";
    if let Some(&(tag, _)) = chosen {
        let changed = match tag {
            "id_typo" => Some(typo(rng, &id)),
            "id_transposition" => transpose(rng, &id),
            "id_fullwidth" => Some(id.chars().map(fullwidth).collect()),
            "id_spaces" => Some(spaces(rng, &id)),
            _ => legacy15(&person.id),
        };
        if let Some(changed) = changed {
            id = changed;
            tags.push(tag);
            form = tag;
        }
    }
    if id.ends_with('X')
        && !matches!(form, "id_fullwidth" | "id_legacy15")
        && chance(rng, r.id_lowercase_x)
    {
        id.pop();
        id.push('x');
        tags.push("id_lowercase_x");
    }
    id
}

pub(crate) fn typo(rng: &mut SynthRng, id: &str) -> String {
    let mut bytes = id.as_bytes().to_vec();
    let at = rng.random_range(0..17);
    let old = bytes[at];
    let mut new = old;
    while new == old {
        new = b'0' + rng.random_range(0..10u8);
    }
    bytes[at] = new;
    String::from_utf8_lossy(&bytes).into_owned()
}

fn transpose(rng: &mut SynthRng, id: &str) -> Option<String> {
    let bytes = id.as_bytes();
    let spots: Vec<usize> = (0..bytes.len() - 1)
        .filter(|&i| bytes[i] != bytes[i + 1])
        .collect();
    let &at = spots.get(rng.random_range(0..spots.len().max(1)))?;
    let mut out = bytes.to_vec();
    out.swap(at, at + 1);
    Some(String::from_utf8_lossy(&out).into_owned())
}

fn fullwidth(c: char) -> char {
    match c {
        '0'..='9' => char::from_u32(0xFF10 + (c as u32 - '0' as u32)).unwrap_or(c),
        'X' => 'Ｘ',
        _ => c,
    }
}

fn spaces(rng: &mut SynthRng, id: &str) -> String {
    if rng.random_bool(0.5) && id.len() == 18 {
        format!("{} {} {}", &id[..6], &id[6..14], &id[14..])
    } else {
        let at = rng.random_range(1..id.len());
        format!("{} {}", &id[..at], &id[at..])
    }
}

pub(crate) fn homophone(rng: &mut SynthRng, name: &str, surname_len: usize) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let spots: Vec<(usize, &[char])> = chars
        .iter()
        .enumerate()
        .skip(surname_len)
        .filter_map(|(i, c)| {
            HOMOPHONES
                .iter()
                .find(|g| g.contains(c) && g.len() > 1)
                .map(|g| (i, *g))
        })
        .collect();
    let &(at, group) = spots.get(rng.random_range(0..spots.len().max(1)))?;
    let others: Vec<char> = group.iter().copied().filter(|&c| c != chars[at]).collect();
    let &new = others.get(rng.random_range(0..others.len().max(1)))?;
    Some(
        chars
            .iter()
            .enumerate()
            .map(|(i, &c)| if i == at { new } else { c })
            .collect(),
    )
}

fn with_placeholder(rng: &mut SynthRng, name: &str, surname_len: usize) -> String {
    let chars: Vec<char> = name.chars().collect();
    let spots: Vec<usize> = (0..chars.len())
        .filter(|&i| i >= surname_len && chars[i] != NAME_DOT)
        .collect();
    let at = spots
        .get(rng.random_range(0..spots.len().max(1)))
        .copied()
        .unwrap_or(0);
    let mark = placeholder(rng);
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i == at { mark } else { c })
        .collect()
}

/// How a date is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateStyle {
    Iso,
    Slash,
    SlashPadded,
    Compact,
    Chinese,
    Dotted,
    IsoTime,
}

const DATE_STYLES: [DateStyle; 7] = [
    DateStyle::Iso,
    DateStyle::Slash,
    DateStyle::SlashPadded,
    DateStyle::Compact,
    DateStyle::Chinese,
    DateStyle::Dotted,
    DateStyle::IsoTime,
];

pub(crate) fn format_date(d: NaiveDate, style: DateStyle) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    match style {
        DateStyle::Iso => format!("{y:04}-{m:02}-{day:02}"),
        DateStyle::Slash => format!("{y}/{m}/{day}"),
        DateStyle::SlashPadded => format!("{y:04}/{m:02}/{day:02}"),
        DateStyle::Compact => format!("{y:04}{m:02}{day:02}"),
        DateStyle::Chinese => format!("{y}年{m}月{day}日"),
        DateStyle::Dotted => format!("{y:04}.{m:02}.{day:02}"),
        DateStyle::IsoTime => format!("{y:04}-{m:02}-{day:02} 00:00:00"),
    }
}

/// The file's usual style, or with the `date_mixed_format` rate another one for this row.
pub(crate) fn row_date_style(
    rng: &mut SynthRng,
    noise: Noise<'_>,
    usual: DateStyle,
    linked: bool,
) -> (DateStyle, bool) {
    if chance(rng, noise.rate(noise.rates.date_mixed_format, linked)) {
        let others: Vec<DateStyle> = DATE_STYLES
            .iter()
            .copied()
            .filter(|&s| s != usual)
            .collect();
        (*pick(rng, &others), true)
    } else {
        (usual, false)
    }
}

/// A random usual style for a file.
pub(crate) fn file_date_style(rng: &mut SynthRng) -> DateStyle {
    *pick(
        rng,
        &[
            DateStyle::Iso,
            DateStyle::Iso,
            DateStyle::Slash,
            DateStyle::Compact,
            DateStyle::IsoTime,
        ],
    )
}

/// Values in a required date column that no parser should accept. Not `0000-00-00`, `-`
/// or `无`: those are standard "no date" markers, read as a missing date, not as garbage.
pub(crate) const UNPARSEABLE_DATES: [&str; 6] = [
    "2019-02-30",
    "2018-6-31",
    "不详",
    "2019年13月5日",
    "19.3.5.",
    "#VALUE!",
];

/// A value in a required date column that no parser should accept.
pub(crate) fn unparseable_date(rng: &mut SynthRng) -> &'static str {
    pick_str(rng, &UNPARSEABLE_DATES)
}

/// Floor area as text: plain, or with a unit under `number_units`.
pub(crate) fn area_text(rng: &mut SynthRng, area: f64) -> String {
    match rng.random_range(0..3) {
        0 => format!("{area:.2}㎡"),
        1 => format!("{area:.2}平方米"),
        _ => format!("{area:.2} m²"),
    }
}

/// Registered capital in 万元 as text; the usual form is `50万元`, the others come from
/// the `number_units` rate.
pub(crate) fn capital_text(rng: &mut SynthRng, wan: f64, unusual: bool) -> String {
    if !unusual {
        return format!("{wan}万元");
    }
    match rng.random_range(0..4) {
        0 => format!("{wan}万"),
        1 => format!("{}", wan * 10_000.0),
        2 => format!("{wan:.2}万元人民币"),
        _ => format!("{}元", wan * 10_000.0),
    }
}

#[cfg(test)]
mod tests {
    use hedui_core::date::{DateError, parse_date, parse_date_or_serial};

    use super::UNPARSEABLE_DATES;

    /// Each "unparseable" value is an error for both the text and the spreadsheet parser,
    /// and never the "no date" marker that ingest reads as a missing date.
    #[test]
    fn unparseable_dates_are_errors_not_empty_markers() {
        for raw in UNPARSEABLE_DATES {
            for result in [parse_date(raw), parse_date_or_serial(raw)] {
                match result {
                    Ok(date) => panic!("{raw:?} parsed as {date}"),
                    Err(DateError::Empty { .. }) => panic!("{raw:?} reads as no date"),
                    Err(_) => {}
                }
            }
        }
    }
}
