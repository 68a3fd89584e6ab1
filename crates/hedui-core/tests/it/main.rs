//! hedui-core's integration tests as one binary, linked once: each module is a topic
//! (formerly its own `tests/<topic>.rs` binary). Run one topic with
//! `cargo test -p hedui-core --test it <topic>`.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

mod normalisation_props;
mod raw_row_props;
mod resident_id_props;
