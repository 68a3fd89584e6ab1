//! Domain types and national standards for hedui.
//!
//! Everything here is pure: no file, network or clock access. Parsers take `&str` and return
//! either a value or a typed defect, and never panic on input, so every other crate can
//! call them on raw department data.

pub mod address;
pub mod area;
pub mod band;
pub mod case;
pub mod credit_code;
pub mod date;
pub mod missing;
pub mod name;
pub mod nfkc;
pub mod plate;
pub mod quantity;
pub mod record;
pub mod resident_id;
pub mod shared;

pub use address::Address;
pub use area::County;
pub use band::{CandidateBand, LinkBand};
pub use case::{CaseStatus, Decision};
pub use credit_code::CreditCode;
pub use name::PersonName;
pub use plate::Plate;
pub use record::{
    AssetDetail, AssetRecord, Department, Figure, Holder, Member, Owner, Provenance, StaffDetail,
};
pub use resident_id::{IdDefect, ResidentId, Sex};
pub use shared::Shared;

/// Whether two strings are equal, in a `const` context (where `==` on `str` is not yet
/// allowed): compile-time checks of field and rule names use it.
pub const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
