//! An xlsx sheet read by scanning its XML, for the cell shapes that exports are made of.
//!
//! calamine runs every cell through quick_xml's event reader, several thousand
//! instructions a cell, and a prefecture's property workbook has millions of cells read on
//! one thread before any of its rows can be parsed. Exports written by other systems come
//! in a few fixed shapes: an inline string (`<is><t>…</t></is>`), a bare number, a number
//! with a style (a date, if the style says so). Those are read here with byte matching.
//! Every other cell (a shared string, a formula, rich text, an error value, a boolean) is
//! handed to calamine itself, in a small package made of the workbook's own parts and
//! those cells, and so is the meaning of each style a number carries. So every cell means
//! what calamine says it means, and the grid is [`super::stream`]'s, cell for cell; tests
//! hold the two together.
//!
//! The scan gives up, and calamine reads the sheet whole as before, when the part is laid
//! out in a way it does not expect: elements with a namespace prefix, anything but cells
//! in a row, cells out of order or written twice, rows cut short, or so many cells for
//! calamine that the scan would only add work (a workbook of shared strings, as Excel saves
//! it, or one pretty-printed).
//! The merge list after the cells is read from the same pass, so the sheet is inflated once.

use std::io::{Cursor, Read, Seek, Write};
use std::sync::LazyLock;

use calamine::{Data, Dimensions, ExcelDateTime, ExcelDateTimeType, Reader, Xlsx};
use memchr::memmem;
use zip::ZipArchive;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::Grid;
use super::merges;
use super::stream::SparseRows;

/// Inflated bytes read at a time.
const CHUNK: usize = 1 << 20;
/// Bytes of cells handed to calamine before the scan gives the sheet to calamine whole.
const MAX_HARD_BYTES: usize = 16 << 20;
/// Once this many cells are seen, more than a quarter of them for calamine ends the scan.
const HARD_SHARE_AFTER: u64 = 4096;
/// The longest row the scan holds while looking for its end.
const MAX_ROW_BYTES: usize = 64 << 20;
/// Styles whose meaning for a number is asked of calamine; a number with a style beyond
/// them is a cell for calamine.
const MAX_STYLES: usize = 4096;

/// A sheet's cells as text, the absolute (row, column) of its first cell, and its merged
/// regions.
pub(super) type Scanned = (Grid, (u32, u32), Vec<Dimensions>);

/// Sheet `name` of the xlsx package in `package`, or `None` when calamine must read it.
pub(super) fn sheet<R: Read + Seek>(package: R, name: &str, is_1904: bool) -> Option<Scanned> {
    let mut zip = ZipArchive::new(package).ok()?;
    let part = merges::sheet_part(&mut zip, name)?;
    let mut scan = Scan {
        styles: style_kinds(&mut zip, &part, name)?,
        is_1904,
        ..Scan::default()
    };
    let merges = {
        let mut entry = zip.by_name(&part).ok()?;
        let (root, mut window) = prelude(&mut entry)?;
        scan.root = root;
        let rest = scan.rows(&mut entry, &mut window)?;
        let tail = Cursor::new(window.split_off(rest)).chain(&mut entry);
        match merges::find_merge_list(tail, CHUNK).ok()? {
            merges::Found::List(list) => merges::parse_merge_list(&list).ok()?,
            merges::Found::Absent => Vec::new(),
            merges::Found::Unsure => return None,
        }
    };
    scan.resolve(&mut zip, &part, name)?;
    let (grid, origin) = scan.grid.into_grid();
    Some((grid, origin, merges))
}

/// Reads the part up to the first row: the root start tag (its namespace declarations go
/// into the package for calamine) and the bytes after `<sheetData>`. `None` if the sheet
/// has no cell list this scan can read.
fn prelude(part: &mut impl Read) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut window = Vec::with_capacity(CHUNK);
    loop {
        let eof = fill(part, &mut window)?;
        if let Some(at) = memmem::find(&window, b"<sheetData") {
            let rest = &window[at + b"<sheetData".len()..];
            let start = if rest.starts_with(b">") {
                at + b"<sheetData>".len()
            } else if rest.starts_with(b"/>") {
                // No cells: the rest of the part is read like the tail of a full list.
                at
            } else if rest.is_empty() && !eof {
                continue;
            } else {
                return None;
            };
            let root = memmem::find(&window[..at], b"<worksheet")?;
            let root_end = root + memchr::memchr(b'>', &window[root..at])?;
            let root = window[root..=root_end].to_vec();
            window.drain(..start);
            return Some((root, window));
        }
        // A prefixed cell list is calamine's to read; so is a part that is not a sheet.
        if eof || window.len() > 4 * CHUNK || memmem::find(&window, b":sheetData").is_some() {
            return None;
        }
    }
}

/// Appends up to [`CHUNK`] bytes of `part`; whether the part has ended.
fn fill(part: &mut impl Read, window: &mut Vec<u8>) -> Option<bool> {
    let read = part.take(CHUNK as u64).read_to_end(window).ok()?;
    Some(read < CHUNK)
}

/// A cell calamine is asked about; its `<c>` element is in [`Scan::hard`], in order.
struct Hard {
    at: usize,
    column: u32,
}

#[derive(Default)]
struct Scan {
    grid: SparseRows,
    /// calamine's row and column counters, for rows and cells without an `r`.
    row: u32,
    column: u32,
    /// The last cell's position: cells must come in order, each once.
    last: Option<(u32, u32)>,
    cells: u64,
    root: Vec<u8>,
    hard: Vec<u8>,
    hard_cells: Vec<Hard>,
    /// What calamine makes of a number with each style: a plain number (`None`), a date or
    /// a duration.
    styles: Vec<Option<ExcelDateTimeType>>,
    is_1904: bool,
}

impl Scan {
    /// Scans rows until `</sheetData>`, reading on as needed; the index in `window` just
    /// past it. `window` starts after `<sheetData>`.
    fn rows(&mut self, part: &mut impl Read, window: &mut Vec<u8>) -> Option<usize> {
        // `<sheetData/>`: the prelude left the window at the element's `<`.
        if window.starts_with(b"<sheetData/>") {
            return Some(b"<sheetData/>".len());
        }
        let mut eof = false;
        loop {
            let mut at = 0;
            loop {
                at += white_space(&window[at..]);
                let rest = &window[at..];
                if rest.starts_with(b"</sheetData>") {
                    return Some(at + b"</sheetData>".len());
                }
                match row_extent(rest) {
                    Some(Some((tag, cells, end))) => {
                        self.row(&rest[..tag], &rest[tag..cells])?;
                        at += end;
                    }
                    Some(None) if !eof => break,
                    _ if rest.len() < b"</sheetData>".len() && !eof => break,
                    _ => return None,
                }
            }
            window.drain(..at);
            // A row longer than this is not an export's; calamine reads such a sheet.
            if eof || window.len() > MAX_ROW_BYTES {
                return None;
            }
            eof = fill(part, window)?;
        }
    }

    /// One row: its start tag and the cells after it (up to `</row>`, or nothing for an
    /// empty-element row).
    fn row(&mut self, tag: &[u8], mut cells: &[u8]) -> Option<()> {
        let mut r = None;
        attributes(&tag[b"<row".len()..], |name, value| {
            if name == b"r" {
                if r.is_some() {
                    return None;
                }
                r = Some(value);
            }
            Some(())
        })?;
        if let Some(r) = r {
            self.row = decimal(r)?.checked_sub(1)?;
        }
        loop {
            cells = &cells[white_space(cells)..];
            if cells.is_empty() {
                break;
            }
            let used = self.cell(cells)?;
            cells = &cells[used..];
        }
        self.row = self.row.checked_add(1)?;
        self.column = 0;
        Some(())
    }

    /// One `<c>` element at the head of `xml`; the bytes it takes.
    fn cell(&mut self, xml: &[u8]) -> Option<usize> {
        let after_name = xml.strip_prefix(b"<c")?;
        let (mut r, mut s, mut t) = (None, None, None);
        let tag_len = 2 + attributes(after_name, |name, value| {
            let slot = match name {
                b"r" => &mut r,
                b"s" => &mut s,
                b"t" => &mut t,
                _ => return Some(()),
            };
            if slot.is_some() {
                return None;
            }
            *slot = Some(value);
            Some(())
        })?;
        let (row, column) = match r {
            Some(r) => merges::cell_position(r)?,
            None => (self.row, self.column),
        };
        if self.last.is_some_and(|last| last >= (row, column)) {
            return None;
        }
        self.last = Some((row, column));
        self.column = column.checked_add(1)?;
        self.cells += 1;
        if xml[..tag_len].ends_with(b"/>") {
            return Some(tag_len);
        }
        let content_len = close_tag(&xml[tag_len..], b"</c>")?;
        let content = &xml[tag_len..tag_len + content_len];
        let used = tag_len + content_len + b"</c>".len();
        match easy(content, s, t) {
            Easy::Empty => {}
            Easy::Text(text) => {
                self.grid.set(row, column, text);
            }
            Easy::Styled(value, style) => match self.styles.get(style as usize) {
                Some(None) => {
                    self.grid.set(row, column, super::float_text(value));
                }
                Some(Some(kind)) => {
                    let date = ExcelDateTime::new(value, *kind, self.is_1904);
                    let text = super::cell_text(&Data::DateTime(date));
                    self.grid.set(row, column, text);
                }
                None => self.set_aside(row, column, &xml[..used])?,
            },
            Easy::Hard => self.set_aside(row, column, &xml[..used])?,
        }
        Some(used)
    }

    /// Keeps a cell for calamine, with a place for it in the grid; `None` once so many are
    /// kept that calamine had better read the sheet whole.
    fn set_aside(&mut self, row: u32, column: u32, cell: &[u8]) -> Option<()> {
        let at = self.grid.set(row, column, String::new());
        self.hard.extend_from_slice(cell);
        self.hard_cells.push(Hard { at, column });
        let too_many =
            self.cells >= HARD_SHARE_AFTER && self.hard_cells.len() as u64 > self.cells / 4;
        (self.hard.len() <= MAX_HARD_BYTES && !too_many).then_some(())
    }

    /// Asks calamine about the cells set aside, and puts their text in place.
    fn resolve<R: Read + Seek>(
        &mut self,
        zip: &mut ZipArchive<R>,
        part: &str,
        name: &str,
    ) -> Option<()> {
        if self.hard_cells.is_empty() {
            return Some(());
        }
        let values = ask_calamine(zip, part, name, &self.root, &self.hard, true)?;
        if values.len() != self.hard_cells.len() {
            return None;
        }
        for (hard, value) in self.hard_cells.iter().zip(values) {
            // An empty cell takes no place in calamine's grid, and the scan gave it one.
            if matches!(value, Data::Empty) {
                return None;
            }
            *self.grid.cell_mut(hard.at, hard.column)? = super::cell_text(&value);
        }
        Some(())
    }
}

/// What calamine makes of a number with each style of the workbook (as many as `<xf>`
/// elements in its styles part, up to [`MAX_STYLES`]).
fn style_kinds<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    part: &str,
    name: &str,
) -> Option<Vec<Option<ExcelDateTimeType>>> {
    let count = merges::read_entry(zip, "xl/styles.xml")
        .map_or(0, |styles| {
            memmem::find_iter(styles.as_bytes(), b"<xf ").count()
        })
        .min(MAX_STYLES);
    if count == 0 {
        return Some(Vec::new());
    }
    let mut cells = Vec::with_capacity(32 * count);
    for style in 0..count {
        write!(cells, "<c s=\"{style}\"><v>1</v></c>").ok()?;
    }
    let root = b"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
    // A style's meaning needs no shared strings, and parsing a large table would cost more
    // than a sheet of shared strings gains from the scan before it gives up.
    ask_calamine(zip, part, name, root, &cells, false)?
        .into_iter()
        .map(|value| match value {
            Data::Float(_) => Some(None),
            Data::DateTime(d) if d.is_duration() => Some(Some(ExcelDateTimeType::TimeDelta)),
            Data::DateTime(_) => Some(Some(ExcelDateTimeType::DateTime)),
            _ => None,
        })
        .collect()
}

/// Each of `cells` (`<c>` elements) as calamine reads it in sheet `name`, the package's
/// `part`, given the workbook's own styles and, if `strings`, its shared strings; `root` is
/// the sheet's root start tag, for its namespace declarations.
fn ask_calamine<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    part: &str,
    name: &str,
    root: &[u8],
    cells: &[u8],
    strings: bool,
) -> Option<Vec<Data>> {
    let mut xml = Vec::with_capacity(cells.len() + root.len() + 128);
    xml.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
    xml.extend_from_slice(root);
    xml.extend_from_slice(b"<sheetData><row r=\"1\">");
    xml.extend_from_slice(cells);
    xml.extend_from_slice(b"</row></sheetData></worksheet>");
    let package = repackage(zip, part, &xml, strings)?;
    let mut book = Xlsx::new(Cursor::new(package)).ok()?;
    let mut reader = book.worksheet_cells_reader(name).ok()?;
    let mut values = Vec::new();
    while let Some(cell) = reader.next_cell().ok()? {
        values.push(Data::from(cell.get_value().clone()));
    }
    Some(values)
}

/// The package with `part` replaced by `xml`, and the other parts beside it (the other
/// sheets) left out, and the shared strings too unless `strings`: calamine reads the
/// workbook and its styles from it.
fn repackage<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    part: &str,
    xml: &[u8],
    strings: bool,
) -> Option<Vec<u8>> {
    let folder = part.rsplit_once('/').map_or("", |(folder, _)| folder);
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..zip.len() {
        let entry = zip.by_index_raw(index).ok()?;
        let entry_name = entry.name().ok()?;
        let entry_folder = entry_name.rsplit_once('/').map_or("", |(f, _)| f);
        let file = entry_name.rsplit('/').next().unwrap_or_default();
        let sheet = entry_folder == folder && entry_name.ends_with(".xml");
        if sheet || (!strings && file.eq_ignore_ascii_case("sharedStrings.xml")) {
            continue;
        }
        drop(entry_name);
        out.raw_copy_file(entry).ok()?;
    }
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file(part, stored).ok()?;
    out.write_all(xml).ok()?;
    Some(out.finish().ok()?.into_inner())
}

/// What the scan makes of a cell's content.
enum Easy {
    Empty,
    Text(String),
    Styled(f64, u32),
    Hard,
}

/// What the scan makes of a cell's content, given its `s` and `t` attributes.
fn easy(content: &[u8], s: Option<&[u8]>, t: Option<&[u8]>) -> Easy {
    if content.is_empty() {
        return Easy::Empty;
    }
    if let Some(value) = content
        .strip_prefix(b"<v>")
        .and_then(|c| c.strip_suffix(b"</v>"))
        .filter(|v| !v.contains(&b'<'))
    {
        if !matches!(t, None | Some(b"n")) {
            return Easy::Hard;
        }
        if value.is_empty() {
            return Easy::Empty;
        }
        let Some(number) = plain_number(value) else {
            return Easy::Hard;
        };
        return match s {
            None => Easy::Text(super::float_text(number)),
            Some(s) => match decimal(s) {
                Some(style) => Easy::Styled(number, style),
                None => Easy::Hard,
            },
        };
    }
    if t == Some(b"inlineStr")
        && let Some(text) = content
            .strip_prefix(b"<is>")
            .and_then(|c| c.strip_suffix(b"</t></is>"))
    {
        let (text, preserve) = if let Some(text) = text.strip_prefix(b"<t>") {
            (text, false)
        } else if let Some(text) = text.strip_prefix(b"<t xml:space=\"preserve\">") {
            (text, true)
        } else {
            return Easy::Hard;
        };
        return inline_text(text, preserve).map_or(Easy::Hard, Easy::Text);
    }
    Easy::Hard
}

/// An inline string's text as calamine reads it, or `None` for anything but plain text and
/// the five named entities: markup, a carriage return (which XML turns into a line feed),
/// a character reference, or an `_xHHHH_` escape.
fn inline_text(raw: &[u8], preserve: bool) -> Option<String> {
    let plain = memchr::memchr3_iter(b'<', b'\r', b'_', raw)
        .all(|at| raw[at] == b'_' && raw.get(at + 1) != Some(&b'x'));
    if !plain {
        return None;
    }
    let raw = if preserve {
        raw
    } else {
        // calamine trims ASCII white space; the named entities never decode to any.
        let start = raw.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\n'));
        let end = raw.iter().rposition(|b| !matches!(b, b' ' | b'\t' | b'\n'));
        match (start, end) {
            (Some(start), Some(end)) => &raw[start..=end],
            _ => &[],
        }
    };
    let text = std::str::from_utf8(raw).ok()?;
    if !text.contains('&') {
        return Some(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (decoded, len) = [
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&amp;", '&'),
            ("&quot;", '"'),
            ("&apos;", '\''),
        ]
        .into_iter()
        .find(|(entity, _)| rest.starts_with(entity))
        .map(|(entity, c)| (c, entity.len()))?;
        out.push(decoded);
        rest = &rest[len..];
    }
    out.push_str(rest);
    Some(out)
}

/// A number written `-?digits(.digits)?(e[+-]?digits)?`, which every float parser rounds
/// alike; anything else (`inf`, `.5`, `1e`, a space) goes to calamine.
fn plain_number(text: &[u8]) -> Option<f64> {
    let digits = |from: usize| {
        text.get(from..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_digit()).count()
        })
    };
    if text.len() > 64 {
        return None;
    }
    let mut at = usize::from(text.first() == Some(&b'-'));
    let whole = digits(at);
    if whole == 0 {
        return None;
    }
    at += whole;
    if text.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if fraction == 0 {
            return None;
        }
        at += 1 + fraction;
    }
    if matches!(text.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(text.get(at), Some(b'+' | b'-')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 || exponent > 4 {
            return None;
        }
        at += exponent;
    }
    if at != text.len() {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// One to nine ASCII digits as a number.
fn decimal(text: &[u8]) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        text.iter()
            .fold(0, |n, digit| n * 10 + u32::from(digit - b'0')),
    )
}

/// ASCII white space at the head of `bytes`.
fn white_space(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .count()
}

/// Where a `<row>` element at the head of `xml` ends: `Some(Some((tag, cells, end)))`, the
/// ends of its start tag, of its cells (where its end tag starts) and of the element;
/// `Some(None)` if it may go on past the window; `None` if no row starts here.
fn row_extent(xml: &[u8]) -> Option<Option<(usize, usize, usize)>> {
    let after = xml.strip_prefix(b"<row")?;
    match after.first() {
        None => return Some(None),
        Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/') => {}
        Some(_) => return None,
    }
    let Some(tag) = tag_end(after) else {
        return Some(None);
    };
    let tag = b"<row".len() + tag;
    if xml[..tag].ends_with(b"/>") {
        return Some(Some((tag, tag, tag)));
    }
    static ROW_END: LazyLock<memmem::Finder<'static>> =
        LazyLock::new(|| memmem::Finder::new(b"</row>"));
    Some(ROW_END.find(&xml[tag..]).map(|close| {
        let close = tag + close;
        (tag, close, close + b"</row>".len())
    }))
}

/// Where the first `close` (an end tag) is in `xml`. A cell holds few tags, so this looks
/// at each `<`; a searcher built per call cost more than the search.
fn close_tag(xml: &[u8], close: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'<', xml).find(|&at| xml[at..].starts_with(close))
}

/// The length of a start tag's attribute list and closing `>` or `/>`, honouring quotes;
/// `None` if the tag does not end within `after_name`.
fn tag_end(after_name: &[u8]) -> Option<usize> {
    let mut quote = None;
    for (at, &b) in after_name.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(at + 1),
            _ => {}
        }
    }
    None
}

/// Calls `each(name, value)` for the attributes of a start tag whose name is already
/// consumed; the bytes up to and including its `>`. `None` if the tag is not well formed
/// (or `each` says stop).
fn attributes<'a>(
    after_name: &'a [u8],
    mut each: impl FnMut(&'a [u8], &'a [u8]) -> Option<()>,
) -> Option<usize> {
    let mut at = 0;
    loop {
        let space = white_space(&after_name[at..]);
        at += space;
        match after_name.get(at)? {
            b'>' => return Some(at + 1),
            b'/' => return (after_name.get(at + 1)? == &b'>').then_some(at + 2),
            _ if space == 0 => return None,
            _ => {}
        }
        // An XML name: a letter, `_` or `:` (or any character beyond ASCII), then those,
        // digits, `-` and `.`.
        let name_len = after_name[at..]
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b >= 0x80 || b"_:-.".contains(&b))
            .count();
        let name = &after_name[at..at + name_len];
        at += name_len;
        at += white_space(&after_name[at..]);
        let first = *name.first()?;
        if after_name.get(at)? != &b'=' || first.is_ascii_digit() || matches!(first, b'-' | b'.') {
            return None;
        }
        at += 1;
        at += white_space(&after_name[at..]);
        let quote = *after_name.get(at)?;
        if !matches!(quote, b'"' | b'\'') {
            return None;
        }
        at += 1;
        let len = memchr::memchr(quote, &after_name[at..])?;
        let value = &after_name[at..at + len];
        if value.contains(&b'<') || value.contains(&b'&') {
            return None;
        }
        each(name, value)?;
        at += len + 1;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use proptest::prelude::*;
    use rust_xlsxwriter::{Format, Workbook, Worksheet};

    use super::super::stream::tests::{padded, streamed_grid, value, write};
    use super::*;

    /// The scanned grid, padded as [`streamed_grid`] pads, and the merges.
    fn scanned(bytes: &[u8]) -> Option<(Grid, (u32, u32), Vec<Dimensions>)> {
        let (grid, origin, merges) = sheet(Cursor::new(bytes), "Sheet1", false)?;
        let (grid, origin) = padded((grid, origin));
        Some((grid, origin, merges))
    }

    fn calamine_merges(bytes: &[u8]) -> Vec<Dimensions> {
        let mut book = Xlsx::new(Cursor::new(bytes)).unwrap();
        book.merge_cells_by_sheet_name("Sheet1").unwrap()
    }

    /// Asserts the scan read the sheet, and read it as calamine does.
    fn assert_as_calamine(bytes: &[u8]) {
        let (grid, origin, merges) = scanned(bytes).expect("the scan gave the sheet up");
        assert_eq!((grid, origin), streamed_grid(bytes, "Sheet1"));
        assert_eq!(merges, calamine_merges(bytes));
    }

    /// A workbook whose styles hold a date (1), a duration (2), a time (3) and a plain
    /// number format (4), with `cells` as the first sheet's `<sheetData>` content.
    fn package(cells: &str) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (column, format) in ["yyyy-mm-dd", "[h]:mm:ss", "hh:mm", "0.00"]
            .into_iter()
            .enumerate()
        {
            let format = Format::new().set_num_format(format);
            sheet
                .write_number_with_format(0, column as u16, 1.0, &format)
                .unwrap();
        }
        book.add_worksheet().write_string(0, 0, "另一页").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let mut zip = ZipArchive::new(Cursor::new(bytes)).unwrap();
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet \
             xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
             <dimension ref=\"A1\"/><sheetData>{cells}</sheetData>\
             <mergeCells count=\"1\"><mergeCell ref=\"B2:C3\"/></mergeCells></worksheet>"
        );
        repackage(&mut zip, "xl/worksheets/sheet1.xml", xml.as_bytes(), true).unwrap()
    }

    /// The style ids `package` gives its formats, read back from its own first row.
    fn style_ids() -> Vec<String> {
        let bytes = package("");
        let mut zip = ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut styles = String::new();
        zip.by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut styles)
            .unwrap();
        let count = styles.matches("<xf ").count();
        (0..count).map(|id| id.to_string()).collect()
    }

    #[test]
    fn every_cell_shape_reads_as_calamine_reads_it() {
        assert!(style_ids().len() >= 5);
        let cases = [
            // Inline strings: trimmed unless preserved, the named entities decoded.
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>  甲 乙	</t></is></c><c r="B1" t="inlineStr"><is><t xml:space="preserve">  甲 </t></is></c></row>"#,
            r#"<row r="2"><c r="A2" t="inlineStr"><is><t>a&amp;b &lt;c&gt; &quot;d&quot; &apos;e&apos;</t></is></c><c r="C2" t="inlineStr"><is><t></t></is></c></row>"#,
            // Left to calamine: escapes, references, line ends, rich text, empty lists.
            r#"<row r="3"><c r="A3" t="inlineStr"><is><t>a_x000D_b</t></is></c><c r="B3" t="inlineStr"><is><t>&#x4E00;&#20013;</t></is></c></row>"#,
            "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>a\r\nb\rc</t></is></c><c r=\"B4\" t=\"inlineStr\"><is><r><t>富</t></r><r><t xml:space=\"preserve\"> 民</t></r><rPh><t>fu</t></rPh></is></c><c r=\"C4\" t=\"inlineStr\"><is></is></c></row>",
            // Numbers, bare and styled, in every form a writer uses, and some it does not.
            r#"<row r="5"><c r="A5"><v>124.81</v></c><c r="B5" t="n"><v>-0</v></c><c r="C5"><v>5.3252219750615E+17</v></c><c r="D5"><v>1e5</v></c><c r="E5"><v>.5</v></c><c r="F5"><v>+7</v></c><c r="G5"><v>abc</v></c></row>"#,
            r#"<row r="6"><c r="A6" s="1"><v>39905</v></c><c r="B6" s="2"><v>1.25</v></c><c r="C6" s="3"><v>0.5</v></c><c r="D6" s="4"><v>3.14159</v></c><c r="E6" s="0"><v>2</v></c><c r="F6" s="999"><v>44193</v></c><c r="G6" s="01"><v>40147</v></c></row>"#,
            // Other types: booleans, errors, formulas, plain strings, ISO dates.
            r#"<row r="7"><c r="A7" t="b"><v>1</v></c><c r="B7" t="e"><v>#N/A</v></c><c r="C7"><f>1+1</f><v>2</v></c><c r="D7" t="str"><f>"a"</f><v>a&amp;b</v></c><c r="E7" t="d"><v>2024-01-02</v></c></row>"#,
            // Empty cells take a column but no value; rows and cells without `r` count on.
            r#"<row r="8"><c r="A8" s="1"/><c r="B8"></c><c r="C8"><v></v></c><c t="inlineStr"><is><t>后</t></is></c></row><row><c t="inlineStr"><is><t>无号</t></is></c><c><v>3</v></c></row><row r="12"/><row r="13" spans="1:3" ht="15"><c r="B13" t="inlineStr"><is><t>末</t></is></c></row>"#,
            // White space between a cell's elements, as a pretty-printer leaves it.
            "<row r=\"20\"><c r=\"A20\">\n  <v>1</v>\n</c><c r=\"B20\" t=\"inlineStr\">\n<is> <t>x</t> </is></c></row>",
            // A sheet starting below and right of A1.
            r#"<row r="30"><c r="AB30" t="inlineStr"><is><t>远</t></is></c></row>"#,
        ];
        for case in cases {
            assert_as_calamine(&package(case));
        }
        assert_as_calamine(&package(&cases.concat()));
    }

    #[test]
    fn export_cells_are_read_without_calamine() {
        let inline = Some(&b"inlineStr"[..]);
        let text = |easy: Easy| match easy {
            Easy::Text(text) => text,
            _ => panic!("not read by the scan"),
        };
        assert_eq!(
            text(easy(b"<is><t> \xe7\x94\xb2</t></is>", None, inline)),
            "甲"
        );
        let preserved = b"<is><t xml:space=\"preserve\"> \xe7\x94\xb2</t></is>";
        assert_eq!(text(easy(preserved, None, inline)), " 甲");
        assert_eq!(text(easy(b"<v>124.81</v>", None, None)), "124.81");
        assert_eq!(
            text(easy(b"<v>5.3252219750615E+17</v>", None, Some(b"n"))),
            "5.3252219750615E+17"
        );
        assert!(
            matches!(easy(b"<v>39905</v>", Some(b"3"), None), Easy::Styled(v, 3) if v == 39905.0)
        );
        assert!(matches!(easy(b"<v>1</v>", None, Some(b"s")), Easy::Hard));
        assert!(matches!(easy(b"<v>1</v>", None, Some(b"b")), Easy::Hard));
    }

    #[test]
    fn each_style_is_asked_of_calamine_once_before_the_scan() {
        let mut zip = ZipArchive::new(Cursor::new(package(""))).unwrap();
        let kinds = style_kinds(&mut zip, "xl/worksheets/sheet1.xml", "Sheet1").unwrap();
        use ExcelDateTimeType::{DateTime, TimeDelta};
        assert_eq!(
            kinds[..5],
            [None, Some(DateTime), Some(TimeDelta), Some(DateTime), None]
        );
    }

    #[test]
    fn sheets_the_scan_cannot_read_in_order_are_left_to_calamine() {
        let give_up = [
            // Out of order, and written twice.
            r#"<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>2</v></c></row>"#,
            r#"<row r="1"><c r="B1"><v>1</v></c><c r="B1"><v>2</v></c></row>"#,
            // An unknown row child, and a reference that is not one.
            r#"<row r="1"><c r="A1"><v>1</v></c><extLst/></row>"#,
            r#"<row r="1"><c r="1A"><v>1</v></c></row>"#,
            // A shared string that is empty: calamine gives it no place in the grid.
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c><c r="B1" t="s"><v></v></c></row>"#,
        ];
        for case in give_up {
            let bytes = package(case);
            assert!(scanned(&bytes).is_none(), "{case}");
        }
        // A cut-short part: the scan gives up, and calamine reports the damage.
        let cut = package(r#"<row r="1"><c r="A1"><v>1</v></c></row>"#);
        let mut zip = ZipArchive::new(Cursor::new(cut)).unwrap();
        let short = b"<worksheet xmlns=\"x\"><sheetData><row r=\"1\"><c r=\"A1\"><v>1";
        let cut = repackage(&mut zip, "xl/worksheets/sheet1.xml", short, true).unwrap();
        assert!(scanned(&cut).is_none());
    }

    #[test]
    fn a_sheet_of_shared_strings_is_left_to_calamine_early() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for row in 0..3000 {
            sheet.write_string(row, 0, format!("名{row}")).unwrap();
            sheet.write_number(row, 1, f64::from(row)).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        assert!(scanned(&bytes).is_none());
        // A few shared strings among many inline cells are asked of calamine.
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "表头").unwrap();
        for row in 1..3000 {
            sheet.write_number(row, 0, f64::from(row)).unwrap();
        }
        let bytes = book.save_to_buffer().unwrap();
        assert_as_calamine(&bytes);
    }

    /// calamine's streamed grid of sheet 1, padded as [`scanned`] pads, or its error.
    fn calamine_grid(bytes: &[u8]) -> Result<(Grid, (u32, u32)), String> {
        let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let grid = super::super::stream::sheet_grid(&mut book, "Sheet1");
        grid.map(padded).map_err(|e| e.to_string())
    }

    const DAMAGE_BASE: &str = concat!(
        r#"<row r="1" spans="1:4"><c r="A1" t="inlineStr"><is><t>甲 &amp; 乙</t></is></c>"#,
        r#"<c r="B1" s="1"><v>39905</v></c><c r="C1"><v>-12.5E+3</v></c><c r="D1"/></row>"#,
        r#"<row><c t="inlineStr"><is><t xml:space="preserve"> x_y </t></is></c><c s="4">"#,
        r#"<v>7</v></c><c t="b"><v>0</v></c></row><row r="5"/>"#,
    );

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// A sheet damaged byte by byte never panics the scan, and whatever the scan reads
        /// is what calamine reads; what calamine cannot read, the scan leaves to it.
        #[test]
        fn a_damaged_sheet_is_read_as_calamine_reads_it_or_left_to_it(
            edits in proptest::collection::vec(
                (any::<prop::sample::Index>(), prop::sample::select(
                    b"<>/\"'= &_x\r\n0159AZaz;#".to_vec(),
                )),
                1..4,
            ),
        ) {
            let mut xml = DAMAGE_BASE.as_bytes().to_vec();
            for (at, byte) in edits {
                let at = at.index(xml.len());
                xml[at] = byte;
            }
            let Ok(xml) = String::from_utf8(xml) else {
                return Ok(());
            };
            let bytes = package(&xml);
            if let Some((grid, origin, _)) = scanned(&bytes) {
                prop_assert_eq!(Ok((grid, origin)), calamine_grid(&bytes), "{}", xml);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Cells of every kind, inline (as exports write them) or shared (as Excel saves
        /// them), with a merged region: the scan reads what calamine reads.
        #[test]
        fn the_scanned_grid_is_calamines(
            mut cells in proptest::collection::vec((0u32..40, 0u16..12, value()), 0..60),
            inline in any::<bool>(),
            merge in proptest::option::of((0u32..40, 0u16..12)),
        ) {
            let mut book = Workbook::new();
            let sheet: &mut Worksheet = if inline {
                // Constant-memory sheets are written row by row, in order.
                cells.sort_by_key(|(row, column, _)| (*row, *column));
                book.add_worksheet_with_constant_memory().unwrap()
            } else {
                book.add_worksheet()
            };
            for (row, column, value) in &cells {
                write(sheet, *row, *column, value);
            }
            if let Some((row, column)) = merge {
                sheet.merge_range(row, column, row + 1, column + 1, "并", &Format::new()).unwrap();
            }
            let bytes = book.save_to_buffer().unwrap();
            let (grid, origin, merges) = scanned(&bytes).expect("the scan gave the sheet up");
            prop_assert_eq!((grid, origin), streamed_grid(&bytes, "Sheet1"));
            prop_assert_eq!(merges, calamine_merges(&bytes));
        }
    }
}
