//! hedui-policy's integration tests as one binary, linked once: each module is a topic
//! (formerly its own `tests/<topic>.rs` binary). Run one topic with
//! `cargo test -p hedui-policy --test it <topic>`.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

mod common;
mod demo_truth;
mod evaluate;
mod kin_pruning;
mod multi_residential;
mod policy_file;
mod rule_docs;
