//! Canonical fields by number, so that a row's cells are found by indexing, not hashing.
//!
//! Parsing asks for about a dozen fields per row; by name that was a string hash and a
//! probe each, a twelfth of a parsing thread's time on the vehicle export. A [`FieldId`]
//! is a field's place among the fields of every kind (a name that several kinds share has
//! one place), and [`field!`] turns a name written in the parser into its id when hedui is
//! compiled, so a misspelt field name is a build error, not a column that is never read.

use crate::aliases::TableKind;

/// A canonical field, whichever kinds have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct FieldId(u8);

/// How many ids there are at most: the fields of all kinds together.
pub(crate) const FIELD_IDS: usize = {
    let mut total = 0;
    let mut k = 0;
    while k < TableKind::ALL.len() {
        total += TableKind::ALL[k].fields().len();
        k += 1;
    }
    total
};

// Every id must fit the `u8` it is stored in.
const _: () = assert!(FIELD_IDS <= u8::MAX as usize + 1);

impl FieldId {
    /// The id of the field named `name`; `None` if no kind has such a field.
    pub const fn find(name: &str) -> Option<FieldId> {
        let mut place = 0;
        let mut k = 0;
        while k < TableKind::ALL.len() {
            let fields = TableKind::ALL[k].fields();
            let mut i = 0;
            while i < fields.len() {
                if hedui_core::same_text(fields[i].name, name) {
                    // Fits: no more places than `FIELD_IDS`, checked above.
                    return Some(FieldId(place as u8));
                }
                place += 1;
                i += 1;
            }
            k += 1;
        }
        None
    }

    /// [`FieldId::find`] for a name that must exist; in a `const` (see [`field!`]) an
    /// unknown name stops the build.
    pub const fn named(name: &str) -> FieldId {
        match FieldId::find(name) {
            Some(id) => id,
            None => panic!("no table kind has a field of this name"),
        }
    }

    /// The field's name, as reject reasons and reports write it.
    pub fn name(self) -> &'static str {
        TableKind::ALL
            .iter()
            .flat_map(|kind| kind.fields())
            .nth(usize::from(self.0))
            .map_or("", |f| f.name)
    }

    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// The [`FieldId`] of a field name, found when hedui is compiled.
macro_rules! field {
    ($name:literal) => {
        const { $crate::field_id::FieldId::named($name) }
    };
}
pub(crate) use field;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_every_kind_has_an_id_that_names_it() {
        for kind in TableKind::ALL {
            for f in kind.fields() {
                let id = FieldId::find(f.name).expect(f.name);
                assert_eq!(id.name(), f.name);
                assert!(id.index() < FIELD_IDS);
            }
        }
        assert_eq!(FieldId::find("no_such_field"), None);
    }

    #[test]
    fn a_name_several_kinds_share_is_one_field() {
        assert_eq!(field!("status"), FieldId::find("status").unwrap());
        assert_ne!(field!("status"), field!("status_changed_on"));
        assert_eq!(field!("registered_on").name(), "registered_on");
    }
}
