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
      --rate malformed_row=0.004 --rate duplicate_row=0.004 --rate households_per_staff=20
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

# The same, plain and partitioned by county, alternately twice on one world (keep it with
# HEDUI_BENCH_DATA=DIR, or each run makes its own): quote the ratio, not one figure.
bench-partition:
    for round in 1 2; do \
        cargo bench -p hedui-benches --bench check_scale; \
        HEDUI_BENCH_PARTITION=county cargo bench -p hedui-benches --bench check_scale; \
    done

# The report folder in a browser (docs/report.md): screenshots of index.html, the largest
# county page and the largest household page of RUN (an output folder; default: a fresh
# check of the demo world) into out/shots/, with the seconds headless Chromium took for
# each beside the seconds it takes for an empty page, and each page's size; and the
# household page printed to out/shots/household.pdf (A4) to check the print style.
report-shots run="":
    #!/usr/bin/env bash
    set -euo pipefail
    run="{{run}}"
    if [ -z "$run" ]; then
        cargo run -q --release -p hedui-cli -- -q check --config fixtures/demo/hedui.toml --out out/demo >/dev/null
        run=out/demo
    fi
    if ! command -v chromium >/dev/null; then
        apt-get update && apt-get install -y chromium
    fi
    if [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
        apt-get update && apt-get install -y fonts-noto-cjk
    fi
    mkdir -p out/shots
    profile=$(mktemp -d)
    trap 'rm -rf "$profile"' EXIT
    flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
        --disable-background-networking --disable-component-update --disable-sync
        --hide-scrollbars --user-data-dir="$profile" --window-size=1280,1600)
    largest() { ls -S "$run/report/$1" | head -1; }
    echo '<!DOCTYPE html><title>empty</title>' > out/shots/empty.html
    shot() {
        local name=$1 page=$2 start end
        start=$(date +%s.%N)
        chromium "${flags[@]}" --screenshot="out/shots/$name.png" "file://$(realpath "$page")" 2>/dev/null
        end=$(date +%s.%N)
        printf '%-10s %8.2f s  %9d bytes  %s\n' "$name" "$(awk -v a="$start" -v b="$end" 'BEGIN{print b-a}')" "$(stat -c %s "$page")" "$page"
    }
    shot empty out/shots/empty.html
    shot index "$run/report/index.html"
    shot county "$run/report/counties/$(largest counties)"
    shot household "$run/report/households/$(largest households)"
    # One household per printed page: the A4 print of its page.
    chromium "${flags[@]}" --no-pdf-header-footer --print-to-pdf=out/shots/household.pdf \
        "file://$(realpath "$run/report/households/$(largest households)")" 2>/dev/null
    echo "largest page: $(find "$run/report" -name '*.html' -printf '%s %p\n' | sort -n | tail -1)"

# Matching: comparisons/s and `link` on 2,000 households (criterion), then `link` alone at
# prefecture scale (250,000 households; ~5 min, ~8 GB). HEDUI_BENCH_DATA=DIR keeps the world.
bench-match:
    cargo bench -p hedui-benches --bench match_pairs
    cargo bench -p hedui-benches --bench match_scale
