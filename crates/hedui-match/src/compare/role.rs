//! The member's place in the household. A field about one side only, but still evidence in
//! the Fellegi–Sunter sense: a family's home is registered to its head (and often the
//! spouse), so among members the head is far likelier to be the owner than a random member.
//! How much likelier differs by department, and EM measures it per department; for
//! vehicles it comes out near zero.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Head = 0,
    Spouse = 1,
    OtherMember = 2,
    Missing = 3,
}

impl Role {
    /// Reads a roster's 与户主关系 cell. Unknown wording is another member: the head and
    /// spouse are written in few ways, and anything else is not them.
    pub fn from_relation(relation: &str) -> Self {
        let r = relation.trim();
        match r {
            "" => Self::Missing,
            "户主" | "本人" | "户主本人" | "申请人" => Self::Head,
            "配偶" | "妻" | "夫" | "妻子" | "丈夫" | "之妻" | "之夫" | "爱人" => {
                Self::Spouse
            }
            _ => Self::OtherMember,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn relations() {
        assert_eq!(Role::from_relation("户主"), Role::Head);
        assert_eq!(Role::from_relation(" 本人 "), Role::Head);
        assert_eq!(Role::from_relation("配偶"), Role::Spouse);
        assert_eq!(Role::from_relation("之妻"), Role::Spouse);
        assert_eq!(Role::from_relation("子女"), Role::OtherMember);
        assert_eq!(Role::from_relation("孙子"), Role::OtherMember);
        assert_eq!(Role::from_relation(""), Role::Missing);
    }
}
