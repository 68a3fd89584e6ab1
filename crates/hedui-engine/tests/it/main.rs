//! hedui-engine's integration tests as one binary, linked once: each module is a topic
//! (formerly its own `tests/<topic>.rs` binary). Run one topic with
//! `cargo test -p hedui-engine --test it <topic>`.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

mod check_negatives;
mod check_truth;
mod common;
mod demo_ingest;
mod link_determinism;
