//! The match tests' two shapes of input, a roster member and a one-owner title row in one
//! village of 泸西县, built with hedui-testkit. The unit tests use them too (`test_common`
//! in `src/lib.rs`), so that a record is written in one place.

#![allow(dead_code)]

use hedui_core::{AssetRecord, Member};
use hedui_testkit::{Mem, Rec};

pub const VILLAGE: &str = "泸西县旧城镇凉水村委会竹林村民小组";

/// A member of `household` living in [`VILLAGE`], without an identity number.
pub fn member(household: &str, name: &str, relation: &str) -> Member {
    Mem::new(household, name)
        .relation(relation)
        .address(VILLAGE)
        .build()
}

/// A jointly owned (`共同共有`) homestead title with one owner and no identity number or
/// registration date, on line `line` of the property export.
pub fn title_row(certificate: &str, owner: &str, line: u64) -> AssetRecord {
    Rec::property(certificate, "宅基地/住宅", None)
        .co_ownership("共同共有")
        .address("泸西县旧城镇凉水村委会1组")
        .unregistered()
        .owner(owner)
        .line(line)
        .build()
}
