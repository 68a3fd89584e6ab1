//! A value many records hold at once: a name or an address that millions of rows repeat.
//!
//! Counted (`Arc`) where it is made now and then; kept for the rest of the process where a
//! memo hands it to row after row. Counting each copy was an atomic increment per row, and
//! the larger part of a remembered value's cost at prefecture scale: a locked instruction
//! waits for the row's pending writes, and the count's line is rarely in cache. A memo
//! keeps its values until the process ends anyway, so keeping them costs no memory beyond
//! what a memo that starts over makes twice.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// Equality, order, hashing and display are the value's, however it is held.
#[derive(Clone)]
pub enum Shared<T: 'static> {
    Counted(Arc<T>),
    Kept(&'static T),
}

impl<T: Clone> Shared<T> {
    /// The value, kept for the rest of the process: copies of it count nothing. For memos
    /// that hold their values as long as the process lives.
    pub fn kept(value: T) -> Self {
        Shared::Kept(Box::leak(Box::new(value)))
    }

    /// This value, kept (see [`Shared::kept`]); a kept value stays as it is.
    pub fn into_kept(self) -> Self {
        match self {
            Shared::Kept(value) => Shared::Kept(value),
            Shared::Counted(value) => {
                Shared::kept(Arc::try_unwrap(value).unwrap_or_else(|shared| (*shared).clone()))
            }
        }
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::Counted(Arc::new(value))
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Shared::Counted(value) => value,
            Shared::Kept(value) => value,
        }
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Shared::from(T::default())
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: fmt::Display> fmt::Display for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Eq> Eq for Shared<T> {}

impl<T: Hash> Hash for Shared<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl<T: PartialOrd> PartialOrd for Shared<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        (**self).partial_cmp(&**other)
    }
}

impl<T: Ord> Ord for Shared<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        (**self).cmp(&**other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::Address;
    use crate::name::PersonName;

    #[test]
    fn kept_and_counted_values_are_the_same_values() {
        for raw in ["陳小明", "阿依古丽·买买提", "", "王?"] {
            let counted = PersonName::normalise(raw);
            let kept = counted.clone().kept();
            assert_eq!(kept, counted);
            assert_eq!(kept.pinyin_key(), counted.pinyin_key());
            assert_eq!(kept.clone().kept(), kept);
            let mut names = [kept.clone(), counted.clone()];
            names.sort();
            assert_eq!(names[0], names[1]);
        }
        assert_ne!(
            PersonName::normalise("张三").kept(),
            PersonName::normalise("张四")
        );

        let place = Address::parse("红河州建水县岔科镇阿倮村2组");
        let counted = Shared::from(place.clone());
        let kept = counted.clone().into_kept();
        assert!(matches!(kept, Shared::Kept(_)));
        assert_eq!(kept, counted);
        assert_eq!(*kept, place);
        assert_eq!(kept.to_string(), place.to_string());
        assert_ne!(kept, Shared::from(Address::parse("蒙自市文澜镇")));
    }
}
