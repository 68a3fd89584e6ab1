//! `hedui link`: match owners to members and write `links.csv`; with `--truth`, score the
//! links against a synthetic world's ground truth.

use std::path::PathBuf;

use clap::Args;
use hedui_engine::LinkBand;
use hedui_engine::RunConfig;

use crate::CliError;

/// Arguments of `hedui link`.
#[derive(Debug, Args)]
pub(crate) struct LinkArgs {
    /// The run configuration (TOML).
    #[arg(long, value_name = "FILE.toml")]
    config: PathBuf,
    /// Folder for links.csv, match.json and rejects.csv.
    #[arg(long)]
    out: PathBuf,
    /// A `truth/` folder from `hedui synth`: print precision and recall per defect type.
    #[arg(long, value_name = "DIR")]
    truth: Option<PathBuf>,
}

pub(crate) fn run(args: &LinkArgs) -> Result<(), CliError> {
    // One run, then exit (see `check`).
    hedui_ingest::single_run();
    let config = RunConfig::load(&args.config)?;
    let run = hedui_engine::link::link(&config)?;
    hedui_engine::output::write_link_outputs(&args.out, &run)?;
    let s = run.summary();
    outln!(
        "{} members, {} records, {} owners, {} pairs compared: {} links, {} for review",
        s.members,
        s.records,
        s.owners,
        s.pairs_compared,
        s.links,
        s.reviews
    );
    for (stage, secs) in &run.timings {
        outln!("  {stage:<8} {secs:>8.2} s");
    }
    outln!("wrote {}", args.out.join("links.csv").display());
    if let Some(truth) = &args.truth {
        let q = hedui_engine::evaluate::evaluate_links(
            &run.matched.links,
            &run.ingested.members,
            &run.ingested.assets,
            &run.ingested.rejects,
            truth,
        )?;
        outln!(
            "\nlink band: precision {:.4}, recall {:.4} ({} of {} true links; {} predicted)",
            q.precision,
            q.recall,
            q.correct_links,
            q.true_links,
            q.predicted_links
        );
        outln!(
            "review band: {} true links ({:.2}%), {} other pairs",
            q.true_links_in_review,
            100.0 * q.review_share_of_true_links,
            q.false_reviews
        );
        for (title, table) in [
            ("all owners", &q.by_defect),
            ("owners without a usable ID number", &q.by_defect_without_id),
        ] {
            outln!(
                "\n{title}:\n{:<28} {:>8} {:>8} {:>8} {:>8}",
                "defect",
                "links",
                "linked",
                LinkBand::Review.as_str(),
                "recall"
            );
            for (defect, d) in table {
                outln!(
                    "{defect:<28} {:>8} {:>8} {:>8} {:>8.4}",
                    d.true_links,
                    d.linked,
                    d.in_review,
                    d.recall
                );
            }
        }
        print_negatives(&q);
    }
    // As in `check`: all is written; the OS frees the records faster than dropping them.
    std::mem::forget(run);
    Ok(())
}

/// The hard negatives of the truth, per kind: records of people who are on no roster, and
/// how many of them the matcher linked (false links) or sent to review. Nothing without a
/// `hard_negatives.csv` in the truth.
pub(crate) fn print_negatives(q: &hedui_engine::evaluate::LinkQuality) {
    if q.by_negative.is_empty() {
        return;
    }
    outln!(
        "\nhard negatives (no pair is true):\n{:<28} {:>8} {:>8} {:>8}",
        "kind",
        "records",
        LinkBand::Link.as_str(),
        LinkBand::Review.as_str()
    );
    for (kind, n) in &q.by_negative {
        outln!(
            "{kind:<28} {:>8} {:>8} {:>8}",
            n.records,
            n.in_link,
            n.in_review
        );
    }
}
