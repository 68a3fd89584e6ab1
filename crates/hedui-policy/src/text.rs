//! Comparing department words with policy words.
//!
//! Exports write the same word with full-width characters, stray spaces (`小型 轿车`,
//! `注销　`) or ideographic spaces. Both sides are reduced with [`fold`] before any
//! comparison, so a policy file written by hand and an export written by a registry system
//! still meet.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// NFKC (full-width to half-width, compatibility forms) with all whitespace removed.
pub fn fold(text: &str) -> String {
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

/// A vehicle-type exemption: one exact name, or a pattern.
///
/// A pattern without `*` matches anywhere in the name (`拖拉机` matches `手扶拖拉机`); a
/// pattern with `*` must match the whole name, `*` standing for any run of characters
/// (`*摩托车` matches `普通二轮摩托车` but not `摩托车挂车`). No regular expressions: a
/// county administrator must be able to read the file.
///
/// In the file: `{ exact = "三轮汽车" }` or `{ pattern = "拖拉机" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameMatch {
    Exact(String),
    Pattern(String),
}

impl NameMatch {
    /// Whether `name` (folded here) is matched.
    pub fn matches(&self, name: &str) -> bool {
        let name = fold(name);
        match self {
            Self::Exact(want) => name == fold(want),
            Self::Pattern(pattern) => {
                let pattern = fold(pattern);
                if pattern.contains('*') {
                    glob(&pattern, &name)
                } else {
                    name.contains(&pattern)
                }
            }
        }
    }

    /// How the policy file wrote it, for evidence: `exact 三轮汽车`, `pattern *摩托车`.
    pub fn describe(&self) -> String {
        match self {
            Self::Exact(s) => format!("exact {s}"),
            Self::Pattern(s) => format!("pattern {s}"),
        }
    }
}

/// Anchored `*` glob: the pieces between stars must appear in order, the first at the
/// start (unless the pattern starts with `*`) and the last at the end (unless it ends with
/// `*`).
fn glob(pattern: &str, name: &str) -> bool {
    let pieces: Vec<&str> = pattern.split('*').collect();
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return false;
    };
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    if pieces.len() == 1 {
        return rest.is_empty();
    }
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// Whether a business type matches a listed type: equal, or the listed type followed by a
/// bracketed qualifier. Market-regulation systems write subtypes such as
/// `有限责任公司（自然人独资）`, which are still 有限责任公司.
pub fn entity_type_matches(listed: &str, record: &str) -> bool {
    let (listed, record) = (fold(listed), fold(record));
    match record.strip_prefix(&listed) {
        Some("") => true,
        Some(rest) => rest.starts_with('('),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_ignores_spaces_and_width() {
        let m = NameMatch::Exact("三轮汽车".into());
        assert!(m.matches(" 三轮 汽车　"));
        assert!(!m.matches("三轮摩托车"));
    }

    #[test]
    fn pattern_without_star_is_a_substring() {
        let m = NameMatch::Pattern("拖拉机".into());
        assert!(m.matches("拖拉机"));
        assert!(m.matches("手扶拖拉机"));
        assert!(!m.matches("小型轿车"));
    }

    #[test]
    fn pattern_with_star_is_anchored() {
        let m = NameMatch::Pattern("*摩托车".into());
        assert!(m.matches("普通二轮摩托车"));
        assert!(!m.matches("摩托车挂车"));
        let m = NameMatch::Pattern("残疾人*汽车".into());
        assert!(m.matches("残疾人专用小型自动挡载客汽车"));
        assert!(!m.matches("小型残疾人汽车"));
        assert!(NameMatch::Pattern("a*b*c".into()).matches("aXbYc"));
        assert!(!NameMatch::Pattern("a*b*c".into()).matches("aXcYb"));
    }

    #[test]
    fn entity_subtypes_in_brackets_match() {
        assert!(entity_type_matches(
            "有限责任公司",
            "有限责任公司（自然人独资）"
        ));
        assert!(entity_type_matches("有限责任公司", "有限责任公司"));
        assert!(!entity_type_matches("有限责任公司", "股份有限公司"));
        assert!(!entity_type_matches("个体工商户", "个体工商户联合会"));
    }
}
