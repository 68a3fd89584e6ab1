//! How a [`super::PersonName`] holds its parts: counted, or kept for the process.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use super::NameParts;

/// Equality, order and hashing are the parts', however they are held.
#[derive(Debug, Clone)]
pub(super) enum Parts {
    Counted(Arc<NameParts>),
    Kept(&'static NameParts),
}

impl Parts {
    pub(super) fn kept(self) -> Parts {
        match self {
            Parts::Kept(parts) => Parts::Kept(parts),
            Parts::Counted(parts) => {
                let parts = Arc::try_unwrap(parts).unwrap_or_else(|shared| (*shared).clone());
                Parts::Kept(Box::leak(Box::new(parts)))
            }
        }
    }
}

impl Deref for Parts {
    type Target = NameParts;

    fn deref(&self) -> &NameParts {
        match self {
            Parts::Counted(parts) => parts,
            Parts::Kept(parts) => parts,
        }
    }
}

impl Default for Parts {
    fn default() -> Self {
        Parts::Counted(Arc::default())
    }
}

impl PartialEq for Parts {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Parts {}

impl Hash for Parts {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl PartialOrd for Parts {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Parts {
    fn cmp(&self, other: &Self) -> Ordering {
        (**self).cmp(&**other)
    }
}

#[cfg(test)]
mod tests {
    use crate::name::PersonName;

    #[test]
    fn a_kept_name_is_the_same_name() {
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
    }
}
