//! Chunked reading must give exactly what reading the file as one piece gives: the same
//! records, lines and blank-line gaps, whatever the chunk size and wherever the cuts fall
//! (inside quoted line breaks, between `\r` and `\n`, inside GB18030 characters).
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;

use super::chunks::{Chunker, QuoteScanner};
use super::records::{Found, each_record};

/// `(line, cells)` of every record and `(line, [])` of every blank line, in order, read
/// chunk by chunk the way the source reader does, joining chunks as it does.
fn read_all(
    bytes: &[u8],
    encoding: &'static encoding_rs::Encoding,
    chunk: usize,
) -> Vec<(u64, Vec<String>)> {
    let mut chunker = Chunker::new(bytes, encoding, b',', chunk);
    let mut out = Vec::new();
    let mut next_line = 1;
    while let Some(c) = chunker.next_chunk() {
        let c = c.unwrap();
        let mut rows = Vec::new();
        let span = each_record(&c.text, c.first_line, b',', None, |found| match found {
            Found::Row { line, cells, .. } => {
                rows.push((line, cells.iter().map(|s| (*s).to_owned()).collect()));
            }
            Found::Reject(r) => rows.push((r.line, Vec::new())),
        });
        if let Some(first) = span.first_record {
            out.extend((next_line..first).map(|l| (l, Vec::new())));
        }
        out.extend(rows);
        next_line = span.next_line.unwrap_or(next_line);
    }
    out
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c云陳]{0,4}",
        Just(String::new()),
        Just("\"q,\nx\"".to_owned()),
        Just("\"a\"\"b\"".to_owned()),
        Just("\"\r\n\"".to_owned()),
        Just("x\"y".to_owned()),
        Just("\"open".to_owned()),
        Just("\"\"".to_owned()),
        Just("𠀀".to_owned()),
    ]
}

fn text() -> impl Strategy<Value = String> {
    let line = prop::collection::vec(cell(), 0..5).prop_map(|c| c.join(","));
    let newline = prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("\n\n")];
    prop::collection::vec((line, newline), 0..25).prop_map(|rows| {
        rows.into_iter()
            .map(|(l, n)| format!("{l}{n}"))
            .collect::<String>()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn chunked_equals_whole(text in text(), chunk in 1usize..40, gb: bool) {
        let encoding = if gb { encoding_rs::GB18030 } else { encoding_rs::UTF_8 };
        let (bytes, _, _) = encoding.encode(&text);
        let whole = read_all(&bytes, encoding, usize::MAX);
        prop_assert_eq!(read_all(&bytes, encoding, chunk), whole);
    }

    #[test]
    fn the_quote_jumping_scan_is_the_bytewise_one(
        text in text(),
        splits in prop::collection::vec(0usize..200, 0..6),
        delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t'), Just(b'|')],
    ) {
        // Same cuts and same carried state, wherever the blocks of one file end.
        let text = if delimiter == b',' { text } else { text.replace(',', &(delimiter as char).to_string()) };
        let bytes = text.as_bytes();
        let mut bounds: Vec<usize> = splits.into_iter().map(|s| s.min(bytes.len())).collect();
        bounds.extend([0, bytes.len()]);
        bounds.sort_unstable();
        let (mut fast, mut plain) = (QuoteScanner::new(delimiter), QuoteScanner::new(delimiter));
        for block in bounds.windows(2) {
            let block = &bytes[block[0]..block[1]];
            prop_assert_eq!(fast.scan(block), plain.scan_bytewise(block));
        }
        // The carried state shows in the next block's cuts.
        let probe = b"\"x\n\n\"\n";
        prop_assert_eq!(fast.scan(probe), plain.scan_bytewise(probe));
    }

    #[test]
    fn cuts_only_where_the_parser_ends_a_record(text in text()) {
        // Every cut the scanner offers must leave csv_core at the start of a record: the
        // text after the cut parses to the records the whole text has after that point.
        let mut scanner = QuoteScanner::new(b',');
        let bytes = text.as_bytes();
        let mut cuts = Vec::new();
        for i in 0..bytes.len() {
            if scanner.scan(&bytes[i..=i]).is_some() {
                cuts.push(i + 1);
            }
        }
        let records = |t: &[u8]| -> Vec<csv::ByteRecord> {
            csv::ReaderBuilder::new().has_headers(false).flexible(true)
                .from_reader(t).byte_records().map(Result::unwrap).collect()
        };
        let all = records(bytes);
        for cut in cuts {
            let tail = records(&bytes[cut..]);
            prop_assert!(all.ends_with(&tail), "cut at {cut}");
            let head = records(&bytes[..cut]);
            prop_assert_eq!(head.len() + tail.len(), all.len(), "cut at {}", cut);
        }
    }
}

#[test]
fn records_split_across_chunk_boundaries_keep_their_lines() {
    let text = "h1,h2\r\na,\"x\ny\"\r\n\r\nb,c\nd,e";
    for chunk in 1..text.len() + 2 {
        let rows = read_all(text.as_bytes(), encoding_rs::UTF_8, chunk);
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 4, 5, 6], "chunk {chunk}");
        assert_eq!(rows[1].1, ["a", "x\ny"]);
        assert!(rows[2].1.is_empty());
    }
}

#[test]
fn gb18030_characters_cut_mid_read_decode_whole() {
    let text = "甲,乙\n陳小明,𠀀\n".repeat(50);
    let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
    // Odd read sizes fall inside two- and four-byte characters.
    let reader = std::io::Read::chain(&bytes[..7], &bytes[7..]);
    let mut chunker = Chunker::new(reader, encoding_rs::GB18030, b',', 5);
    let mut joined = String::new();
    while let Some(c) = chunker.next_chunk() {
        joined.push_str(&c.unwrap().text);
    }
    assert_eq!(joined, text);
}

#[test]
fn a_bom_overrides_the_encoding_and_is_dropped() {
    let bytes = "\u{feff}姓名,身份证号\n张三,1\n".as_bytes();
    let rows = read_all(bytes, encoding_rs::GB18030, 3);
    assert_eq!(rows[0], (1, vec!["姓名".to_owned(), "身份证号".to_owned()]));
}

/// `(line, cells)` of rows and `(line, ["!reason: raw"])` of rejects, read in one piece with
/// the header's width known.
fn read_with_width(text: &str, width: usize) -> Vec<(u64, Vec<String>)> {
    let mut out = Vec::new();
    each_record(text, 1, b',', Some(width), |found| match found {
        Found::Row { line, cells, .. } => {
            out.push((line, cells.iter().map(|s| (*s).to_owned()).collect()));
        }
        Found::Reject(r) => out.push((r.line, vec![format!("!{}: {}", r.reason.code(), r.raw)])),
    });
    out
}

fn row(line: u64, cells: &[&str]) -> (u64, Vec<String>) {
    (line, cells.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn a_stray_quote_costs_its_own_line_only() {
    // Never closed: without recovery the rest of the file is one field.
    let text = "a,b,c\n1,\"王秀英,3\n4,5,6\n\n7,8,9\n";
    assert_eq!(
        read_with_width(text, 3),
        vec![
            row(1, &["a", "b", "c"]),
            row(2, &["!unreadable: 1,\"王秀英,3"]),
            row(3, &["4", "5", "6"]),
            row(4, &["!empty_row: "]),
            row(5, &["7", "8", "9"]),
        ]
    );
    // Closed by the opening quote of a later, well-formed quoted cell.
    let text = "1,\"x,3\r\n4,5,6\r\n7,\"抵押,违法未处理\",9\r\n10,11,12\r\n";
    assert_eq!(
        read_with_width(text, 3),
        vec![
            row(1, &["!unreadable: 1,\"x,3"]),
            row(2, &["4", "5", "6"]),
            row(3, &["7", "抵押,违法未处理", "9"]),
            row(4, &["10", "11", "12"]),
        ]
    );
}

#[test]
fn well_formed_cells_with_line_breaks_are_kept_whole() {
    let text = "1,\"云南省\n绿春县\",3\n4,5,6\n";
    assert_eq!(
        read_with_width(text, 3),
        vec![
            row(1, &["1", "云南省\n绿春县", "3"]),
            row(3, &["4", "5", "6"])
        ]
    );
    // A runaway whose field count happens to fit is still caught by its length.
    let mut text = "1,\"x,3\n".to_owned();
    for i in 0..100 {
        text.push_str(&format!("{i},{i},{i}\n"));
    }
    text.push_str("\",y\n");
    let rows = read_with_width(&text, 3);
    assert_eq!(rows[0], row(1, &["!unreadable: 1,\"x,3"]));
    assert_eq!(rows[1], row(2, &["0", "0", "0"]));
    assert_eq!(rows.len(), 102, "every line is one row or one reject");
}

#[test]
fn lines_ended_by_a_lone_carriage_return_are_counted() {
    // Old Mac files end lines with `\r` alone; some files mix all three endings.
    let text = "h1,h2\ra,b\r\rc,d\r\ne,f\ng,h\r";
    for chunk in 1..text.len() + 2 {
        let rows = read_all(text.as_bytes(), encoding_rs::UTF_8, chunk);
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 6], "chunk {chunk}");
        assert!(rows[2].1.is_empty(), "line 3 is blank");
        assert_eq!(rows[5].1, ["g", "h"]);
    }
}

#[test]
fn a_dropped_chunks_buffer_goes_back_to_its_chunker() {
    let text = "a,b\n".repeat(200);
    let mut chunker = Chunker::new(text.as_bytes(), encoding_rs::UTF_8, b',', 64);
    let first = chunker.next_chunk().unwrap().unwrap();
    let second = chunker.next_chunk().unwrap().unwrap();
    assert!(chunker.take_spare().is_none());
    let (buffer, capacity) = (second.text.as_ptr(), second.text.capacity());
    drop(second);
    let spare = chunker.take_spare().expect("the dropped chunk's buffer");
    assert_eq!((spare.as_ptr(), spare.capacity()), (buffer, capacity));
    assert!(spare.is_empty());
    // Chunks go on whole after a buffer came back and went out again.
    drop(first);
    let rest: String = std::iter::from_fn(|| chunker.next_chunk())
        .map(|c| c.unwrap().text.clone())
        .collect();
    assert!(rest.starts_with("a,b\n") && rest.ends_with("a,b\n"));
}
