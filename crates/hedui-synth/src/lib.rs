//! Synthetic ground truth for hedui: a deterministic world of dibao recipient households in
//! Honghe, the department exports (vehicles, business licences, property) that mention them
//! among many non-recipients, realistic defects, and the exact truth of which rows link to
//! which member and which households the demo policy should flag.
//!
//! ```no_run
//! use hedui_synth::{SynthConfig, generate};
//! let summary = generate(&SynthConfig::new(1_000, 20261128), std::path::Path::new("out"))?;
//! println!("{} households, {} vehicle rows", summary.households, summary.rows.vehicles);
//! # Ok::<(), hedui_synth::SynthError>(())
//! ```
//!
//! Determinism: the world is cut into a fixed number of chunks, each with its own random
//! stream, and chunks are written in order, so the same households, seed and rates give
//! byte-identical files whatever the thread count.

mod adversarial;
mod assets;
mod business;
mod chunk;
mod config;
mod defects;
mod error;
mod gb;
mod holdings;
mod household;
mod ids;
mod keys;
mod licences;
mod names;
mod output;
mod people;
mod places;
mod policy;
mod property;
mod relatives;
mod rng;
mod rows;
mod truth;
mod vehicles;
mod writer;

pub use config::{
    Area, DefectRates, DemoPolicy, ExportStyle, PRESETS, Rates, SynthConfig, WorldRates,
};
pub use error::SynthError;
pub use output::{Summary, generate};
pub use relatives::RelativesRows;
pub use truth::FileRows;

/// File names inside the output directory.
pub mod files {
    pub use crate::writer::{
        HUKOU, LICENCES, PROPERTY, RECIPIENTS, RELATIVES_REGISTER, STAFF, VEHICLES,
    };
    /// The run configuration written into a new world.
    pub const CONFIG: &str = crate::output::CONFIG;
    /// Truth directory and its files.
    pub const TRUTH_DIR: &str = "truth";
    pub const LINKS: &str = "truth/links.csv";
    pub const EXPECTED_CANDIDATES: &str = "truth/expected_candidates.csv";
    pub const MALFORMED: &str = "truth/malformed.csv";
    pub const HARD_NEGATIVES: &str = "truth/hard_negatives.csv";
    pub const MANIFEST: &str = "truth/manifest.json";
    /// One row per (staff member, recipient member) pair the world constructed.
    pub const RELATIVES: &str = "truth/relatives.csv";
    /// Register rows that are stale (`recipient_gone` or `staff_left`).
    pub const REGISTER_STALE: &str = "truth/register_stale.csv";
    /// Counts per situation of the staff roster, register and registration export.
    pub const RELATIVES_MANIFEST: &str = "truth/relatives_manifest.json";
}
