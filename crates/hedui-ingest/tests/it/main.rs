//! hedui-ingest's integration tests as one binary, linked once: each module is a topic
//! (formerly its own `tests/<topic>.rs` binary). Run one topic with
//! `cargo test -p hedui-ingest --test it <topic>`.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

mod alias_docs;
mod common;
mod csv_defects;
mod csv_robustness;
mod national_formats;
mod xlsx_sheets;
