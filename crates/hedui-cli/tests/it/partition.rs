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

/// Generates a world with `hedui synth` and `synth_args` into `world`, with `policy` as its
/// policy file; returns the configuration file's path and its text before the policy line.
fn synth_world(
    context: &TestContext,
    synth_args: &[&str],
    policy: &str,
) -> (std::path::PathBuf, String) {
    let world = context.child("world");
    succeed(
        context
            .hedui()
            .args(["-q", "synth"])
            .args(synth_args)
            .args(["--out", world.to_str().unwrap()]),
    );
    std::fs::write(world.join("policy.toml"), policy).unwrap();
    let config_path = world.join("hedui.toml");
    let config = std::fs::read_to_string(&config_path).unwrap();
    std::fs::write(&config_path, format!("policy = \"policy.toml\"\n{config}")).unwrap();
    (config_path, config)
}

#[test]
fn partitioned_by_county_a_20k_world_gives_the_same_outputs() {
    let context = TestContext::new();
    let demo_policy = std::fs::read_to_string(demo_dir().join("policy.toml")).unwrap();
    let (config_path, config) = synth_world(
        &context,
        &["--households", "20000", "--seed", "11"],
        &demo_policy,
    );
    // One configuration file, given the partitioning before the second run: the manifest
    // names the file, so both runs must read it under the same path.
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

/// The share after `label` in `hedui check --truth`'s output, e.g. `precision 0.9985`.
fn figure(report: &str, line_start: &str, label: &str) -> f64 {
    let line = report
        .lines()
        .find(|l| l.starts_with(line_start))
        .unwrap_or_else(|| panic!("no line starting {line_start:?} in\n{report}"));
    let after = &line[line.find(label).unwrap() + label.len()..];
    after
        .trim_start()
        .split([',', ';', ' '])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn a_province_world_is_read_county_by_county_across_yunnan() {
    let context = TestContext::new();
    // The demo policy names Honghe's counties; this world's centre covers every county.
    let demo = std::fs::read_to_string(demo_dir().join("policy.toml")).unwrap();
    let start = demo.find("\ncounties = [").unwrap() + 1;
    let end = start + demo[start..].find(']').unwrap() + 1;
    let policy = format!("{}counties = []{}", &demo[..start], &demo[end..]);
    // 4,000 households at 100 a county: Honghe's 13 counties, then Kunming's 14, Qujing's
    // 9 and Yuxi's first 4.
    let (config_path, _) = synth_world(
        &context,
        &[
            "--households",
            "4000",
            "--seed",
            "12",
            "--area",
            "yunnan",
            "--rate",
            "households_per_county=100",
        ],
        &policy,
    );
    let world = config_path.parent().unwrap();
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(world.join("truth/manifest.json")).unwrap()).unwrap();
    assert_eq!(truth["area"], "yunnan");
    assert_eq!(truth["rates"]["world"]["households_per_county"], 100.0);

    let whole_out = context.child("whole");
    let output = succeed(context.hedui().args([
        "check",
        "--config",
        config_path.to_str().unwrap(),
        "--out",
        whole_out.to_str().unwrap(),
        "--truth",
        world.join("truth").to_str().unwrap(),
    ]));
    let report = String::from_utf8(output.stdout).unwrap();
    // Floors, not the measured figures: an address parser that knew Honghe alone would
    // block every owner lacking a number province-wide and lose most of them.
    assert!(
        figure(&report, "candidates vs truth", "precision") >= 0.95,
        "{report}"
    );
    assert!(
        figure(&report, "candidates vs truth", "recall") >= 0.9,
        "{report}"
    );
    assert!(
        figure(&report, "links vs truth", "recall") >= 0.9,
        "{report}"
    );

    // Kunming's, Qujing's and Yuxi's counties get their own report pages and worksheets.
    let pages: Vec<String> = crate::common::entries(&whole_out.join("report/counties"));
    for code in ["530102", "530381", "530403", "532501"] {
        assert!(
            pages.iter().any(|p| p.starts_with(code)),
            "{code}: {pages:?}"
        );
    }
    assert!(!pages.iter().any(|p| p.starts_with("530423")), "{pages:?}");

    let split_out = context.child("split");
    succeed(context.hedui().args([
        "-q",
        "check",
        "--config",
        config_path.to_str().unwrap(),
        "--out",
        split_out.to_str().unwrap(),
        "--truth",
        world.join("truth").to_str().unwrap(),
        "--partition",
        "county",
    ]));
    assert_same_results(&whole_out, &split_out);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(split_out.join("manifest.json")).unwrap()).unwrap();
    assert_partitions_add_up(&manifest);
    let partitions = manifest["execution"]["partitions"].as_array().unwrap();
    assert!(partitions.len() >= 40, "{} partitions", partitions.len());
}
