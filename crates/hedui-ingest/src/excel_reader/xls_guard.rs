//! A check of an `.xls` file's sheet sizes before calamine opens it.
//!
//! calamine reserves room for every cell a sheet's DIMENSIONS record declares before it
//! reads one. A damaged record declares billions of cells; the allocation fails and the
//! process aborts, which no `Result` and no `catch_unwind` can catch: one corrupt export
//! would end a whole run without a word (calamine issues #174, #684). So the workbook
//! stream is walked here first, with the `cfb` crate, and an impossible size is an error
//! naming the file. Whatever this walk cannot read is left to calamine, which reports it.

use std::io::Read;
use std::path::Path;

/// BIFF8 sheets hold at most 65,536 rows of 256 columns; anything larger is damage.
const MAX_CELLS: u64 = 65_536 * 256;
const DIMENSIONS: u16 = 0x0200;

/// `Err` with the reason when a sheet declares more cells than an `.xls` can hold.
pub(super) fn check_sheet_sizes(path: &Path) -> Result<(), String> {
    let Ok(mut file) = cfb::open(path) else {
        return Ok(());
    };
    let Some(name) = ["Workbook", "Book"].into_iter().find(|n| file.is_stream(n)) else {
        return Ok(());
    };
    let limit = std::fs::metadata(path).map_or(0, |m| m.len());
    let mut stream = Vec::new();
    let Ok(reader) = file.open_stream(name) else {
        return Ok(());
    };
    if reader.take(limit).read_to_end(&mut stream).is_err() {
        return Ok(());
    }
    let mut at = 0usize;
    while let Some(header) = stream.get(at..at + 4) {
        let typ = u16::from_le_bytes([header[0], header[1]]);
        let len = usize::from(u16::from_le_bytes([header[2], header[3]]));
        let Some(data) = stream.get(at + 4..at + 4 + len) else {
            break;
        };
        if typ == DIMENSIONS
            && let Some(cells) = declared_cells(data)
            && cells > MAX_CELLS
        {
            return Err(format!(
                "the file is damaged: a sheet declares {cells} cells, more than an .xls \
                 sheet can hold"
            ));
        }
        at += 4 + len;
    }
    Ok(())
}

/// The cells calamine would reserve for a DIMENSIONS record, read as calamine reads it:
/// first row, row after the last, first column, column after the last.
fn declared_cells(data: &[u8]) -> Option<u64> {
    let u16_at = |i: usize| {
        Some(u64::from(u16::from_le_bytes([
            *data.get(i)?,
            *data.get(i + 1)?,
        ])))
    };
    let u32_at = |i: usize| {
        Some(u64::from(u32::from_le_bytes([
            *data.get(i)?,
            *data.get(i + 1)?,
            *data.get(i + 2)?,
            *data.get(i + 3)?,
        ])))
    };
    let (first_row, row_after, mut first_col, col_after) = match data.len() {
        10 => (u16_at(0)?, u16_at(2)?, u16_at(4)?, u16_at(6)?),
        14 | 16 => (u32_at(0)?, u32_at(4)?, u16_at(8)?, u16_at(10)?),
        _ => return None,
    };
    if first_col > 0xFF || col_after < first_col {
        first_col = 0;
    }
    if row_after == 0 || col_after == 0 {
        return Some(1);
    }
    // calamine subtracts in 32 bits: a first row past the last wraps to four billion rows.
    let rows = (row_after - 1).wrapping_sub(first_row).wrapping_add(1) & 0xFFFF_FFFF;
    let cols = (col_after - 1).wrapping_sub(first_col).wrapping_add(1) & 0xFFFF_FFFF;
    Some(rows.saturating_mul(cols))
}

#[cfg(test)]
mod tests {
    use super::declared_cells;

    fn biff8(first_row: u32, row_after: u32, first_col: u16, col_after: u16) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&first_row.to_le_bytes());
        v.extend_from_slice(&row_after.to_le_bytes());
        v.extend_from_slice(&first_col.to_le_bytes());
        v.extend_from_slice(&col_after.to_le_bytes());
        v.extend_from_slice(&[0, 0]);
        v
    }

    #[test]
    fn declared_sizes_are_read_as_calamine_reads_them() {
        assert_eq!(declared_cells(&biff8(0, 10, 0, 5)), Some(50));
        assert_eq!(declared_cells(&biff8(0, 0, 0, 0)), Some(1));
        // A first row past the last wraps, in calamine, to billions of rows.
        assert!(declared_cells(&biff8(7, 3, 0, 5)).unwrap() > super::MAX_CELLS);
        assert!(declared_cells(&biff8(0, u32::MAX, 0, 256)).unwrap() > super::MAX_CELLS);
        assert_eq!(declared_cells(&[0; 3]), None);
    }
}
