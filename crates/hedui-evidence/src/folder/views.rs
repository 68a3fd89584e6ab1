//! The human views of a run: the audit report and the staff worksheet.

use std::path::Path;

use serde::Serialize;

use super::compare::Compared;
use super::{CheckFolder, OutputError};
use crate::{
    EvidenceError, Masker, PolicyRef, ReportChanges, ReportInput, ReportMeta, write_report_html,
    write_worksheet_xlsx,
};

pub(crate) fn write_views<C: Serialize + std::fmt::Debug>(
    dir: &Path,
    folder: &CheckFolder<'_, C>,
    compared: Compared<'_>,
    mask: Masker,
) -> Result<(), OutputError> {
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
    let html = dir.join("report.html");
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(&html)
            .map_err(|e| OutputError::write(&html, EvidenceError::Io(e)))?,
    );
    write_report_html(&mut out, &meta, folder.evidence, mask).map_err(fail("report.html"))?;
    std::io::Write::flush(&mut out).map_err(|e| OutputError::write(&html, EvidenceError::Io(e)))?;
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
        folder.evidence,
        since.as_ref(),
        mask,
    )
    .map_err(fail("candidates.xlsx"))
}
