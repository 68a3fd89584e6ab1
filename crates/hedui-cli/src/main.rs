//! `hedui`: the household economic-status verification engine's command-line tool.
//!
//! `main` only parses arguments, sets up logging and maps errors to exit codes: 1 for a
//! user's mistake (bad arguments, unreadable rates file, unwritable directory), 2 for an
//! internal bug, including a panic.

/// `println!` for the tool's standard output, which a reader may close early (`hedui
/// explain … | head`): `println!` would panic there and be reported as a bug.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            $crate::stdout_failed(&e);
        }
    }};
}

/// `print!` likewise.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout(), $($arg)*) {
            $crate::stdout_failed(&e);
        }
    }};
}

mod commands;
mod logging;

/// Standard output could not be written. A reader that stopped reading (a closed pipe) has
/// seen what it wanted: exit quietly, as `head`'s writers do. Anything else is the user's
/// to fix (a full disk behind a redirect): say so and exit 1. Commands print after their
/// files are written or their decisions committed, so nothing is left half done.
fn stdout_failed(e: &std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("hedui: cannot write to standard output: {e}");
    std::process::exit(1);
}

use std::process::ExitCode;

use clap::{ArgAction, Parser, Subcommand};

/// Household economic-status verification for Honghe dibao.
#[derive(Debug, Parser)]
#[command(name = "hedui", version, long_about = None)]
struct Cli {
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = logging::LogFormat::Human)]
    log_format: logging::LogFormat,
    /// More log output (-v debug, -vv trace).
    #[arg(short, long, global = true, action = ArgAction::Count)]
    verbose: u8,
    /// Less log output (-q warnings only, -qq errors only).
    #[arg(short, long, global = true, action = ArgAction::Count)]
    quiet: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The main job: link department records to recipient members, apply the policy and
    /// write candidates with evidence trails, the audit report and the staff worksheet.
    Check(commands::check::CheckArgs),
    /// Show one case of a finished run: who, which record, why they match, why it fired.
    Explain(commands::explain::ExplainArgs),
    /// Generate synthetic recipients, department exports and their ground truth.
    Synth(commands::synth::SynthArgs),
    /// Read every source of a run, report encodings, header mappings and row accounting,
    /// and write rejects.csv.
    Validate(commands::validate::ValidateArgs),
    /// Link department owners to recipient members and write links.csv (with --truth,
    /// score the links against a synthetic world's ground truth).
    Link(commands::link::LinkArgs),
    /// The reviewers' side: list cases with their status, record decisions, export the
    /// decision log (needs a case store: `store` in the run configuration).
    Review(commands::review::ReviewArgs),
    /// The scheduled job: a check every night (and when exports land in an inbox) into
    /// dated folders, one run at a time; `--once` runs one cycle for cron.
    Nightly(commands::nightly::NightlyArgs),
    /// Look after the case store (`verify` it against the run folders).
    Store(commands::store::StoreCommandArgs),
}

/// An error with the exit code it should produce.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error("{0}")]
    User(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            Self::User(_) => 1,
            Self::Internal(_) => 2,
        }
    }
}

fn main() -> ExitCode {
    // `hedui-alloc` installs mimalloc by being linked; this applies its one tuning.
    hedui_alloc::keep_freed_memory();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version are not errors; usage mistakes are the user's (exit 1).
            let code = if e.use_stderr() { 1 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    logging::init(cli.log_format, cli.verbose, cli.quiet);
    let result = std::panic::catch_unwind(|| match &cli.command {
        Command::Check(args) => {
            let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr())
                && matches!(cli.log_format, logging::LogFormat::Human)
                && cli.quiet == 0;
            commands::check::run(args, interactive)
        }
        Command::Explain(args) => commands::explain::run(args),
        Command::Synth(args) => commands::synth::run(args),
        Command::Validate(args) => commands::validate::run(args),
        Command::Link(args) => commands::link::run(args),
        Command::Review(args) => commands::review::run(args),
        Command::Nightly(args) => commands::nightly::run(args),
        Command::Store(args) => commands::store::run(args),
    });
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            // Once: a JSON log stream gets an event a collector can parse; a person gets
            // one plain line.
            match cli.log_format {
                logging::LogFormat::Json => tracing::error!("{e}"),
                logging::LogFormat::Human => eprintln!("hedui: {e}"),
            }
            ExitCode::from(e.exit_code())
        }
        Err(_) => {
            eprintln!("hedui: internal error: panic (this is a bug)");
            ExitCode::from(2)
        }
    }
}
