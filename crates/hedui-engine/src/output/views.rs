//! The human views of a run: the audit report and the staff worksheet.

use std::path::Path;

use hedui_evidence::{
    Masker, PolicyRef, ReportChanges, ReportMeta, write_report_html, write_worksheet_xlsx,
};

use super::compare::Compared;
use super::manifest::Manifest;
use crate::check::CheckRun;
use crate::error::EngineError;

pub(crate) fn write_views(
    dir: &Path,
    run: &CheckRun,
    manifest: &Manifest<'_>,
    compared: Compared<'_>,
    mask: Masker,
) -> Result<(), EngineError> {
    let meta = ReportMeta {
        title: format!("居民家庭经济状况核对报告 · {}", run.policy.name),
        run_id: manifest.run_id.clone(),
        engine_version: manifest.engine_version.to_owned(),
        generated_at: manifest.generated_at.clone(),
        check_date: manifest.check_date.clone(),
        policy: PolicyRef {
            name: run.policy.name.clone(),
            version: run.policy.version.clone(),
            sha256: run.policy.sha256.clone(),
        },
        masked: mask.enabled,
        caveats: run.contract.caveats_zh(),
        inputs: manifest
            .inputs
            .iter()
            .map(|i| {
                (
                    i.file.to_owned(),
                    i.sha256.to_owned(),
                    i.rows_read,
                    i.accepted,
                    i.rejected,
                )
            })
            .collect(),
        changes: compared.summary.since.as_ref().map(|_| {
            let previous = &compared.summary.previous;
            let unknown = || "—".to_owned();
            ReportChanges {
                since_run_id: previous.run_id.clone().unwrap_or_else(unknown),
                since_generated_at: previous.generated_at.clone().unwrap_or_else(unknown),
                counts: compared.summary.counts,
                rows: compared.changes.to_vec(),
                not_compared: compared.summary.not_compared.clone(),
            }
        }),
    };
    let fail = |name: &str| {
        let path = dir.join(name);
        move |source: hedui_evidence::EvidenceError| EngineError::View { path, source }
    };
    let html = dir.join("report.html");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&html).map_err(|source| {
        EngineError::Output {
            path: html.clone(),
            source,
        }
    })?);
    write_report_html(&mut out, &meta, &run.evidence, mask).map_err(fail("report.html"))?;
    std::io::Write::flush(&mut out).map_err(|source| EngineError::Output {
        path: html.clone(),
        source,
    })?;
    // Compared and readable: every candidate is new, changed or unchanged; else the column
    // stays empty rather than calling everything new.
    let since = (compared.summary.not_compared.is_none()).then(|| {
        compared
            .changes
            .iter()
            .map(|c| (c.candidate_id.clone(), c.kind))
            .collect::<std::collections::BTreeMap<_, _>>()
    });
    write_worksheet_xlsx(
        &dir.join("candidates.xlsx"),
        &run.evidence,
        since.as_ref(),
        mask,
    )
    .map_err(fail("candidates.xlsx"))
}
