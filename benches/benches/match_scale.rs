//! Matching at prefecture scale (250,000 households: about 687,000 members and 3 million
//! department rows), timed once.
//!
//! The world is read once with `ingest_all` (timed and reported on its own), then
//! `hedui_match::link` is timed alone. Both run in a child process of this binary so that
//! the peak RSS (VmHWM) is theirs and not the generator's; the peak is read after ingest,
//! then reset (`/proc/self/clear_refs`) so the second figure is the peak during matching,
//! ingested data included. Where the reset is refused, the second figure is the peak of the
//! whole child and says so.
//!
//! `HEDUI_BENCH_DATA=DIR` keeps the world in DIR and reuses it on later runs;
//! `HEDUI_SCALE_HOUSEHOLDS` sets the size of a new world. The measurement can be run by
//! hand: `match_scale --match DIR`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use hedui_engine::config::RunConfig;
use hedui_engine::validate::ingest_all;
use hedui_match::{Band, BlockingStats};
use hedui_synth::{SynthConfig, files, generate};

/// The allocator the `hedui` binary ships with, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CONFIG: &str = r#"
check_date = "2026-06-30"
[recipients]
path = "recipients.csv"
[[sources]]
kind = "vehicle"
path = "vehicles.csv"
[[sources]]
kind = "licence"
path = "licences.csv"
[[sources]]
kind = "property"
path = "property.xlsx"
"#;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.iter().position(|a| a == "--match") {
        Some(i) => match args.get(i + 1) {
            Some(dir) => measure(Path::new(dir)),
            None => Err("usage: match_scale --match DIR".into()),
        },
        None => run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("match_scale failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Finds or makes the world, then measures in a child process.
fn run() -> Result<(), String> {
    let kept = std::env::var_os("HEDUI_BENCH_DATA").map(PathBuf::from);
    let dir = kept.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("hedui-bench-match-{}", std::process::id()))
    });
    // The manifest is published last, so its presence means a complete world.
    let manifest = dir.join(files::MANIFEST);
    if manifest.is_file() {
        println!("match_scale: reusing {}", dir.display());
    } else {
        let households = std::env::var("HEDUI_SCALE_HOUSEHOLDS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(250_000);
        let started = Instant::now();
        generate(&SynthConfig::new(households, 20261128), &dir).map_err(|e| e.to_string())?;
        let generated = started.elapsed().as_secs_f64();
        println!(
            "match_scale: generated into {} in {generated:.1} s",
            dir.display()
        );
    }
    let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    println!(
        "  world: {} households, rows {}",
        manifest["households"], manifest["rows"]
    );
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let status = Command::new(&exe)
        .arg("--match")
        .arg(&dir)
        .status()
        .map_err(|e| e.to_string())?;
    if kept.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    if status.success() {
        Ok(())
    } else {
        Err(format!("measurement failed: {status}"))
    }
}

/// Ingest, then matching, in this process.
fn measure(dir: &Path) -> Result<(), String> {
    let config =
        RunConfig::from_toml(&dir.join("hedui.toml"), CONFIG).map_err(|e| e.to_string())?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());

    let started = Instant::now();
    let ingested = ingest_all(&config).map_err(|e| e.to_string())?;
    let ingest_secs = started.elapsed().as_secs_f64();
    let rows: u64 = ingested.reports.iter().map(|r| r.rows_read).sum();
    println!("\ningest ({threads} threads):");
    println!(
        "  {} members, {} department records, {rows} rows read, {} rejects",
        ingested.members.len(),
        ingested.assets.len(),
        ingested.rejects.len()
    );
    println!("  seconds: {ingest_secs:.2}");
    println!("  peak RSS (VmHWM): {}", status_field("VmHWM"));
    println!("  RSS after ingest (VmRSS): {}", status_field("VmRSS"));

    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let started = Instant::now();
    let matched = hedui_match::link(&ingested.members, &ingested.assets, &config.matching)
        .map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    let links = matched
        .links
        .iter()
        .filter(|l| l.band == Band::Link)
        .count();
    let reviews = matched.links.len() - links;
    let mut blocking = BlockingStats::default();
    for stats in matched.blocking.values() {
        blocking.exact_id += stats.exact_id;
        blocking.id_neighbour += stats.id_neighbour;
        blocking.pinyin_birth += stats.pinyin_birth;
        blocking.name_area += stats.name_area;
        blocking.oversized_blocks_skipped += stats.oversized_blocks_skipped;
    }

    println!("\nlink ({threads} threads):");
    println!("  owners: {}", matched.owners);
    println!("  pairs compared: {}", matched.pairs_compared);
    println!(
        "  pairs/s: {:.0} (owners/s: {:.0})",
        matched.pairs_compared as f64 / seconds,
        matched.owners as f64 / seconds
    );
    println!("  seconds: {seconds:.2}");
    println!("  links: {links}, reviews: {reviews}");
    println!(
        "  blocking rule hits: exact_id {}, id_neighbour {}, pinyin_birth {}, name_area {}; \
         oversized blocks skipped {}",
        blocking.exact_id,
        blocking.id_neighbour,
        blocking.pinyin_birth,
        blocking.name_area,
        blocking.oversized_blocks_skipped
    );
    let scope = if reset {
        "during link, ingested data included"
    } else {
        "whole process: the VmHWM reset was refused"
    };
    println!("  peak RSS (VmHWM, {scope}): {}", status_field("VmHWM"));
    Ok(())
}

/// One field of `/proc/self/status`, as the kernel reports it.
fn status_field(name: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                l.strip_prefix(name)
                    .and_then(|v| v.strip_prefix(':'))
                    .map(|v| v.trim().to_owned())
            })
        })
        .unwrap_or_else(|| "unknown".into())
}
