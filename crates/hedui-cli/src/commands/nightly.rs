//! `hedui nightly`: the scheduled job, as a long-running service or one cycle for cron.

use std::path::PathBuf;
use std::time::Duration;

use chrono::NaiveTime;
use clap::Args;
use hedui_nightly::{NightlyError, Options};

use crate::CliError;

/// Arguments of `hedui nightly`.
#[derive(Debug, Args)]
pub(crate) struct NightlyArgs {
    /// The run configuration (TOML); its `store` keeps the cases between nights.
    #[arg(long, value_name = "FILE.toml")]
    config: PathBuf,
    /// Where each cycle writes `<date>-<run id>/`, and the lock lives.
    #[arg(long, value_name = "DIR")]
    out_root: PathBuf,
    /// Run one cycle and exit (for cron or a systemd timer).
    #[arg(long)]
    once: bool,
    /// Time of day of the nightly cycle.
    #[arg(long, default_value = "02:00", value_parser = parse_time)]
    at: NaiveTime,
    /// Also run a cycle when files land here and stop growing.
    #[arg(long, value_name = "DIR")]
    inbox: Option<PathBuf>,
    /// Cycle folders to keep, newest first; decisions in the store are never deleted.
    #[arg(long, default_value_t = 30)]
    keep: usize,
    /// Seconds a file dropped in the inbox must stay the same size before a cycle reads it.
    #[arg(long, default_value_t = 10)]
    settle: u64,
    /// Seconds a running cycle may go on after SIGTERM or SIGINT.
    #[arg(long, default_value_t = 600)]
    grace: u64,
}

fn parse_time(text: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(text, "%H:%M").map_err(|_| format!("{text:?}: expected HH:MM"))
}

impl From<NightlyError> for CliError {
    fn from(e: NightlyError) -> Self {
        if e.is_user_error() {
            Self::User(e.to_string())
        } else {
            Self::Internal(e.to_string())
        }
    }
}

pub(crate) fn run(args: &NightlyArgs) -> Result<(), CliError> {
    let options = Options {
        config: args.config.clone(),
        out_root: args.out_root.clone(),
        keep: args.keep,
        at: args.at,
        inbox: args.inbox.clone(),
        settle: Duration::from_secs(args.settle),
        grace: Duration::from_secs(args.grace),
    };
    if args.once {
        let report = hedui_nightly::run_once(&options)?;
        outln!("{report}");
        tracing::info!(report = %serde_json::to_string(&report).unwrap_or_default(), "cycle done");
        return Ok(());
    }
    // The only async code of hedui: a clock, a folder and signals to wait on.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Internal(format!("cannot start the service's runtime: {e}")))?;
    let served = runtime.block_on(hedui_nightly::serve(options));
    // A cycle given up after the grace period is still on its blocking thread; dropping the
    // runtime would wait for it. It is recorded as interrupted and its folder is hidden.
    runtime.shutdown_background();
    served?;
    Ok(())
}
