//! `candidates.xlsx`: the staff worksheet. One row per candidate with the facts a case
//! worker needs on a home visit, and empty columns for the review outcome, so decisions can
//! be typed next to the lead and read back later.

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{
    Color, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Workbook, Worksheet,
};

use crate::changes::ChangeKind;
use crate::mask::Masker;
use crate::model::EvidenceRecord;
use crate::report::percent;
use crate::write::{EvidenceError, masked};
use hedui_core::CandidateBand;

/// Headers and column widths (in Excel character units, wide enough for Chinese text).
const COLUMNS: [(&str, f64); 22] = [
    ("线索编号", 15.0),
    ("户编号", 14.0),
    ("成员姓名", 10.0),
    ("身份证号", 21.0),
    ("与户主关系", 10.0),
    ("县市区", 9.0),
    ("规则", 16.0),
    ("部门", 12.0),
    ("记录编号", 20.0),
    ("来源文件", 24.0),
    ("行号", 7.0),
    ("匹配结论", 10.0),
    ("匹配概率", 10.0),
    ("判定理由", 40.0),
    ("与上次相比", 12.0),
    ("案件状态", 16.0),
    ("复核结论", 10.0),
    ("复核意见", 30.0),
    ("复核人", 9.0),
    ("复核日期", 12.0),
    // Which version of the case a decision is made on; `review import` reads it back.
    ("证据指纹", 18.0),
    // The candidate id again, hidden: what `review import` reads, even if a reviewer typed
    // over or re-sorted the visible one.
    ("candidate_id", 15.0),
];

/// The column that gets the 属实/不属实/待核实 drop-down.
const VERDICT_COLUMN: u16 = 16;
/// The column of the evidence hash, after the reviewer's columns.
const HASH_COLUMN: u16 = 20;
/// The reviewer's columns: verdict, note, reviewer, date.
pub(crate) const REVIEW_HEADERS: [&str; 4] = ["复核结论", "复核意见", "复核人", "复核日期"];
/// The header of the evidence hash column.
pub(crate) const HASH_HEADER: &str = "证据指纹";
/// The hidden column of the candidate id, and its header.
const ID_COLUMN: u16 = 21;
pub(crate) const ID_HEADER: &str = "candidate_id";
const VERDICTS: [&str; 3] = ["属实", "不属实", "待核实"];

/// The rule's Chinese name, or its id for a record written before names existed.
fn shown_rule(r: &EvidenceRecord) -> String {
    if r.rule_zh.is_empty() {
        r.rule.clone()
    } else {
        r.rule_zh.clone()
    }
}

/// The values of one row, before the empty review columns. `since` is the comparison with
/// the previous run, when there was one: a case worker filters on 新增 to see tonight's
/// new leads.
fn row(r: &EvidenceRecord, since: Option<&BTreeMap<String, ChangeKind>>) -> [String; 16] {
    let sheet = r.record.source.sheet.as_deref();
    [
        r.candidate_id.clone(),
        r.household_id.clone(),
        r.member.name.clone(),
        r.member.id.clone(),
        r.member.relation.clone(),
        r.member.county.clone(),
        shown_rule(r),
        r.record.department_zh.clone(),
        r.record.record_key.clone(),
        match sheet {
            Some(sheet) => format!("{}（{}）", r.record.source.file, sheet),
            None => r.record.source.file.clone(),
        },
        r.record.source.line.to_string(),
        if r.band == CandidateBand::Candidate {
            r.matching.band.label_zh().to_owned()
        } else {
            // A review-band row says so here, whatever the link said, so that a filter on
            // this column finds every uncertain row.
            r.band.label_zh().to_owned()
        },
        percent(r.matching.probability),
        r.reason_zh.clone(),
        since.map_or(String::new(), |changes| {
            changes
                .get(&r.candidate_id)
                .map_or("未变", |kind| kind.label_zh())
                .to_owned()
        }),
        r.case
            .as_ref()
            .map_or(String::new(), |c| c.status.label_zh().to_owned()),
    ]
}

fn write_rows(
    ws: &mut Worksheet,
    records: &[EvidenceRecord],
    since: Option<&BTreeMap<String, ChangeKind>>,
    mask: Masker,
) -> Result<(), EvidenceError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE7_E9_EC))
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let plain = Format::new().set_border(FormatBorder::Thin);
    // Light amber, the report's colour for "uncertain".
    let review = plain.clone().set_background_color(Color::RGB(0xFF_EF_C2));
    for (col, (name, width)) in (0u16..).zip(COLUMNS) {
        ws.write_string_with_format(0, col, name, &header)?;
        ws.set_column_width(col, width)?;
    }
    for (i, r) in records.iter().enumerate() {
        let line =
            u32::try_from(i + 1).map_err(|_| rust_xlsxwriter::XlsxError::RowColumnLimitError)?;
        let r = masked(r, mask);
        let format = if r.band == CandidateBand::Candidate {
            &plain
        } else {
            &review
        };
        let values = row(&r, since);
        for (col, value) in (0u16..).zip(values.iter()) {
            ws.write_string_with_format(line, col, value, format)?;
        }
        // The review columns are empty but formatted, so the highlight spans the whole row.
        for col in values.len() as u16..HASH_COLUMN {
            ws.write_blank(line, col, format)?;
        }
        let hash = r.case.as_ref().map_or("", |c| c.evidence_hash.as_str());
        ws.write_string_with_format(line, HASH_COLUMN, hash, format)?;
        ws.write_string(line, ID_COLUMN, &r.candidate_id)?;
    }
    ws.set_column_hidden(ID_COLUMN)?;
    Ok(())
}

/// Writes the staff worksheet to `path` (through a temporary file and a rename, so a
/// crash never leaves half a workbook). Records are written in the order given. The
/// document's creation time is fixed, so the same records give the same bytes. `since`
/// maps the candidates that changed since the previous run to how (see [`crate::changes`]);
/// `None` when there was no previous run to compare with.
pub fn write_worksheet_xlsx(
    path: &Path,
    records: &[EvidenceRecord],
    since: Option<&BTreeMap<String, ChangeKind>>,
    mask: Masker,
) -> Result<(), EvidenceError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("低保核对线索复核表")
            .set_creation_datetime(&created),
    );
    let ws = wb.add_worksheet();
    ws.set_name("复核表")?;
    write_rows(ws, records, since, mask)?;
    let last_row = u32::try_from(records.len()).unwrap_or(u32::MAX).max(1);
    let last_col = COLUMNS.len() as u16 - 1;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row, last_col)?;
    let verdicts = DataValidation::new()
        .allow_list_strings(&VERDICTS)?
        .set_input_title("复核结论")?
        .set_input_message("请选择：属实 / 不属实 / 待核实")?;
    ws.add_data_validation(1, VERDICT_COLUMN, last_row, VERDICT_COLUMN, &verdicts)?;
    ws.set_landscape();
    ws.set_repeat_rows(0, 0)?;

    let bytes = wb.save_to_buffer()?;
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// A county worksheet's file name: `532501-个旧市.xlsx`. A name hedui cannot place keeps its
/// text (without characters a file name cannot hold) after `999999`, so it sorts last.
pub(crate) fn county_file(county: &str) -> String {
    let code = hedui_core::area::County::from_name(county).map_or("999999", |c| c.code);
    let name: String = county
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
        })
        .collect();
    let name = name.trim_matches('.');
    if name.is_empty() {
        format!("{code}.xlsx")
    } else {
        format!("{code}-{name}.xlsx")
    }
}

/// Writes one worksheet per county into `dir`, each with only that county's candidates in
/// the order given, so each office reviews and imports its own. Returns the file names.
pub fn write_county_worksheets(
    dir: &Path,
    records: &[EvidenceRecord],
    since: Option<&BTreeMap<String, ChangeKind>>,
    mask: Masker,
) -> Result<Vec<String>, EvidenceError> {
    use rayon::prelude::*;
    let mut by_file: BTreeMap<String, Vec<EvidenceRecord>> = BTreeMap::new();
    for r in records {
        by_file
            .entry(county_file(&r.member.county))
            .or_default()
            .push(r.clone());
    }
    std::fs::create_dir_all(dir)?;
    by_file
        .par_iter()
        .map(|(file, records)| {
            write_worksheet_xlsx(&dir.join(file), records, since, mask)?;
            Ok(file.clone())
        })
        .collect()
}
