//! Text encodings of CSV exports: detection and a streaming decoder.
//!
//! Windows-era systems export GB18030/GBK; newer ones UTF-8, often with a byte-order mark.
//! Detection looks at the head of the file only; decoding streams in chunks (see
//! `csv_reader`), so a multi-gigabyte GB18030 export never has to fit in memory.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use encoding_rs::Encoding;

use crate::error::IngestError;
use crate::table::EncodingUsed;

/// How much of the file detection reads.
const SAMPLE_BYTES: usize = 256 * 1024;

/// What was decided about a CSV file's encoding.
pub(crate) struct DecodedFile {
    /// Decodes the file; a byte-order mark, if any, overrides it (see `Chunker`).
    pub encoding_rs: &'static Encoding,
    pub encoding: EncodingUsed,
    /// The decoded head of the file, for delimiter sniffing.
    pub sample: String,
    /// How many bytes of the file `sample` holds.
    pub sample_bytes: usize,
}

/// Opens `path` for decoding, using `configured` if given, else detection.
pub(crate) fn open_decoded(
    path: &Path,
    configured: Option<&str>,
) -> Result<DecodedFile, IngestError> {
    let io = |e| IngestError::io(path, e);
    let mut head = Vec::with_capacity(SAMPLE_BYTES);
    File::open(path)
        .map_err(io)?
        .take(SAMPLE_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    let bom = Encoding::for_bom(&head);
    let (encoding, detected) = match configured {
        Some(label) => {
            let enc = Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                IngestError::UnknownEncoding {
                    path: path.to_owned(),
                    name: label.to_owned(),
                }
            })?;
            (enc, false)
        }
        None => {
            let guess = detect(&head, bom.map(|(e, _)| e));
            let whole_file_checked = bom.is_none() && guess == encoding_rs::UTF_8;
            if whole_file_checked && !utf8_to_the_end(path).map_err(io)? && head.is_ascii() {
                // An ASCII head says nothing; the bytes that are not UTF-8 further on are
                // the file's real encoding (a GBK export whose first rows are pinyin or
                // numbers). A head with UTF-8 text in it is UTF-8 with some bad rows, which
                // are quarantined (see `csv_reader::UNDECODABLE`), not guessed at.
                (encoding_rs::GB18030, true)
            } else {
                (guess, true)
            }
        }
    };
    // GBK exports can hold GB18030-only characters (rare names); GB18030 is a superset.
    let encoding = if encoding == encoding_rs::GBK {
        encoding_rs::GB18030
    } else {
        encoding
    };
    let bom_len = bom.map_or(0, |(_, len)| len);
    let (sample, _) = encoding.decode_without_bom_handling(&head[bom_len..]);
    Ok(DecodedFile {
        encoding_rs: encoding,
        encoding: EncodingUsed {
            name: encoding.name().to_owned(),
            had_bom: bom.is_some(),
            detected,
        },
        sample: sample.into_owned(),
        sample_bytes: head.len(),
    })
}

/// A BOM decides; valid UTF-8 is UTF-8; anything else is guessed with a Chinese bias,
/// since every department that sends us files is in mainland China.
fn detect(head: &[u8], bom: Option<&'static Encoding>) -> &'static Encoding {
    if let Some(enc) = bom.or_else(|| utf16_without_bom(head)) {
        return enc;
    }
    if is_utf8_allowing_cut(head) || mostly_utf8(head) {
        return encoding_rs::UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, head.len() < SAMPLE_BYTES);
    let guess = detector.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    // Legacy single-byte guesses on Chinese data are wrong far more often than right.
    if guess == encoding_rs::BIG5 || guess == encoding_rs::GBK || guess.is_single_byte() {
        encoding_rs::GB18030
    } else {
        guess
    }
}

/// Whether the whole file is valid UTF-8: the head may be, while a row far down is GBK.
/// Read in blocks, so a large file is never held at once.
fn utf8_to_the_end(path: &Path) -> std::io::Result<bool> {
    let mut file = File::open(path)?;
    let mut block = vec![0u8; 1 << 20];
    // Bytes of a character cut off at the end of the previous block.
    let mut pending: Vec<u8> = Vec::new();
    loop {
        let n = file.read(&mut block)?;
        if n == 0 {
            return Ok(pending.is_empty());
        }
        pending.extend_from_slice(&block[..n]);
        match simdutf8::compat::from_utf8(&pending) {
            Ok(_) => pending.clear(),
            Err(e) if e.error_len().is_some() => return Ok(false),
            Err(e) => {
                pending.drain(..e.valid_up_to());
            }
        }
    }
}

/// UTF-16 without a byte-order mark (Excel's "Unicode text" saved by some tools): ASCII
/// characters leave a zero byte in every other position, which UTF-8 text never has.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len() / 2;
    if pairs < 8 {
        return None;
    }
    let zeros_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 3 > pairs && even * 20 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 3 > pairs && odd * 20 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// UTF-8 text with a few rows in another encoding (a GBK row appended to a UTF-8 export):
/// far more well-formed multi-byte characters than malformed sequences. GBK text read as
/// UTF-8 forms a valid sequence only now and then (about one character in seven), so it
/// never passes a ratio of three to one.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        let (valid, skip) = match std::str::from_utf8(rest) {
            Ok(text) => (text, None),
            Err(e) => {
                let valid = std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default();
                (
                    valid,
                    Some(e.valid_up_to() + e.error_len().unwrap_or(rest.len())),
                )
            }
        };
        good += valid.chars().filter(|c| !c.is_ascii()).count();
        match skip {
            Some(at) if at < rest.len() => {
                bad += 1;
                rest = &rest[at..];
            }
            Some(_) => {
                bad += 1;
                break;
            }
            None => break,
        }
    }
    good > 3 * bad
}

/// UTF-8 validity, tolerating a multi-byte character cut off by the sample boundary.
fn is_utf8_allowing_cut(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_utf8_bom_and_gb18030() {
        assert_eq!(detect("姓名,身份证号".as_bytes(), None), encoding_rs::UTF_8);
        let (gb, _, _) =
            encoding_rs::GB18030.encode("机动车所有人,身份证明号码,号牌号码\n张三,1,云G12345\n");
        assert_eq!(detect(&gb, None), encoding_rs::GB18030);
        let bom = [0xEF, 0xBB, 0xBF, b'a'];
        assert_eq!(
            Encoding::for_bom(&bom).map(|(e, _)| e),
            Some(encoding_rs::UTF_8)
        );
    }

    #[test]
    fn utf16_without_a_bom_is_recognised_by_its_zero_bytes() {
        let text = "号牌号码,所有人\nABC123,张三\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(detect(&le, None), encoding_rs::UTF_16LE);
        assert_eq!(detect(&be, None), encoding_rs::UTF_16BE);
        assert_eq!(detect(text.as_bytes(), None), encoding_rs::UTF_8);
    }

    #[test]
    fn a_late_legacy_row_decides_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let (gbk, _, _) = encoding_rs::GB18030.encode("李四,92530000MA000000X1\n");
        // An ASCII head far longer than the sample, then one GBK row: GB18030.
        let mut ascii_then_gbk = "name,code\n".as_bytes().to_vec();
        while ascii_then_gbk.len() < SAMPLE_BYTES + 1000 {
            ascii_then_gbk.extend_from_slice(b"zhang san,92530000MA000000X1\n");
        }
        ascii_then_gbk.extend_from_slice(&gbk);
        let path = dir.path().join("late.csv");
        std::fs::write(&path, &ascii_then_gbk).unwrap();
        assert_eq!(
            open_decoded(&path, None).unwrap().encoding_rs,
            encoding_rs::GB18030
        );
        // UTF-8 text in the head: UTF-8, and the GBK row is left to be quarantined.
        let mut utf8_then_gbk = "姓名,代码\n".repeat(SAMPLE_BYTES / 10).into_bytes();
        utf8_then_gbk.extend_from_slice(&gbk);
        std::fs::write(&path, &utf8_then_gbk).unwrap();
        assert_eq!(
            open_decoded(&path, None).unwrap().encoding_rs,
            encoding_rs::UTF_8
        );
        // All UTF-8: still UTF-8, with a character cut at every block boundary somewhere.
        std::fs::write(&path, "张".repeat((1 << 20) / 3 + 7)).unwrap();
        assert!(utf8_to_the_end(&path).unwrap());
    }

    #[test]
    fn utf8_with_a_stray_gbk_row_is_utf8_and_gbk_is_not() {
        let (gbk, _, _) = encoding_rs::GB18030.encode("王五,小型轿车,正常\n");
        let mut mixed = "号牌号码,车辆类型,机动车状态\n张三,小型轿车,正常\n"
            .repeat(5)
            .into_bytes();
        mixed.extend_from_slice(&gbk);
        assert_eq!(detect(&mixed, None), encoding_rs::UTF_8);
        let text = "号牌号码,车辆类型,机动车状态\n张三,小型轿车,正常\n".repeat(5);
        let (all_gbk, _, _) = encoding_rs::GB18030.encode(&text);
        assert_eq!(detect(&all_gbk, None), encoding_rs::GB18030);
    }

    #[test]
    fn utf8_cut_mid_character_is_still_utf8() {
        let text = "张三李四".as_bytes();
        assert!(is_utf8_allowing_cut(&text[..text.len() - 1]));
        assert!(!is_utf8_allowing_cut(&[0xC0, 0x41]));
    }
}
