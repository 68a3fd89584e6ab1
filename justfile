# Recipes mirror .ci/run; CI itself runs plain bash so it needs no `just`.

set shell := ["bash", "-euo", "pipefail", "-c"]

demo_seed := "20261128"
demo_households := "1000"

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
    cargo run -p hedui-cli -- check --config fixtures/demo/hedui.toml --out out/demo --store out/hedui.db

# Regenerate fixtures/demo from its fixed seed and rates (docs/synth.md; commit the result).
# synth replaces only the files it writes, so the run configuration hedui.toml stays.
demo-data:
    cargo run -p hedui-cli -- synth --households {{demo_households}} --seed {{demo_seed}} --out fixtures/demo \
      --rate vehicles_per_household=3 --rate licences_per_household=1.5 \
      --rate multipart_name=0.05 --rate name_separator=0.5 --rate rare_char_name=0.01 \
      --rate asset_after_check_date=0.1 --rate asset_late_deregistration=0.1 \
      --rate malformed_row=0.004 --rate duplicate_row=0.004
    test -f fixtures/demo/hedui.toml

# Benchmarks run in release, outside CI.
bench:
    cargo bench -p hedui-benches

# Ingest throughput at prefecture scale (250,000 households); set HEDUI_BENCH_DATA=DIR to
# keep the generated world and reuse it on the next run.
bench-ingest:
    cargo bench -p hedui-benches --bench ingest_scale

# `hedui check` end to end at prefecture scale (issue 5's 30 s / 4 GiB targets), with
# per-stage seconds, peak RSS and candidate quality against the generator's truth.
bench-check:
    cargo bench -p hedui-benches --bench check_scale

# Render check for the audit report (docs/report.md): screenshot REPORT with headless Chromium
# into out/report.png and print it to out/report.pdf (A4, to check page breaks). Without
# REPORT it renders the evidence tests' three sample candidates first. Chromium and a CJK
# font are not installed by default: when missing this runs apt-get (needs root).
report-shot report="":
    #!/usr/bin/env bash
    set -euo pipefail
    report="{{report}}"
    if [ -z "$report" ]; then
        cargo run -q -p hedui-evidence --example sample_report -- out/sample-report
        report=out/sample-report/report.html
    fi
    if ! command -v chromium >/dev/null; then
        apt-get update && apt-get install -y chromium
    fi
    if [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
        apt-get update && apt-get install -y fonts-noto-cjk
    fi
    mkdir -p out
    profile=$(mktemp -d)
    trap 'rm -rf "$profile"' EXIT
    url="file://$(realpath "$report")"
    flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
        --disable-background-networking --disable-component-update --disable-sync
        --user-data-dir="$profile")
    chromium "${flags[@]}" --screenshot=out/report.png --window-size=1280,2000 "$url" 2>/dev/null
    chromium "${flags[@]}" --no-pdf-header-footer --print-to-pdf=out/report.pdf "$url" 2>/dev/null
    echo "out/report.png, out/report.pdf from $report"

# Matching: comparisons/s and `link` on 2,000 households (criterion), then `link` alone at
# prefecture scale (250,000 households; ~5 min, ~8 GB). HEDUI_BENCH_DATA=DIR keeps the world.
bench-match:
    cargo bench -p hedui-benches --bench match_pairs
    cargo bench -p hedui-benches --bench match_scale
