//! `hedui synth`: generate a synthetic world into a directory.

use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use hedui_synth::{Area, ExportStyle, PRESETS, Rates, SynthConfig, SynthError};

use crate::CliError;

/// Arguments of `hedui synth`.
#[derive(Debug, Args)]
pub(crate) struct SynthArgs {
    /// Number of recipient households.
    #[arg(long)]
    households: u64,
    /// Seed of every random choice; same seed, size and rates give identical files.
    #[arg(long, default_value_t = 20261128)]
    seed: u64,
    /// Output directory (created if missing; existing files of the same names are replaced).
    #[arg(long)]
    out: PathBuf,
    /// Start from a rates preset shipped with hedui (`adversarial`: hard negatives built to
    /// be linked wrongly, see docs/synth.md); `--defects` and `--rate` apply on top of it.
    #[arg(long, value_name = "NAME", value_parser = preset_names())]
    preset: Option<String>,
    /// TOML file of rates (defect or world rates, flat, as `--rate` names them); keys left
    /// out keep their defaults or the preset's, unknown keys are errors.
    #[arg(long, value_name = "FILE.toml")]
    defects: Option<PathBuf>,
    /// Override one rate, e.g. `--rate id_typo=0.02` or `--rate vehicles_per_household=3`.
    #[arg(long = "rate", value_name = "KEY=VALUE")]
    rates: Vec<String>,
    /// Worker threads (default: all cores). Does not change the output.
    #[arg(long)]
    threads: Option<usize>,
    /// How the department exports are written; the world and its truth are the same in both.
    #[arg(long, value_enum, default_value_t = StyleArg::Local)]
    export_style: StyleArg,
    /// Where the households live: `honghe`, the prefecture's 13 counties at any size (a
    /// larger world is denser), or `yunnan`, the province's counties at Honghe's density
    /// (a larger world has more counties; 200,000 households are the Honghe world).
    #[arg(long, value_enum, default_value_t = AreaArg::Honghe)]
    area: AreaArg,
}

/// Values of `--area`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum AreaArg {
    /// Honghe's 13 counties.
    Honghe,
    /// Yunnan's counties, about 15,400 households each, Honghe's first.
    Yunnan,
}

impl From<AreaArg> for Area {
    fn from(arg: AreaArg) -> Self {
        match arg {
            AreaArg::Honghe => Self::Honghe,
            AreaArg::Yunnan => Self::Yunnan,
        }
    }
}

/// Values of `--export-style`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum StyleArg {
    /// County systems' exports: header wording varies per file, statuses as words.
    Local,
    /// National systems' layouts: national headers, vehicle statuses as GA letter codes,
    /// split 注销日期/吊销日期 for licences, a 不动产单元号 for property.
    National,
}

impl From<StyleArg> for ExportStyle {
    fn from(arg: StyleArg) -> Self {
        match arg {
            StyleArg::Local => Self::Local,
            StyleArg::National => Self::National,
        }
    }
}

/// The names `--preset` accepts.
fn preset_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(PRESETS.map(|(name, _)| name))
}

impl From<SynthError> for CliError {
    fn from(e: SynthError) -> Self {
        if e.is_user_error() {
            Self::User(e.to_string())
        } else {
            Self::Internal(e.to_string())
        }
    }
}

pub(crate) fn run(args: &SynthArgs) -> Result<(), CliError> {
    let mut rates = match &args.preset {
        Some(name) => Rates::preset(name)
            .ok_or_else(|| CliError::User(format!("no preset named {name:?}")))??,
        None => Rates::default(),
    };
    if let Some(path) = &args.defects {
        rates.apply_file(path)?;
    }
    for arg in &args.rates {
        rates.set_from_arg(arg)?;
    }
    if args.threads == Some(0) {
        return Err(CliError::User("--threads must be at least 1".into()));
    }
    let config = SynthConfig {
        households: args.households,
        seed: args.seed,
        threads: args.threads,
        rates,
        export_style: args.export_style.into(),
        area: args.area.into(),
        ..SynthConfig::new(args.households, args.seed)
    };
    tracing::info!(households = args.households, seed = args.seed, out = %args.out.display(), "generating");
    let started = Instant::now();
    let summary = hedui_synth::generate(&config, &args.out)?;
    let elapsed = started.elapsed().as_secs_f64();
    let r = &summary.rows;
    outln!("wrote {}", args.out.display());
    outln!("  households     {:>10}", summary.households);
    outln!("  members        {:>10}", summary.members);
    outln!("  vehicles.csv   {:>10} rows", r.vehicles);
    outln!("  licences.csv   {:>10} rows", r.licences);
    outln!("  property.xlsx  {:>10} rows", r.property);
    outln!("  truth links    {:>10}", summary.links);
    outln!(
        "  candidates     {:>10} ({} households, {:.2}%)",
        summary.expected_candidates,
        summary.candidate_households,
        100.0 * summary.candidate_households as f64 / summary.households.max(1) as f64
    );
    let s = &summary.relatives;
    outln!("  staff.csv      {:>10} rows", s.staff);
    outln!("  register       {:>10} rows", s.relatives_register);
    outln!("  hukou.csv      {:>10} rows", s.hukou);
    outln!(
        "  staff truth    {:>10} pairs ({} stale register rows, {} staff candidates)",
        s.pairs,
        s.register_stale,
        s.expected_candidates
    );
    outln!("  size           {:>10.1} MB", summary.bytes as f64 / 1e6);
    outln!("  elapsed        {elapsed:>10.2} s");
    Ok(())
}
