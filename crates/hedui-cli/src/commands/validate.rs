//! `hedui validate`: read every source of a run and account for every row.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use hedui_engine::contract::{Contract, SourceValues};
use hedui_engine::{RunConfig, ValidateReport};
use hedui_ingest::SourceReport;

use crate::CliError;

/// Arguments of `hedui validate`.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// The run configuration (TOML).
    #[arg(long, value_name = "FILE.toml")]
    config: PathBuf,
    /// Folder for `rejects.csv`.
    #[arg(long, default_value = ".")]
    out: PathBuf,
    /// Report format on stdout.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
}

/// How the report is printed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ReportFormat {
    /// For people.
    Text,
    /// For scripts: one JSON document.
    Json,
}

impl From<hedui_engine::EngineError> for CliError {
    fn from(e: hedui_engine::EngineError) -> Self {
        if e.is_user_error() {
            Self::User(e.to_string())
        } else {
            Self::Internal(e.to_string())
        }
    }
}

pub(crate) fn run(args: &ValidateArgs) -> Result<(), CliError> {
    let config = RunConfig::load(&args.config)?;
    let report = hedui_engine::validate(&config, &args.out)?;
    let text = match args.format {
        ReportFormat::Text => render_text(&report),
        ReportFormat::Json => serde_json::to_string_pretty(&report)
            .map_err(|e| CliError::Internal(format!("cannot render report: {e}")))?,
    };
    outln!("{text}");
    Ok(())
}

/// The human report. Deterministic for given inputs, so it can be snapshot-tested.
pub(crate) fn render_text(report: &ValidateReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "hedui validate: {} (check date {})",
        report.config, report.check_date
    );
    if let Some(p) = &report.policy {
        let _ = writeln!(
            out,
            "policy {} {} ({}, sha256 {})",
            p.name,
            p.version,
            p.file,
            &p.sha256[..p.sha256.len().min(12)]
        );
    }
    for source in &report.sources {
        render_source(&mut out, source);
        if let Some(values) = report
            .contract
            .as_ref()
            .and_then(|c| c.values.iter().find(|v| v.source == source.name))
        {
            render_values(&mut out, values);
        }
    }
    if let Some(contract) = &report.contract {
        render_contract(&mut out, contract);
    }
    let _ = writeln!(
        out,
        "\nrejected rows written to {} ({} rows)",
        report.rejects_file, report.rejects
    );
    out
}

/// The dry-run table: each value, its count, and what the policy makes of it.
fn render_values(out: &mut String, values: &SourceValues) {
    let _ = writeln!(out, "  values and what the policy makes of them:");
    let mut field = "";
    for v in &values.values {
        if v.field != field {
            field = v.field;
            let _ = writeln!(out, "    {field}:");
        }
        let detail = if v.detail.is_empty() {
            String::new()
        } else {
            format!("  ({})", v.detail)
        };
        let flag = if v.not_understood() {
            "  ← not understood"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "      {:>8}  {} → {}{detail}{flag}",
            v.count,
            v.value,
            v.outcome.as_str()
        );
    }
}

/// Degraded and absent fields and every other warning, after the sources.
fn render_contract(out: &mut String, contract: &Contract) {
    if !contract.degraded.is_empty() {
        let _ = writeln!(
            out,
            "\nfields `hedui check` would refuse to run without (map them, or pass --allow-degraded):"
        );
        for d in &contract.degraded {
            let column = d.column.as_deref().unwrap_or_default();
            let _ = writeln!(
                out,
                "  {} ({}): column {column:?} looks like `{}` but is not mapped: {}\n    \
                 [sources.columns] {} = [{column:?}]",
                d.source, d.file, d.field, d.weakens, d.field
            );
        }
    }
    let warnings: Vec<String> = contract
        .warnings()
        .into_iter()
        .skip(contract.degraded.len())
        .collect();
    if !warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        for w in warnings {
            let _ = writeln!(out, "  - {w}");
        }
    }
}

fn render_source(out: &mut String, s: &SourceReport) {
    let _ = writeln!(out, "\nsource {} ({})", s.name, s.kind.as_str());
    for f in &s.files {
        let mut how = vec![f.format.to_owned()];
        if let Some(e) = &f.encoding {
            let origin = if e.detected { "detected" } else { "configured" };
            let bom = if e.had_bom { ", BOM" } else { "" };
            how.push(format!("{} ({origin}{bom})", e.name));
        }
        if let Some(d) = f.delimiter {
            how.push(format!("delimiter {d:?}"));
        }
        if let Some(sheet) = &f.sheet {
            how.push(format!("sheet {sheet:?}"));
        }
        if f.dates_1904 {
            how.push("1904 date system".to_owned());
        }
        how.push(format!("header at line {}", f.header_line));
        if f.title_rows > 0 {
            how.push(format!("{} title row(s) above", f.title_rows));
        }
        let _ = writeln!(out, "  file {}", f.path);
        let _ = writeln!(out, "    {}", how.join(" · "));
        let _ = writeln!(out, "    sha256 {}", f.sha256);
        let _ = writeln!(out, "    mapping:");
        for (header, field) in &f.mapping {
            let _ = writeln!(out, "      {header} → {}", field.unwrap_or("(unmapped)"));
        }
        if !f.unmapped.is_empty() {
            let _ = writeln!(out, "    unmapped columns: {}", f.unmapped.join(", "));
        }
        let _ = writeln!(
            out,
            "    rows: {} read = {} accepted + {} rejected",
            f.rows_read, f.accepted, f.rejected
        );
    }
    let _ = writeln!(
        out,
        "  total: {} read = {} accepted + {} rejected",
        s.rows_read, s.accepted, s.rejected
    );
    if !s.rejected_by_reason.is_empty() {
        let reasons: Vec<String> = s
            .rejected_by_reason
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        let _ = writeln!(out, "  rejected by reason: {}", reasons.join(", "));
    }
    if s.duplicate_copies > 0 {
        let _ = writeln!(
            out,
            "  duplicates: {} row(s) appeared more than once; {} extra cop(ies) rejected",
            s.duplicated_rows, s.duplicate_copies
        );
    }
    if s.records_with_warnings > 0 {
        let _ = writeln!(out, "  accepted with warnings: {}", s.records_with_warnings);
    }
    if !s.ids_in_several_households.is_empty() {
        let _ = writeln!(
            out,
            "  identity numbers in more than one household: {}",
            s.ids_in_several_households.len()
        );
        for shared in &s.ids_in_several_households {
            let _ = writeln!(out, "    {}: {}", shared.id, shared.households.join(", "));
        }
    }
}
