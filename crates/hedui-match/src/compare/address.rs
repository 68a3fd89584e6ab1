//! Addresses, by the finest administrative level both sides name.

use hedui_core::address::{Address, AddressAgreement};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressLevel {
    /// Same village and the same house number or street address: a home's location is
    /// its family's registered address.
    SameHouse = 0,
    SameVillageAndGroup = 1,
    SameVillage = 2,
    SameTownship = 3,
    SameCounty = 4,
    Different = 5,
    Missing = 6,
}

pub fn address_level(owner: &Address, member: &Address) -> AddressLevel {
    let agreement = owner.agreement(member);
    let same_village = matches!(
        agreement,
        AddressAgreement::SameVillageAndGroup | AddressAgreement::SameVillage
    );
    if same_village
        && !owner.rest.is_empty()
        && owner.rest == member.rest
        && owner.rest.contains(|c: char| c.is_ascii_digit())
    {
        return AddressLevel::SameHouse;
    }
    match agreement {
        AddressAgreement::SameVillageAndGroup => AddressLevel::SameVillageAndGroup,
        AddressAgreement::SameVillage => AddressLevel::SameVillage,
        AddressAgreement::SameTownship => AddressLevel::SameTownship,
        AddressAgreement::SameCounty => AddressLevel::SameCounty,
        AddressAgreement::Different => AddressLevel::Different,
        AddressAgreement::Missing => AddressLevel::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level() {
        let a = |s: &str| Address::parse(s);
        let m = a("金平县勐拉镇新勐村3组");
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
            address_level(&a("金平县勐拉镇新勐村5组"), &m),
            AddressLevel::SameVillage
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
