//! One hedui run, from the run configuration to the output files.
//!
//! This crate is glue: it loads the configuration, drives the stages in order and writes
//! what they produce. Stages live in their own crates and know nothing of each other.

pub mod baseline;
pub mod check;
pub mod config;
pub mod contract;
mod error;
pub mod evaluate;
mod evidence;
pub mod link;
pub mod output;
mod outputs;
mod report;
pub mod validate;

pub use config::RunConfig;
pub use error::EngineError;
pub use hedui_core::{CandidateBand, LinkBand};
pub use validate::{ValidateReport, validate};
