//! NFKC without the cost when there is nothing to fold.
//!
//! Nearly every cell hedui reads (Han text, ASCII digits) is already in NFKC, and every
//! name, address and date is normalised, millions of times a run; the quick check lets
//! those cells through without decomposing, recomposing and allocating.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// `text` in NFKC, borrowed when it already is.
pub fn nfkc(text: &str) -> Cow<'_, str> {
    if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfkc().collect())
    }
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
}
