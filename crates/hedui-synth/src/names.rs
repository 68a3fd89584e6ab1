//! Personal names as they occur in Honghe: Han names by surname frequency, Hani/Yi names with
//! father–son linkage (父子连名), a few multi-part `·` names and a few rare characters.
//!
//! Given names come from deliberately small pools so that full-name collisions (several
//! 李文华 in one county) are as common as they are in reality; a matcher that trusts names
//! alone must fail here.

use rand::Rng;

use crate::rng::{SynthRng, Weighted, chance, pick, pick_str};

/// Han surnames with weights per mille, tilted to Yunnan (more 杨, 何, 马, 罗, 普, 白…).
static HAN_SURNAMES: &[(&str, u32)] = &[
    ("李", 79),
    ("王", 60),
    ("张", 62),
    ("刘", 45),
    ("陈", 42),
    ("杨", 55),
    ("赵", 23),
    ("黄", 20),
    ("周", 19),
    ("吴", 18),
    ("徐", 12),
    ("孙", 11),
    ("胡", 12),
    ("朱", 13),
    ("高", 12),
    ("林", 8),
    ("何", 20),
    ("郭", 9),
    ("马", 20),
    ("罗", 18),
    ("普", 10),
    ("白", 10),
    ("龙", 8),
    ("陶", 8),
    ("卢", 8),
    ("段", 8),
    ("余", 10),
    ("杜", 6),
    ("蒋", 5),
    ("沈", 5),
    ("钱", 4),
    ("施", 5),
    ("苏", 5),
    ("许", 6),
    ("邓", 7),
    ("田", 6),
    ("付", 5),
    ("唐", 6),
    ("单", 1),
];

/// Common Hani and Yi surnames.
static MINORITY_SURNAMES: &[(&str, u32)] = &[
    ("李", 30),
    ("白", 15),
    ("普", 12),
    ("马", 10),
    ("陈", 8),
    ("杨", 12),
    ("龙", 6),
    ("卢", 8),
    ("罗", 8),
    ("车", 5),
    ("高", 5),
    ("朱", 5),
    ("沙", 4),
    ("张", 5),
    ("王", 4),
    ("陶", 3),
    ("何", 3),
];

static MALE_OLD: &[&str] = &[
    "建华", "建国", "建军", "国华", "国强", "国平", "志强", "志明", "文华", "文明", "文斌", "永华",
    "永明", "正华", "红军", "海军", "德明", "德华", "光明", "学文", "家福", "金华", "绍华", "树林",
    "云华", "新华", "春华", "世明", "伟", "强", "军", "勇", "明", "林", "平", "刚", "斌", "华",
    "杰", "峰", "辉", "忠", "福", "荣",
];
static MALE_YOUNG: &[&str] = &[
    "伟", "杰", "涛", "斌", "磊", "鹏", "浩", "俊杰", "志伟", "文杰", "家豪", "建华", "国华",
    "志明", "俊", "宇", "凯", "明辉", "海涛", "建明", "云龙", "晓东", "晓明", "永强", "文涛",
    "文华", "志勇", "金林", "俊华",
];
static MALE_MODERN: &[&str] = &[
    "浩然", "宇轩", "子豪", "子轩", "俊杰", "宇航", "梓豪", "浩宇", "一鸣", "博文", "家乐", "俊熙",
    "伟", "杰", "磊", "鹏", "浩", "宇", "涛", "文杰",
];
static FEMALE_OLD: &[&str] = &[
    "秀英", "桂英", "玉兰", "秀兰", "丽华", "桂兰", "玉梅", "玉珍", "秀珍", "春梅", "红梅", "美英",
    "凤英", "兰英", "桂芳", "翠英", "琼芬", "丽芬", "秀芬", "英", "芳", "兰", "梅", "珍", "琼",
    "萍", "红英", "玉华",
];
static FEMALE_YOUNG: &[&str] = &[
    "丽", "芳", "娟", "燕", "艳", "琳", "静", "敏", "丽娟", "丽萍", "丽芳", "红艳", "海燕", "晓燕",
    "春燕", "雪梅", "玉婷", "丽琼", "美玲", "玉芬", "丽仙", "秀琼", "文静", "丽华", "燕萍", "秀梅",
];
static FEMALE_MODERN: &[&str] = &[
    "欣怡", "梓涵", "雨涵", "思雨", "佳琪", "诗涵", "可馨", "雨欣", "紫涵", "一诺", "婷", "静",
    "丽", "娟", "琳", "艳", "敏", "玉婷", "欣妍", "子涵",
];

/// Syllables used to transcribe Hani and Yi given names.
static SYLLABLES: &[&str] = &[
    "沙", "斗", "然", "者", "普", "黑", "阿", "则", "保", "福", "才", "批", "期", "嘎", "收", "三",
    "龙", "波", "里", "七", "诺", "麻", "约", "车", "优", "秋", "梅", "吉", "生", "德", "文", "忠",
    "明", "英", "华", "发", "有", "成", "学", "亮", "红", "林", "平", "芳",
];
static FEMALE_PREFIX: &[&str] = &["阿", "么", "咪", "玉", "秀"];
static MULTIPART_HEAD: &[&str] = &["阿", "者", "普", "沙", "咪", "莫"];

/// Rare characters (生僻字) found in registered names; many systems cannot store them.
pub(crate) static RARE_CHARS: &[char] = &[
    '堃', '喆', '犇', '淼', '玥', '赟', '珺', '䶮', '㛃', '昇', '燚', '垚', '龑', '翀',
];

/// The standard separator of multi-part names.
pub(crate) const NAME_DOT: char = '·';

/// Naming tradition of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    Han,
    Minority,
}

/// A generated name and the facts about it that later defects need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    /// The name as registered (simplified characters, `·` for multi-part names).
    pub full: String,
    /// Length in chars of the surname part; 0 for multi-part names.
    pub surname_len: usize,
}

impl Name {
    pub(crate) fn surname(&self) -> &str {
        let end = self
            .full
            .char_indices()
            .nth(self.surname_len)
            .map_or(self.full.len(), |(i, _)| i);
        &self.full[..end]
    }

    pub(crate) fn last_char(&self) -> Option<char> {
        self.full.chars().last()
    }

    pub(crate) fn is_multipart(&self) -> bool {
        self.full.contains(NAME_DOT)
    }

    pub(crate) fn has_rare(&self) -> bool {
        self.full.chars().any(|c| RARE_CHARS.contains(&c))
    }
}

/// Weighted tables built once per generator.
#[derive(Debug)]
pub(crate) struct NameTables {
    han: Weighted<&'static str>,
    minority: Weighted<&'static str>,
}

/// What a new name should follow.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameSpec<'a> {
    pub pattern: Pattern,
    pub male: bool,
    pub birth_year: i32,
    /// Surname to reuse (children, relatives); `None` draws one.
    pub surname: Option<&'a str>,
    /// Father's last given syllable, for Hani linkage.
    pub father_last: Option<char>,
    pub multipart_rate: f64,
    pub rare_rate: f64,
}

impl NameTables {
    pub(crate) fn new() -> Self {
        Self {
            han: Weighted::new(HAN_SURNAMES),
            minority: Weighted::new(MINORITY_SURNAMES),
        }
    }

    pub(crate) fn surname(&self, rng: &mut SynthRng, pattern: Pattern) -> &'static str {
        match pattern {
            Pattern::Han => self.han.pick(rng),
            Pattern::Minority => self.minority.pick(rng),
        }
    }

    pub(crate) fn name(&self, rng: &mut SynthRng, spec: &NameSpec<'_>) -> Name {
        if spec.pattern == Pattern::Minority
            && spec.surname.is_none()
            && chance(rng, spec.multipart_rate)
        {
            return multipart(rng);
        }
        let surname = spec
            .surname
            .unwrap_or_else(|| self.surname(rng, spec.pattern));
        let mut given = match spec.pattern {
            Pattern::Han => han_given(rng, spec.male, spec.birth_year),
            Pattern::Minority => minority_given(rng, spec.male, spec.birth_year, spec.father_last),
        };
        if chance(rng, spec.rare_rate) {
            let chars: Vec<char> = given.chars().collect();
            let at = rng.random_range(0..chars.len().max(1));
            given = chars
                .iter()
                .enumerate()
                .map(|(i, &c)| if i == at { *pick(rng, RARE_CHARS) } else { c })
                .collect();
        }
        Name {
            full: format!("{surname}{given}"),
            surname_len: surname.chars().count(),
        }
    }
}

fn han_given(rng: &mut SynthRng, male: bool, birth_year: i32) -> String {
    let era = match birth_year {
        ..1975 => 0,
        1975..2000 => 1,
        _ => 2,
    };
    let pool = match (male, era) {
        (true, 0) => MALE_OLD,
        (true, 1) => MALE_YOUNG,
        (true, _) => MALE_MODERN,
        (false, 0) => FEMALE_OLD,
        (false, 1) => FEMALE_YOUNG,
        (false, _) => FEMALE_MODERN,
    };
    (*pick(rng, pool)).to_string()
}

fn minority_given(
    rng: &mut SynthRng,
    male: bool,
    birth_year: i32,
    father_last: Option<char>,
) -> String {
    // Hani sons take the father's last syllable as their first; younger people and daughters
    // more often carry Han-style names, which is what makes namesakes frequent.
    let linked = male && father_last.is_some() && rng.random_bool(0.7);
    if let (true, Some(first)) = (linked, father_last) {
        return format!("{first}{}", pick(rng, SYLLABLES));
    }
    if birth_year >= 1985 && rng.random_bool(0.6) {
        return han_given(rng, male, birth_year);
    }
    if male {
        format!("{}{}", pick(rng, SYLLABLES), pick(rng, SYLLABLES))
    } else {
        format!("{}{}", pick(rng, FEMALE_PREFIX), pick(rng, SYLLABLES))
    }
}

/// One syllable of a Hani/Yi given name.
pub(crate) fn linked_syllable(rng: &mut SynthRng) -> &'static str {
    pick_str(rng, SYLLABLES)
}

fn multipart(rng: &mut SynthRng) -> Name {
    let first = format!("{}{}", pick(rng, MULTIPART_HEAD), pick(rng, SYLLABLES));
    let second: String = (0..rng.random_range(2..=3))
        .map(|_| *pick(rng, SYLLABLES))
        .collect();
    Name {
        full: format!("{first}{NAME_DOT}{second}"),
        surname_len: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::chunk_rng;

    #[test]
    fn hani_sons_often_take_fathers_last_syllable() {
        let tables = NameTables::new();
        let mut rng = chunk_rng(7, 0);
        let spec = NameSpec {
            pattern: Pattern::Minority,
            male: true,
            birth_year: 1970,
            surname: Some("李"),
            father_last: Some('斗'),
            multipart_rate: 0.0,
            rare_rate: 0.0,
        };
        let linked = (0..200)
            .filter(|_| tables.name(&mut rng, &spec).full.starts_with("李斗"))
            .count();
        assert!(linked > 100, "{linked}");
    }

    #[test]
    fn multipart_and_rare_names_are_marked() {
        let tables = NameTables::new();
        let mut rng = chunk_rng(7, 1);
        let spec = NameSpec {
            pattern: Pattern::Minority,
            male: false,
            birth_year: 1960,
            surname: None,
            father_last: None,
            multipart_rate: 1.0,
            rare_rate: 0.0,
        };
        let name = tables.name(&mut rng, &spec);
        assert!(name.is_multipart() && name.surname().is_empty(), "{name:?}");
        let rare = NameSpec {
            pattern: Pattern::Han,
            multipart_rate: 0.0,
            rare_rate: 1.0,
            ..spec
        };
        let name = tables.name(&mut rng, &rare);
        assert!(name.has_rare(), "{name:?}");
    }
}
