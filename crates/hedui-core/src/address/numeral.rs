//! Chinese numerals in addresses (`三组`, `第二十三号`, `一〇二室`).
//!
//! Only what addresses use: digits 〇/零 to 九, 十 and 百 (so up to 999), and digit-by-digit
//! forms. Conversion is applied only before a unit (号, 组, 栋 …), never to place names, so
//! `三家村` and the township `三村乡` keep their characters.

/// Units after which a number is a count or label, not part of a place name.
/// Longest first, so that `村民小组` wins over `组`.
const UNITS: [&str; 17] = [
    "村民小组",
    "居民小组",
    "单元",
    "小组",
    "号",
    "组",
    "社",
    "栋",
    "幢",
    "楼",
    "层",
    "室",
    "户",
    "巷",
    "弄",
    "排",
    "队",
];

fn digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// Whether `c` can be part of a number, Arabic or Chinese.
pub(super) fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || is_chinese_numeral(c)
}

fn is_chinese_numeral(c: char) -> bool {
    digit(c).is_some() || c == '十' || c == '百'
}

/// Reads the number at the start of `s` (all of the leading numeral run, Arabic or
/// Chinese), returning its value and byte length. `None` if there is no number or the run
/// is not a well-formed number.
pub(super) fn leading_number(s: &str) -> Option<(u32, usize)> {
    let first = s.chars().next()?;
    let len = if first.is_ascii_digit() {
        s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len())
    } else {
        s.find(|c: char| !is_chinese_numeral(c)).unwrap_or(s.len())
    };
    let run = &s[..len];
    let value = if first.is_ascii_digit() {
        // Nine digits always fit in a u32; longer runs are not address numbers.
        if len > 9 {
            return None;
        }
        run.parse().ok()?
    } else {
        chinese_value(run)?
    };
    Some((value, len))
}

fn chinese_value(run: &str) -> Option<u32> {
    if run.is_empty() {
        return None;
    }
    if run.contains(['十', '百']) {
        return positional(run);
    }
    if run.chars().count() > 9 {
        return None;
    }
    run.chars()
        .try_fold(0u32, |acc, c| Some(acc * 10 + digit(c)?))
}

/// `二十三` = 23, `十一` = 11, `一百零五` = 105. Units must descend and each unit takes at
/// most one digit, so malformed runs (`十十`, `二三十`) are rejected rather than guessed.
fn positional(run: &str) -> Option<u32> {
    let mut total = 0u32;
    let mut pending: Option<u32> = None;
    let mut last_unit = u32::MAX;
    for c in run.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            _ => {
                let d = digit(c)?;
                if pending.is_some() {
                    return None;
                }
                // 零 only holds a place (一百零五), it adds nothing.
                if d != 0 {
                    pending = Some(d);
                }
                continue;
            }
        };
        if unit >= last_unit {
            return None;
        }
        total += pending.take().unwrap_or(1) * unit;
        last_unit = unit;
    }
    Some(total + pending.unwrap_or(0))
}

/// Whether `s` starts with a unit that makes a preceding number a count or label.
pub(super) fn starts_with_unit(s: &str) -> bool {
    UNITS.iter().any(|u| s.starts_with(u)) && !s.starts_with("社区")
}

/// Rewrites Chinese numbers that precede a unit as Arabic digits: `二十三号` → `23号`.
/// A run touching Arabic digits (`3三社`) is left alone: joining the two would invent a
/// number neither form wrote.
pub(super) fn arabicise_before_units(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if is_chinese_numeral(c) {
            let len = rest
                .find(|c: char| !is_chinese_numeral(c))
                .unwrap_or(rest.len());
            let (run, after) = rest.split_at(len);
            let touches_digits = out.ends_with(|p: char| p.is_ascii_digit())
                || after.starts_with(|n: char| n.is_ascii_digit());
            match chinese_value(run) {
                Some(value) if starts_with_unit(after) && !touches_digits => {
                    out.push_str(&value.to_string());
                }
                _ => out.push_str(run),
            }
            rest = after;
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chinese_and_arabic_numbers() {
        for (text, value) in [
            ("三组", 3),
            ("十组", 10),
            ("十一", 11),
            ("二十", 20),
            ("二十三号", 23),
            ("九十九", 99),
            ("一百零五", 105),
            ("一〇二", 102),
            ("零", 0),
            ("03组", 3),
            ("12号", 12),
        ] {
            assert_eq!(leading_number(text).map(|(v, _)| v), Some(value), "{text}");
        }
        for text in ["", "组", "十十", "二三十", "1234567890"] {
            assert_eq!(leading_number(text), None, "{text}");
        }
    }

    #[test]
    fn converts_only_before_units() {
        assert_eq!(arabicise_before_units("二十三号"), "23号");
        assert_eq!(arabicise_before_units("第三组一单元"), "第3组1单元");
        assert_eq!(arabicise_before_units("三家村"), "三家村");
        assert_eq!(arabicise_before_units("十里铺五号"), "十里铺5号");
        assert_eq!(arabicise_before_units("一社区"), "一社区");
        assert_eq!(arabicise_before_units("23号"), "23号");
        assert_eq!(arabicise_before_units("3三社"), "3三社");
        assert_eq!(arabicise_before_units("3二十社"), "3二十社");
    }
}
