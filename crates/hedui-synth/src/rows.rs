//! Turning rendered rows into file content plus truth: line numbering, duplicates,
//! malformed rows, links and per-defect counts, shared by the CSV and xlsx exports.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rand::Rng;

use crate::assets::Negative;
use crate::defects::{Noise, unparseable_date};
use crate::household::Household;
use crate::people::Person;
use crate::rng::{SynthRng, chance};

/// Non-empty cells written beyond the header of a spreadsheet row with a wrong field count.
const STRAY_NOTES: [&str; 3] = ["已核实", "见附件", "备注：待补录"];

/// One cell of an export row. CSV writes every cell as text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Blank,
}

impl Cell {
    fn csv_text(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Number(n) => format!("{n}"),
            Self::Date(d) => d.format("%Y-%m-%d").to_string(),
            Self::Blank => String::new(),
        }
    }
}

/// An owner named in a row.
#[derive(Debug, Clone)]
pub(crate) struct OwnerLink {
    /// Position in a co-owner cell; 0 when the row names one owner.
    pub index: usize,
    pub person: usize,
    pub tags: Vec<&'static str>,
}

/// A rendered row before it is placed in a file.
#[derive(Debug, Clone)]
pub(crate) struct RowOut {
    pub cells: Vec<Cell>,
    pub key: String,
    pub owners: Vec<OwnerLink>,
    /// Row-level tags: date and number styles, co-owner cells, `asset_*`.
    pub tags: Vec<&'static str>,
    /// Column of the required date, for unparseable-date rows.
    pub date_col: usize,
    pub negative: Option<Negative>,
}

/// Truth about one owner of one written row.
#[derive(Debug, Clone)]
pub(crate) struct LinkRow {
    pub line: u64,
    pub key: String,
    pub owner_index: usize,
    pub household_id: String,
    pub member_id: String,
    pub defects: String,
}

#[derive(Debug, Clone)]
pub(crate) struct MalformedRow {
    pub line: u64,
    pub defect: &'static str,
}

#[derive(Debug, Clone)]
pub(crate) struct NegativeRow {
    pub line: u64,
    pub key: String,
    pub kind: &'static str,
    pub household_id: String,
    pub member_id: String,
}

/// Rows of one file produced by one chunk, with line numbers local to the chunk (1-based).
#[derive(Debug, Default)]
pub(crate) struct Section {
    /// The rows go to a spreadsheet, where a short row cannot be told from one with empty
    /// trailing cells, so a wrong field count must be written as extra filled cells.
    pub spreadsheet: bool,
    pub rows: Vec<Vec<Cell>>,
    /// Rows placed so far (kept when `rows` is encoded away).
    pub lines: u64,
    /// The rows as file bytes, for CSV exports.
    pub encoded: Vec<u8>,
    pub links: Vec<LinkRow>,
    pub malformed: Vec<MalformedRow>,
    pub negatives: Vec<NegativeRow>,
    /// Defect instances over all rows.
    pub counts: BTreeMap<&'static str, u64>,
    /// Defect instances over the links (each tag of each `links.csv` row).
    pub linked_counts: BTreeMap<&'static str, u64>,
}

/// People and households the emitter resolves owners against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Lookup<'a> {
    pub people: &'a [Person],
    pub households: &'a [Household],
}

impl Lookup<'_> {
    fn household_of(&self, person: usize) -> Option<&Household> {
        let local = self.people.get(person)?.household?;
        self.households.get(local as usize)
    }
}

impl Section {
    /// An empty section for a spreadsheet export.
    pub(crate) fn spreadsheet() -> Self {
        Self {
            spreadsheet: true,
            ..Self::default()
        }
    }

    fn push(&mut self, cells: Vec<Cell>) -> u64 {
        self.rows.push(cells);
        self.lines += 1;
        self.lines
    }

    /// Places `row` (and maybe a duplicate or a malformed variant) and records its truth.
    pub(crate) fn emit(
        &mut self,
        rng: &mut SynthRng,
        noise: Noise<'_>,
        lookup: Lookup<'_>,
        row: RowOut,
    ) {
        let linked = row
            .owners
            .iter()
            .any(|o| lookup.household_of(o.person).is_some());
        if !linked && row.negative.is_none() && chance(rng, noise.rates.malformed_row) {
            match rng.random_range(0..3) {
                0 => {
                    let line = self.push(Vec::new());
                    self.malformed.push(MalformedRow {
                        line,
                        defect: "empty_line",
                    });
                    *self.counts.entry("malformed_row").or_default() += 1;
                }
                1 => {
                    let mut cells = row.cells;
                    if rng.random_bool(0.5) {
                        let n = rng.random_range(1..=3);
                        if self.spreadsheet {
                            // Fewer cells than the header would read as empty trailing
                            // cells, which is no defect; stray notes beyond it are.
                            cells.extend(STRAY_NOTES[..n].iter().map(|s| Cell::Text((*s).into())));
                        } else {
                            cells.truncate(cells.len().saturating_sub(n));
                        }
                    } else {
                        cells.push(Cell::Text("备注".into()));
                    }
                    let line = self.push(cells);
                    self.malformed.push(MalformedRow {
                        line,
                        defect: "wrong_field_count",
                    });
                    *self.counts.entry("malformed_row").or_default() += 1;
                    return;
                }
                _ => {
                    let mut cells = row.cells;
                    if let Some(cell) = cells.get_mut(row.date_col) {
                        *cell = Cell::Text(unparseable_date(rng).to_string());
                    }
                    let line = self.push(cells);
                    self.malformed.push(MalformedRow {
                        line,
                        defect: "unparseable_date",
                    });
                    *self.counts.entry("malformed_row").or_default() += 1;
                    return;
                }
            }
        }
        let duplicate = chance(rng, noise.rate(noise.rates.duplicate_row, linked));
        let copies = if duplicate { 2 } else { 1 };
        for copy in 0..copies {
            let line = self.push(row.cells.clone());
            let extra: &[&'static str] = if copy == 1 { &["duplicate_row"] } else { &[] };
            self.record_truth(lookup, &row, line, extra);
        }
    }

    fn record_truth(
        &mut self,
        lookup: Lookup<'_>,
        row: &RowOut,
        line: u64,
        extra: &[&'static str],
    ) {
        for (i, owner) in row.owners.iter().enumerate() {
            let tags: Vec<&'static str> = owner
                .tags
                .iter()
                .chain(&row.tags)
                .chain(extra)
                .copied()
                .collect();
            // Row-level tags are counted once per row, owner tags once per owner.
            let counted: &[&'static str] = if i == 0 { &tags } else { &owner.tags };
            for tag in counted {
                *self.counts.entry(tag).or_default() += 1;
            }
            if let Some(hh) = lookup.household_of(owner.person) {
                for tag in &tags {
                    *self.linked_counts.entry(tag).or_default() += 1;
                }
                self.links.push(LinkRow {
                    line,
                    key: row.key.clone(),
                    owner_index: owner.index,
                    household_id: hh.id.clone(),
                    member_id: lookup.people[owner.person].id_str().to_string(),
                    defects: tags.join(";"),
                });
            }
        }
        if let Some(neg) = row.negative {
            let person = &lookup.people[neg.similar_to];
            self.negatives.push(NegativeRow {
                line,
                key: row.key.clone(),
                kind: neg.kind.label(),
                household_id: lookup
                    .household_of(neg.similar_to)
                    .map(|h| h.id.clone())
                    .unwrap_or_default(),
                member_id: person.id_str().to_string(),
            });
        }
    }
}

/// Appends one CSV record to `out`, quoting fields only when needed.
pub(crate) fn csv_line(out: &mut String, cells: &[Cell], crlf: bool) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let text = cell.csv_text();
        if text.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&text);
        }
    }
    out.push_str(if crlf { "\r\n" } else { "\n" });
}
