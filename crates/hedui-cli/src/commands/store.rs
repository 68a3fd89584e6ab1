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
    /// Check the store against the run folders still on disk: every finished run's cases
    /// and evidence, and every decision's evidence. Exit 1 when they disagree.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
}

pub(crate) fn run(args: &StoreCommandArgs) -> Result<(), CliError> {
    match &args.command {
        StoreCommand::Verify { store } => {
            let store = store.open()?;
            let problems = hedui_engine::cases::verify(&store)?;
            let runs = store.runs()?;
            if problems.is_empty() {
                println!(
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
