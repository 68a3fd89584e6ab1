//! Whether an unmapped header looks like a field's aliases.
//!
//! An export that names its date column `注销吊销日期` where the table knows `注销日期` and
//! `吊销日期` is read without that field, and the rules then judge every deregistered
//! licence on an unknown date. A header that *resembles* a needed field is far more likely
//! a new spelling of it than an unrelated column, so the engine refuses to run on it unless
//! told to (see `docs/ingest.md`, "No silent degradation").

use strsim::normalized_levenshtein;

use crate::aliases::header_key;

/// Two-character words too common in headers to tie a column to a field: every date
/// column shares `日期`, every number column `号码`.
const GENERIC_WORDS: [&str; 16] = [
    "日期", "时间", "名称", "号码", "代码", "类型", "状态", "地址", "信息", "编号", "姓名", "证件",
    "情况", "人员", "所有", "登记",
];

/// Whether `header` resembles the alias `alias`: one contains the other, they are within a
/// small edit distance, or they share a two-character word that is not generic.
pub fn resembles(header: &str, alias: &str) -> bool {
    let (h, a) = (header_key(header), header_key(alias));
    if h.is_empty() || a.is_empty() {
        return false;
    }
    if h == a
        || (a.chars().count() >= 2 && h.contains(&a))
        || (h.chars().count() >= 2 && a.contains(&h))
    {
        return true;
    }
    if normalized_levenshtein(&h, &a) >= 0.6 {
        return true;
    }
    let words = |s: &str| -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        chars
            .windows(2)
            .map(|w| w.iter().collect::<String>())
            .filter(|w| {
                w.chars().all(hedui_core::name::is_han) && !GENERIC_WORDS.contains(&w.as_str())
            })
            .collect()
    };
    let header_words = words(&h);
    words(&a).iter().any(|w| header_words.contains(w))
}

/// The first of `headers` that resembles any of `aliases`, with the alias it resembles.
pub fn resembling<'a, 'b>(
    headers: &'a [String],
    aliases: &'b [String],
) -> Option<(&'a str, &'b str)> {
    headers.iter().find_map(|h| {
        aliases
            .iter()
            .find(|a| resembles(h, a))
            .map(|a| (h.as_str(), a.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merged_or_respelt_header_resembles_its_field() {
        assert!(resembles("注销吊销日期", "吊销日期"));
        assert!(resembles("注销/吊销时间", "注销日期"));
        assert!(resembles("车辆状态码", "车辆状态"));
        assert!(resembles("注册资本金", "注册资本"));
    }

    #[test]
    fn generic_words_alone_do_not_tie_a_column_to_a_field() {
        assert!(!resembles("发证日期", "注销日期"));
        assert!(!resembles("备注", "注销日期"));
        assert!(!resembles("联系电话", "证件号码"));
        assert!(!resembles("经营范围", "状态变更日期"));
    }

    #[test]
    fn the_first_resembling_header_is_named_with_its_alias() {
        let headers = ["备注".to_owned(), "注销吊销日期".to_owned()];
        let aliases = ["状态变更日期".to_owned(), "吊销日期".to_owned()];
        assert_eq!(
            resembling(&headers, &aliases),
            Some(("注销吊销日期", "吊销日期"))
        );
        assert_eq!(resembling(&headers[..1], &aliases), None);
    }
}
