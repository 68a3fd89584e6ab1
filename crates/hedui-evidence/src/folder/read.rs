//! Reading a finished run's folder back: what `hedui explain` shows, and what a case store
//! or the nightly service needs of a run without running it again.

use std::path::Path;

use serde::Deserialize;

use super::OutputError;
use crate::EvidenceRecord;

/// Every candidate's evidence trail from the run's `evidence.jsonl`, in file order.
pub fn read_evidence(run: &Path) -> Result<Vec<EvidenceRecord>, OutputError> {
    let path = run.join("evidence.jsonl");
    let previous = |message: String| OutputError::Previous {
        path: path.clone(),
        message,
    };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| previous(format!("{e} (is this the output folder of `hedui check`?)")))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| previous(format!("line {}: {e}", i + 1)))
        })
        .collect()
}

/// One row of `links.csv`, as written (masked when the run was).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LinkRow {
    pub department: String,
    pub record_key: String,
    pub household_id: String,
    pub member_id: String,
    pub score: String,
    pub band: String,
    pub probability: String,
    pub owner_position: String,
    pub owner_name: String,
    pub member_name: String,
    pub file: String,
    pub sheet: String,
    pub line: String,
    pub rules: String,
    pub note: String,
    /// `prior -14.2; id exact +21.3; …`
    pub waterfall: String,
}

/// The rows of the run's `links.csv` whose household id or record key is one of `keys`.
/// The file is streamed: a prefecture's has millions of rows.
pub fn read_links_of(run: &Path, keys: &[&str]) -> Result<Vec<LinkRow>, OutputError> {
    let path = run.join("links.csv");
    let previous = |e: &dyn std::fmt::Display| OutputError::Previous {
        path: path.clone(),
        message: e.to_string(),
    };
    let mut reader = csv::Reader::from_path(&path).map_err(|e| previous(&e))?;
    let mut out = Vec::new();
    for row in reader.deserialize::<LinkRow>() {
        let row = row.map_err(|e| previous(&e))?;
        if keys.contains(&row.household_id.as_str()) || keys.contains(&row.record_key.as_str()) {
            out.push(row);
        }
    }
    Ok(out)
}

/// A reviewer's row of a filled-in worksheet (`candidates.xlsx`), as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorksheetRow {
    pub sheet: String,
    /// The row number Excel shows.
    pub row: u32,
    pub candidate_id: String,
    /// 复核结论, as typed or picked.
    pub verdict: String,
    pub reason: String,
    pub reviewer: String,
    pub date: String,
    /// 证据指纹: the case version the worksheet showed; empty for a run without a store.
    pub evidence_hash: String,
}

/// Every row of a worksheet `hedui check` wrote that a reviewer filled in (a verdict, a
/// note or a name). Columns are found by their headers, so a reviewer who moved or hid
/// columns does not break it; a workbook without them is refused.
pub fn read_worksheet(path: &Path) -> Result<Vec<WorksheetRow>, OutputError> {
    use calamine::{Data, Reader, open_workbook_auto};
    let previous = |message: String| OutputError::Previous {
        path: path.to_owned(),
        message,
    };
    let mut workbook = open_workbook_auto(path).map_err(|e| previous(e.to_string()))?;
    let mut out = Vec::new();
    for sheet in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|e| previous(format!("sheet {sheet}: {e}")))?;
        let mut rows = range.rows();
        let Some(header) = rows.next() else {
            continue;
        };
        let text = |cell: &Data| match cell {
            Data::Empty => String::new(),
            Data::DateTime(d) => d
                .as_datetime()
                .map_or_else(|| d.to_string(), |t| t.date().to_string()),
            other => other.to_string().trim().to_owned(),
        };
        let headers: Vec<String> = header.iter().map(text).collect();
        let at = |name: &str| headers.iter().position(|h| h == name);
        let (Some(id), Some(verdict), Some(note), Some(reviewer), Some(date)) = (
            at("线索编号"),
            at(crate::worksheet::REVIEW_HEADERS[0]),
            at(crate::worksheet::REVIEW_HEADERS[1]),
            at(crate::worksheet::REVIEW_HEADERS[2]),
            at(crate::worksheet::REVIEW_HEADERS[3]),
        ) else {
            return Err(previous(format!(
                "sheet {sheet}: no 线索编号 and 复核结论/复核意见/复核人/复核日期 headers; \
                 import the worksheet `hedui check` wrote"
            )));
        };
        let hash = at(crate::worksheet::HASH_HEADER);
        // The hidden id column, where the worksheet has one, over the visible id.
        let id = at(crate::worksheet::ID_HEADER).unwrap_or(id);
        let first_row = range.start().map_or(0, |(r, _)| r);
        for (i, cells) in rows.enumerate() {
            let get =
                |col: Option<usize>| col.and_then(|c| cells.get(c)).map(text).unwrap_or_default();
            let row = WorksheetRow {
                sheet: sheet.clone(),
                // +1 for the header, +1 because Excel counts from 1.
                row: first_row + u32::try_from(i).unwrap_or(u32::MAX).saturating_add(2),
                candidate_id: get(Some(id)),
                verdict: get(Some(verdict)),
                reason: get(Some(note)),
                reviewer: get(Some(reviewer)),
                date: get(Some(date)),
                evidence_hash: get(hash),
            };
            let filled = [&row.verdict, &row.reason, &row.reviewer, &row.date]
                .iter()
                .any(|v| !v.is_empty());
            if filled {
                out.push(row);
            }
        }
    }
    Ok(out)
}
