//! What the benchmarks share: the binary's allocator, the run configuration of a
//! generated world, and the prefecture-scale world the scale benchmarks measure.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use hedui_engine::config::RunConfig;
use hedui_synth::{SynthConfig, files, generate};

// The allocator the `hedui` binary ships with, so the figures are the binary's: every
// benchmark that uses this library links it, and calls [`hedui_alloc::keep_freed_memory`]
// first, as the binary does.
pub use hedui_alloc::keep_freed_memory;

/// The seed every benchmark world is generated from.
pub const SEED: u64 = 20261128;

/// The run configuration of a world `hedui synth` writes: the roster and the three exports.
pub const WORLD_CONFIG: &str = r#"
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

/// [`WORLD_CONFIG`] for the world in `dir`.
pub fn world_config(dir: &Path) -> Result<RunConfig, String> {
    RunConfig::from_toml(&dir.join("hedui.toml"), WORLD_CONFIG).map_err(|e| e.to_string())
}

/// A directory of its own for one benchmark run.
pub fn temp_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("hedui-bench-{name}-{}", std::process::id()))
}

/// One field of `/proc/self/status` (`VmHWM`, `VmRSS`), as the kernel reports it.
pub fn status_field(name: &str) -> String {
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

/// The prefecture-sized world a scale benchmark measures: found in `HEDUI_BENCH_DATA`
/// (and kept there), or generated into a temporary directory that is removed on drop.
/// `HEDUI_SCALE_HOUSEHOLDS` sets the size of a new world (default 250,000).
#[derive(Debug)]
pub struct ScaleWorld {
    pub dir: PathBuf,
    kept: bool,
}

impl ScaleWorld {
    /// `bench` names the benchmark in what it prints.
    pub fn find_or_make(bench: &str) -> Result<Self, String> {
        let kept = std::env::var_os("HEDUI_BENCH_DATA").map(PathBuf::from);
        let world = ScaleWorld {
            kept: kept.is_some(),
            dir: kept.unwrap_or_else(|| temp_dir(bench)),
        };
        // The manifest is published last, so its presence means a complete world.
        let manifest = world.dir.join(files::MANIFEST);
        if manifest.is_file() {
            println!("{bench}: reusing {}", world.dir.display());
        } else {
            let households = std::env::var("HEDUI_SCALE_HOUSEHOLDS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(250_000);
            let started = Instant::now();
            generate(&SynthConfig::new(households, SEED), &world.dir).map_err(|e| e.to_string())?;
            let generated = started.elapsed().as_secs_f64();
            println!(
                "{bench}: generated into {} in {generated:.1} s",
                world.dir.display()
            );
        }
        let text = std::fs::read_to_string(&manifest).map_err(|e| e.to_string())?;
        let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        println!(
            "  world: {} households, rows {}",
            manifest["households"], manifest["rows"]
        );
        Ok(world)
    }
}

impl Drop for ScaleWorld {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The `main` of a scale benchmark that measures once. Run as `<bench> <flag> DIR`, it
/// measures the world in DIR in this process. Run bare (as `cargo bench` does), it finds or
/// makes the world and runs itself that way in a child process, so that the peak RSS
/// (VmHWM) is the measurement's and not the generator's.
pub fn scale_main(bench: &str, flag: &str, measure: fn(&Path) -> Result<(), String>) -> ExitCode {
    keep_freed_memory();
    let args: Vec<String> = std::env::args().collect();
    let result = match args.iter().position(|a| a == flag) {
        Some(i) => match args.get(i + 1) {
            Some(dir) => measure(Path::new(dir)),
            None => Err(format!("usage: {bench} {flag} DIR")),
        },
        None => measure_in_child(bench, flag),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{bench} failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn measure_in_child(bench: &str, flag: &str) -> Result<(), String> {
    let world = ScaleWorld::find_or_make(bench)?;
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let status = Command::new(&exe)
        .arg(flag)
        .arg(&world.dir)
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("measurement failed: {status}"))
    }
}
