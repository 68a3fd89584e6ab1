//! The run: draw file styles, generate chunks in parallel, write them in order through one
//! writer thread, then move finished files into the output directory.
//!
//! Files are written into a hidden sibling directory and renamed into place only when
//! complete, so a killed run never leaves a half-written file under a final name.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::mpsc::sync_channel;

use ferrous_opencc::OpenCC;
use ferrous_opencc::config::BuiltinConfig;
use rayon::prelude::*;

use crate::assets::export_date;
use crate::chunk::{self, ChunkOutput, Shared, Styles};
use crate::config::{DemoPolicy, ExportStyle, SynthConfig};
use crate::defects::{FileNoise, placeholder};
use crate::error::SynthError;
use crate::ids::CHUNKS;
use crate::licences::LicenceStyle;
use crate::people::Tables;
use crate::property::PropertyStyle;
use crate::relatives::RelativesRows;
use crate::relatives::RelativesStyle;
use crate::rng::{chance, hash_str, mix64, relatives_style_rng, style_rng};
use crate::truth::{self, FileRows};
use crate::vehicles::VehicleStyle;
use crate::writer::{
    HUKOU, LICENCES, PROPERTY, RECIPIENTS, RELATIVES_REGISTER, STAFF, Sink, VEHICLES,
};

/// What a run produced.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Recipient households.
    pub households: u64,
    /// Recipient members (rows of `recipients.csv`).
    pub members: u64,
    /// Everyone in the world, recipients and non-recipients.
    pub people: u64,
    /// Data rows per file.
    pub rows: FileRows,
    /// Rows of `truth/links.csv`.
    pub links: u64,
    /// Rows of `truth/expected_candidates.csv`.
    pub expected_candidates: u64,
    /// Distinct households among the expected candidates.
    pub candidate_households: u64,
    /// The staff roster, register and registration export, and their truth.
    pub relatives: RelativesRows,
    /// Total bytes of every file written.
    pub bytes: u64,
}

fn draw_styles(seed: u64, share: f64, export: ExportStyle) -> Styles {
    let mut rng = style_rng(seed);
    // Taken from the seed, not from the style stream, so that the choice leaves every other
    // style draw (and so the world) as the local style makes it.
    let status_code_header = mix64(seed ^ hash_str("national vehicle status header")) & 1 == 1;
    let noise = |rng: &mut crate::rng::SynthRng| FileNoise {
        mangles_rare: chance(rng, share),
        placeholder: placeholder(rng),
    };
    let v = noise(&mut rng);
    let l = noise(&mut rng);
    let p = noise(&mut rng);
    Styles {
        vehicles: VehicleStyle::draw(&mut rng, v, export, status_code_header),
        licences: LicenceStyle::draw(&mut rng, l, export),
        property: PropertyStyle::draw(&mut rng, p, export_date(), export),
        // A stream of its own, so that the other files' choices are as they were.
        relatives: RelativesStyle::draw(&mut relatives_style_rng(seed)),
    }
}

/// The simplified→traditional converter. Building it loads dictionaries, so it is built
/// once per process and shared by every run and thread.
fn s2t() -> Result<&'static OpenCC, SynthError> {
    static S2T: OnceLock<Result<OpenCC, String>> = OnceLock::new();
    S2T.get_or_init(|| OpenCC::from_config(BuiltinConfig::S2t).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| SynthError::Internal(format!("OpenCC s2t: {e}")))
}

fn temp_dir_for(out: &Path) -> PathBuf {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    parent.join(format!(".{name}.hedui-tmp-{}", std::process::id()))
}

/// Output files relative to the output directory, in the order they are moved into place;
/// the manifest last, so that its presence means a complete world.
const OUTPUTS: [&str; 15] = [
    RECIPIENTS,
    VEHICLES,
    LICENCES,
    PROPERTY,
    STAFF,
    RELATIVES_REGISTER,
    HUKOU,
    "truth/links.csv",
    "truth/expected_candidates.csv",
    "truth/malformed.csv",
    "truth/hard_negatives.csv",
    "truth/relatives.csv",
    "truth/register_stale.csv",
    "truth/relatives_manifest.json",
    "truth/manifest.json",
];

/// The run configuration written into a new world (`hedui.toml`); an existing one is kept.
pub(crate) const CONFIG: &str = "hedui.toml";
const WORLD_CONFIG: &str = "\
# Run configuration of a world written by `hedui synth` (docs/synth.md). Regenerating the
# world keeps this file as it is.
check_date = \"2026-06-30\"

[recipients]
path = \"recipients.csv\"

[[sources]]
kind = \"vehicle\"
path = \"vehicles.csv\"

[[sources]]
kind = \"licence\"
path = \"licences.csv\"

[[sources]]
kind = \"property\"
path = \"property.xlsx\"

[[sources]]
kind = \"staff\"
path = \"staff.csv\"

[[sources]]
kind = \"relatives_register\"
path = \"relatives_register.csv\"

[[sources]]
kind = \"hukou\"
path = \"hukou.csv\"
";

/// Generates the world described by `config` into directory `out`.
pub fn generate(config: &SynthConfig, out: &Path) -> Result<Summary, SynthError> {
    if config.households == 0 {
        return Err(SynthError::InvalidConfig(
            "--households must be at least 1".into(),
        ));
    }
    let tmp = temp_dir_for(out);
    std::fs::create_dir_all(tmp.join("truth")).map_err(SynthError::io(&tmp))?;
    let result = run(config, &tmp)
        .and_then(|summary| publish(&tmp, out).map(|bytes| Summary { bytes, ..summary }));
    // Best effort: a leftover temporary directory is harmless and named after the run.
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn run(config: &SynthConfig, dir: &Path) -> Result<Summary, SynthError> {
    let rates = &config.rates;
    let policy = DemoPolicy::default();
    let styles = draw_styles(
        config.seed,
        rates.defects.name_rare_export_share,
        config.export_style,
    );
    let tables = Tables::new(
        config.area,
        config.households,
        rates.world.households_per_county,
    );
    let s2t = if rates.defects.name_traditional > 0.0 {
        Some(s2t()?)
    } else {
        None
    };
    let shared = Shared {
        seed: config.seed,
        households: config.households,
        rates,
        tables: &tables,
        s2t,
        styles: &styles,
        policy: &policy,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads.unwrap_or(0))
        .build()
        .map_err(|e| SynthError::Internal(format!("thread pool: {e}")))?;
    let window = pool.current_num_threads().max(1) * 2;
    let sink = Sink::open(dir, &styles, export_date(), config.sheet_rows)?;

    let (tx, rx) = sync_channel::<ChunkOutput>(window);
    let finished = std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> Result<Sink, SynthError> {
            let mut sink = sink;
            for out in rx {
                sink.append(out)?;
            }
            Ok(sink)
        });
        let chunks: Vec<u32> = (0..CHUNKS).collect();
        let produced = pool.install(|| -> Result<(), SynthError> {
            for batch in chunks.chunks(window) {
                let outs: Vec<Result<ChunkOutput, SynthError>> = batch
                    .par_iter()
                    .map(|&c| chunk::generate(&shared, c))
                    .collect();
                for out in outs {
                    // A closed channel means the writer failed; its error is reported below.
                    if tx.send(out?).is_err() {
                        return Ok(());
                    }
                }
                tracing::debug!(
                    chunk = batch.last().copied().unwrap_or(0),
                    "chunks generated"
                );
            }
            Ok(())
        });
        drop(tx);
        let sink = writer
            .join()
            .map_err(|_| SynthError::Internal("writer thread panicked".into()))??;
        produced?;
        sink.finish()
    })?;

    let rows = FileRows {
        recipients: finished.recipient_rows,
        vehicles: finished.truth[0].rows,
        licences: finished.truth[1].rows,
        property: finished.truth[2].rows,
    };
    let (households, members, people) = (finished.households, finished.members, finished.people);
    let totals = truth::write_all(dir, config, &policy, &styles, finished, &rows)?;
    Ok(Summary {
        households,
        members,
        people,
        rows,
        links: totals.links,
        expected_candidates: totals.candidates,
        candidate_households: totals.candidate_households,
        relatives: totals.relatives,
        bytes: 0,
    })
}

/// Moves every finished file from `tmp` into `out`; returns the bytes published.
fn publish(tmp: &Path, out: &Path) -> Result<u64, SynthError> {
    std::fs::create_dir_all(out.join("truth")).map_err(SynthError::io(out))?;
    let mut bytes = 0;
    let config = out.join(CONFIG);
    if !config.exists() {
        let from = tmp.join(CONFIG);
        std::fs::write(&from, WORLD_CONFIG).map_err(SynthError::io(&from))?;
        std::fs::rename(&from, &config).map_err(SynthError::io(&config))?;
        bytes += WORLD_CONFIG.len() as u64;
    }
    for name in OUTPUTS {
        let (from, to) = (tmp.join(name), out.join(name));
        bytes += std::fs::metadata(&from)
            .map_err(SynthError::io(&from))?
            .len();
        std::fs::rename(&from, &to).map_err(SynthError::io(&to))?;
    }
    Ok(bytes)
}
