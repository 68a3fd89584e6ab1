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
        None => (detect(&head, bom.map(|(e, _)| e)), true),
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
    if let Some(enc) = bom {
        return enc;
    }
    if is_utf8_allowing_cut(head) {
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
    fn utf8_cut_mid_character_is_still_utf8() {
        let text = "张三李四".as_bytes();
        assert!(is_utf8_allowing_cut(&text[..text.len() - 1]));
        assert!(!is_utf8_allowing_cut(&[0xC0, 0x41]));
    }
}
