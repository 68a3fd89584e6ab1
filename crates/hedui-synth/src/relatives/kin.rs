//! Kinship between a staff member and a recipient member: the words the 备案 register and
//! the 户籍 export use for it, and the relation a reader can derive from two rows of one
//! registration household.

use crate::household::Relation;

/// What the recipient member is to the staff member: the member is the staff member's
/// `Kin` (`Parent`: the member is the staff member's father or mother).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kin {
    Parent,
    Child,
    Sibling,
    Spouse,
    /// The staff member's spouse's parent.
    ParentInLaw,
    /// The staff member's child's spouse.
    ChildInLaw,
    Grandparent,
    Grandchild,
}

/// Every kin, with how often it is drawn where its ages allow it.
pub(crate) const KINS: [(Kin, u32); 8] = [
    (Kin::Parent, 35),
    (Kin::Sibling, 20),
    (Kin::Spouse, 10),
    (Kin::ParentInLaw, 15),
    (Kin::Grandparent, 10),
    (Kin::Child, 6),
    (Kin::ChildInLaw, 4),
    (Kin::Grandchild, 2),
];

impl Kin {
    /// The same tie seen from the other side.
    pub(crate) fn inverse(self) -> Self {
        match self {
            Self::Parent => Self::Child,
            Self::Child => Self::Parent,
            Self::Sibling => Self::Sibling,
            Self::Spouse => Self::Spouse,
            Self::ParentInLaw => Self::ChildInLaw,
            Self::ChildInLaw => Self::ParentInLaw,
            Self::Grandparent => Self::Grandchild,
            Self::Grandchild => Self::Grandparent,
        }
    }

    /// Range of (staff age − member age) this kin allows.
    pub(crate) fn age_gap(self) -> (i32, i32) {
        match self {
            Self::Parent | Self::ParentInLaw => (-38, -20),
            Self::Child | Self::ChildInLaw => (20, 38),
            Self::Sibling => (-8, 8),
            Self::Spouse => (-6, 6),
            Self::Grandparent => (-60, -42),
            Self::Grandchild => (42, 60),
        }
    }

    /// The register's word (关系) for what the member is to the staff member.
    pub(crate) fn register_word(self, staff_male: bool, member_male: bool) -> &'static str {
        match self {
            Self::Parent => "父母",
            Self::Child => "子女",
            Self::Sibling => "兄弟姐妹",
            Self::Spouse => "配偶",
            Self::ParentInLaw if staff_male => "岳父母",
            Self::ParentInLaw => "公婆",
            Self::ChildInLaw if member_male => "女婿",
            Self::ChildInLaw => "儿媳",
            Self::Grandparent => "祖父母",
            Self::Grandchild => "孙子女",
        }
    }

    /// 与户主关系 of someone who is this kin of the 户主: `of_male` is that person's sex,
    /// `older` whether they are older than the 户主, `head_male` the 户主's sex.
    pub(crate) fn hukou_label(self, of_male: bool, older: bool, head_male: bool) -> &'static str {
        match (self, of_male) {
            (Self::Parent, true) => "父亲",
            (Self::Parent, false) => "母亲",
            (Self::Child, true) => "子",
            (Self::Child, false) => "女",
            (Self::Sibling, true) if older => "兄",
            (Self::Sibling, true) => "弟",
            (Self::Sibling, false) if older => "姐",
            (Self::Sibling, false) => "妹",
            (Self::Spouse, _) => "配偶",
            (Self::ParentInLaw, true) if head_male => "岳父",
            (Self::ParentInLaw, false) if head_male => "岳母",
            (Self::ParentInLaw, true) => "公公",
            (Self::ParentInLaw, false) => "婆婆",
            (Self::ChildInLaw, true) => "女婿",
            (Self::ChildInLaw, false) => "儿媳",
            (Self::Grandparent, true) => "祖父",
            (Self::Grandparent, false) => "祖母",
            (Self::Grandchild, true) => "孙子",
            (Self::Grandchild, false) => "孙女",
        }
    }
}

/// 与户主关系 of a recipient household's member in the household's own registration.
pub(crate) fn member_label(relation: Relation, male: bool, older_than_head: bool) -> &'static str {
    let kin = match relation {
        Relation::Head => return "户主",
        Relation::Other => return "其他",
        Relation::Spouse => Kin::Spouse,
        Relation::Child => Kin::Child,
        Relation::Parent => Kin::Parent,
        Relation::Grandchild => Kin::Grandchild,
        Relation::Sibling => Kin::Sibling,
    };
    // No recipient household has in-laws, so the head's sex does not matter here.
    kin.hukou_label(male, older_than_head, true)
}

/// What the member is to the staff member, as a reader derives it from their 与户主关系 in
/// one registration household where one of the two is the 户主; `None` when it cannot be
/// derived (neither is the 户主, or a label says nothing about kinship, such as 其他).
pub(crate) fn derive(staff_label: &str, member_label: &str) -> Option<&'static str> {
    if staff_label == "户主" {
        return Some(match member_label {
            "配偶" => "配偶",
            "父亲" | "母亲" => "父母",
            "子" | "女" => "子女",
            "兄" | "弟" | "姐" | "妹" => "兄弟姐妹",
            "岳父" | "岳母" => "岳父母",
            "公公" | "婆婆" => "公婆",
            "祖父" | "祖母" => "祖父母",
            "孙子" | "孙女" => "孙子女",
            "儿媳" => "儿媳",
            "女婿" => "女婿",
            _ => return None,
        });
    }
    if member_label == "户主" {
        return Some(match staff_label {
            "配偶" => "配偶",
            "子" | "女" => "父母",
            "父亲" | "母亲" => "子女",
            "兄" | "弟" | "姐" | "妹" => "兄弟姐妹",
            "女婿" => "岳父母",
            "儿媳" => "公婆",
            "岳父" | "岳母" => "女婿",
            "公公" | "婆婆" => "儿媳",
            "孙子" | "孙女" => "祖父母",
            "祖父" | "祖母" => "孙子女",
            _ => return None,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whichever of the two is the 户主, the labels written give back the register's word.
    #[test]
    fn labels_derive_the_register_word_both_ways() {
        for (kin, _) in KINS {
            for staff_male in [true, false] {
                for member_male in [true, false] {
                    let staff_male = if kin == Kin::Spouse {
                        !member_male
                    } else {
                        staff_male
                    };
                    let word = kin.register_word(staff_male, member_male);
                    let (lo, _) = kin.age_gap();
                    let member_older = lo < 0;
                    // Staff is 户主: the member's label says what the member is to the staff.
                    let member = kin.hukou_label(member_male, member_older, staff_male);
                    assert_eq!(derive("户主", member), Some(word), "{kin:?} {member}");
                    // Member is 户主: the staff's label says what the staff is to the member.
                    let staff = kin
                        .inverse()
                        .hukou_label(staff_male, !member_older, member_male);
                    assert_eq!(derive(staff, "户主"), Some(word), "{kin:?} {staff}");
                }
            }
        }
        assert_eq!(derive("户主", "其他"), None);
        assert_eq!(derive("子", "女"), None);
    }
}
