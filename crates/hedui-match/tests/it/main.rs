//! hedui-match's integration tests as one binary, linked once: each module is a topic
//! (formerly its own `tests/<topic>.rs` binary). Run one topic with
//! `cargo test -p hedui-match --test it <topic>`.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

mod adversarial;
mod common;
mod other_title;
mod shared_titles;
