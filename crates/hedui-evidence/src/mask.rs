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

    /// Masks every identity-number-like run of digits inside free text (raw cells can hold
    /// several numbers joined by separators).
    pub fn text(&self, text: &str) -> String {
        if !self.enabled {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut run = String::new();
        let flush = |run: &mut String, out: &mut String| {
            let digits = run.chars().filter(char::is_ascii_digit).count();
            if digits >= 14 {
                out.push_str(&mask(run))
            } else {
                out.push_str(run)
            }
            run.clear();
        };
        for c in text.chars() {
            if c.is_ascii_digit() || (matches!(c, 'x' | 'X') && !run.is_empty()) {
                run.push(c);
            } else {
                flush(&mut run, &mut out);
                out.push(c);
            }
        }
        flush(&mut run, &mut out);
        out
    }
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
        let known = vec!["张小芳".to_owned(), "张小".to_owned(), "李".to_owned()];
        assert_eq!(
            m.known_names("户主张小芳名下，李姓", &known),
            "户主张*芳名下，李姓"
        );
        let off = Masker { enabled: false };
        assert_eq!(off.text("532501197506150034"), "532501197506150034");
    }
}
