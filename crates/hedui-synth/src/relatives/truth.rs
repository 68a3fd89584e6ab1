//! The three exports' truth over the whole run: `truth/relatives.csv`,
//! `truth/register_stale.csv`, the `staff` rows of `truth/expected_candidates.csv`, and
//! `truth/relatives_manifest.json`.

use std::collections::BTreeMap;

use super::{
    CASE_WORKER, ChunkRelatives, DECLARED, EVIDENCE, GONE_SHARE, HUKOU_HEADER, LATE_END,
    NAMESAKE_SHARE, NEIGHBOUR_SHARE, ORDINARY_LEFT, PairOut, REGISTER_HEADER, RELATIVE_LEFT,
    RELATIVE_SHARE, RelativesStyle, SELF_LEFT, SELF_PARENT, SELF_SHARE,
};
use crate::assets::check_date;
use crate::rows::{Cell, csv_line};

/// Header of `truth/relatives.csv`.
pub(crate) const PAIRS_HEADER: &str = "staff_id,staff_name,staff_line,member_id,household_id,\
relation,kind,evidence,declared,staff_in_office,case_worker_same_village\n";
/// Header of `truth/register_stale.csv`.
pub(crate) const STALE_HEADER: &str = "line,reason\n";

/// The three exports' truth, gathered by the writer over the chunks in order.
#[derive(Debug, Default)]
pub(crate) struct RelativesTruth {
    /// Data rows written to `staff.csv`, `relatives_register.csv` and `hukou.csv`.
    pub rows: [u64; 3],
    /// Rows of `truth/relatives.csv` and `truth/register_stale.csv`, without headers.
    pub pairs: String,
    pub pair_rows: u64,
    pub stale: String,
    pub stale_rows: u64,
    /// The `staff` rows of `truth/expected_candidates.csv`.
    pub candidates: Vec<crate::policy::Candidate>,
    pub counts: BTreeMap<String, u64>,
    pub defects: [BTreeMap<String, u64>; 3],
}

fn flag(b: bool) -> &'static str {
    if b { "1" } else { "0" }
}

impl RelativesTruth {
    /// Adds one chunk; chunks must arrive in order, after their rows were written.
    pub(crate) fn append(&mut self, chunk: &ChunkRelatives) {
        // Line 1 is the header of each file.
        let (staff_base, register_base) = (1 + self.rows[0], 1 + self.rows[1]);
        for p in &chunk.pairs {
            let line = staff_base + p.staff_line;
            let cells = [
                p.staff_id.as_str(),
                &p.staff_name,
                &line.to_string(),
                &p.member_id,
                &p.household_id,
                p.relation,
                p.kind,
                p.evidence,
                flag(p.declared),
                flag(p.in_office),
                flag(p.case_worker),
            ]
            .map(|c| Cell::Text(c.to_string()));
            csv_line(&mut self.pairs, &cells, false);
            self.pair_rows += 1;
            self.situation(p);
            let record_key = p
                .staff_key
                .clone()
                .unwrap_or_else(|| format!("line:{line}"));
            let mut expect = |rule: &'static str| {
                *self.counts.entry(format!("expected.{rule}")).or_default() += 1;
                self.candidates.push(crate::policy::Candidate {
                    household_id: p.household_id.clone(),
                    rule,
                    department: "staff",
                    record_key: record_key.clone(),
                    member_id: p.member_id.clone(),
                });
            };
            if !p.in_office {
                continue;
            }
            match p.kind {
                "self" => expect("staff_recipient"),
                "relative" => {
                    if !p.declared && matches!(p.evidence, "strong" | "medium" | "weak") {
                        expect("undeclared_relative");
                    }
                    if p.case_worker && (p.evidence != "none" || p.declared) {
                        expect("case_worker_conflict");
                    }
                }
                _ => {}
            }
        }
        for &(line, reason) in &chunk.stale {
            let cells = [(register_base + line).to_string(), reason.to_string()].map(Cell::Text);
            csv_line(&mut self.stale, &cells, false);
            self.stale_rows += 1;
        }
        for (k, v) in &chunk.counts {
            *self.counts.entry((*k).to_string()).or_default() += v;
        }
        for (into, from) in self.defects.iter_mut().zip(&chunk.defects) {
            for (k, v) in from {
                *into.entry((*k).to_string()).or_default() += v;
            }
        }
        self.rows[0] += chunk.staff_lines;
        self.rows[1] += chunk.register_lines;
        self.rows[2] += chunk.hukou_lines;
    }

    /// Counts the pair under its situation, e.g. `pairs.relative.strong.undeclared`.
    fn situation(&mut self, p: &PairOut) {
        let mut keys = vec![format!("pairs.{}", p.kind)];
        if p.kind == "relative" {
            let declared = if p.declared { "declared" } else { "undeclared" };
            keys.push(format!("pairs.relative.{}.{declared}", p.evidence));
            if p.case_worker {
                keys.push("pairs.relative.case_worker_same_village".into());
            }
        }
        if !p.in_office {
            keys.push(format!("pairs.{}.staff_left_office", p.kind));
        }
        for k in keys {
            *self.counts.entry(k).or_default() += 1;
        }
    }
}

/// What a run wrote of the staff roster, the register and the registration export.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RelativesRows {
    /// `staff.csv` data rows.
    pub staff: u64,
    /// `relatives_register.csv` data rows.
    pub relatives_register: u64,
    /// `hukou.csv` data rows.
    pub hukou: u64,
    /// Rows of `truth/relatives.csv`.
    pub pairs: u64,
    /// Rows of `truth/register_stale.csv`.
    pub register_stale: u64,
    /// `staff` rows of `truth/expected_candidates.csv`.
    pub expected_candidates: u64,
}

#[derive(Debug, serde::Serialize)]
struct ExportInfo {
    encoding: &'static str,
    line_ending: &'static str,
    headers: Vec<&'static str>,
}

#[derive(Debug, serde::Serialize)]
struct Shares {
    households_per_staff: f64,
    self_share: f64,
    self_left_office: f64,
    self_parent_in_staff_hu: f64,
    relative_share: f64,
    relative_declared: f64,
    relative_left_office: f64,
    relative_case_worker: f64,
    relative_evidence_weights: BTreeMap<&'static str, u32>,
    namesake_share: f64,
    neighbour_share: f64,
    other_staff_left_office: f64,
    register_recipient_gone: f64,
    term_ends_after_check_date: f64,
}

#[derive(Debug, serde::Serialize)]
struct RelativesManifest<'a> {
    generator: &'static str,
    version: &'static str,
    seed: u64,
    households: u64,
    check_date: String,
    rows: &'a RelativesRows,
    expected_candidates: BTreeMap<&'static str, u64>,
    counts: &'a BTreeMap<String, u64>,
    defects: BTreeMap<&'static str, &'a BTreeMap<String, u64>>,
    files: BTreeMap<&'static str, ExportInfo>,
    shares: Shares,
    not_generated: BTreeMap<&'static str, &'static str>,
}

/// Writes `truth/relatives.csv`, `truth/register_stale.csv` and
/// `truth/relatives_manifest.json`; returns the row counts.
pub(crate) fn write_truth(
    dir: &std::path::Path,
    seed: u64,
    households: u64,
    households_per_staff: f64,
    style: &RelativesStyle,
    truth: &RelativesTruth,
) -> Result<RelativesRows, crate::error::SynthError> {
    use crate::error::SynthError;
    use crate::writer::{HUKOU, RELATIVES_REGISTER, STAFF};
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(SynthError::io(&path))
    };
    write(
        "truth/relatives.csv",
        &format!("{PAIRS_HEADER}{}", truth.pairs),
    )?;
    write(
        "truth/register_stale.csv",
        &format!("{STALE_HEADER}{}", truth.stale),
    )?;
    let rows = RelativesRows {
        staff: truth.rows[0],
        relatives_register: truth.rows[1],
        hukou: truth.rows[2],
        pairs: truth.pair_rows,
        register_stale: truth.stale_rows,
        expected_candidates: truth.candidates.len() as u64,
    };
    let mut expected: BTreeMap<&'static str, u64> = BTreeMap::new();
    for c in &truth.candidates {
        *expected.entry(c.rule).or_default() += 1;
    }
    expected.insert("total", truth.candidates.len() as u64);
    let files = BTreeMap::from([
        (
            STAFF,
            ExportInfo {
                encoding: "UTF-8 with BOM",
                line_ending: "CRLF",
                headers: style.staff_headers.clone(),
            },
        ),
        (
            RELATIVES_REGISTER,
            ExportInfo {
                encoding: "UTF-8",
                line_ending: "LF",
                headers: REGISTER_HEADER.to_vec(),
            },
        ),
        (
            HUKOU,
            ExportInfo {
                encoding: "UTF-8",
                line_ending: "LF",
                headers: HUKOU_HEADER.to_vec(),
            },
        ),
    ]);
    let manifest = RelativesManifest {
        generator: "hedui-synth",
        version: env!("CARGO_PKG_VERSION"),
        seed,
        households,
        check_date: check_date().format("%Y-%m-%d").to_string(),
        rows: &rows,
        expected_candidates: expected,
        counts: &truth.counts,
        defects: BTreeMap::from([
            (STAFF, &truth.defects[0]),
            (RELATIVES_REGISTER, &truth.defects[1]),
            (HUKOU, &truth.defects[2]),
        ]),
        files,
        shares: Shares {
            households_per_staff,
            self_share: SELF_SHARE,
            self_left_office: SELF_LEFT,
            self_parent_in_staff_hu: SELF_PARENT,
            relative_share: RELATIVE_SHARE,
            relative_declared: DECLARED,
            relative_left_office: RELATIVE_LEFT,
            relative_case_worker: CASE_WORKER,
            relative_evidence_weights: EVIDENCE.iter().map(|(e, w)| (e.label(), *w)).collect(),
            namesake_share: NAMESAKE_SHARE,
            neighbour_share: NEIGHBOUR_SHARE,
            other_staff_left_office: ORDINARY_LEFT,
            register_recipient_gone: GONE_SHARE,
            term_ends_after_check_date: LATE_END,
        },
        not_generated: BTreeMap::from([(
            "medium",
            "a co-owned title or shared business would add rows to property.xlsx or \
             licences.csv, whose bytes must not change; licences.csv names one operator only",
        )]),
    };
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| SynthError::Internal(format!("relatives manifest: {e}")))?;
    write("truth/relatives_manifest.json", &(json + "\n"))?;
    Ok(rows)
}
