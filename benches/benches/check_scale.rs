//! `hedui check` end to end at prefecture scale (250,000 households: about 687,000 members
//! and 3 million department rows), timed once: ingest, matching, policy, evidence and
//! writing every output, with the demo policy.
//!
//! The check runs in a child process of this binary so that the peak RSS (VmHWM) is the
//! check's and not the generator's. Per-stage seconds are the ones `manifest.json` records;
//! candidates are scored against the generator's truth.
//!
//! `HEDUI_BENCH_DATA=DIR` keeps the world in DIR and reuses it on later runs;
//! `HEDUI_SCALE_HOUSEHOLDS` sets the size of a new world; `HEDUI_BENCH_PARTITION=county`
//! measures the run partitioned by county (`--partition county`), to be run alternately
//! with a plain one and quoted as a ratio. The measurement can be run by hand:
//! `check_scale --check DIR`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use hedui_benches::{scale_main, status_field, temp_dir, world_config};
use hedui_engine::check::check;
use hedui_engine::evaluate::evaluate_candidates;
use hedui_engine::output::{OutputOptions, write_check_outputs};

/// Issue 25's aims at 200,000 households: wall time and peak RSS.
const AIM_HOUSEHOLDS: f64 = 200_000.0;
const AIM_SECONDS: f64 = 12.0;
const AIM_GIB: f64 = 2.5;

fn main() -> ExitCode {
    scale_main("check_scale", "--check", measure)
}

/// The whole check, outputs written, in this process.
fn measure(dir: &Path) -> Result<(), String> {
    let mut config = world_config(dir)?;
    // The generator writes no policy; the demo's is the one the README runs.
    let policy = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo/policy.toml");
    config.policy = Some(policy);
    if let Ok(partition) = std::env::var("HEDUI_BENCH_PARTITION") {
        config.partition = partition
            .parse()
            .map_err(|e| format!("HEDUI_BENCH_PARTITION: {e}"))?;
    }
    let out = temp_dir("check_scale");
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());

    let started = Instant::now();
    let run = check(&config).map_err(|e| e.to_string())?;
    let checked = started.elapsed().as_secs_f64();
    write_check_outputs(&out, &run, &config, OutputOptions::default(), None)
        .map_err(|e| e.to_string())?;
    let total = started.elapsed().as_secs_f64();
    let peak = status_field("VmHWM");

    let partition = config.partition.as_str();
    println!("\ncheck ({threads} threads, partition {partition}):");
    println!(
        "  {} members, {} department records, {} links, {} candidates",
        run.linked.ingested.members.len(),
        run.linked.ingested.assets.len(),
        run.linked.matched.links.len(),
        run.evidence.len()
    );
    for (stage, seconds) in &run.timings {
        println!("  {stage:<10} {seconds:>7.2} s");
    }
    println!("  outputs    {:>7.2} s", total - checked);
    // Issue 25's aims are for 200,000 households; a world of another size is held to them
    // in proportion, as the growth aim asks.
    let households = run
        .linked
        .ingested
        .members
        .iter()
        .map(|m| &*m.household_id)
        .collect::<std::collections::HashSet<&str>>()
        .len();
    let share = households as f64 / AIM_HOUSEHOLDS;
    println!(
        "  total      {total:>7.2} s (aim at {households} households: {:.1} s)",
        AIM_SECONDS * share
    );
    println!(
        "  peak RSS (VmHWM): {peak} (aim: {:.2} GiB)",
        AIM_GIB * share
    );
    let quality =
        evaluate_candidates(&run.evidence, &dir.join("truth")).map_err(|e| e.to_string())?;
    println!(
        "  candidates vs truth: precision {:.4}, recall {:.4} ({} of {} expected; {} in review)",
        quality.precision,
        quality.recall,
        quality.correct_plain,
        quality.expected,
        quality.expected_in_review
    );
    let _ = std::fs::remove_dir_all(&out);
    // Dropping millions of records one by one would only time the allocator.
    std::mem::forget(run);
    Ok(())
}
