//! NFKC without the cost when there is nothing to fold.
//!
//! Nearly every cell hedui reads (Han text, ASCII digits) is already in NFKC, and every
//! name, address and date is normalised, millions of times a run; the quick check lets
//! those cells through without decomposing, recomposing and allocating.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// `text` in NFKC, borrowed when it already is.
pub fn nfkc(text: &str) -> Cow<'_, str> {
    if ascii_or_common_han(text) || is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfkc().collect())
    }
}

/// Whether `text` is only ASCII and U+4000..=U+9FFF (CJK Extension A's tail, the Yijing
/// hexagrams and the CJK Unified Ideographs): characters with no decomposition that never
/// combine, so the text is NFKC as it stands. Judged on the bytes, which is several times
/// faster than the per-character quick check for the Han text most cells hold: in UTF-8
/// that range is exactly the three-byte sequences led by 0xE4..=0xE9.
fn ascii_or_common_han(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += match b {
            0x00..=0x7F => 1,
            0xE4..=0xE9 => 3,
            _ => return false,
        };
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_only_when_needed() {
        assert!(matches!(nfkc("张三 2019-03-05"), Cow::Borrowed(_)));
        assert_eq!(nfkc("２０１９年３月５日"), "2019年3月5日");
        assert_eq!(nfkc("46.07㎡"), "46.07m2");
    }

    #[test]
    fn the_byte_shortcut_agrees_with_the_quick_check() {
        let range = (0..0x80).chain(0x4000..=0x9FFF);
        for c in range.filter_map(char::from_u32) {
            let s = format!("a{c}中{c}");
            assert!(ascii_or_common_han(&s), "{c:?}");
            assert_eq!(is_nfkc_quick(s.chars()), IsNormalized::Yes, "{c:?}");
        }
        assert!(!ascii_or_common_han("２０"));
        assert!(!ascii_or_common_han("〇"));
        assert!(!ascii_or_common_han("㐀"));
    }
}
