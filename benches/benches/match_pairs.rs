//! Criterion benchmarks of the matcher on a 2,000-household world, read through
//! `ingest_all` as a run reads it:
//! - `match/compare`: `compare::compare` over the owner–member pairs blocking forms, in
//!   comparisons per second (one thread; features prepared beforehand);
//! - `match/link`: the whole `hedui_match::link` (features, blocking, comparison, parameter
//!   estimation, scoring, resolution) on the default thread pool, in owners per second.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hedui_benches::{SEED, temp_dir, world_config};
use hedui_engine::ingest::ingest_all;
use hedui_match::blocking::{BlockingStats, MemberIndex};
use hedui_match::compare;
use hedui_match::prepare::{MemberFeatures, MemberTable, OwnerFeatures};
use hedui_synth::{SynthConfig, generate};

fn match_2000(c: &mut Criterion) {
    let dir = temp_dir("match-pairs");
    generate(&SynthConfig::new(2_000, SEED), &dir).expect("generate the world");
    let config = world_config(&dir).expect("run configuration parses");
    let ingested = ingest_all(&config).expect("ingest the world");
    let (members, assets) = (&ingested.members, &ingested.assets);

    // The pairs a run compares: every owner against the members its blocks hold.
    let features = members.iter().map(MemberFeatures::of).collect();
    let table = MemberTable::build(members, features);
    let index = MemberIndex::build(&table.features, config.matching.max_block);
    let owners: Vec<OwnerFeatures> = assets
        .iter()
        .flat_map(|asset| asset.owners.iter().map(|o| OwnerFeatures::of(asset, o)))
        .collect();
    let mut stats = BlockingStats::default();
    let pairs: Vec<(usize, u32)> = owners
        .iter()
        .enumerate()
        .flat_map(|(o, owner)| {
            index
                .candidates(&owner.view(), &mut stats)
                .into_iter()
                .map(move |(m, _)| (o, m))
        })
        .collect();
    println!(
        "match_pairs: {} members, {} records, {} owners, {} candidate pairs",
        members.len(),
        assets.len(),
        owners.len(),
        pairs.len()
    );

    let mut group = c.benchmark_group("match");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("compare blocked pairs, 2000 households", |b| {
        b.iter(|| {
            for &(o, m) in &pairs {
                std::hint::black_box(compare::compare(&owners[o], m, &table));
            }
        })
    });
    group.throughput(Throughput::Elements(owners.len() as u64));
    group.bench_function("link, 2000 households", |b| {
        b.iter(|| {
            hedui_match::link(members, assets, &config.matching)
                .map(|out| out.links.len())
                .unwrap_or(0)
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = match_2000
}
criterion_main!(benches);
