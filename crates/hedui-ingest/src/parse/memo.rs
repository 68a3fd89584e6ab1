//! Normalised names and parsed addresses, remembered per thread.
//!
//! Exports repeat themselves: a prefecture has tens of thousands of distinct names across
//! millions of rows, every member of a household shares an address, and a roster's
//! township and village columns hold a few hundred values. Normalising a name (NFKC,
//! OpenCC, pinyin) or parsing an address costs microseconds; looking it up costs tens of
//! nanoseconds. Both functions are pure, so a remembered value is the value, whichever
//! thread computed it and whatever was evicted: output does not depend on the cache.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use hedui_core::address::Address;
use hedui_core::name::PersonName;
use rustc_hash::FxHasher;

/// Entries per thread and kind before the cache starts over; enough for every distinct
/// name of a prefecture, and a bound on memory when values never repeat.
const CAPACITY: usize = 1 << 16;

type Memo<V> = RefCell<HashMap<Box<str>, V, BuildHasherDefault<FxHasher>>>;

thread_local! {
    static NAMES: Memo<PersonName> = RefCell::default();
    static ADDRESSES: Memo<Address> = RefCell::default();
}

/// [`PersonName::normalise`], remembered.
pub(crate) fn person_name(raw: &str) -> PersonName {
    NAMES.with(|memo| remembered(memo, raw, PersonName::normalise))
}

/// [`Address::parse`], remembered.
pub(crate) fn address(raw: &str) -> Address {
    ADDRESSES.with(|memo| remembered(memo, raw, Address::parse))
}

fn remembered<V: Clone>(memo: &Memo<V>, raw: &str, compute: impl Fn(&str) -> V) -> V {
    let Ok(mut map) = memo.try_borrow_mut() else {
        return compute(raw);
    };
    if let Some(value) = map.get(raw) {
        return value.clone();
    }
    let value = compute(raw);
    if map.len() >= CAPACITY {
        map.clear();
    }
    map.insert(raw.into(), value.clone());
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_values_are_the_computed_ones() {
        for raw in ["陳小明", "陳小明", " 张 三 ", "", "阿依古丽·买买提"] {
            assert_eq!(person_name(raw), PersonName::normalise(raw));
        }
        for raw in [
            "红河州建水县岔科镇阿倮村2组",
            "红河州建水县岔科镇阿倮村2组",
            "勐拉乡",
        ] {
            assert_eq!(address(raw), Address::parse(raw));
        }
    }
}
