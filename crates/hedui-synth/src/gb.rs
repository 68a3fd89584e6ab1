//! GB18030 encoding with a per-character cache.
//!
//! `encoding_rs` encodes GB18030 by searching its index tables, which costs microseconds per
//! Chinese character. The exports use a few thousand distinct characters over millions of
//! cells, so each character is encoded once per chunk and then looked up.

use std::collections::HashMap;

use crate::error::SynthError;

/// A GB18030 encoder that remembers every character it has encoded.
#[derive(Debug, Default)]
pub(crate) struct Gb18030 {
    cache: HashMap<char, ([u8; 4], u8)>,
}

impl Gb18030 {
    /// Appends the GB18030 bytes of `text` to `out`.
    pub(crate) fn encode_into(&mut self, text: &str, out: &mut Vec<u8>) -> Result<(), SynthError> {
        out.reserve(text.len());
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c as u8);
                continue;
            }
            let (bytes, len) = match self.cache.get(&c) {
                Some(&hit) => hit,
                None => {
                    let mut utf8 = [0u8; 4];
                    let (encoded, _, unmappable) =
                        encoding_rs::GB18030.encode(c.encode_utf8(&mut utf8));
                    if unmappable || encoded.len() > 4 {
                        return Err(SynthError::Internal(format!(
                            "{c:?} is not encodable in GB18030"
                        )));
                    }
                    let mut bytes = [0u8; 4];
                    bytes[..encoded.len()].copy_from_slice(&encoded);
                    let entry = (bytes, encoded.len() as u8);
                    self.cache.insert(c, entry);
                    entry
                }
            };
            out.extend_from_slice(&bytes[..usize::from(len)]);
        }
        Ok(())
    }

    /// The GB18030 bytes of `text`.
    pub(crate) fn encode(&mut self, text: &str) -> Result<Vec<u8>, SynthError> {
        let mut out = Vec::with_capacity(text.len());
        self.encode_into(text, &mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_encoding_rs_and_round_trips() {
        let text = "云G12345,普通二轮摩托车,李文华,䶮㛃,\u{FFFD}?□\u{E005},阿布·沙玛•\r\n";
        let mut enc = Gb18030::default();
        let ours = enc.encode(text).unwrap();
        assert_eq!(ours, encoding_rs::GB18030.encode(text).0.into_owned());
        let (back, _, errors) = encoding_rs::GB18030.decode(&ours);
        assert!(!errors);
        assert_eq!(back, text);
    }
}
