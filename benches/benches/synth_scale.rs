//! One generation of 200,000 households (about 3 million department rows) into a temporary
//! directory, timed once. The target is under a minute in release on two cores.
//!
//! `HEDUI_SCALE_HOUSEHOLDS` overrides the size.

use std::time::Instant;

use hedui_synth::{SynthConfig, generate};

fn main() {
    let households = std::env::var("HEDUI_SCALE_HOUSEHOLDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let dir = std::env::temp_dir().join(format!("hedui-bench-scale-{}", std::process::id()));
    let config = SynthConfig::new(households, 20261128);
    let started = Instant::now();
    let result = generate(&config, &dir);
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(s) => {
            let rows = s.rows.recipients + s.rows.vehicles + s.rows.licences + s.rows.property;
            println!("synth_scale: {households} households in {seconds:.2} s");
            println!("  {:.0} households/s", households as f64 / seconds);
            println!(
                "  rows written: {rows} (recipients {}, vehicles {}, licences {}, property {})",
                s.rows.recipients, s.rows.vehicles, s.rows.licences, s.rows.property
            );
            println!("  MB written: {:.1}", s.bytes as f64 / 1e6);
            println!(
                "  expected candidates: {} in {} households",
                s.expected_candidates, s.candidate_households
            );
        }
        Err(e) => {
            eprintln!("synth_scale failed: {e}");
            std::process::exit(1);
        }
    }
}
