//! hedui-cli's integration tests as one binary, linked once: each module is a topic
//! (formerly its own `tests/<topic>.rs` binary). Run one topic with
//! `cargo test -p hedui-cli --test it <topic>`.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

mod check_outputs;
mod cli;
mod common;
mod kill;
mod nightly;
mod partition;
mod relatives;
mod review_loop;
mod validate_snapshots;
