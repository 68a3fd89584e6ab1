//! `hedui check`: the main job. Reads every source, links owners to members, applies the
//! policy and writes candidates with evidence into `--out`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use hedui_engine::cases::{CheckCycle, check_and_write};
use hedui_engine::check::{CheckRun, household_counts};
use hedui_engine::output::baseline::{Baseline, ChangesSummary};
use hedui_engine::output::{OutputOptions, ReportStyle};
use hedui_engine::{CandidateBand, Partitioning, RunConfig};
use indicatif::{ProgressBar, ProgressStyle};

use crate::CliError;

/// Arguments of `hedui check`.
#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// The run configuration (TOML).
    #[arg(long, value_name = "FILE.toml")]
    config: PathBuf,
    /// Output folder; replaced as a whole only when the new results are complete.
    #[arg(long)]
    out: PathBuf,
    /// Mask identity numbers (532501********1234) and names (张*芳) in every output.
    #[arg(long)]
    mask: bool,
    /// The audit report's form: `folder` writes `report/` (an index, a page per county and
    /// per household, a search box), which opens at once at any scale; `single` writes one
    /// `report.html`, for small runs.
    #[arg(long, value_enum, default_value_t = ReportForm::Folder)]
    report: ReportForm,
    /// A `truth/` folder from `hedui synth`: also print candidate-level and link-level
    /// precision and recall against it.
    #[arg(long, value_name = "DIR")]
    truth: Option<PathBuf>,
    /// Compare with the run in this folder instead of the previous results in `--out`;
    /// `changes.csv` lists what is new, dropped, resolved (its household or record gone) or
    /// moved between the bands since then.
    #[arg(long, value_name = "DIR")]
    since: Option<PathBuf>,
    /// Go on when a column a rule needs looks present under an unknown header but is not
    /// mapped. Each such field is recorded in manifest.json and the report; without this
    /// flag the run stops and says which `[sources.columns]` line would map it.
    #[arg(long)]
    allow_degraded: bool,
    /// The case store (SQLite), instead of the configuration's `store`: every case gets a
    /// status (new, open, changed, confirmed, needs_visit, suppressed) and the run is
    /// recorded.
    #[arg(long, value_name = "FILE.db")]
    store: Option<PathBuf>,
    /// Match one county's owners at a time (`county`), instead of the configuration's
    /// `partition`: pairs are held for one county only and formed again in each matching
    /// pass, so a province-sized run takes less memory and more time. The outputs are the
    /// same byte for byte.
    #[arg(long, value_enum)]
    partition: Option<PartitionArg>,
}

/// `--partition`: how matching splits the owners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum PartitionArg {
    None,
    County,
}

/// `--report`: the audit report's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ReportForm {
    Folder,
    Single,
}

pub(crate) fn run(args: &CheckArgs, show_progress: bool) -> Result<(), CliError> {
    // This process runs one check and exits: the ingest memos can go once it has read.
    hedui_ingest::single_run();
    let mut config = RunConfig::load(&args.config)?;
    config.allow_degraded = args.allow_degraded;
    if let Some(partition) = args.partition {
        config.partition = match partition {
            PartitionArg::None => Partitioning::None,
            PartitionArg::County => Partitioning::County,
        };
    }
    if let Some(store) = &args.store {
        config.store = Some(store.clone());
    }
    // Read before the long run, so a wrong `--since` fails at once.
    let baseline = baseline(args)?;
    let spinner = if show_progress {
        ProgressBar::new_spinner()
    } else {
        ProgressBar::hidden()
    };
    spinner.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    spinner.enable_steady_tick(Duration::from_millis(120));
    let options = OutputOptions {
        mask: args.mask,
        report: match args.report {
            ReportForm::Folder => ReportStyle::Folder,
            ReportForm::Single => ReportStyle::Single,
        },
    };
    let result = check_and_write(&config, &args.out, options, baseline.as_ref(), &|stage| {
        spinner.set_message(stage.to_owned());
    });
    spinner.finish_and_clear();
    let CheckCycle {
        run,
        changes,
        cases,
        ..
    } = result?;
    print_summary(&run, args, &config, &changes);
    if let Some(counts) = cases {
        outln!("  cases in the store: {counts}");
    }
    if let Some(truth) = &args.truth {
        print_truth(&run, truth)?;
    }
    // Everything is written and flushed. Dropping millions of records one allocation at a
    // time took 2 s at prefecture scale; the process is about to exit and the OS takes the
    // memory back at once.
    std::mem::forget(run);
    Ok(())
}

/// The run to compare with: `--since`, which must hold one, or else whatever previous
/// results `--out` holds. Unreadable previous results in `--out` do not stop the nightly
/// run; it says so and writes its results without a comparison.
fn baseline(args: &CheckArgs) -> Result<Option<Baseline>, CliError> {
    if let Some(since) = &args.since {
        return match Baseline::load(since).map_err(hedui_engine::EngineError::from)? {
            Some(found) => Ok(Some(found)),
            None => Err(CliError::User(format!(
                "--since {}: no candidates.csv there; give the folder of an earlier `hedui check`",
                since.display()
            ))),
        };
    }
    match Baseline::previous_in(&args.out) {
        Ok(found) => Ok(found),
        Err(e) => {
            tracing::warn!(error = %e, "previous results not compared with");
            Ok(Some(Baseline::unreadable(&args.out, e.to_string())))
        }
    }
}

fn print_truth(run: &CheckRun, truth: &std::path::Path) -> Result<(), CliError> {
    let c = hedui_engine::evaluate::evaluate_candidates(&run.evidence, truth)?;
    outln!(
        "
candidates vs truth: precision {:.4}, recall {:.4} ({} of {} expected; {} plain); {} expected in review, {} other reviews",
        c.precision, c.recall, c.correct_plain, c.expected, c.plain, c.expected_in_review, c.other_reviews
    );
    for (rule, q) in &c.by_rule {
        let precision = if q.plain == 0 {
            "-".to_owned()
        } else {
            format!("{:.4}", q.correct_plain as f64 / q.plain as f64)
        };
        outln!(
            "  {rule:<28} expected {:>6}  plain {:>6}  correct {:>6}  precision {precision:>6}  expected in review {:>5}  other reviews {:>5}",
            q.expected,
            q.plain,
            q.correct_plain,
            q.expected_in_review,
            q.other_reviews
        );
    }
    let (ingested, links) = (&run.linked.ingested, &run.linked.matched.links);
    let l = hedui_engine::evaluate::evaluate_links(
        links,
        &ingested.members,
        &ingested.assets,
        &ingested.rejects,
        truth,
    )?;
    outln!(
        "links vs truth: precision {:.4}, recall {:.4}; {:.2}% of true links in review",
        l.precision,
        l.recall,
        100.0 * l.review_share_of_true_links
    );
    super::link::print_negatives(&l);
    Ok(())
}

fn print_summary(run: &CheckRun, args: &CheckArgs, config: &RunConfig, changes: &ChangesSummary) {
    let s = run.linked.summary();
    let (households, review_only) = household_counts(run);
    outln!(
        "hedui check: policy {} {} (check date {})",
        run.policy.name,
        run.policy.version,
        config.check_date
    );
    outln!(
        "  members {:>9}   department records {:>9}   rejected rows {:>7}",
        s.members,
        s.records,
        run.linked.ingested.rejects.len()
    );
    for (department, rows) in &run.not_matched {
        outln!("  {department} rows not matched (no rule reads them): {rows}");
    }
    outln!(
        "  links   {:>9}   for review         {:>9}",
        s.links,
        s.reviews
    );
    outln!();
    outln!(
        "  {:<34} {:>10} {:>10}",
        "规则 rule",
        CandidateBand::Candidate.as_str(),
        CandidateBand::Review.as_str()
    );
    // Keyed by id so the order is the id's; shown with the Chinese name first.
    let mut rules: std::collections::BTreeMap<&str, (&str, usize, usize)> =
        std::collections::BTreeMap::new();
    for e in &run.evidence {
        let entry = rules.entry(e.rule.as_str()).or_insert((&e.rule_zh, 0, 0));
        if e.band == CandidateBand::Candidate {
            entry.1 += 1
        } else {
            entry.2 += 1
        }
    }
    for (rule, (zh, c, r)) in &rules {
        // Padding counts characters; a Han character takes two columns in a terminal.
        let label = format!("{zh} {rule}");
        let width = label.chars().count() + label.chars().filter(|c| !c.is_ascii()).count();
        let pad = " ".repeat(38usize.saturating_sub(width));
        outln!("  {label}{pad} {c:>10} {r:>10}");
    }
    outln!("  households with candidates: {households}; with review items only: {review_only}");
    let c = &changes.counts;
    match (&changes.since, &changes.not_compared) {
        (Some(since), Some(problem)) => {
            outln!("  previous results in {since} not compared: {problem}");
        }
        (Some(since), None) => outln!(
            "  since {} ({}): {} new, {} dropped, {} resolved, {} review → candidate, {} candidate → review, {} unchanged",
            changes
                .previous
                .run_id
                .as_deref()
                .unwrap_or("the previous run"),
            since,
            c.new,
            c.dropped,
            c.resolved,
            c.to_candidate,
            c.to_review,
            c.unchanged
        ),
        (None, _) => outln!("  no previous run to compare with: all {} are new", c.new),
    }
    let warnings = run.contract.warnings();
    if !warnings.is_empty() {
        outln!("\n  warnings:");
        for w in &warnings {
            outln!("    - {w}");
        }
    }
    outln!();
    for (stage, secs) in &run.timings {
        outln!("  {stage:<10} {secs:>8.2} s");
    }
    outln!(
        "\nwrote {}{}",
        args.out.display(),
        if args.mask { " (masked)" } else { "" }
    );
}
