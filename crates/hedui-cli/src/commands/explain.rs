//! `hedui explain`: one case from a finished run, in the terminal: who, which record, why
//! they match (the waterfall as bars) and why the rule fired.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use hedui_evidence::EvidenceRecord;

use crate::CliError;

/// Arguments of `hedui explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// The output folder of a `hedui check` run.
    #[arg(long)]
    run: PathBuf,
    /// A household id, a record key (plate, credit code, certificate number) or a candidate id.
    key: String,
}

pub(crate) fn run(args: &ExplainArgs) -> Result<(), CliError> {
    let path = args.run.join("evidence.jsonl");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        CliError::User(format!(
            "{}: {e} (is this the output folder of `hedui check`?)",
            path.display()
        ))
    })?;
    let mut records = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let record: EvidenceRecord = serde_json::from_str(line)
            .map_err(|e| CliError::User(format!("{} line {}: {e}", path.display(), i + 1)))?;
        records.push(record);
    }
    let key = args.key.trim();
    let plate_key = hedui_core::Plate::parse(key)
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|_| key.to_owned());
    let hits: Vec<&EvidenceRecord> = records
        .iter()
        .filter(|r| {
            r.household_id == key
                || r.candidate_id == key
                || r.record.record_key == key
                || r.record.record_key == plate_key
        })
        .collect();
    if hits.is_empty() {
        return Err(CliError::User(format!(
            "no candidate in {} matches {key:?}",
            path.display()
        )));
    }
    print!("{}", render(&hits));
    Ok(())
}

/// The terminal rendering; deterministic, so it can be snapshot-tested.
pub(crate) fn render(records: &[&EvidenceRecord]) -> String {
    let mut out = String::new();
    for r in records {
        let _ = writeln!(
            out,
            "{} · household {} · rule {} · {}",
            r.candidate_id,
            r.household_id,
            r.rule,
            band_text(&r.band)
        );
        let _ = writeln!(
            out,
            "  member   {} ({}), id {}, {}",
            r.member.name, r.member.relation, r.member.id, r.member.address
        );
        let _ = writeln!(
            out,
            "  record   {} {} — {}{} line {} (sha256 {})",
            r.record.department_zh,
            r.record.record_key,
            r.record.source.file,
            r.record
                .source
                .sheet
                .as_deref()
                .map(|s| format!(" sheet {s}"))
                .unwrap_or_default(),
            r.record.source.line,
            r.record.source.sha256.get(..12).unwrap_or(""),
        );
        let raw: Vec<String> = r
            .record
            .raw
            .iter()
            .map(|(h, v)| format!("{h}={v}"))
            .collect();
        let _ = writeln!(out, "  as found {}", raw.join(" | "));
        let _ = writeln!(
            out,
            "  why they match ({}; score {:.1} bits, p = {:.6}):",
            r.matching.band, r.matching.score, r.matching.probability
        );
        let _ = writeln!(
            out,
            "    {:<34} {:>7}  {}",
            "prior",
            format!("{:+.1}", r.matching.prior),
            bar(r.matching.prior)
        );
        for s in &r.matching.steps {
            let label = format!("{} {}", s.field, s.level);
            let _ = writeln!(
                out,
                "    {label:<34} {:>7}  {}",
                format!("{:+.1}", s.weight),
                bar(s.weight)
            );
        }
        let _ = writeln!(
            out,
            "    {:<34} {:>7}",
            "= score",
            format!("{:+.1}", r.matching.score)
        );
        if let Some(note) = &r.matching.note {
            let _ = writeln!(out, "    note: {note}");
        }
        let _ = writeln!(out, "  why it disqualifies: {}", r.reason_zh);
        for (k, v) in &r.fired_because {
            let _ = writeln!(out, "    {k}: {v}");
        }
        let _ = writeln!(
            out,
            "  policy {} {} ({}), check date {}\n",
            r.policy.name,
            r.policy.version,
            r.policy.sha256.get(..12).unwrap_or(""),
            r.check_date
        );
    }
    out
}

fn band_text(band: &str) -> &'static str {
    if band == "candidate" {
        "candidate (线索)"
    } else {
        "REVIEW — uncertain (待复核)"
    }
}

/// A bar of one `#` per two bits, `+` side right of the axis, `-` side left.
fn bar(weight: f64) -> String {
    let n = ((weight.abs() / 2.0).round() as usize).min(20);
    if weight >= 0.0 {
        format!("{:>20}|{}", "", "#".repeat(n))
    } else {
        format!("{:>20}|", "-".repeat(n))
    }
}
