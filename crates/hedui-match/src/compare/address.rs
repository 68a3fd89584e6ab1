//! Addresses, by the finest administrative level both sides name.

use hedui_core::address::{Address, AddressAgreement};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressLevel {
    SameVillageAndGroup = 0,
    SameVillage = 1,
    SameTownship = 2,
    SameCounty = 3,
    Different = 4,
    Missing = 5,
}

pub fn address_level(owner: &Address, member: &Address) -> AddressLevel {
    match owner.agreement(member) {
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
