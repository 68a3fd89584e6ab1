//! Natural villages (自然村), the named places inside an administrative village.
//!
//! In Yunnan a 村民小组 is usually one natural village, and departments write it either by
//! number (`新寨村委会3组`) or by name (`新寨村委会前进村民小组`, `新寨村委会前进12号`). The
//! name is as fine a level as the group number, so two addresses that name the same natural
//! village in the same village agree as closely as two that give the same group.

/// Words after a name that mark it as a natural village's group: `前进村民小组`, `大坪组`.
const GROUP_WORDS: [&str; 4] = ["村民小组", "居民小组", "小组", "组"];

/// Endings of street names, which precede house numbers in towns just as natural villages
/// do in the countryside.
const STREET_ENDINGS: [char; 6] = ['路', '街', '巷', '道', '弄', '区'];

/// Longest natural-village name accepted; longer runs are some other text.
const MAX_CHARS: usize = 5;

/// The natural village named at the start of `rest` (what follows a rural village), without
/// a trailing `村`, so `大坪村民小组`, `大坪村3号` and `大坪12号` all give `大坪`.
pub(super) fn hamlet(rest: &str) -> Option<&str> {
    let end = rest
        .char_indices()
        .find(|&(_, c)| !is_name_char(c))
        .map_or(rest.len(), |(at, _)| at);
    let (name, after) = rest.split_at(end);
    let name = if let Some(word) = GROUP_WORDS.iter().find(|w| name.ends_with(*w)) {
        &name[..name.len() - word.len()]
    } else if after.starts_with(|c: char| c.is_ascii_digit()) && number_is_house(after) {
        name
    } else {
        return None;
    };
    let name = name.strip_suffix('村').unwrap_or(name);
    let chars = name.chars().count();
    let plausible = (1..=MAX_CHARS).contains(&chars)
        && !name.ends_with(STREET_ENDINGS)
        && !name.ends_with(['号', '组']);
    plausible.then_some(name)
}

fn is_name_char(c: char) -> bool {
    crate::name::is_han(c)
}

/// `12号`, `12-3号`: a house number, not a building or a group.
fn number_is_house(after: &str) -> bool {
    let digits = after.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
    digits.starts_with('号')
}

#[cfg(test)]
mod tests {
    use super::hamlet;

    #[test]
    fn named_groups_and_house_numbers() {
        assert_eq!(hamlet("前进村民小组"), Some("前进"));
        assert_eq!(hamlet("大坪村民小组"), Some("大坪"));
        assert_eq!(hamlet("大坪组"), Some("大坪"));
        assert_eq!(hamlet("东风158号"), Some("东风"));
        assert_eq!(hamlet("黑树林村12号"), Some("黑树林"));
        assert_eq!(hamlet("黑树林村12-1号"), Some("黑树林"));
    }

    #[test]
    fn streets_numbers_and_noise_are_not_hamlets() {
        assert_eq!(hamlet(""), None);
        assert_eq!(hamlet("12号"), None);
        assert_eq!(hamlet("人民路12号"), None);
        assert_eq!(hamlet("东风"), None, "a bare name could be anything");
        assert_eq!(hamlet("东风3栋"), None);
        assert_eq!(hamlet("村民小组"), None);
        assert_eq!(hamlet("很长的一段不是村名的文字12号"), None);
    }
}
