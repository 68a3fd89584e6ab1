//! Addresses, by the finest administrative level both sides name.

use hedui_core::address::{Address, AddressAgreement};

use crate::group_names::GroupNames;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressLevel {
    /// Same village and the same house number or street address: a home's location is
    /// its family's registered address.
    SameHouse = 0,
    SameVillageAndGroup = 1,
    /// Same village; whether the group is the same cannot be told (one side names none, or
    /// one names it by number and the other by natural village with no learned mapping).
    SameVillage = 2,
    /// Same village, known to be another group: a relative's or a namesake's house, far more
    /// often than a mistake in one person's two addresses.
    SameVillageOtherGroup = 3,
    SameTownship = 4,
    SameCounty = 5,
    Different = 6,
    Missing = 7,
}

impl AddressLevel {
    /// The level a comparison vector holds for [`super::Field::Address`].
    pub fn of(levels: &super::Levels) -> Self {
        match levels.get(super::Field::Address) {
            0 => Self::SameHouse,
            1 => Self::SameVillageAndGroup,
            2 => Self::SameVillage,
            3 => Self::SameVillageOtherGroup,
            4 => Self::SameTownship,
            5 => Self::SameCounty,
            6 => Self::Different,
            _ => Self::Missing,
        }
    }

    /// The same house, or the same village with no other group named.
    pub fn same_village(self) -> bool {
        matches!(
            self,
            Self::SameHouse | Self::SameVillageAndGroup | Self::SameVillage
        )
    }

    /// Anywhere in the member's township.
    pub fn within_township(self) -> bool {
        self.same_village() || matches!(self, Self::SameVillageOtherGroup | Self::SameTownship)
    }
}

pub fn address_level(owner: &Address, member: &Address, groups: &GroupNames) -> AddressLevel {
    let agreement = owner.agreement(member);
    let level = match agreement {
        AddressAgreement::SameVillageAndGroup => AddressLevel::SameVillageAndGroup,
        AddressAgreement::SameVillage => match groups.same_group(owner, member) {
            Some(true) => AddressLevel::SameVillageAndGroup,
            Some(false) => AddressLevel::SameVillageOtherGroup,
            None => AddressLevel::SameVillage,
        },
        AddressAgreement::SameTownship => AddressLevel::SameTownship,
        AddressAgreement::SameCounty => AddressLevel::SameCounty,
        AddressAgreement::Different => AddressLevel::Different,
        AddressAgreement::Missing => AddressLevel::Missing,
    };
    // `6组51号` and `7组51号` are two houses that happen to share a number.
    let groups_differ = level == AddressLevel::SameVillageOtherGroup
        || (owner.group.is_some() && member.group.is_some() && owner.group != member.group);
    let same_village = matches!(
        level,
        AddressLevel::SameVillageAndGroup | AddressLevel::SameVillage
    );
    let same_text = || {
        !owner.rest.is_empty()
            && owner.rest == member.rest
            && owner.rest.contains(|c: char| c.is_ascii_digit())
    };
    // One group and one house number is one house, however the group is written:
    // `河边19号` and `河边村民小组19号`, or `6组49号` and `阿倮49号` once 阿倮 is known as group 6.
    let same_number = || {
        owner
            .house_number()
            .is_some_and(|n| member.house_number() == Some(n))
    };
    let same_house = (same_village && !groups_differ && same_text())
        || (level == AddressLevel::SameVillageAndGroup && same_number());
    if same_house {
        AddressLevel::SameHouse
    } else {
        level
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level() {
        let a = |s: &str| Address::parse(s);
        let m = a("金平县勐拉镇新勐村3组");
        let learned = GroupNames::from_same_dwellings([(&m, &a("勐拉镇新勐村前进8号")); 2]);
        let address_level = |o: &Address, m: &Address| address_level(o, m, &learned);
        assert_eq!(
            address_level(
                &a("勐拉镇新勐村委会黑树林154号"),
                &a("金平县勐拉镇新勐村黑树林154号")
            ),
            AddressLevel::SameHouse
        );
        assert_eq!(
            address_level(&a("金平县勐拉镇新勐村委会三组"), &m),
            AddressLevel::SameVillageAndGroup
        );
        assert_eq!(
            address_level(
                &a("勐拉镇新勐村委会6组51号"),
                &a("金平县勐拉镇新勐村7组51号")
            ),
            AddressLevel::SameVillageOtherGroup,
            "one house number in two groups is two houses"
        );
        assert_eq!(
            address_level(
                &a("勐拉镇新勐村委会河边19号"),
                &a("金平县勐拉镇新勐村河边村民小组19号")
            ),
            AddressLevel::SameHouse,
            "a natural village written with and without 村民小组"
        );
        assert_eq!(
            address_level(&a("勐拉镇新勐村委会前进8号"), &m),
            AddressLevel::SameVillageAndGroup,
            "a learned group without a house number on one side"
        );
        let m8 = a("金平县勐拉镇新勐村3组8号");
        assert_eq!(
            address_level(&a("勐拉镇新勐村委会前进8号"), &m8),
            AddressLevel::SameHouse,
            "a learned group and the same house number"
        );
        assert_ne!(
            address_level(
                &a("勐拉镇新勐村委会河边19号"),
                &a("金平县勐拉镇新勐村河边村民小组91号")
            ),
            AddressLevel::SameHouse
        );
        assert_eq!(
            address_level(
                &a("勐拉镇新勐村委会6组51号"),
                &a("金平县勐拉镇新勐村6组51号")
            ),
            AddressLevel::SameHouse
        );
        assert_eq!(
            address_level(&a("金平县勐拉镇新勐村委会前进村民小组"), &m),
            AddressLevel::SameVillageAndGroup,
            "a natural village learned to be group 3"
        );
        assert_eq!(
            address_level(&a("金平县勐拉镇新勐村委会大坪村民小组"), &m),
            AddressLevel::SameVillage,
            "a natural village with no learned number"
        );
        assert_eq!(
            address_level(&a("金平县勐拉镇新勐村"), &m),
            AddressLevel::SameVillage
        );
        assert_eq!(
            address_level(&a("金平县勐拉镇新勐村5组"), &m),
            AddressLevel::SameVillageOtherGroup
        );
        assert_eq!(
            address_level(&a("金平县勐拉镇翁当村"), &m),
            AddressLevel::SameTownship
        );
        assert_eq!(
            address_level(&a("金平县金河镇"), &m),
            AddressLevel::SameCounty
        );
        assert_eq!(
            address_level(&a("蒙自市文澜镇"), &m),
            AddressLevel::Different
        );
        assert_eq!(address_level(&a(""), &m), AddressLevel::Missing);
    }
}
