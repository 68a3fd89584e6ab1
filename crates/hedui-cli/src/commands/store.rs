//! `hedui store`: look after the case store.

use clap::{Args, Subcommand};

use super::review::StoreArgs;
use crate::CliError;

/// Arguments of `hedui store`.
#[derive(Debug, Args)]
pub(crate) struct StoreCommandArgs {
    #[command(subcommand)]
    command: StoreCommand,
}

#[derive(Debug, Subcommand)]
enum StoreCommand {
    /// Recreate a store from run folders and an exported decision log (`review export`).
    Rebuild {
        /// The new store file; it must not exist.
        #[arg(long, value_name = "FILE.db")]
        store: std::path::PathBuf,
        /// Run folders of `hedui check` or `hedui nightly`, in any order.
        #[arg(long = "run", value_name = "DIR", required = true)]
        runs: Vec<std::path::PathBuf>,
        /// The decision log to read back.
        #[arg(long, value_name = "FILE.csv")]
        decisions: Option<std::path::PathBuf>,
    },
    /// Check the store against the run folders still on disk: every finished run's cases
    /// and evidence, and every decision's evidence. Exit 1 when they disagree.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub(crate) fn run(args: &StoreCommandArgs) -> Result<(), CliError> {
    match &args.command {
        StoreCommand::Rebuild {
            store,
            runs,
            decisions,
        } => {
            let (runs, decided) = hedui_engine::cases::rebuild(store, runs, decisions.as_deref())?;
            outln!(
                "{}: rebuilt from {runs} run folder(s) and {decided} decision(s)",
                store.display()
            );
            Ok(())
        }
        StoreCommand::Verify { store } => {
            let store = store.open()?;
            let problems = hedui_engine::cases::verify(&store)?;
            let runs = store.runs()?;
            if problems.is_empty() {
                outln!(
                    "{}: {} run(s), {} decision(s): the store agrees with the run folders",
                    store.path().display(),
                    runs.len(),
                    store.decisions()?.len()
                );
                return Ok(());
            }
            Err(CliError::User(format!(
                "{}: {} problem(s):\n  {}",
                store.path().display(),
                problems.len(),
                problems.join("\n  ")
            )))
        }
    }
}
