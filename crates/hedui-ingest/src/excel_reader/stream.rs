//! An xlsx sheet read cell by cell straight into rows of text.
//!
//! calamine's `worksheet_range_ref` first collects every non-empty cell into one vector
//! (regrown over and over: a prefecture's property workbook has ten million cells), then
//! lays them into a dense range, which [`super::read_cells`] copied into rows of text once
//! more. Here each cell's text goes into its row as the XML is parsed, and the cell is
//! gone. The grid is the range's, cell for cell, except that a row ends at its last cell
//! instead of being as wide as the widest: bounded by the non-empty cells (an empty string
//! is not empty, as in calamine), a row that holds no cell present as an empty row, and a
//! cell written twice keeping its later value. A test holds the two together. Unpadded
//! rows matter: one stray value far to the right (column XFD) made every row of a dense
//! range 16,384 cells wide, hundreds of gigabytes at prefecture scale. Rows are padded to
//! the header's width later, when the table is built.

use std::io::{Read, Seek};

use calamine::{DataRef, Xlsx, XlsxError};
use rustc_hash::FxHashMap;

use super::{Grid, cell_text_ref};

/// The sheet's cells as text, and the absolute (row, column) of its first cell; a chart
/// sheet or any other part that is not a worksheet reads as no cells, as calamine's range.
pub(super) fn sheet_grid<RS: Read + Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
) -> Result<(Grid, (u32, u32)), XlsxError> {
    let mut reader = match book.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        Err(XlsxError::NotAWorksheet(_)) => return Ok((Grid::new(), (0, 0))),
        Err(err) => return Err(err),
    };
    let mut rows = SparseRows::default();
    while let Some(cell) = reader.next_cell()? {
        if !matches!(cell.get_value(), DataRef::Empty) {
            let (row, column) = cell.get_position();
            rows.set(row, column, cell_text_ref(cell.get_value()));
        }
    }
    Ok(rows.into_grid())
}

/// Rows by absolute row number, each indexed by absolute column.
#[derive(Default)]
pub(super) struct SparseRows {
    rows: Vec<(u32, Vec<String>)>,
    /// Where each row is, built the first time a cell comes for a row above the last one
    /// (a hand-edited package), so that finding rows out of order stays linear; the rows
    /// are then sorted before they become the grid.
    index: Option<FxHashMap<u32, usize>>,
    first_column: Option<u32>,
    last_column: u32,
}

impl SparseRows {
    /// Puts `text` at (row, column), and returns where the row is, for [`Self::cell_mut`].
    pub(super) fn set(&mut self, row: u32, column: u32, text: String) -> usize {
        self.first_column = Some(self.first_column.map_or(column, |first| first.min(column)));
        self.last_column = self.last_column.max(column);
        let at = match (self.rows.last(), &self.index) {
            (Some((last, _)), _) if *last == row => self.rows.len() - 1,
            (None, _) => self.push(row),
            (Some((last, _)), None) if *last < row => self.push(row),
            _ => self.find_or_push(row),
        };
        let cells = &mut self.rows[at].1;
        let column = column as usize;
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = text;
        at
    }

    /// The cell set at `column` of the row that [`Self::set`] said is at `at`.
    pub(super) fn cell_mut(&mut self, at: usize, column: u32) -> Option<&mut String> {
        self.rows.get_mut(at)?.1.get_mut(column as usize)
    }

    fn push(&mut self, row: u32) -> usize {
        // As wide as the last row: most rows are, and a row grown cell by cell would be
        // reallocated several times.
        let width = self.rows.last().map_or(0, |(_, cells)| cells.len());
        self.rows.push((row, Vec::with_capacity(width)));
        let at = self.rows.len() - 1;
        if let Some(index) = &mut self.index {
            index.insert(row, at);
        }
        at
    }

    fn find_or_push(&mut self, row: u32) -> usize {
        let rows = &self.rows;
        let index = self.index.get_or_insert_with(|| {
            rows.iter()
                .enumerate()
                .map(|(at, (row, _))| (*row, at))
                .collect()
        });
        match index.get(&row) {
            Some(&at) => at,
            None => self.push(row),
        }
    }

    pub(super) fn into_grid(mut self) -> (Grid, (u32, u32)) {
        let Some(first_column) = self.first_column else {
            return (Grid::new(), (0, 0));
        };
        if self.index.is_some() {
            self.rows.sort_unstable_by_key(|(row, _)| *row);
        }
        let first_row = self.rows.first().map_or(0, |(row, _)| *row);
        let mut grid = Grid::with_capacity(self.rows.len());
        for (row, mut cells) in self.rows {
            let position = (row - first_row) as usize;
            grid.resize_with(position, Vec::new);
            cells.drain(..(first_column as usize).min(cells.len()));
            grid.push(cells);
        }
        (grid, (first_row, first_column))
    }
}

#[cfg(test)]
pub(super) mod tests {
    #![allow(clippy::unwrap_used)]

    use calamine::{Reader, ReaderRef};
    use proptest::prelude::*;
    use rust_xlsxwriter::{Format, Workbook, Worksheet};

    use super::super::{cell_text_ref, to_strings};
    use super::*;

    /// What [`super::super::read_cells`] made of calamine's dense range before this module.
    pub(in crate::excel_reader) fn range_grid(bytes: &[u8], name: &str) -> (Grid, (u32, u32)) {
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range_ref(name).unwrap();
        (
            to_strings(&range, cell_text_ref),
            range.start().unwrap_or((0, 0)),
        )
    }

    /// The streamed grid with every row padded as wide as the widest, as a range's rows are.
    pub(in crate::excel_reader) fn streamed_grid(bytes: &[u8], name: &str) -> (Grid, (u32, u32)) {
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        padded(sheet_grid(&mut book, name).unwrap())
    }

    /// Every row of `grid` padded as wide as the widest.
    pub(in crate::excel_reader) fn padded(
        (mut grid, origin): (Grid, (u32, u32)),
    ) -> (Grid, (u32, u32)) {
        let width = grid.iter().map(Vec::len).max().unwrap_or(0);
        for row in &mut grid {
            row.resize(width, String::new());
        }
        (grid, origin)
    }

    #[test]
    fn a_stray_value_far_right_widens_only_its_own_row() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for row in 0..3 {
            sheet.write_string(row, 0, "甲").unwrap();
        }
        sheet.write_string(1, 16_383, "备注").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(&bytes)).unwrap();
        let (grid, origin) = sheet_grid(&mut book, "Sheet1").unwrap();
        assert_eq!(origin, (0, 0));
        let widths: Vec<usize> = grid.iter().map(Vec::len).collect();
        assert_eq!(widths, [1, 16_384, 1]);
    }

    #[test]
    fn rows_out_of_order_are_found_again_and_sorted() {
        let mut rows = SparseRows::default();
        for (row, column, text) in [
            (5, 1, "a"),
            (3, 2, "b"),
            (5, 2, "c"),
            (3, 2, "d"),
            (4, 1, "e"),
        ] {
            rows.set(row, column, text.to_owned());
        }
        let cells = |texts: &[&str]| texts.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            rows.into_grid(),
            (
                vec![cells(&["", "d"]), cells(&["e"]), cells(&["a", "c"])],
                (3, 1)
            )
        );
    }

    /// A cell's value, as a writer puts it into a sheet.
    #[derive(Debug, Clone)]
    pub(in crate::excel_reader) enum Value {
        Text(String),
        Number(f64),
        Flag(bool),
        Date(u16, u8, u8),
        /// A formula with its cached result.
        Formula(i32),
        /// A formatted cell with no value: calamine reads it as empty.
        Blank,
    }

    /// Values of every kind, text with the characters XML escapes and `_x` in it.
    pub(in crate::excel_reader) fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            "[a-z张三·、&<>\"' _x0D\t\n]{0,8}".prop_map(Value::Text),
            (-1e6f64..1e6).prop_map(Value::Number),
            any::<f64>().prop_map(Value::Number),
            any::<bool>().prop_map(Value::Flag),
            (1950u16..2030, 1u8..13, 1u8..29).prop_map(|(y, m, d)| Value::Date(y, m, d)),
            (-99i32..99).prop_map(Value::Formula),
            Just(Value::Blank),
        ]
    }

    pub(in crate::excel_reader) fn write(
        sheet: &mut Worksheet,
        row: u32,
        column: u16,
        value: &Value,
    ) {
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let bold = Format::new().set_bold();
        match value {
            Value::Text(text) => sheet.write_string(row, column, text),
            Value::Number(number) => sheet.write_number(row, column, *number),
            Value::Flag(flag) => sheet.write_boolean(row, column, *flag),
            Value::Date(y, m, d) => {
                let day = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                sheet.write_datetime_with_format(row, column, &day, &date)
            }
            Value::Formula(n) => sheet
                .write_formula(row, column, format!("={n}+1").as_str())
                .map(|sheet| sheet.set_formula_result(row, column, (n + 1).to_string())),
            Value::Blank => sheet.write_blank(row, column, &bold),
        }
        .unwrap();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Sparse cells of every kind, anywhere on the sheet (written twice, too): the
        /// streamed grid is calamine's range, cell for cell, with the same origin.
        #[test]
        fn the_streamed_grid_is_calamines_range(
            cells in proptest::collection::vec((0u32..40, 0u16..12, value()), 0..60),
        ) {
            let mut book = Workbook::new();
            let sheet = book.add_worksheet();
            for (row, column, value) in &cells {
                write(sheet, *row, *column, value);
            }
            let bytes = book.save_to_buffer().unwrap();
            prop_assert_eq!(streamed_grid(&bytes, "Sheet1"), range_grid(&bytes, "Sheet1"));
        }
    }
}
