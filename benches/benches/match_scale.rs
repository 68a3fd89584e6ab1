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

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use hedui_benches::{scale_main, status_field, world_config};
use hedui_engine::ingest::ingest_all;
use hedui_match::{Band, BlockingStats};

fn main() -> ExitCode {
    scale_main("match_scale", "--match", measure)
}

/// Ingest, then matching, in this process.
fn measure(dir: &Path) -> Result<(), String> {
    let config = world_config(dir)?;
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
        blocking.add(stats);
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
