//! Ingest of a prefecture-sized world (250,000 households, about 3 million department
//! rows), timed once. The aim is at least 100 MB/s of CSV on two cores.
//!
//! Two measurements, each in a child process of this binary so that its peak RSS (VmHWM)
//! is ingest's own and not the generator's:
//! - `sources`: each source read alone with `read_source`, for per-source MB/s and rows/s;
//! - `all`: `ingest_all`, the sources concurrently as a run reads them.
//!
//! `HEDUI_BENCH_DATA=DIR` keeps the world in DIR and reuses it on later runs;
//! `HEDUI_SCALE_HOUSEHOLDS` sets the size of a new world. One measurement can be run by
//! hand, e.g. under `/usr/bin/time -v`: `ingest_scale --ingest sources|all DIR`.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::Instant;

use hedui_benches::{ScaleWorld, status_field, world_config};
use hedui_engine::ingest::ingest_all;
use hedui_ingest::{SourceReport, read_source};

fn main() -> ExitCode {
    hedui_benches::keep_freed_memory();
    let args: Vec<String> = std::env::args().collect();
    let result = match args.iter().position(|a| a == "--ingest") {
        Some(i) => match (args.get(i + 1), args.get(i + 2)) {
            (Some(mode), Some(dir)) => measure(mode, Path::new(dir)),
            _ => Err("usage: ingest_scale --ingest sources|all DIR".into()),
        },
        None => run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ingest_scale failed: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Finds or makes the world, then measures ingest in child processes.
fn run() -> Result<(), String> {
    let world = ScaleWorld::find_or_make("ingest_scale")?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    for mode in ["sources", "all"] {
        let status = Command::new(&exe)
            .args(["--ingest", mode])
            .arg(&world.dir)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("`{mode}` measurement failed: {status}"));
        }
    }
    Ok(())
}

/// One measurement, in this process; prints a table and the peak RSS.
fn measure(mode: &str, dir: &Path) -> Result<(), String> {
    let config = world_config(dir)?;
    println!("\n{mode}:");
    println!(
        "  {:<10} {:<5} {:>9} {:>9} {:>8} {:>7} {:>7} {:>7} {:>7} {:>9}",
        "source", "fmt", "read", "accepted", "rejected", "MB", "s", "cpu s", "MB/s", "rows/s"
    );
    match mode {
        "sources" => {
            // Bytes, time and rows of CSV and of xlsx apart: their MB/s are not comparable,
            // since xlsx bytes are compressed.
            let mut totals = [(0u64, Spent::default(), 0u64); 2];
            for spec in config.all_sources() {
                let aliases = config.aliases_for(spec).map_err(|e| e.to_string())?;
                let started = Stopwatch::start();
                let data = read_source(spec, &config.base, &aliases).map_err(|e| e.to_string())?;
                let spent = started.spent();
                let bytes = print_source(&data.report, Some(spent));
                let t = &mut totals[usize::from(format_of(&data.report) != "csv")];
                *t = (t.0 + bytes, t.1.plus(spent), t.2 + data.report.rows_read);
            }
            for ((bytes, spent, rows), label) in totals.into_iter().zip(["CSV", "xlsx"]) {
                print_line(label, "", rows, None, bytes, Some(spent));
            }
            let [(b0, s0, r0), (b1, s1, r1)] = totals;
            print_line("total", "", r0 + r1, None, b0 + b1, Some(s0.plus(s1)));
        }
        "all" => {
            let started = Stopwatch::start();
            let ingested = ingest_all(&config).map_err(|e| e.to_string())?;
            let spent = started.spent();
            let (mut bytes, mut rows) = (0, 0);
            for report in &ingested.reports {
                // Sources overlap in time, so only the total has a meaningful rate.
                bytes += print_source(report, None);
                rows += report.rows_read;
            }
            print_line("total", "", rows, None, bytes, Some(spent));
        }
        other => return Err(format!("unknown mode `{other}`")),
    }
    println!("  peak RSS (VmHWM): {}", status_field("VmHWM"));
    Ok(())
}

/// Wall and CPU seconds. CPU time (all threads, user + system) is the fairer figure on a
/// machine shared with other work, where wall time depends on the load.
#[derive(Debug, Clone, Copy, Default)]
struct Spent {
    wall: f64,
    cpu: f64,
}

impl Spent {
    fn plus(self, other: Spent) -> Spent {
        Spent {
            wall: self.wall + other.wall,
            cpu: self.cpu + other.cpu,
        }
    }
}

struct Stopwatch {
    wall: Instant,
    cpu: f64,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch {
            wall: Instant::now(),
            cpu: cpu_seconds(),
        }
    }

    fn spent(&self) -> Spent {
        Spent {
            wall: self.wall.elapsed().as_secs_f64(),
            cpu: cpu_seconds() - self.cpu,
        }
    }
}

/// User + system time of the whole process: fields 14 and 15 of `/proc/self/stat`, in
/// USER_HZ ticks (100 on Linux). The command name before them may hold spaces, hence `)`.
fn cpu_seconds() -> f64 {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let fields: Vec<&str> = s.rsplit_once(')')?.1.split_whitespace().collect();
            Some(fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?)
        });
    ticks.map_or(f64::NAN, |t| t / 100.0)
}

fn format_of(report: &SourceReport) -> &'static str {
    report.files.first().map_or("?", |f| f.format)
}

/// Prints one source's line; returns its bytes on disk.
fn print_source(report: &SourceReport, spent: Option<Spent>) -> u64 {
    let bytes = report
        .files
        .iter()
        .filter_map(|f| std::fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum();
    let counts = Some((report.accepted, report.rejected));
    let format = format_of(report);
    print_line(&report.name, format, report.rows_read, counts, bytes, spent);
    bytes
}

fn print_line(
    name: &str,
    format: &str,
    rows: u64,
    counts: Option<(u64, u64)>,
    bytes: u64,
    spent: Option<Spent>,
) {
    let (accepted, rejected) = counts.map_or((String::new(), String::new()), |(a, r)| {
        (a.to_string(), r.to_string())
    });
    let mb = bytes as f64 / 1e6;
    let rates = spent.map_or(String::new(), |Spent { wall, cpu }| {
        let (mb_s, rows_s) = (mb / wall, rows as f64 / wall);
        format!(" {wall:>7.2} {cpu:>7.2} {mb_s:>7.1} {rows_s:>9.0}")
    });
    println!("  {name:<10} {format:<5} {rows:>9} {accepted:>9} {rejected:>8} {mb:>7.1}{rates}");
}
