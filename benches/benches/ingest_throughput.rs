//! Criterion benchmark of reading the vehicles export (GB18030 CSV) of a 5,000-household
//! world: decoding, CSV parsing and row parsing, in bytes per second of the file.

use std::collections::BTreeMap;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hedui_benches::{SEED, temp_dir};
use hedui_ingest::{AliasTable, SourceKind, SourceSpec, read_source};
use hedui_synth::{SynthConfig, files, generate};

fn vehicles_5000(c: &mut Criterion) {
    let dir = temp_dir("ingest-throughput");
    generate(&SynthConfig::new(5_000, SEED), &dir).expect("generate the world");
    let bytes = std::fs::metadata(dir.join(files::VEHICLES))
        .expect("vehicles.csv written")
        .len();
    let spec = SourceSpec {
        kind: Some(SourceKind::Vehicle),
        name: None,
        path: files::VEHICLES.into(),
        encoding: None,
        sheet: None,
        columns: BTreeMap::new(),
    };
    let aliases = AliasTable::builtin().expect("built-in aliases parse");
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("vehicles.csv gb18030, 5000 households", |b| {
        b.iter(|| {
            read_source(&spec, &dir, &aliases)
                .map(|d| d.report.accepted)
                .unwrap_or(0)
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = vehicles_5000
}
criterion_main!(benches);
