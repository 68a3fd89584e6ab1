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
pub use record::{AssetDetail, AssetRecord, Department, Holder, Member, Owner, Provenance};
pub use resident_id::{IdDefect, ResidentId, Sex};
pub use shared::Shared;
