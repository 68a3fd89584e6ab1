//! Co-owners joined by a word, as a clerk types them: `张三和李四`, `张三及李四`, `张三与李四`.
//!
//! The same characters are common in given names (`王和平`, `李和英`), so a cell is cut at
//! them only when the cut is the one reading that fits: every part a whole Han name of two
//! to four characters, and as many parts as the number cell lists identity numbers (two or
//! more; or, with no numbers, a co-ownership cell that says the title is shared). When two readings fit
//! (`欧阳和平和李四`: `欧阳` + `平和李四`, or `欧阳和平` + `李四`), none is taken: a wrong cut
//! would give a co-owner a stranger's name, and an uncut cell only fails to match.

/// Words that join two names.
const JOINING: [char; 3] = ['和', '及', '与'];

/// Where a cell holds more than this many joining words, no reading is tried: no
/// title lists that many co-owners this way, and the readings double with each.
const MOST_JOINS: usize = 4;

/// The names of `cell` cut at joining words, when exactly one cut fits (see the module
/// documentation); `None` otherwise.
pub(super) fn split_joined(cell: &str, id_count: usize, shared: bool) -> Option<Vec<String>> {
    let chars: Vec<char> = cell.chars().collect();
    let joins: Vec<usize> = (1..chars.len().saturating_sub(1))
        .filter(|&at| JOINING.contains(&chars[at]))
        .collect();
    if joins.is_empty() || joins.len() > MOST_JOINS {
        return None;
    }
    // One number says one owner, or one of several whose numbers are missing; only more
    // numbers, or none and a shared title, speak for a cut.
    let wanted = |parts: usize| match id_count {
        0 => shared,
        1 => false,
        _ => parts == id_count,
    };
    let mut fitting = None;
    for cuts in 1u32..(1 << joins.len()) {
        let parts = cut_at(&chars, &joins, cuts);
        if parts.iter().all(|p| is_whole_name(p)) && wanted(parts.len()) {
            if fitting.is_some() {
                return None;
            }
            fitting = Some(parts);
        }
    }
    fitting
}

/// The parts of `chars` around the joining words that `cuts` selects (bit `i` for
/// `joins[i]`); the words themselves are dropped.
fn cut_at(chars: &[char], joins: &[usize], cuts: u32) -> Vec<String> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, &at) in joins.iter().enumerate() {
        if cuts & (1 << i) != 0 {
            parts.push(chars[start..at].iter().collect());
            start = at + 1;
        }
    }
    parts.push(chars[start..].iter().collect());
    parts
}

fn is_whole_name(part: &str) -> bool {
    (2..=4).contains(&part.chars().count()) && part.chars().all(hedui_core::name::is_han)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(cell: &str, ids: usize, shared: bool) -> Option<Vec<String>> {
        split_joined(cell, ids, shared)
    }

    #[test]
    fn joined_names_are_cut_when_the_numbers_or_the_title_say_so() {
        for cell in ["张三和李四", "张三及李四", "张三与李四"] {
            assert_eq!(split(cell, 2, false).unwrap(), ["张三", "李四"], "{cell}");
            assert_eq!(split(cell, 0, true).unwrap(), ["张三", "李四"], "{cell}");
            assert_eq!(
                split(cell, 0, false),
                None,
                "{cell}: nothing says it is two"
            );
            assert_eq!(split(cell, 3, false), None, "{cell}: three numbers");
        }
        assert_eq!(
            split("张三和李四和王五", 3, false).unwrap(),
            ["张三", "李四", "王五"]
        );
    }

    #[test]
    fn names_that_hold_the_words_stay_whole() {
        assert_eq!(split("王和平", 0, true), None);
        assert_eq!(split("王和平", 2, false), None);
        assert_eq!(
            split("和平", 0, true),
            None,
            "a word at the edge joins nothing"
        );
        assert_eq!(split("李和英和王五", 2, false).unwrap(), ["李和英", "王五"]);
        assert_eq!(split("张和平和李明", 0, true).unwrap(), ["张和平", "李明"]);
    }

    proptest::proptest! {
        /// A cut never loses or invents text: the parts, joined again by the words they were
        /// cut at, are the cell; and every part is a whole name.
        #[test]
        fn parts_put_back_together_are_the_cell(
            cell in "[张李王和及与平四五欧阳]{0,14}",
            ids in 0usize..5,
            shared: bool,
        ) {
            if let Some(parts) = split_joined(&cell, ids, shared) {
                proptest::prop_assert!(parts.len() >= 2);
                proptest::prop_assert!(parts.iter().all(|p| is_whole_name(p)));
                let mut rest = cell.as_str();
                for (i, part) in parts.iter().enumerate() {
                    rest = rest.strip_prefix(part.as_str()).unwrap_or("<lost>");
                    if i + 1 < parts.len() {
                        let word = rest.chars().next();
                        proptest::prop_assert!(word.is_some_and(|w| JOINING.contains(&w)), "{cell}");
                        rest = &rest[word.map_or(0, char::len_utf8)..];
                    }
                }
                proptest::prop_assert_eq!(rest, "", "{}", cell);
            }
        }
    }

    #[test]
    fn two_fitting_readings_are_none() {
        assert_eq!(split("欧阳和平和李四", 2, false), None);
        assert_eq!(split("张三和李四", 2, false).map(|p| p.len()), Some(2));
        assert_eq!(split("张三和Li Si", 2, false), None, "not a Han name");
        assert_eq!(
            split("甲和乙和丙和丁和戊和己", 6, false),
            None,
            "too many to try"
        );
    }
}
