//! The ground truth: `truth/links.csv`, `expected_candidates.csv`, `malformed.csv`,
//! `hard_negatives.csv` and `manifest.json`. Everything later stages are scored against.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;

use crate::chunk::Styles;
use crate::config::{Area, DemoPolicy, ExportStyle, Rates, SynthConfig};
use crate::error::SynthError;
use crate::policy::Candidate;
use crate::rows::{Cell, Section, csv_line};
use crate::writer::{FileTruth, Finished, LICENCES, PROPERTY, RECIPIENTS, VEHICLES};

pub(crate) const LINKS_HEADER: &str =
    "file,sheet,line,record_key,owner_index,household_id,member_id,defects\n";
pub(crate) const MALFORMED_HEADER: &str = "file,sheet,line,defect\n";
pub(crate) const NEGATIVES_HEADER: &str =
    "file,sheet,line,record_key,kind,household_id,member_id\n";
pub(crate) const CANDIDATES_HEADER: &str = "household_id,rule,department,record_key,member_id\n";

fn line(out: &mut String, fields: &[&str]) {
    let cells: Vec<Cell> = fields
        .iter()
        .map(|f| Cell::Text((*f).to_string()))
        .collect();
    csv_line(out, &cells, false);
}

/// Appends a chunk's truth rows; `offset + local line` is the global line or Excel row.
pub(crate) fn append_section(
    truth: &mut FileTruth,
    file: &str,
    sheet: &str,
    offset: u64,
    section: &Section,
) {
    for l in &section.links {
        let (n, k) = ((offset + l.line).to_string(), l.owner_index.to_string());
        line(
            &mut truth.links,
            &[
                file,
                sheet,
                &n,
                &l.key,
                &k,
                &l.household_id,
                &l.member_id,
                &l.defects,
            ],
        );
    }
    for m in &section.malformed {
        line(
            &mut truth.malformed,
            &[file, sheet, &(offset + m.line).to_string(), m.defect],
        );
    }
    for h in &section.negatives {
        let n = (offset + h.line).to_string();
        line(
            &mut truth.negatives,
            &[
                file,
                sheet,
                &n,
                &h.key,
                h.kind,
                &h.household_id,
                &h.member_id,
            ],
        );
    }
}

/// Rows written per file (data rows, including malformed rows and duplicates).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileRows {
    /// `recipients.csv` member rows.
    pub recipients: u64,
    /// `vehicles.csv` data lines.
    pub vehicles: u64,
    /// `licences.csv` data lines.
    pub licences: u64,
    /// `property.xlsx` rows between header and footer.
    pub property: u64,
}

#[derive(Debug, Serialize)]
struct FileInfo {
    encoding: &'static str,
    headers: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sheet: Option<&'static str>,
    /// Every sheet, when the table is split over more than one (Excel's row limit); each
    /// repeats the title rows and the header.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sheets: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    title_rows: Vec<String>,
    /// Whether the exporting system replaced rare characters with a placeholder.
    mangles_rare_characters: bool,
}

#[derive(Debug, Serialize)]
struct Manifest<'a> {
    generator: &'static str,
    version: &'static str,
    /// Left out in the local style, whose manifest reads as before the national one existed.
    #[serde(skip_serializing_if = "ExportStyle::is_local")]
    export_style: ExportStyle,
    /// Left out for Honghe, whose manifest reads as before province worlds existed.
    #[serde(skip_serializing_if = "Area::is_honghe")]
    area: Area,
    seed: u64,
    households: u64,
    members: u64,
    people: u64,
    rows: &'a FileRows,
    links: u64,
    expected_candidates: u64,
    candidate_households: u64,
    hard_negatives: u64,
    malformed_rows: u64,
    defects: &'a BTreeMap<String, u64>,
    defects_in_links: &'a BTreeMap<String, u64>,
    files: BTreeMap<&'static str, FileInfo>,
    rates: &'a Rates,
    policy: &'a DemoPolicy,
}

/// Totals of a finished run, for the summary.
#[derive(Debug, Clone, Default)]
pub(crate) struct TruthTotals {
    pub links: u64,
    pub candidates: u64,
    pub candidate_households: u64,
    pub relatives: crate::relatives::RelativesRows,
}

fn write(path: &Path, text: &str) -> Result<(), SynthError> {
    std::fs::write(path, text).map_err(SynthError::io(path))
}

/// Writes every truth file into `dir/truth`.
pub(crate) fn write_all(
    dir: &Path,
    config: &SynthConfig,
    policy: &DemoPolicy,
    styles: &Styles,
    mut done: Finished,
    rows: &FileRows,
) -> Result<TruthTotals, SynthError> {
    let truth = dir.join("truth");
    let mut links = String::from(LINKS_HEADER);
    let mut malformed = String::from(MALFORMED_HEADER);
    let mut negatives = String::from(NEGATIVES_HEADER);
    for t in &done.truth {
        links.push_str(&t.links);
        malformed.push_str(&t.malformed);
        negatives.push_str(&t.negatives);
    }
    let count = |text: &str| text.lines().count().saturating_sub(1) as u64;
    write(&truth.join("links.csv"), &links)?;
    write(&truth.join("malformed.csv"), &malformed)?;
    write(&truth.join("hard_negatives.csv"), &negatives)?;

    done.candidates.sort();
    done.candidates.dedup();
    let households: BTreeSet<&str> = done
        .candidates
        .iter()
        .map(|c: &Candidate| c.household_id.as_str())
        .collect();
    // The manifest counts the department exports' rules, as before the staff rules existed;
    // `truth/relatives_manifest.json` counts the staff rows.
    let totals = TruthTotals {
        links: count(&links),
        candidates: done.candidates.len() as u64,
        candidate_households: households.len() as u64,
        relatives: crate::relatives::RelativesRows::default(),
    };
    let mut all: Vec<&Candidate> = done
        .candidates
        .iter()
        .chain(&done.relatives.candidates)
        .collect();
    all.sort();
    all.dedup();
    let mut text = String::from(CANDIDATES_HEADER);
    for c in all {
        line(
            &mut text,
            &[
                &c.household_id,
                c.rule,
                c.department,
                &c.record_key,
                &c.member_id,
            ],
        );
    }
    write(&truth.join("expected_candidates.csv"), &text)?;
    let relatives = crate::relatives::write_truth(
        dir,
        config.seed,
        done.households,
        config.rates.world.households_per_staff,
        &styles.relatives,
        &done.relatives,
    )?;
    let totals = TruthTotals {
        relatives,
        ..totals
    };
    let mut files = BTreeMap::new();
    files.insert(
        RECIPIENTS,
        FileInfo {
            encoding: "UTF-8",
            headers: crate::chunk::ROSTER_HEADER.to_vec(),
            sheet: None,
            sheets: Vec::new(),
            title_rows: Vec::new(),
            mangles_rare_characters: false,
        },
    );
    files.insert(
        VEHICLES,
        FileInfo {
            encoding: "GB18030",
            headers: styles.vehicles.headers.clone(),
            sheet: None,
            sheets: Vec::new(),
            title_rows: Vec::new(),
            mangles_rare_characters: styles.vehicles.noise.mangles_rare,
        },
    );
    files.insert(
        LICENCES,
        FileInfo {
            encoding: "UTF-8 with BOM",
            headers: styles.licences.headers.clone(),
            sheet: None,
            sheets: Vec::new(),
            title_rows: Vec::new(),
            mangles_rare_characters: styles.licences.noise.mangles_rare,
        },
    );
    files.insert(
        PROPERTY,
        FileInfo {
            encoding: "xlsx",
            headers: styles.property.headers.clone(),
            sheet: Some(styles.property.sheet),
            sheets: if done.sheets.len() > 1 {
                done.sheets.clone()
            } else {
                Vec::new()
            },
            title_rows: styles.property.titles.clone(),
            mangles_rare_characters: styles.property.noise.mangles_rare,
        },
    );
    let manifest = Manifest {
        generator: "hedui-synth",
        version: env!("CARGO_PKG_VERSION"),
        export_style: styles.vehicles.export,
        area: config.area,
        seed: config.seed,
        households: done.households,
        members: done.members,
        people: done.people,
        rows,
        links: totals.links,
        expected_candidates: totals.candidates,
        candidate_households: totals.candidate_households,
        hard_negatives: count(&negatives),
        malformed_rows: count(&malformed),
        defects: &done.counts,
        defects_in_links: &done.linked_counts,
        files,
        rates: &config.rates,
        policy,
    };
    let json = serde_json::to_string_pretty(&manifest)
        .map_err(|e| SynthError::Internal(format!("manifest: {e}")))?;
    write(&truth.join("manifest.json"), &(json + "\n"))?;
    Ok(totals)
}
