//! Co-owner cells: `张三、李四` with `5325…、5325…`, or with no IDs at all.
//!
//! A space both separates co-owners (`张三 李四`) and joins the parts of a minority name
//! (`阿依古丽 买买提`), so spaces split a name cell only when something corroborates it; so
//! do the words that join names (`张三和李四`, see `conjunctions`).

mod conjunctions;

use hedui_core::record::{Holder, IdField, Owner};
use hedui_core::resident_id::clean;

const SEPARATORS: &[char] = &['、', '，', ',', ';', '；', '/', '／', '|', '｜'];

/// The owners of one property row, and a warning when names and IDs cannot be paired.
#[derive(Debug)]
pub(crate) struct SplitOwners {
    pub owners: Vec<Owner>,
    pub warning: Option<String>,
}

pub(crate) fn split_owners(names_raw: &str, ids_raw: &str, co_ownership: &str) -> SplitOwners {
    let slots = split_ids(ids_raw);
    let ids: Vec<&str> = slots
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    let names = split_names(names_raw, ids.len(), co_ownership);
    let owner = |position: usize, raw_name: &str, id: &str| {
        let (name, raw_name) = super::memo::person_name(raw_name);
        Owner {
            raw_name,
            name,
            id: IdField::parse(id),
            // A cell names a handful of people; a position past u32 cannot be written.
            position: u32::try_from(position).unwrap_or(u32::MAX),
            holder: Holder::Person,
        }
    };
    // An empty slot (`5325…、、5325…`) keeps the numbers after it in step with the names.
    let paired: Option<Vec<&str>> = if ids.is_empty() {
        Some(Vec::new())
    } else if slots.len() == names.len() {
        Some(slots.iter().map(String::as_str).collect())
    } else if ids.len() == names.len() {
        Some(ids.clone())
    } else {
        None
    };
    if let Some(paired) = paired {
        let owners = names
            .iter()
            .enumerate()
            .map(|(position, name)| {
                owner(position, name, paired.get(position).copied().unwrap_or(""))
            })
            .collect();
        return SplitOwners {
            owners,
            warning: None,
        };
    }
    // Which number is whose cannot be told from the cell: pairing by position would hand
    // one co-owner another's number, and an exact number outweighs a different name. So the
    // names stand alone and each number is an owner of its own, linked on the number only.
    let warning = format!(
        "co-owner count mismatch: {} names but {} identity numbers; names and numbers kept apart, not paired",
        names.len(),
        ids.len()
    );
    let owners = names
        .iter()
        .map(|name| (name.as_str(), ""))
        .chain(ids.iter().map(|id| ("", *id)))
        .enumerate()
        .map(|(position, (name, id))| owner(position, name, id))
        .collect();
    SplitOwners {
        owners,
        warning: Some(warning),
    }
}

/// Words in a 身份证明名称 cell that name an organisation's document: 组织机构代码证书,
/// 统一社会信用代码, 营业执照, and the 法人 certificates of public bodies and associations.
const ORGANISATION_DOCUMENTS: [&str; 5] =
    ["机构代码", "信用代码", "营业执照", "法人证书", "法人登记证"];

/// Who holds a vehicle, from the kind of document the export names for the owner's number
/// (身份证明名称): the 车管 code `B` (组织机构代码证书) or an organisation's document by name
/// is an organisation; `A` (居民身份证), anything else and nothing are a person. An unknown
/// kind (军官证, 护照, 港澳居民来往内地通行证) is a person's, since only people hold those.
pub(crate) fn holder_of(document: &str) -> Holder {
    // Borrowed for a plain cell: this runs on every row of a vehicle export.
    let text = hedui_core::nfkc::nfkc(document);
    let text = text.trim();
    // The code alone (`B`), or before its name (`B-组织机构代码证书`, `B 组织机构代码证书`).
    let mut chars = text.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), next)
            if c.is_ascii_alphabetic() && !next.is_some_and(|n| n.is_ascii_alphanumeric()) =>
        {
            Some(c.to_ascii_uppercase())
        }
        _ => None,
    };
    if code == Some('B') || ORGANISATION_DOCUMENTS.iter().any(|w| text.contains(w)) {
        Holder::Organisation
    } else {
        Holder::Person
    }
}

/// The number cell's slots in order, empty ones kept: `5325…、、5325…` has three.
fn split_ids(raw: &str) -> Vec<String> {
    let slots: Vec<String> = raw
        .split(SEPARATORS)
        .flat_map(|part| {
            let tokens: Vec<&str> = part.split_whitespace().collect();
            // Spaces inside one number are noise; spaces between whole numbers separate them.
            if tokens.len() > 1
                && tokens
                    .iter()
                    .all(|t| matches!(clean(t).len(), 15 | 17 | 18))
            {
                tokens.into_iter().map(str::to_owned).collect()
            } else {
                vec![part.trim().to_owned()]
            }
        })
        .collect();
    if slots.iter().all(String::is_empty) {
        Vec::new()
    } else {
        slots
    }
}

fn split_names(raw: &str, id_count: usize, co_ownership: &str) -> Vec<String> {
    let explicit: Vec<String> = raw
        .split(SEPARATORS)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if explicit.len() != 1 {
        return explicit;
    }
    let tokens: Vec<&str> = explicit[0].split_whitespace().collect();
    let all_han_names = tokens.iter().all(|t| {
        let n = t.chars().count();
        (2..=4).contains(&n) && t.chars().all(hedui_core::name::is_han)
    });
    let shared = co_ownership.contains("共有") || co_ownership.contains("共同");
    let corroborated = (id_count > 1 && tokens.len() == id_count) || (shared && all_han_names);
    if tokens.len() > 1 && corroborated {
        tokens.into_iter().map(str::to_owned).collect()
    } else {
        conjunctions::split_joined(&explicit[0], id_count, shared).unwrap_or(explicit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &SplitOwners) -> Vec<&str> {
        s.owners.iter().map(Owner::name_raw).collect()
    }

    #[test]
    fn organisation_documents_make_organisations() {
        for kind in [
            "B",
            "b",
            "Ｂ",
            " B ",
            "B-组织机构代码证书",
            "B:组织机构代码证书",
            "组织机构代码证书",
            "组织机构代码",
            "统一社会信用代码",
            "统一社会信用代码证书",
            "营业执照",
            "事业单位法人证书",
            "社会团体法人登记证书",
        ] {
            assert_eq!(holder_of(kind), Holder::Organisation, "{kind}");
        }
        for kind in [
            "",
            "A",
            "A-居民身份证",
            "居民身份证",
            "身份证",
            "军官证",
            "护照",
            "港澳居民来往内地通行证",
            "C",
            // A word that starts with B is not the code B.
            "BZ",
        ] {
            assert_eq!(holder_of(kind), Holder::Person, "{kind}");
        }
    }

    #[test]
    fn splits_names_and_pairs_ids() {
        let s = split_owners(
            "张三、李四",
            "532522197506150034，11010519491231002X",
            "共同共有",
        );
        assert_eq!(names(&s), ["张三", "李四"]);
        assert_eq!(
            s.owners[1]
                .id
                .valid()
                .map(|i| i.as_str().to_owned())
                .as_deref(),
            Some("11010519491231002X")
        );
        assert_eq!(s.owners[1].position, 1);
        assert!(s.warning.is_none());
    }

    #[test]
    fn every_separator_splits() {
        for cell in [
            "张三、李四",
            "张三，李四",
            "张三,李四",
            "张三;李四",
            "张三/李四",
        ] {
            assert_eq!(
                names(&split_owners(cell, "", "")),
                ["张三", "李四"],
                "{cell}"
            );
        }
    }

    #[test]
    fn spaces_split_only_when_corroborated() {
        assert_eq!(
            names(&split_owners("阿依古丽 买买提", "", "单独所有")),
            ["阿依古丽 买买提"]
        );
        assert_eq!(
            names(&split_owners("张三 李四", "", "共同共有")),
            ["张三", "李四"]
        );
        let two_ids = "532522197506150034 11010519491231002X";
        assert_eq!(
            names(&split_owners("张三 李四", two_ids, "")),
            ["张三", "李四"]
        );
    }

    #[test]
    fn joined_names_pair_with_their_numbers() {
        let s = split_owners("张三和李四", "532522197506150034、11010519491231002X", "");
        assert_eq!(names(&s), ["张三", "李四"]);
        assert!(s.warning.is_none());
        assert!(s.owners[1].id.valid().is_some());
        // A given name with 和 in it stays one owner, with its number.
        let s = split_owners("王和平", "532522197506150034", "共同共有");
        assert_eq!(names(&s), ["王和平"]);
        assert!(s.owners[0].id.valid().is_some());
    }

    #[test]
    fn spaces_inside_one_id_are_noise() {
        let s = split_owners("张三", "532522 19750615 0034", "");
        assert!(s.owners[0].id.valid().is_some());
    }

    #[test]
    fn count_mismatch_keeps_names_and_numbers_apart() {
        let s = split_owners("张三、李四、王五", "532522197506150034", "共同共有");
        assert_eq!(names(&s), ["张三", "李四", "王五", ""]);
        assert!(s.owners[..3].iter().all(|o| o.id.is_missing()));
        assert!(s.owners[3].id.valid().is_some() && s.owners[3].name.is_empty());
        assert_eq!(
            s.owners.iter().map(|o| o.position).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
        assert!(
            s.warning
                .unwrap()
                .contains("3 names but 1 identity numbers")
        );
        // An empty slot keeps the pairing in step.
        let s = split_owners(
            "张三、李四、王五",
            "532522197506150034、、11010519491231002X",
            "",
        );
        assert!(s.warning.is_none());
        assert!(s.owners[1].id.is_missing());
        assert_eq!(
            s.owners[2]
                .id
                .valid()
                .map(|i| i.as_str().to_owned())
                .as_deref(),
            Some("11010519491231002X")
        );
        // One name, two numbers: neither number is lost.
        let s = split_owners("张三", "532522197506150034、11010519491231002X", "");
        assert_eq!(names(&s), ["张三", "", ""]);
        assert_eq!(
            s.owners.iter().filter(|o| o.id.valid().is_some()).count(),
            2
        );
        let s = split_owners("张三、李四", "", "");
        assert!(s.warning.is_none() && s.owners.iter().all(|o| o.id.is_missing()));
    }
}
