//! hedui-synth's integration tests as one binary, linked once: each module is a topic
//! (formerly its own `tests/<topic>.rs` binary). Run one topic with
//! `cargo test -p hedui-synth --test it <topic>`.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

mod generate;
mod relatives;
