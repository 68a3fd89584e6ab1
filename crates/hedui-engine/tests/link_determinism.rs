//! Matching output does not depend on the thread count, and two runs write identical files.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use hedui_engine::RunConfig;
use hedui_engine::link::{LinkRun, link, write_links};

fn demo_config() -> RunConfig {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo/hedui.toml");
    RunConfig::load(&path).unwrap()
}

fn run_with_threads(threads: usize) -> LinkRun {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| link(&demo_config()).unwrap())
}

fn links_csv(run: &LinkRun) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("links.csv");
    write_links(&path, run).unwrap();
    std::fs::read(path).unwrap()
}

#[test]
fn one_thread_and_three_threads_give_identical_links() {
    let single = run_with_threads(1);
    let many = run_with_threads(3);
    assert!(
        !single.matched.links.is_empty(),
        "the demo must produce links"
    );
    let key = |r: &LinkRun| {
        r.matched
            .links
            .iter()
            .map(|l| (l.record, l.owner, l.member, l.band, l.weight.to_bits()))
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&single), key(&many));
    assert_eq!(links_csv(&single), links_csv(&many));
    assert_eq!(
        serde_json::to_string(&single.matched.parameters).unwrap(),
        serde_json::to_string(&many.matched.parameters).unwrap(),
        "estimated parameters must not depend on scheduling"
    );
}

#[test]
fn every_link_waterfall_adds_up_to_its_score() {
    let run = run_with_threads(2);
    for link in &run.matched.links {
        let w = &link.waterfall;
        let sum = w.prior + w.steps.iter().map(|s| s.weight).sum::<f64>();
        assert!(
            (sum - link.weight).abs() < 1e-9,
            "waterfall {sum} != score {}",
            link.weight
        );
        assert!((w.probability - link.probability).abs() < 1e-12);
    }
}
