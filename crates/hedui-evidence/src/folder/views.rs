//! The human views of a run: the audit report and the staff worksheet.

use std::path::Path;

use serde::Serialize;

use super::compare::Compared;
use super::{CheckFolder, OutputError, ReportStyle};
use crate::{
    EvidenceError, Masker, PolicyRef, ReportChanges, ReportInput, ReportMeta, ReportScores,
    write_county_worksheets, write_report_folder, write_report_html, write_worksheet_xlsx,
};

pub(crate) fn write_views<C: Serialize + std::fmt::Debug>(
    dir: &Path,
    folder: &CheckFolder<'_, C>,
    compared: Compared<'_>,
    mask: Masker,
    style: ReportStyle,
) -> Result<Vec<(&'static str, f64)>, OutputError> {
    let manifest = &folder.manifest;
    let meta = ReportMeta {
        title: folder.report_title.clone(),
        run_id: manifest.run_id.clone(),
        engine_version: manifest.engine_version.to_owned(),
        generated_at: manifest.generated_at.clone(),
        check_date: manifest.check_date.clone(),
        policy: PolicyRef {
            name: manifest.policy.name.to_owned(),
            version: manifest.policy.version.to_owned(),
            sha256: manifest.policy.sha256.to_owned(),
        },
        masked: mask.enabled,
        caveats: folder.caveats_zh.clone(),
        relatives: folder.relatives.as_ref().map(|c| c.masked(mask)),
        scores: manifest
            .matching
            .score_histograms
            .iter()
            .map(|(department, h)| ReportScores {
                department: (*department).to_owned(),
                department_zh: hedui_core::Department::parse(department)
                    .map_or_else(|| (*department).to_owned(), |d| d.label_zh().to_owned()),
                low: h.low,
                counts: h.counts.clone(),
                review_threshold: manifest.matching.settings.review_threshold,
                link_threshold: manifest.matching.settings.link_threshold,
            })
            .collect(),
        inputs: manifest
            .inputs
            .iter()
            .map(|i| ReportInput {
                file: i.file.to_owned(),
                sha256: i.sha256.to_owned(),
                rows_read: i.rows_read,
                accepted: i.accepted,
                rejected: i.rejected,
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
        move |source: EvidenceError| OutputError::Write { path, source }
    };
    let started = std::time::Instant::now();
    match style {
        ReportStyle::Single => {
            let html = dir.join("report.html");
            let io = |e| OutputError::write(&html, EvidenceError::Io(e));
            let mut out = std::io::BufWriter::new(std::fs::File::create(&html).map_err(io)?);
            write_report_html(&mut out, &meta, folder.evidence, mask)
                .map_err(fail("report.html"))?;
            std::io::Write::flush(&mut out).map_err(io)?;
        }
        ReportStyle::Folder => {
            let site = write_report_folder(&dir.join("report"), &meta, folder.evidence, mask)
                .map_err(fail("report"))?;
            tracing::debug!(
                pages = site.pages,
                largest = %site.largest_page,
                bytes = site.largest_bytes,
                "report folder written"
            );
        }
    }
    let report_seconds = started.elapsed().as_secs_f64();
    // Compared and readable: every candidate is new, changed or unchanged; else the column
    // stays empty rather than calling everything new.
    let since = (compared.summary.not_compared.is_none()).then(|| {
        compared
            .changes
            .iter()
            .map(|c| (c.candidate_id.clone(), c.kind))
            .collect::<std::collections::BTreeMap<_, _>>()
    });
    let started = std::time::Instant::now();
    write_worksheet_xlsx(
        &dir.join("candidates.xlsx"),
        folder.evidence,
        since.as_ref(),
        mask,
    )
    .map_err(fail("candidates.xlsx"))?;
    write_county_worksheets(
        &dir.join("worksheets"),
        folder.evidence,
        since.as_ref(),
        mask,
    )
    .map_err(fail("worksheets"))?;
    Ok(vec![
        ("report", report_seconds),
        ("worksheets", started.elapsed().as_secs_f64()),
    ])
}
