//! One hedui run, from the run configuration to the output files.
//!
//! This crate is glue: it loads the configuration, drives the stages in order and writes
//! what they produce. Stages live in their own crates and know nothing of each other; here
//! each has a module, in run order: [`ingest`], [`contract`], [`link`], [`assess`], the
//! evidence trails, then [`output`]. [`check`] and [`validate`] are the runs the CLI
//! calls; [`output::baseline`] reads a previous run and [`evaluate`] scores a run against
//! synthetic truth.

pub mod assess;
pub mod cases;
pub mod check;
pub mod config;
pub mod contract;
mod error;
pub mod evaluate;
mod evidence;
pub mod ingest;
pub mod link;
pub mod output;
pub mod validate;

pub use config::RunConfig;
pub use error::EngineError;
pub use hedui_core::{CandidateBand, LinkBand};
pub use hedui_match::Partitioning;
pub use validate::{ValidateReport, validate};
