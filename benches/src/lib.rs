//! Benchmarks live in `benches/`; this library is empty so Cargo accepts the package.
