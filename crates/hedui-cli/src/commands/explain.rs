//! `hedui explain`: one case from a finished run, in the terminal: who, which record, why
//! they match (the waterfall as bars) and why the rule fired.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use hedui_engine::CandidateBand;
use hedui_evidence::EvidenceRecord;
use hedui_evidence::folder::{LinkRow, OutputError, read_evidence, read_links_of};

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
    let user = |e: OutputError| CliError::User(e.to_string());
    let records = read_evidence(&args.run).map_err(user)?;
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
        // No candidate, but the record may still be linked: an exempt, inactive or later
        // asset, or a household below a threshold. An auditor asking why a known vehicle
        // is not on the list needs the match all the same.
        let linked = read_links_of(&args.run, &[key, &plate_key]).map_err(user)?;
        if linked.is_empty() {
            return Err(CliError::User(format!(
                "no candidate in {} and no link in links.csv matches {key:?}",
                args.run.join("evidence.jsonl").display()
            )));
        }
        out!("{}", render_links(&linked));
        return Ok(());
    }
    out!("{}", render(&hits));
    Ok(())
}

/// Links that made no candidate, rendered like a candidate's match.
fn render_links(rows: &[LinkRow]) -> String {
    let mut out = String::new();
    for row in rows {
        let sheet = Some(row.sheet.as_str())
            .filter(|s| !s.is_empty())
            .map(|s| format!(" sheet {s}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{} · household {} · no candidate: linked, and no rule of the policy fired on it",
            row.record_key, row.household_id
        );
        let _ = writeln!(out, "  member   {}, id {}", row.member_name, row.member_id);
        let _ = writeln!(
            out,
            "  record   {} {} (owner {}) — {}{sheet} line {}",
            row.department, row.record_key, row.owner_name, row.file, row.line
        );
        let _ = writeln!(
            out,
            "  why they match ({}; score {} bits, p = {}):",
            row.band, row.score, row.probability
        );
        for step in row.waterfall.split("; ").filter(|s| !s.is_empty()) {
            let (label, weight) = step.rsplit_once(' ').unwrap_or((step, ""));
            let bars = weight.parse::<f64>().map(bar).unwrap_or_default();
            waterfall_line(&mut out, label, weight, &bars);
        }
        if !row.note.is_empty() {
            let _ = writeln!(out, "    note: {}", row.note);
        }
        out.push('\n');
    }
    out
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
            band_text(r.band)
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
        let prior = r.matching.prior;
        waterfall_line(&mut out, "prior", &format!("{prior:+.1}"), &bar(prior));
        for s in &r.matching.steps {
            let label = format!("{} {}", s.field, s.level);
            waterfall_line(
                &mut out,
                &label,
                &format!("{:+.1}", s.weight),
                &bar(s.weight),
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

/// One step of a match's waterfall: label, weight in bits, and its bar.
fn waterfall_line(out: &mut String, label: &str, weight: &str, bars: &str) {
    let _ = writeln!(out, "    {label:<34} {weight:>7}  {bars}");
}

fn band_text(band: CandidateBand) -> String {
    match band {
        CandidateBand::Candidate => format!("{band} ({})", band.label_zh()),
        CandidateBand::Review => format!(
            "{} — uncertain ({})",
            band.as_str().to_uppercase(),
            band.label_zh()
        ),
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
