//! `partition = "county"` on a 20,000-household synthetic world: the folder is the
//! unpartitioned run's, byte for byte (the demo's case is in `check_outputs`). The world is
//! large enough that every county holds thousands of owners and owners are routed across
//! counties by their numbers, which the demo's few hundred per county barely exercise.

use std::path::Path;

use crate::common::{TestContext, assert_same_results, demo_dir, succeed};

/// Checks that `manifest` records a county partitioning whose partitions are distinct and
/// add up to the run's owners and compared pairs.
pub fn assert_partitions_add_up(manifest: &serde_json::Value) {
    assert_eq!(manifest["execution"]["partition"], "county");
    let partitions = manifest["execution"]["partitions"].as_array().unwrap();
    assert!(partitions.len() > 1, "{partitions:?}");
    let sum = |key: &str| -> u64 { partitions.iter().map(|p| p[key].as_u64().unwrap()).sum() };
    assert_eq!(
        sum("owners"),
        manifest["matching"]["owners"].as_u64().unwrap()
    );
    assert_eq!(
        sum("pairs_compared"),
        manifest["matching"]["pairs_compared"].as_u64().unwrap()
    );
    let mut counties: Vec<&str> = partitions
        .iter()
        .map(|p| p["county"].as_str().unwrap())
        .collect();
    counties.dedup();
    assert_eq!(counties.len(), partitions.len(), "a county ran twice");
}

fn check(context: &TestContext, config: &Path, out: &str) -> std::path::PathBuf {
    let out = context.child(out);
    succeed(context.hedui().args([
        "-q",
        "check",
        "--config",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]));
    out
}

#[test]
fn partitioned_by_county_a_20k_world_gives_the_same_outputs() {
    let context = TestContext::new();
    let world = context.child("world");
    succeed(context.hedui().args([
        "-q",
        "synth",
        "--households",
        "20000",
        "--seed",
        "11",
        "--out",
        world.to_str().unwrap(),
    ]));
    std::fs::copy(demo_dir().join("policy.toml"), world.join("policy.toml")).unwrap();
    // One configuration file, given the partitioning before the second run: the manifest
    // names the file, so both runs must read it under the same path.
    let config_path = world.join("hedui.toml");
    let config = std::fs::read_to_string(&config_path).unwrap();
    std::fs::write(&config_path, format!("policy = \"policy.toml\"\n{config}")).unwrap();
    let whole_out = check(&context, &config_path, "whole");
    let split = format!("policy = \"policy.toml\"\npartition = \"county\"\n{config}");
    std::fs::write(&config_path, split).unwrap();
    let split_out = check(&context, &config_path, "split");

    let candidates = std::fs::read_to_string(whole_out.join("candidates.csv")).unwrap();
    assert!(
        candidates.lines().count() > 100,
        "the world must produce candidates"
    );
    assert_same_results(&whole_out, &split_out);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(split_out.join("manifest.json")).unwrap()).unwrap();
    assert_partitions_add_up(&manifest);
    // Synth writes Honghe's thirteen counties, and a few records name none.
    let partitions = manifest["execution"]["partitions"].as_array().unwrap();
    assert!(partitions.len() >= 13, "{} partitions", partitions.len());
}
