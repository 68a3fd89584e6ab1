//! The single writer: appends chunk outputs in chunk order to the export files, numbers
//! lines globally, and keeps the truth until the end.
//!
//! Chunks encode their CSV rows themselves (in parallel); only the xlsx sheet, which must
//! be written row by row, is serialised here.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook};

use crate::chunk::{ChunkOutput, ROSTER_HEADER, Styles, merge_counts};
use crate::error::SynthError;
use crate::gb::Gb18030;
use crate::policy::Candidate;
use crate::relatives::{HUKOU_HEADER, REGISTER_HEADER, RelativesTruth};
use crate::rows::{Cell, Section, csv_line};

pub const RECIPIENTS: &str = "recipients.csv";
pub const VEHICLES: &str = "vehicles.csv";
pub const LICENCES: &str = "licences.csv";
pub const PROPERTY: &str = "property.xlsx";
pub const STAFF: &str = "staff.csv";
pub const RELATIVES_REGISTER: &str = "relatives_register.csv";
pub const HUKOU: &str = "hukou.csv";

/// Rows in an xlsx sheet (Excel's limit).
pub(crate) const SHEET_ROWS: u64 = 1_048_576;

/// Adds a property sheet named `name` with the export's column widths, title rows and header.
fn start_sheet(
    workbook: &mut Workbook,
    style: &crate::property::PropertyStyle,
    name: &str,
) -> Result<(), SynthError> {
    let sheet = workbook.add_worksheet_with_constant_memory()?;
    sheet.set_name(name)?;
    let last_col = (style.headers.len() - 1) as u16;
    for &(col, width) in style.column_widths() {
        sheet.set_column_width(col, width)?;
    }
    let title_format = Format::new().set_bold().set_align(FormatAlign::Center);
    for (row, title) in style.titles.iter().enumerate() {
        sheet.merge_range(row as u32, 0, row as u32, last_col, title, &title_format)?;
    }
    let header_format = Format::new().set_bold();
    let header_row = style.titles.len() as u32;
    for (col, h) in style.headers.iter().enumerate() {
        sheet.write_string_with_format(header_row, col as u16, *h, &header_format)?;
    }
    Ok(())
}

/// Truth rows of one export, with global line numbers, as CSV text.
#[derive(Debug, Default)]
pub(crate) struct FileTruth {
    pub rows: u64,
    pub links: String,
    pub malformed: String,
    pub negatives: String,
}

/// Open output files and accumulated truth.
pub(crate) struct Sink {
    dir: PathBuf,
    recipients: BufWriter<File>,
    vehicles: BufWriter<File>,
    licences: BufWriter<File>,
    staff: BufWriter<File>,
    register: BufWriter<File>,
    hukou: BufWriter<File>,
    workbook: Workbook,
    date_format: Format,
    property_header_row: u64,
    property_area_col: u16,
    property_area_total: f64,
    pub recipient_rows: u64,
    pub truth: [FileTruth; 3],
    property_style: crate::property::PropertyStyle,
    /// The workbook's sheets, in order: one until a sheet is full (Excel's row limit).
    pub sheets: Vec<String>,
    /// Data rows in the last sheet.
    sheet_rows: u64,
    /// Rows a sheet may hold ([`crate::SynthConfig::sheet_rows`]).
    sheet_limit: u64,
    pub candidates: Vec<Candidate>,
    pub counts: BTreeMap<String, u64>,
    pub linked_counts: BTreeMap<String, u64>,
    pub households: u64,
    pub members: u64,
    pub people: u64,
    pub relatives: RelativesTruth,
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sink")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

fn create(dir: &Path, name: &str) -> Result<BufWriter<File>, SynthError> {
    let path = dir.join(name);
    let file = File::create(&path).map_err(SynthError::io(&path))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

fn header_line(headers: &[&str], crlf: bool) -> String {
    let mut line = String::new();
    let cells: Vec<Cell> = headers
        .iter()
        .map(|h| Cell::Text((*h).to_string()))
        .collect();
    csv_line(&mut line, &cells, crlf);
    line
}

impl Sink {
    pub(crate) fn open(
        dir: &Path,
        styles: &Styles,
        export_day: chrono::NaiveDate,
        sheet_limit: u64,
    ) -> Result<Self, SynthError> {
        let w = |path: &Path| SynthError::io(path.to_path_buf());
        let mut recipients = create(dir, RECIPIENTS)?;
        recipients
            .write_all(header_line(&ROSTER_HEADER, false).as_bytes())
            .map_err(w(&dir.join(RECIPIENTS)))?;
        let mut vehicles = create(dir, VEHICLES)?;
        vehicles
            .write_all(&Gb18030::default().encode(&header_line(&styles.vehicles.headers, true))?)
            .map_err(w(&dir.join(VEHICLES)))?;
        let mut licences = create(dir, LICENCES)?;
        licences
            .write_all("\u{FEFF}".as_bytes())
            .map_err(w(&dir.join(LICENCES)))?;
        licences
            .write_all(header_line(&styles.licences.headers, true).as_bytes())
            .map_err(w(&dir.join(LICENCES)))?;
        // The roster as a county office saves it from Excel: UTF-8 with BOM, CRLF.
        let mut staff = create(dir, STAFF)?;
        staff
            .write_all("\u{FEFF}".as_bytes())
            .and_then(|()| {
                staff.write_all(header_line(&styles.relatives.staff_headers, true).as_bytes())
            })
            .map_err(w(&dir.join(STAFF)))?;
        let mut register = create(dir, RELATIVES_REGISTER)?;
        register
            .write_all(header_line(&REGISTER_HEADER, false).as_bytes())
            .map_err(w(&dir.join(RELATIVES_REGISTER)))?;
        let mut hukou = create(dir, HUKOU)?;
        hukou
            .write_all(header_line(&HUKOU_HEADER, false).as_bytes())
            .map_err(w(&dir.join(HUKOU)))?;

        let mut workbook = Workbook::new();
        workbook.set_tempdir(dir)?;
        // A fixed creation time keeps the file byte-identical between runs.
        let created =
            ExcelDateTime::parse_from_str(&format!("{}T08:00:00", export_day.format("%Y-%m-%d")))?;
        workbook
            .set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
        let style = &styles.property;
        start_sheet(&mut workbook, style, style.sheet)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            recipients,
            vehicles,
            licences,
            staff,
            register,
            hukou,
            workbook,
            date_format: Format::new().set_num_format("yyyy-mm-dd"),
            property_header_row: style.header_row(),
            property_area_col: style.area_col(),
            property_area_total: 0.0,
            recipient_rows: 0,
            truth: Default::default(),
            property_style: style.clone(),
            sheets: vec![style.sheet.to_owned()],
            sheet_rows: 0,
            sheet_limit,
            candidates: Vec::new(),
            counts: BTreeMap::new(),
            linked_counts: BTreeMap::new(),
            households: 0,
            members: 0,
            people: 0,
            relatives: RelativesTruth::default(),
        })
    }

    /// Appends one chunk's output; chunks must arrive in chunk order.
    pub(crate) fn append(&mut self, mut out: ChunkOutput) -> Result<(), SynthError> {
        self.households += out.households;
        self.members += out.members;
        self.people += out.people;
        self.recipient_rows += out.members;
        let dir = self.dir.clone();
        self.recipients
            .write_all(out.recipients.as_bytes())
            .map_err(SynthError::io(dir.join(RECIPIENTS)))?;

        self.vehicles
            .write_all(&out.vehicles.encoded)
            .map_err(SynthError::io(dir.join(VEHICLES)))?;
        self.licences
            .write_all(&out.licences.encoded)
            .map_err(SynthError::io(dir.join(LICENCES)))?;
        self.write_sheet_rows(&out.property)?;

        for (i, (section, file)) in [
            (&out.vehicles, VEHICLES),
            (&out.licences, LICENCES),
            (&out.property, PROPERTY),
        ]
        .into_iter()
        .enumerate()
        {
            // CSV lines count the header line; xlsx rows are as Excel shows them, in the
            // sheet the chunk went to.
            let (sheet, offset) = if i == 2 {
                let last = self.sheets.last().map_or("", String::as_str);
                (
                    last,
                    self.property_header_row + self.sheet_rows - section.lines,
                )
            } else {
                ("", 1 + self.truth[i].rows)
            };
            let truth = &mut self.truth[i];
            crate::truth::append_section(truth, file, sheet, offset, section);
            truth.rows += section.lines;
            merge_counts(&mut self.counts, &section.counts);
            merge_counts(&mut self.linked_counts, &section.linked_counts);
        }
        self.candidates.append(&mut out.candidates);

        let rel = &out.relatives;
        for (w, text, name) in [
            (&mut self.staff, &rel.staff, STAFF),
            (&mut self.register, &rel.register, RELATIVES_REGISTER),
            (&mut self.hukou, &rel.hukou, HUKOU),
        ] {
            w.write_all(text.as_bytes())
                .map_err(SynthError::io(dir.join(name)))?;
        }
        self.relatives.append(rel);
        Ok(())
    }

    /// Writes a chunk's property rows into the last sheet, first starting a new sheet (same
    /// titles and header, as an export system splits a large table) when they would not
    /// fit under Excel's row limit with the footer.
    fn write_sheet_rows(&mut self, section: &Section) -> Result<(), SynthError> {
        let room = self
            .sheet_limit
            .saturating_sub(self.property_header_row + 1)
            .max(1);
        if self.sheet_rows > 0 && self.sheet_rows + section.lines > room {
            let name = format!("{} ({})", self.property_style.sheet, self.sheets.len() + 1);
            start_sheet(&mut self.workbook, &self.property_style, &name)?;
            self.sheets.push(name);
            self.sheet_rows = 0;
        }
        let first = (self.property_header_row + self.sheet_rows) as u32;
        self.sheet_rows += section.lines;
        let index = self.sheets.len() - 1;
        let sheet = self.workbook.worksheet_from_index(index)?;
        for (i, cells) in section.rows.iter().enumerate() {
            let row = first + i as u32;
            for (col, cell) in cells.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(s) => {
                        sheet.write_string(row, col, s)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(row, col, *n)?;
                        if col == self.property_area_col {
                            self.property_area_total += n;
                        }
                    }
                    Cell::Date(d) => {
                        let dt = ExcelDateTime::from_ymd(
                            d.year() as u16,
                            d.month() as u8,
                            d.day() as u8,
                        )?;
                        sheet.write_datetime_with_format(row, col, &dt, &self.date_format)?;
                    }
                    Cell::Blank => {}
                }
            }
        }
        Ok(())
    }

    /// Writes the footer, flushes everything and returns the truth.
    pub(crate) fn finish(mut self) -> Result<Finished, SynthError> {
        let footer = (self.property_header_row + self.sheet_rows) as u32;
        let total = (self.property_area_total * 100.0).round() / 100.0;
        let rows = self.truth[2].rows;
        let sheet = self.workbook.worksheet_from_index(self.sheets.len() - 1)?;
        sheet.write_string(footer, 0, "合计")?;
        sheet.write_string(footer, 1, format!("共{rows}条"))?;
        sheet.write_number(footer, self.property_area_col, total)?;
        self.workbook.set_zip_compression_level(3);
        let path = self.dir.join(PROPERTY);
        self.workbook.save(&path)?;
        for (w, name) in [
            (&mut self.recipients, RECIPIENTS),
            (&mut self.vehicles, VEHICLES),
            (&mut self.licences, LICENCES),
            (&mut self.staff, STAFF),
            (&mut self.register, RELATIVES_REGISTER),
            (&mut self.hukou, HUKOU),
        ] {
            w.flush().map_err(SynthError::io(self.dir.join(name)))?;
        }
        Ok(Finished {
            recipient_rows: self.recipient_rows,
            truth: self.truth,
            candidates: self.candidates,
            counts: self.counts,
            linked_counts: self.linked_counts,
            households: self.households,
            members: self.members,
            people: self.people,
            relatives: self.relatives,
            sheets: self.sheets,
        })
    }
}

/// What the writer knows once all chunks are in.
#[derive(Debug)]
pub(crate) struct Finished {
    pub recipient_rows: u64,
    pub truth: [FileTruth; 3],
    pub candidates: Vec<Candidate>,
    pub counts: BTreeMap<String, u64>,
    pub linked_counts: BTreeMap<String, u64>,
    pub households: u64,
    pub members: u64,
    pub people: u64,
    pub relatives: RelativesTruth,
    /// The property workbook's sheets, in order.
    pub sheets: Vec<String>,
}

/// Encodes a CSV section's rows (CRLF lines) in place, in the worker that produced them.
pub(crate) fn encode_csv(
    section: &mut Section,
    gb: Option<&mut Gb18030>,
) -> Result<(), SynthError> {
    let mut text = String::with_capacity(section.rows.len() * 160);
    for cells in &section.rows {
        csv_line(&mut text, cells, true);
    }
    section.encoded = match gb {
        Some(gb) => gb.encode(&text)?,
        None => text.into_bytes(),
    };
    section.rows = Vec::new();
    Ok(())
}
