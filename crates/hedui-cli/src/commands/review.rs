//! `hedui review`: the reviewers' side of the loop. List the cases of the store, record a
//! decision, export the decision log.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use hedui_engine::RunConfig;
use hedui_store::{CaseStatus, Decision, Store};

use crate::CliError;

/// Arguments of `hedui review`.
#[derive(Debug, Args)]
pub(crate) struct ReviewArgs {
    #[command(subcommand)]
    command: ReviewCommand,
}

/// Which store: the run configuration's `store`, or a file given directly.
#[derive(Debug, Args)]
pub(crate) struct StoreArgs {
    /// The run configuration whose `store` to use.
    #[arg(long, value_name = "FILE.toml", required_unless_present = "store")]
    config: Option<PathBuf>,
    /// The case store file.
    #[arg(long, value_name = "FILE.db", conflicts_with = "config")]
    store: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum ReviewCommand {
    /// List cases with their status (by household, then id).
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Only cases of this status.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Only cases of this county (its name, or the code households begin with).
        #[arg(long)]
        county: Option<String>,
        /// Output for people or for scripts.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Record a decision on a case's latest evidence.
    Decide {
        #[command(flatten)]
        store: StoreArgs,
        /// The case, as `candidate_id` in candidates.csv.
        candidate_id: String,
        #[arg(long, value_enum)]
        decision: DecisionArg,
        /// Why, in a sentence an auditor can read.
        #[arg(long)]
        reason: String,
        /// Who decided.
        #[arg(long)]
        reviewer: String,
    },
    /// Read back a worksheet (`candidates.xlsx`) that reviewers filled in: every row with a
    /// 复核结论 becomes a decision. A file with any invalid row imports nothing; importing
    /// the same file twice changes nothing.
    Import {
        #[command(flatten)]
        store: StoreArgs,
        /// The filled-in worksheet.
        file: PathBuf,
    },
    /// Write the whole decision log as CSV, for audit and for rebuilding a store.
    Export {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StatusArg {
    New,
    Open,
    Changed,
    Confirmed,
    NeedsVisit,
    Suppressed,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DecisionArg {
    Confirmed,
    Dismissed,
    NeedsVisit,
}

impl From<StatusArg> for CaseStatus {
    fn from(s: StatusArg) -> Self {
        match s {
            StatusArg::New => Self::New,
            StatusArg::Open => Self::Open,
            StatusArg::Changed => Self::Changed,
            StatusArg::Confirmed => Self::Confirmed,
            StatusArg::NeedsVisit => Self::NeedsVisit,
            StatusArg::Suppressed => Self::Suppressed,
        }
    }
}

impl From<DecisionArg> for Decision {
    fn from(d: DecisionArg) -> Self {
        match d {
            DecisionArg::Confirmed => Self::Confirmed,
            DecisionArg::Dismissed => Self::Dismissed,
            DecisionArg::NeedsVisit => Self::NeedsVisit,
        }
    }
}

impl From<hedui_store::StoreError> for CliError {
    fn from(e: hedui_store::StoreError) -> Self {
        Self::User(e.to_string())
    }
}

impl StoreArgs {
    pub(crate) fn open(&self) -> Result<Store, CliError> {
        let path = match (&self.store, &self.config) {
            (Some(store), _) => store.clone(),
            (None, Some(config)) => RunConfig::load(config)?.store.ok_or_else(|| {
                CliError::User(format!(
                    "{}: no `store` in the run configuration; add store = \"hedui.db\"",
                    config.display()
                ))
            })?,
            (None, None) => return Err(CliError::User("give --config or --store".into())),
        };
        if !path.exists() {
            return Err(CliError::User(format!(
                "{}: no case store yet; run `hedui check` with it first",
                path.display()
            )));
        }
        Ok(Store::open(&path)?)
    }
}

pub(crate) fn run(args: &ReviewArgs) -> Result<(), CliError> {
    match &args.command {
        ReviewCommand::List {
            store,
            status,
            county,
            format,
        } => {
            let cases = store
                .open()?
                .cases(status.map(CaseStatus::from), county.as_deref())?;
            match format {
                Format::Json => outln!(
                    "{}",
                    serde_json::to_string_pretty(&cases)
                        .map_err(|e| CliError::Internal(e.to_string()))?
                ),
                Format::Text => {
                    let mut out = String::new();
                    for c in &cases {
                        let _ = writeln!(
                            out,
                            "{}  {:<12} {}  {:<28} {}  {}",
                            c.case.candidate_id,
                            c.status.as_str(),
                            c.case.household_id,
                            c.case.rule,
                            c.case.record_key,
                            c.status.label_zh()
                        );
                    }
                    let _ = writeln!(out, "{} case(s)", cases.len());
                    out!("{out}");
                }
            }
            Ok(())
        }
        ReviewCommand::Decide {
            store,
            candidate_id,
            decision,
            reason,
            reviewer,
        } => {
            let at = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            let row = store.open()?.decide(
                candidate_id.trim(),
                Decision::from(*decision),
                reviewer,
                reason,
                &at,
            )?;
            outln!(
                "recorded: {} {} by {} on evidence {} ({})",
                row.candidate_id,
                row.decision.as_str(),
                row.reviewer,
                row.evidence_hash,
                row.decided_at
            );
            Ok(())
        }
        ReviewCommand::Import { store, file } => import(&mut store.open()?, file),
        ReviewCommand::Export { store, out } => {
            let decisions = store.open()?.decisions()?;
            hedui_evidence::folder::write_atomically(out, |w| {
                let mut csv = csv::Writer::from_writer(w);
                csv.write_record([
                    "id",
                    "candidate_id",
                    "decision",
                    "reviewer",
                    "decided_at",
                    "reason",
                    "evidence_hash",
                ])?;
                for d in &decisions {
                    csv.write_record([
                        d.id.to_string().as_str(),
                        &d.candidate_id,
                        d.decision.as_str(),
                        &d.reviewer,
                        &d.decided_at,
                        &d.reason,
                        &d.evidence_hash,
                    ])?;
                }
                csv.flush()
            })
            .map_err(|e| CliError::User(e.to_string()))?;
            outln!(
                "{} decision(s) written to {}",
                decisions.len(),
                out.display()
            );
            Ok(())
        }
    }
}

/// The decision a worksheet's 复核结论 names: the drop-down's words, or the English ones.
fn verdict(word: &str) -> Option<Decision> {
    match word.trim() {
        "属实" | "confirmed" => Some(Decision::Confirmed),
        "不属实" | "dismissed" => Some(Decision::Dismissed),
        "待核实" | "待入户核查" | "needs_visit" => Some(Decision::NeedsVisit),
        _ => None,
    }
}

fn import(store: &mut Store, file: &std::path::Path) -> Result<(), CliError> {
    let rows =
        hedui_evidence::folder::read_worksheet(file).map_err(|e| CliError::User(e.to_string()))?;
    let now = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let mut decisions = Vec::new();
    let mut problems = Vec::new();
    let mut notes_only = 0;
    for row in &rows {
        let at = format!("{} sheet {} row {}", file.display(), row.sheet, row.row);
        if row.verdict.is_empty() {
            // A note or a name without a verdict is work in progress, not a decision.
            notes_only += 1;
            continue;
        }
        let Some(decision) = verdict(&row.verdict) else {
            problems.push(format!(
                "{at}: 复核结论 {:?} is not 属实, 不属实 or 待核实",
                row.verdict
            ));
            continue;
        };
        if row.reviewer.is_empty() {
            problems.push(format!("{at}: no 复核人: a decision needs a reviewer"));
            continue;
        }
        let hash = Some(row.evidence_hash.clone()).filter(|h| !h.is_empty());
        if !store.knows(&row.candidate_id, hash.as_deref())? {
            problems.push(if store.knows(&row.candidate_id, None)? {
                format!(
                    "{at}: 证据指纹 {} is not a version of case {}",
                    row.evidence_hash, row.candidate_id
                )
            } else {
                format!("{at}: no case {:?} in the store", row.candidate_id)
            });
            continue;
        }
        decisions.push(hedui_store::NewDecision {
            candidate_id: row.candidate_id.clone(),
            decision,
            reviewer: row.reviewer.clone(),
            // Without a note, the reason says where the decision came from.
            reason: if row.reason.is_empty() {
                format!("复核表 {} {} 第{}行", file.display(), row.sheet, row.row)
            } else {
                row.reason.clone()
            },
            decided_at: if row.date.is_empty() {
                now.clone()
            } else {
                row.date.clone()
            },
            evidence_hash: hash,
        });
    }
    if !problems.is_empty() {
        return Err(CliError::User(format!(
            "{} invalid row(s); nothing imported:\n  {}",
            problems.len(),
            problems.join("\n  ")
        )));
    }
    let added = store.import(&decisions)?;
    outln!(
        "{added} decision(s) imported, {} already recorded{}",
        decisions.len() - added,
        if notes_only > 0 {
            format!("; {notes_only} row(s) with a note but no 复核结论 left for later")
        } else {
            String::new()
        }
    );
    Ok(())
}
