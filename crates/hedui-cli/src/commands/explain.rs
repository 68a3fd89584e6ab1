//! `hedui explain`: one case from a finished run, in the terminal: who, which record, why
//! they match (the waterfall as bars) and why the rule fired.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use hedui_engine::CandidateBand;
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
        // No candidate, but the record may still be linked: an exempt, inactive or later
        // asset, or a household below a threshold. An auditor asking why a known vehicle
        // is not on the list needs the match all the same.
        let linked = linked_only(&args.run, key, &plate_key)?;
        if linked.is_empty() {
            return Err(CliError::User(format!(
                "no candidate in {} and no link in links.csv matches {key:?}",
                path.display()
            )));
        }
        print!("{linked}");
        return Ok(());
    }
    print!("{}", render(&hits));
    Ok(())
}

/// The links of `key` (a record key or a household id) from the run's `links.csv`,
/// rendered like a candidate's match; empty when none.
fn linked_only(run: &Path, key: &str, plate_key: &str) -> Result<String, CliError> {
    let path = run.join("links.csv");
    let user = |e: &dyn std::fmt::Display| CliError::User(format!("{}: {e}", path.display()));
    let mut reader = csv::Reader::from_path(&path).map_err(|e| user(&e))?;
    let headers = reader.headers().map_err(|e| user(&e))?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    // Looked up once: a prefecture's links.csv has millions of rows to pass over.
    let (household_at, key_at) = (column("household_id"), column("record_key"));
    let mut out = String::new();
    for row in reader.records() {
        let row = row.map_err(|e| user(&e))?;
        let at = |i: Option<usize>| i.and_then(|i| row.get(i)).unwrap_or("");
        let record_key = at(key_at);
        if at(household_at) != key && record_key != key && record_key != plate_key {
            continue;
        }
        let get = |name: &str| at(column(name));
        let sheet = Some(get("sheet"))
            .filter(|s| !s.is_empty())
            .map(|s| format!(" sheet {s}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{record_key} · household {} · no candidate: linked, and no rule of the policy fired on it",
            get("household_id")
        );
        let _ = writeln!(
            out,
            "  member   {}, id {}",
            get("member_name"),
            get("member_id")
        );
        let _ = writeln!(
            out,
            "  record   {} {record_key} (owner {}) — {}{sheet} line {}",
            get("department"),
            get("owner_name"),
            get("file"),
            get("line")
        );
        let _ = writeln!(
            out,
            "  why they match ({}; score {} bits, p = {}):",
            get("band"),
            get("score"),
            get("probability")
        );
        for step in get("waterfall").split("; ").filter(|s| !s.is_empty()) {
            let (label, weight) = step.rsplit_once(' ').unwrap_or((step, ""));
            let bars = weight.parse::<f64>().map(bar).unwrap_or_default();
            waterfall_line(&mut out, label, weight, &bars);
        }
        if !get("note").is_empty() {
            let _ = writeln!(out, "    note: {}", get("note"));
        }
        out.push('\n');
    }
    Ok(out)
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
