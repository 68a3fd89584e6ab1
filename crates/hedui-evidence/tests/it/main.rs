//! hedui-evidence's integration tests as one binary, linked once: each module is a topic
//! (formerly its own `tests/<topic>.rs` binary). Run one topic with
//! `cargo test -p hedui-evidence --test it <topic>`.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

mod changes;
mod common;
mod jsonl_masking;
mod report;
mod report_folder;
mod worksheet;
