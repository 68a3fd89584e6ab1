//! Merged regions of one xlsx sheet, found without parsing the sheet a second time.
//!
//! The OOXML schema puts `<mergeCells>` after `<sheetData>`, so calamine's lookup runs
//! quick_xml over every cell of the sheet just to reach it: at 774,000 rows that second
//! pass cost about 5 CPU-seconds of a 2-core budget, on top of the pass that reads the
//! cells. Here the part is only inflated and searched with `memchr`, and XML parsing starts
//! at the merge list. Packages laid out in a way this does not expect are left to calamine.

use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

use calamine::Dimensions;
use quick_xml::Reader;
use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

/// Inflated bytes searched at a time: large enough that per-read overhead vanishes, small
/// enough that a sheet of hundreds of megabytes is never held whole.
const CHUNK: usize = 1 << 20;
const NEEDLE: &[u8] = b"mergeCells";
/// Longest namespace prefix recognised before the element name; a longer one (no writer
/// produces one) hands the sheet to calamine rather than risk missing its merges.
const MAX_PREFIX: usize = 64;
/// Bytes carried into the next chunk: a match cut at the boundary, its `<prefix:` and
/// the byte after it that tells `mergeCells` from a longer name.
const KEEP: usize = NEEDLE.len() + MAX_PREFIX + 2;

/// Merged regions of sheet `name` in the xlsx at `path`; `Ok(None)` when the package or
/// the sheet's encoding is not what this scan understands, so calamine must look instead.
pub(super) fn sheet_merges(path: &Path, name: &str) -> Result<Option<Vec<Dimensions>>, String> {
    let Ok(file) = File::open(path) else {
        return Ok(None);
    };
    let Ok(mut zip) = ZipArchive::new(BufReader::new(file)) else {
        return Ok(None);
    };
    let Some(part) = sheet_part(&mut zip, name) else {
        return Ok(None);
    };
    let Ok(entry) = zip.by_name(&part) else {
        return Ok(None);
    };
    // A damaged deflate stream is calamine's to report, in its words, as before.
    let Ok(found) = find_merge_list(entry, CHUNK) else {
        return Ok(None);
    };
    match found {
        Found::List(tail) => parse_merge_list(&tail)
            .map(Some)
            .map_err(|message| format!("sheet {name:?}: {message}")),
        Found::Absent => Ok(Some(Vec::new())),
        Found::Unsure => Ok(None),
    }
}

/// The zip path of the sheet's part, via `xl/workbook.xml` and its relationships.
pub(super) fn sheet_part<R: Read + Seek>(zip: &mut ZipArchive<R>, name: &str) -> Option<String> {
    let workbook = read_entry(zip, "xl/workbook.xml")?;
    let id = find_element(&workbook, "sheet", |e| {
        attr(e, "name")
            .filter(|n| n == name)
            .and_then(|_| attr(e, "id"))
    })?;
    let rels = read_entry(zip, "xl/_rels/workbook.xml.rels")?;
    let target = find_element(&rels, "Relationship", |e| {
        attr(e, "Id")
            .filter(|i| *i == id)
            .and_then(|_| attr(e, "Target"))
    })?;
    Some(match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{target}"),
    })
}

pub(super) fn read_entry<R: Read + Seek>(zip: &mut ZipArchive<R>, path: &str) -> Option<String> {
    let mut text = String::new();
    zip.by_name(path).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

/// The first `pick` result among elements with local name `element`.
fn find_element(
    xml: &str,
    element: &str,
    mut pick: impl FnMut(&BytesStart<'_>) -> Option<String>,
) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == element => {
                if let Some(found) = pick(&e) {
                    return Some(found);
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// An attribute's unescaped value, matched on its local name: writers differ in the
/// prefix they bind to the relationships namespace (`r:id`).
fn attr(element: &BytesStart<'_>, local: &str) -> Option<String> {
    element
        .attributes()
        .with_checks(false)
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| unescape(&a.value).ok().map(|v| v.into_owned()))
}

#[derive(Debug, PartialEq)]
pub(super) enum Found {
    /// The part from the `<` of the `mergeCells` start tag to its end.
    List(Vec<u8>),
    Absent,
    Unsure,
}

/// Finds the `mergeCells` start tag in an inflated part, `chunk` bytes at a time.
///
/// A `<` cannot occur in character data or attribute values, so `<mergeCells` or
/// `<prefix:mergeCells` followed by a delimiter is the tag. (Comments and CDATA could hide
/// one, but no spreadsheet writer puts either in a worksheet.)
pub(super) fn find_merge_list(mut part: impl Read, chunk: usize) -> std::io::Result<Found> {
    let finder = memchr::memmem::Finder::new(NEEDLE);
    let mut window: Vec<u8> = Vec::with_capacity(chunk + KEEP);
    // Whether `window[0]` is the part's first byte, so nothing precedes it.
    let mut at_start = true;
    // Matches starting before this index were settled in an earlier round.
    let mut from = 0;
    loop {
        let old = window.len();
        let eof = (&mut part).take(chunk as u64).read_to_end(&mut window)? < chunk;
        // UTF-8 never holds these bytes, UTF-16 markup starts with them; the ASCII needle
        // would not match UTF-16 at all.
        if old == 0 && window.iter().take(2).any(|b| matches!(b, 0 | 0xFE | 0xFF)) {
            return Ok(Found::Unsure);
        }
        for start in finder.find_iter(&window[from..]).map(|i| i + from) {
            let end = start + NEEDLE.len();
            let delimited = match window.get(end) {
                Some(b) => matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>'),
                None if eof => true,
                // The next byte decides; it is in the next chunk, and KEEP carries this match.
                None => break,
            };
            if !delimited {
                continue;
            }
            match tag_open(&window[..start], at_start) {
                Some(Some(lt)) => {
                    window.drain(..lt);
                    part.read_to_end(&mut window)?;
                    return Ok(Found::List(window));
                }
                Some(None) => {}
                None => return Ok(Found::Unsure),
            }
        }
        if eof {
            return Ok(Found::Absent);
        }
        from = window.len().saturating_sub(NEEDLE.len());
        let cut = window.len().saturating_sub(KEEP);
        if cut > 0 {
            window.drain(..cut);
            from -= cut;
            at_start = false;
        }
    }
}

/// Where the start tag of a name preceded by `before` opens: `Some(Some(index of '<'))`,
/// `Some(None)` if the name is not in start-tag position, `None` if it cannot tell.
fn tag_open(before: &[u8], at_start: bool) -> Option<Option<usize>> {
    match before.split_last() {
        Some((b'<', _)) => Some(Some(before.len() - 1)),
        Some((b':', prefix)) => {
            let is_name =
                |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.') || b >= 0x80;
            let lo = prefix.len().saturating_sub(MAX_PREFIX + 1);
            match prefix[lo..].iter().rposition(|&b| !is_name(b)) {
                Some(p) => {
                    let lt = lo + p;
                    Some((prefix[lt] == b'<' && lt + 1 < prefix.len()).then_some(lt))
                }
                None if lo == 0 && at_start => Some(None),
                None => None,
            }
        }
        _ => Some(None),
    }
}

/// Every `mergeCell` ref from the `mergeCells` start tag at the head of `tail` to its end.
pub(super) fn parse_merge_list(tail: &[u8]) -> Result<Vec<Dimensions>, String> {
    let text = std::str::from_utf8(tail).map_err(|e| format!("merged cells: {e}"))?;
    let mut reader = Reader::from_str(text);
    // calamine does not check end names either; a sloppy writer must not lose its merges.
    reader.config_mut().check_end_names = false;
    let mut merges = Vec::new();
    loop {
        match reader
            .read_event()
            .map_err(|err| format!("merged cells: {err}"))?
        {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "mergeCell" => {
                let reference = e
                    .try_get_attribute("ref")
                    .map_err(|err| format!("merged cells: {err}"))?;
                if let Some(reference) = reference {
                    merges.push(parse_ref(&reference.value)?);
                }
            }
            Event::Empty(e) if e.local_name().as_ref() == "mergeCells" => return Ok(merges),
            Event::End(e) if e.local_name().as_ref() == "mergeCells" => return Ok(merges),
            Event::Eof => return Err("merged cells: the list is cut short".to_owned()),
            _ => {}
        }
    }
}

/// `A1:C3` or `B7` as 0-based (row, column) corners.
fn parse_ref(reference: &str) -> Result<Dimensions, String> {
    let (start, end) = reference.split_once(':').unwrap_or((reference, reference));
    match (
        cell_position(start.as_bytes()),
        cell_position(end.as_bytes()),
    ) {
        (Some(start), Some(end)) => Ok(Dimensions { start, end }),
        _ => Err(format!(
            "merged cells: {reference:?} is not a cell or range such as A1:C3"
        )),
    }
}

/// `AB12` as 0-based (row, column); `None` for anything else, including overflow. Letters
/// may be lower case, as calamine and Excel accept them.
pub(super) fn cell_position(cell: &[u8]) -> Option<(u32, u32)> {
    let split = cell.iter().position(|b| !b.is_ascii_alphabetic())?;
    let (letters, digits) = cell.split_at(split);
    if letters.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let column = letters.iter().try_fold(0_u32, |acc, b| {
        acc.checked_mul(26)?
            .checked_add(u32::from(b.to_ascii_uppercase() - b'A') + 1)
    })?;
    let row: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, column - 1))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::io::Cursor;

    use super::*;

    fn region(start: (u32, u32), end: (u32, u32)) -> Dimensions {
        Dimensions { start, end }
    }

    fn scan(xml: &str, chunk: usize) -> Found {
        find_merge_list(Cursor::new(xml.as_bytes()), chunk).unwrap()
    }

    #[test]
    fn refs_become_zero_based_corners() {
        assert_eq!(parse_ref("A1"), Ok(region((0, 0), (0, 0))));
        assert_eq!(parse_ref("B7"), Ok(region((6, 1), (6, 1))));
        assert_eq!(parse_ref("AA10:AB12"), Ok(region((9, 26), (11, 27))));
        assert_eq!(parse_ref("aa10:ab12"), Ok(region((9, 26), (11, 27))));
        assert_eq!(
            parse_ref("XFD1048576"),
            Ok(region((1_048_575, 16_383), (1_048_575, 16_383)))
        );
        for bad in [
            "",
            "A",
            "7",
            "A0",
            "$A$1",
            "A1:",
            ":A1",
            "A1:B2:C3",
            "A 1",
            "A1B",
            "A99999999999",
            "ZZZZZZZZZZZZZZ1",
            "甲1",
        ] {
            let err = parse_ref(bad).unwrap_err();
            assert!(err.contains(&format!("{bad:?}")), "{bad:?}: {err}");
        }
    }

    #[test]
    fn finds_a_prefixed_list_cut_at_every_boundary() {
        let xml = r#"<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>mergeCells x:mergeCells &lt;mergeCells</x:t></x:is></x:c></x:row></x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A2:A3"/></x:mergeCells><x:pageMargins/></x:worksheet>"#;
        let at = xml.find("<x:mergeCells").unwrap();
        for chunk in 1..=xml.len() + 1 {
            let Found::List(tail) = scan(xml, chunk) else {
                panic!("chunk {chunk}: not found");
            };
            assert_eq!(tail, &xml.as_bytes()[at..], "chunk {chunk}");
            assert_eq!(parse_merge_list(&tail), Ok(vec![region((1, 0), (2, 0))]));
        }
    }

    #[test]
    fn ignores_the_name_outside_start_tags() {
        for xml in [
            "<worksheet><sheetData/></worksheet>",
            "mergeCells <worksheet a=\"mergeCells\"><t>x:mergeCells</t><mergeCellsX/></worksheet>",
            "<w><mergeCellsExtra/><:mergeCells/></mergeCells></w>",
        ] {
            for chunk in [1, 3, 11, CHUNK] {
                assert_eq!(scan(xml, chunk), Found::Absent, "{xml} / {chunk}");
            }
        }
    }

    #[test]
    fn leaves_what_it_cannot_read_to_calamine() {
        let long = format!("<w><{}:mergeCells/></w>", "p".repeat(MAX_PREFIX + 1));
        assert_eq!(scan(&long, 7), Found::Unsure);
        let fits = format!("<w><{}:mergeCells/></w>", "p".repeat(MAX_PREFIX));
        assert!(matches!(scan(&fits, 7), Found::List(_)));
        let utf16: Vec<u8> = "<w/>".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let found = find_merge_list(Cursor::new([[0xFF, 0xFE].as_slice(), &utf16].concat()), 7);
        assert_eq!(found.unwrap(), Found::Unsure);
        assert_eq!(
            find_merge_list(Cursor::new(utf16), 7).unwrap(),
            Found::Unsure
        );
    }

    #[test]
    fn merge_list_errors_name_the_problem() {
        let list = |xml: &str| parse_merge_list(xml.as_bytes());
        assert_eq!(list("<mergeCells/><mergeCell ref=\"A1\"/>"), Ok(vec![]));
        assert_eq!(
            list(
                "<mergeCells count=\"2\"><mergeCell ref=\"A1:B1\"></mergeCell><mergeCell/><mergeCell ref=\"C3\"/></mergeCells><x ref=\"nonsense\"/>"
            ),
            Ok(vec![region((0, 0), (0, 1)), region((2, 2), (2, 2))])
        );
        assert!(
            list("<mergeCells><mergeCell ref=\"A0\"/></mergeCells>")
                .unwrap_err()
                .contains("\"A0\"")
        );
        assert!(
            list("<mergeCells><mergeCell ref=\"A1\"/>")
                .unwrap_err()
                .contains("cut short")
        );
        assert!(list("<mergeCells><mergeCell ref=\"A1/></mergeCells>").is_err());
        assert!(parse_merge_list(b"<mergeCells><mergeCell ref=\"\xFF\"/></mergeCells>").is_err());
    }
}
