//! Criterion benchmark of a small generation (2,000 households) into a temporary directory.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use hedui_synth::{SynthConfig, generate};

fn temp_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("hedui-bench-{name}-{}", std::process::id()))
}

fn synth_2000(c: &mut Criterion) {
    let dir = temp_dir("throughput");
    let config = SynthConfig::new(2_000, 20261128);
    c.bench_function("synth 2000 households", |b| {
        b.iter(|| {
            generate(&config, &dir)
                .map(|s| s.rows.vehicles)
                .unwrap_or(0)
        })
    });
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = synth_2000
}
criterion_main!(benches);
