//! Matching output does not depend on the thread count, and two runs write identical files.
#![allow(clippy::unwrap_used)]

use crate::common;

use std::path::Path;

use hedui_engine::RunConfig;
use hedui_engine::link::{LinkRun, link};
use hedui_engine::output::write_links;

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
        let sum = w.prior + w.steps.iter().map(|s| s.weight()).sum::<f64>();
        assert!(
            (sum - link.weight).abs() < 1e-9,
            "waterfall {sum} != score {}",
            link.weight
        );
        assert!((w.probability - link.probability).abs() < 1e-12);
    }
}

/// `path`'s data rows in reverse order, header first, as the same CSV.
fn reverse_rows(path: &Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let (bom, text) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text.as_str()),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let header = rows.remove(0);
    rows.reverse();
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    let body = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    std::fs::write(path, format!("{bom}{body}")).unwrap();
}

/// The same exports in another row order give the same weights: the u-sample is drawn by
/// what owners and members are, not where they stood, so a re-sorted export cannot move a
/// pair between the bands and show up as a change in the nightly report.
#[test]
fn row_order_does_not_change_any_weight() {
    let dir = common::copy_of(&common::demo_dir());
    reverse_rows(&dir.path().join("recipients.csv"));
    reverse_rows(&dir.path().join("licences.csv"));
    let reversed = link(&RunConfig::load(&dir.path().join("hedui.toml")).unwrap()).unwrap();
    let original = run_with_threads(2);
    let weights = |r: &LinkRun| {
        let (members, assets) = (&r.ingested.members, &r.ingested.assets);
        let mut v: Vec<(String, u32, String, String, u64)> = r
            .matched
            .links
            .iter()
            .map(|l| {
                (
                    assets[l.record].record_key.to_string(),
                    assets[l.record].owners[l.owner].position,
                    members[l.member].household_id.to_string(),
                    l.band.as_str().to_owned(),
                    l.weight.to_bits(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert!(!original.matched.links.is_empty());
    assert_eq!(weights(&reversed), weights(&original));
}
