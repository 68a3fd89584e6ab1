# Recipes mirror .ci/run; CI itself runs plain bash so it needs no `just`.

set shell := ["bash", "-euo", "pipefail", "-c"]

demo_seed := "20261128"
demo_households := "1200"

default:
    @just --list

# Format the workspace.
fmt:
    cargo fmt --all

# Lint exactly as CI does.
lint:
    cargo clippy --workspace --all-targets --locked -- -D warnings

# Run the whole test suite (the README's test command).
test:
    cargo test --workspace --locked

# Everything CI runs, in the same order.
ci:
    bash .ci/run

# Run the main job on the shipped demo data.
demo:
    cargo run -p hedui-cli -- synth --households 50 --seed 1 --out out/demo-synth

# Regenerate fixtures/demo from its fixed seed (commit the result).
demo-data:
    cargo run -p hedui-cli -- synth --households {{demo_households}} --seed {{demo_seed}} --out fixtures/demo

# Benchmarks run in release, outside CI.
bench:
    cargo bench -p hedui-benches
