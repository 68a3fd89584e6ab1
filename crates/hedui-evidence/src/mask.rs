//! Masking personal data for reports that leave the verification centre.

use hedui_core::resident_id::mask;

/// `张*芳`: first and last character kept, the middle hidden; two-character names keep the
/// surname only (`王*`), so the household can still be recognised by staff who know it.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".to_owned(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// Characters that separate several names in one cell.
fn is_name_separator(c: char) -> bool {
    matches!(c, '、' | '，' | ',' | ';' | '；' | '/' | ' ' | '|')
}

/// Applies (or not) masking to identity numbers and names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Masker {
    pub enabled: bool,
}

impl Masker {
    pub fn id(&self, id: &str) -> String {
        if self.enabled && !id.is_empty() {
            mask(id)
        } else {
            id.to_owned()
        }
    }

    pub fn name(&self, name: &str) -> String {
        if self.enabled {
            mask_name(name)
        } else {
            name.to_owned()
        }
    }

    /// Masks each name in a cell that may list several (`张三、李四`), keeping separators.
    pub fn names_in(&self, cell: &str) -> String {
        if !self.enabled {
            return cell.to_owned();
        }
        let mut out = String::with_capacity(cell.len());
        let mut name = String::new();
        for c in cell.chars() {
            if is_name_separator(c) {
                out.push_str(&mask_name(&name));
                name.clear();
                out.push(c);
            } else {
                name.push(c);
            }
        }
        out.push_str(&mask_name(&name));
        out
    }

    /// The names a cell lists, split as [`Masker::names_in`] splits them.
    pub fn split_names(&self, cell: &str) -> Vec<String> {
        cell.split(is_name_separator)
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Replaces every occurrence of a known name in free text by its masked form. Names of
    /// one character are skipped: replacing every 张 in a sentence would hide nothing more
    /// and make the text unreadable. Longer names go first so `张小芳` wins over `张小`.
    pub fn known_names(&self, text: &str, names: &[String]) -> String {
        if !self.enabled {
            return text.to_owned();
        }
        let mut sorted: Vec<&String> = names.iter().filter(|n| n.chars().count() > 1).collect();
        sorted.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then(a.cmp(b)));
        sorted.dedup();
        let mut out = text.to_owned();
        for name in sorted {
            if out.contains(name.as_str()) {
                out = out.replace(name.as_str(), &mask_name(name));
            }
        }
        out
    }

    /// A record key as written to an output: a staff, register or registration row is keyed
    /// by a person's identity number, which is masked; a plate, credit code or certificate
    /// number names no person and stays as it is.
    pub fn record_key(&self, department: &str, key: &str) -> String {
        let keyed_by_person =
            hedui_core::Department::parse(department).is_some_and(|d| !d.is_asset());
        if keyed_by_person {
            self.text(key)
        } else {
            key.to_owned()
        }
    }

    /// Masks every identity-number-like run of digits inside free text (raw cells can hold
    /// several numbers joined by separators).
    pub fn text(&self, text: &str) -> String {
        if !self.enabled {
            return text.to_owned();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let end = id_run_end(&chars, i);
            let run = &chars[i..end];
            let digits: String = run.iter().filter_map(|&c| ascii_digit(c)).collect();
            if digits.len() >= 14 {
                // Exports write numbers full-width or with spaces; fold before masking so
                // `５３２５…` and `532524 1977…` are hidden like `5325241977…`.
                out.push_str(&mask(&digits));
                i = end;
            } else {
                out.push(chars[i]);
                i += 1;
            }
        }
        out
    }
}

/// The ASCII form of a digit or check letter, ASCII or full-width.
fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' | 'X' => Some(c),
        'x' => Some('X'),
        '\u{FF10}'..='\u{FF19}' => char::from_u32(c as u32 - 0xFF10 + u32::from(b'0')),
        '\u{FF38}' | '\u{FF58}' => Some('X'),
        _ => None,
    }
}

/// Where an identity-number-like run starting at `start` ends: digits (any width), a check
/// letter, and single spaces or dashes between digits.
fn id_run_end(chars: &[char], start: usize) -> usize {
    if !chars[start].is_ascii_digit() && !('\u{FF10}'..='\u{FF19}').contains(&chars[start]) {
        return start + 1;
    }
    let mut end = start;
    while end < chars.len() {
        let c = chars[end];
        let separator = matches!(c, ' ' | '-' | '\u{3000}')
            && chars
                .get(end + 1)
                .is_some_and(|&n| ascii_digit(n).is_some_and(|d| d != 'X'));
        if ascii_digit(c).is_some() || separator {
            end += 1;
        } else {
            break;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_are_masked_as_specified() {
        assert_eq!(mask_name("张小芳"), "张*芳");
        assert_eq!(mask_name("王伟"), "王*");
        assert_eq!(mask_name("阿依古丽·买买提"), "阿******提");
        let m = Masker { enabled: true };
        assert_eq!(m.id("532501197506150034"), "532501********0034");
        assert_eq!(
            m.text("张三、李四 532501197506150034，53252219750615003X 云G12345"),
            "张三、李四 532501********0034，532522********003X 云G12345"
        );
        assert_eq!(m.names_in("张小芳、李四"), "张*芳、李*");
        assert_eq!(
            m.text("证件 ５３２５２４２００５１２２８２０５７ 止"),
            "证件 532524********2057 止"
        );
        assert_eq!(m.text("532524 19770116 1524"), "532524********1524");
        assert_eq!(m.text("电话 0873-1234567"), "电话 0873-1234567");
        let known = vec!["张小芳".to_owned(), "张小".to_owned(), "李".to_owned()];
        assert_eq!(
            m.known_names("户主张小芳名下，李姓", &known),
            "户主张*芳名下，李姓"
        );
        let off = Masker { enabled: false };
        assert_eq!(off.text("532501197506150034"), "532501197506150034");
    }
}
