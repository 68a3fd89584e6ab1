//! How exports write "no value" in a cell that should hold a date, an amount or an area.

/// Whether `text` (NFKC-normalised and trimmed) is one of the ways exports mark a value as
/// absent: empty, a dash, a slash, 无, 空, NULL and the like. A missing value is not a
/// garbled one: the row keeps its other fields and the caller decides what absence means.
pub fn is_missing_marker(text: &str) -> bool {
    const MARKERS: [&str; 13] = [
        "", "-", "--", "—", "——", "/", "\\", "无", "空", "暂无", "null", "none", "n/a",
    ];
    MARKERS.iter().any(|m| text.eq_ignore_ascii_case(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_missing_and_values_are_not() {
        for m in ["", "-", "—", "——", "/", "无", "空", "NULL", "None", "N/A"] {
            assert!(is_missing_marker(m), "{m}");
        }
        for v in ["0", "50", "-5", "无锡", "空调"] {
            assert!(!is_missing_marker(v), "{v}");
        }
    }
}
