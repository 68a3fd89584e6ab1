//! Addresses split into the administrative levels the matcher compares.
//!
//! Departments write the same place many ways: with or without `云南省红河州`, with the
//! county's full, common or bare name, `村委会` or `村民委员会`, `三组` or `第3村民小组`.
//! [`Address::parse`] reduces each level to one canonical form, so that comparing two
//! addresses is comparing a few short strings, and [`Address::agreement`] says at which
//! level two addresses still agree.

mod hamlet;
mod numeral;
mod township;
mod village;

use std::fmt;
use std::sync::{Arc, LazyLock};

use serde::{Serialize, Serializer};

use crate::area::{County, PREFECTURES};

/// Country and province prefixes, removed before the county is resolved.
const COUNTRY_PREFIXES: [&str; 4] = ["中华人民共和国", "中国", "云南省", "云南"];

/// Country, province and prefecture prefixes, longest first. A prefecture's name must go
/// before `County::from_name` sees it, because four prefectures share their stem with a
/// county of theirs (红河州 and 红河县, 文山州 and 文山市, 楚雄州, 大理州).
static REGION_PREFIXES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    let mut prefixes: Vec<&'static str> = COUNTRY_PREFIXES.to_vec();
    for p in &PREFECTURES {
        prefixes.extend([p.full_name, p.common_name]);
    }
    prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
    prefixes.dedup();
    prefixes
});

/// A parsed address. Every field is in canonical form, so equal fields mean the same place
/// however the sources wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Address {
    /// The Yunnan county the text names, or that a township unique to one county implies
    /// (serialised as its code).
    #[serde(serialize_with = "county_code")]
    pub county: Option<&'static County>,
    /// Township, canonical (`勐拉镇`), from the county table when it is listed there.
    /// Text parts are shared (`Arc<str>`): a remembered address is handed to every row
    /// that wrote it, and millions of rows name a few thousand places.
    pub township: Option<Arc<str>>,
    /// Village or community with a canonical ending: `新勐村`, `东门社区`.
    pub village: Option<Arc<str>>,
    /// The 村民小组 number.
    pub group: Option<u32>,
    /// Everything else (house number, street), with numbers before units in Arabic digits.
    pub rest: Arc<str>,
}

/// How far two addresses agree, from the finest level down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum AddressAgreement {
    /// Same county, township, village and group.
    SameVillageAndGroup,
    /// Same county, township and village; groups differ or one is missing.
    SameVillage,
    /// Same township; villages differ or one is missing.
    SameTownship,
    /// Same county; lower levels differ or cannot be compared.
    SameCounty,
    /// The addresses name different places.
    Different,
    /// One side lacks the levels needed to say anything.
    Missing,
}

impl Address {
    /// Parses free address text. Never fails: unrecognised text ends up in `rest`.
    pub fn parse(raw: &str) -> Address {
        Self::parse_with(raw, None)
    }

    /// [`Address::parse`] for a text whose county, when the text writes none, is known from
    /// elsewhere (an export's area column, a roster's 县市区): `county` then stands for it,
    /// and the township is read among that county's. A county the text writes still wins;
    /// one only inferred from a township name does not, because township names repeat
    /// across the province and hedui lists Honghe's alone (楚雄's 勐拉乡 is not 金平's
    /// 勐拉镇).
    pub fn parse_in_county(raw: &str, county: &'static County) -> Address {
        Self::parse_with(raw, Some(county))
    }

    fn parse_with(raw: &str, known_county: Option<&'static County>) -> Address {
        let cleaned = clean(raw);
        let text = strip_regions(cleaned.trim_matches(is_punctuation));
        // Punctuation between levels (`金平县、勐拉镇`) is dropped, as the rendered form has
        // none there.
        let (county, text) = take_county(text);
        let county = county.or(known_county);
        let (township, text) = township::take(text.trim_start_matches(is_punctuation), county);
        let county = county.or_else(|| township.as_deref().and_then(County::from_township));
        let mut text = text.trim_start_matches(is_punctuation);
        if township.as_ref().is_some_and(|t| t.ends_with("街道")) {
            // `…街道、办事处`: the office of the 街道, which the rendered form also omits.
            while let Some(after) = text.strip_prefix("办事处") {
                text = after.trim_start_matches(is_punctuation);
            }
        }
        let (village, text) = village::take_village(text.trim_start_matches(is_punctuation));
        let (group, rest) = village::take_group(text);
        let rest = numeral::arabicise_before_units(&rest);
        let rest = rest.trim_end_matches(is_punctuation);
        // Leading punctuation is left by the group taken out before it (`3组、12号`); it is
        // dropped only then, because the rendered group keeps the boundary. After a village
        // it may be what stops `…村` reading as part of the text that follows.
        let rest = if group.is_some() {
            rest.trim_start_matches(is_punctuation)
        } else {
            rest
        };
        Address {
            county,
            township: township.map(Arc::from),
            village: village.map(Arc::from),
            group,
            rest: Arc::from(rest),
        }
    }

    /// [`Address::parse`], with the place before a house number in Arabic digits
    /// (`…东风路` of `…东风路27号`) parsed by `parse_place`: exports write a few hundred
    /// thousand places under millions of house numbers, so a caller that remembers places
    /// parses each once. The number is appended to the place's rest only where that is
    /// what parsing `raw` whole gives: the place ends in a Han character that is no numeral
    /// and no `第`, so no level, group or number reads across the cut, and its rest is its
    /// own ending, untouched (a group taken out of the middle can leave punctuation that
    /// the end of a rest loses, `县、三社`).
    pub fn parse_reusing_place<P: std::ops::Deref<Target = Address>>(
        raw: &str,
        parse_place: impl FnOnce(&str) -> P,
    ) -> Address {
        if let Some((place, number)) = split_house_number(raw) {
            let parsed = parse_place(place);
            if place.ends_with(&*parsed.rest) {
                let mut rest = String::with_capacity(parsed.rest.len() + number.len());
                rest.push_str(&parsed.rest);
                rest.push_str(number);
                return Address {
                    rest: Arc::from(rest),
                    ..Address::clone(&parsed)
                };
            }
        }
        Address::parse(raw)
    }

    /// Whether nothing at all was recognised or left over.
    pub fn is_empty(&self) -> bool {
        self == &Address::default()
    }

    /// The canonical text, for exact comparison, hashing and display. Parsing it gives back
    /// the same parts.
    pub fn key(&self) -> String {
        self.to_string()
    }

    /// The finest level at which two addresses agree.
    ///
    /// Villages are compared only within a known, equal township, because village names
    /// such as 大寨村 repeat across townships; two addresses that share only a village name
    /// are at most [`AddressAgreement::SameCounty`].
    pub fn agreement(&self, other: &Address) -> AddressAgreement {
        use AddressAgreement::*;
        let county = compare(self.county.map(|c| c.code), other.county.map(|c| c.code));
        if county == Some(false) {
            return Different;
        }
        let fallback = if county == Some(true) {
            SameCounty
        } else {
            Missing
        };
        match compare(self.township.as_deref(), other.township.as_deref()) {
            None => return fallback,
            Some(false) if county == Some(true) => return SameCounty,
            Some(false) => return Different,
            Some(true) => {}
        }
        match compare(self.village.as_deref(), other.village.as_deref()) {
            Some(true)
                if compare(self.group, other.group) == Some(true)
                    || compare(self.hamlet(), other.hamlet()) == Some(true) =>
            {
                SameVillageAndGroup
            }
            Some(true) => SameVillage,
            _ => SameTownship,
        }
    }

    /// The natural village (自然村) named after a rural village, e.g. `前进` in
    /// `新寨村委会前进村民小组` or in `新寨村委会前进12号`. It stands for the group: a
    /// 村民小组 is usually one natural village, and exports name it either way.
    pub fn hamlet(&self) -> Option<&str> {
        if !self.village.as_ref()?.ends_with('村') {
            return None;
        }
        hamlet::hamlet(&self.rest)
    }

    /// The house number the address ends with: `19` in `河边村民小组19号`, `12-1` in
    /// `12-1号`.
    pub fn house_number(&self) -> Option<&str> {
        let text = self.rest.strip_suffix('号')?;
        let start = text
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_digit() || c == '-'))
            .map_or(0, |(at, c)| at + c.len_utf8());
        let number = &text[start..];
        number
            .starts_with(|c: char| c.is_ascii_digit())
            .then_some(number)
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(county) = self.county {
            f.write_str(county.common_name)?;
        }
        for part in [&self.township, &self.village].into_iter().flatten() {
            f.write_str(part)?;
        }
        if let Some(group) = self.group {
            write!(f, "{group}组")?;
        }
        f.write_str(&self.rest)
    }
}

/// Resolves a county from a GB/T 2260 code, or from any text that starts with one (an ID
/// number, a 12-digit statistical code).
pub fn county_from_area_code(code: &str) -> Option<&'static County> {
    County::from_code(code.trim().get(..6)?)
}

fn county_code<S: Serializer>(county: &Option<&'static County>, s: S) -> Result<S::Ok, S::Error> {
    county.map(|c| c.code).serialize(s)
}

fn compare<T: PartialEq>(a: Option<T>, b: Option<T>) -> Option<bool> {
    Some(a? == b?)
}

/// Separators between address parts that carry no meaning of their own.
fn is_punctuation(c: char) -> bool {
    // A match, not a search of a string: this runs for every character of every address.
    matches!(c, ',' | ';' | ':' | '、' | '-' | '—' | '_' | '/')
}

/// The text in NFKC with whitespace and invisible characters dropped.
fn clean(raw: &str) -> String {
    let mut cleaned: String = crate::nfkc::nfkc(raw)
        .chars()
        .filter(|c| !is_dropped(*c))
        .collect();
    // NFKC turns `¨` into a space plus a combining mark; once the space is gone the mark
    // composes with the letter before it, so normalise again or the output would not parse
    // to itself.
    if !cleaned.is_ascii() {
        cleaned = crate::nfkc::nfkc(&cleaned).into_owned();
    }
    cleaned
}

/// Whitespace carries no meaning in Chinese addresses, and invisible characters only break
/// equality.
fn is_dropped(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}')
}

fn strip_regions(mut s: &str) -> &str {
    while let Some(prefix) = REGION_PREFIXES.iter().find(|p| s.starts_with(*p)) {
        s = s[prefix.len()..].trim_start_matches(is_punctuation);
    }
    // `云南红河蒙自…`: a bare prefecture stem followed by another county is the prefecture.
    for p in &PREFECTURES {
        if let Some(after) = s.strip_prefix(p.stem)
            && County::from_name(after).is_some_and(|c| c.stem != p.stem)
        {
            return after;
        }
    }
    s
}

/// Takes the county from the start of `s`, consuming whichever name form was written.
fn take_county(s: &str) -> (Option<&'static County>, &str) {
    let Some(county) = County::from_name(s) else {
        return (None, s);
    };
    let Some(form) = [county.full_name, county.common_name, county.stem]
        .into_iter()
        .filter(|form| s.starts_with(form))
        .max_by_key(|form| form.len())
    else {
        return (None, s);
    };
    let after = &s[form.len()..];
    if form != county.stem {
        return (Some(county), after);
    }
    // A bare stem followed by a township or village word names that place, not the county:
    // `河口镇` is a town in 河口县, `红河村` a village anywhere.
    let names_a_place = township::starts_with_suffix(after)
        || village::starts_with_marker(after)
        || names_a_street(county, after);
    if names_a_place {
        return (None, s);
    }
    // Former names keep another suffix: 蒙自县 is today's 蒙自市.
    (
        Some(county),
        after.strip_prefix(['县', '市']).unwrap_or(after),
    )
}

/// Whether `after` (what follows a bare county stem) makes the stem a street's or a
/// building's name: 红河大道 runs through 个旧 and 蒙自, and 建水路 is in 开远. One of the
/// county's own townships after it (石屏大桥乡) is the county's.
fn names_a_street(county: &County, after: &str) -> bool {
    const STREET_WORDS: [&str; 16] = [
        "大道", "路", "大街", "街", "巷", "广场", "小区", "花园", "大厦", "大桥", "桥", "公园",
        "宾馆", "酒店", "饭店", "中学",
    ];
    // `街道` is a township-level office, not a street.
    let street_word =
        !after.starts_with("街道") && STREET_WORDS.iter().any(|word| after.starts_with(word));
    street_word
        && !county.townships.iter().any(|t| {
            let stem = t.trim_end_matches(['镇', '乡']).trim_end_matches("街道");
            after.starts_with(stem)
        })
}

#[cfg(test)]
mod tests;

/// `raw` as a place and a house number in Arabic digits (`27号`), where the place ends in
/// a Han character that is no numeral and no `第`.
fn split_house_number(raw: &str) -> Option<(&str, &str)> {
    let body = raw.strip_suffix('号')?;
    let place = body.trim_end_matches(|c: char| c.is_ascii_digit());
    if place.len() == body.len() {
        return None;
    }
    let last = place.chars().next_back()?;
    let plain_han =
        ('\u{4E00}'..='\u{9FFF}').contains(&last) && !numeral::is_numeral(last) && last != '第';
    plain_han.then(|| raw.split_at(place.len()))
}
