//! Content hashes: of whole files for provenance, of rows for duplicate detection.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::error::IngestError;

/// SHA-256 of a file, lowercase hex, read in blocks so large exports stay out of memory.
pub(crate) fn sha256_file(path: &Path) -> Result<String, IngestError> {
    let mut file = std::fs::File::open(path).map_err(|e| IngestError::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(|e| IngestError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// A 128-bit fingerprint of several cells: a row's, or the cells a memo remembers a value
/// by. 128 bits make an accidental collision between two different rows of one run
/// negligible, so equal fingerprints are treated as equal cells. Lengths first, so that
/// `["ab", "c"]` and `["a", "bc"]` differ; fed piece by piece, so that nothing is
/// allocated to be hashed.
pub(crate) fn row_fingerprint<S: AsRef<str>>(cells: &[S]) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for cell in cells {
        hasher.update(&(cell.as_ref().len() as u64).to_le_bytes());
    }
    for cell in cells {
        hasher.update(cell.as_ref().as_bytes());
    }
    hasher.digest128()
}

/// A fingerprint as a hash-table key: two `u64` halves, since a `u128` key aligns every
/// entry to 16 bytes (48 bytes an entry in a thread's table of names, not 40).
pub(crate) fn table_key(fingerprint: u128) -> (u64, u64) {
    ((fingerprint >> 64) as u64, fingerprint as u64)
}

/// [`row_fingerprint`] for cells that lie end to end in `joined`, as a delimited record's
/// fields do: one pass over the text, seeded by the cells' lengths, instead of two hasher
/// updates per cell. Equal fingerprints again mean equal cells: the lengths tell where the
/// text is cut. Only rows of one file are compared, so the two functions need not agree.
pub(crate) fn joined_fingerprint(joined: &str, cells: &[&str]) -> u128 {
    const MOST_CELLS: usize = 128;
    if cells.len() > MOST_CELLS {
        return row_fingerprint(cells);
    }
    debug_assert_eq!(cells.iter().map(|c| c.len()).sum::<usize>(), joined.len());
    let mut lengths = [0u8; 4 * MOST_CELLS];
    for (slot, cell) in lengths.chunks_exact_mut(4).zip(cells) {
        slot.copy_from_slice(&u32::try_from(cell.len()).unwrap_or(u32::MAX).to_le_bytes());
    }
    let seed = xxhash_rust::xxh3::xxh3_64(&lengths[..4 * cells.len()]);
    xxhash_rust::xxh3::xxh3_128_with_seed(joined.as_bytes(), seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_fingerprints_tell_cells_apart_where_the_text_is_the_same() {
        let fp = |cells: &[&str]| joined_fingerprint(&cells.concat(), cells);
        assert_eq!(fp(&["云G12345", "张三", ""]), fp(&["云G12345", "张三", ""]));
        assert_ne!(fp(&["ab", "c"]), fp(&["a", "bc"]));
        assert_ne!(fp(&["ab", "c"]), fp(&["abc"]));
        assert_ne!(fp(&["a", ""]), fp(&["", "a"]));
        assert_ne!(fp(&["a", ""]), fp(&["a"]));
        let many: Vec<String> = (0..200).map(|i| i.to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(fp(&many), row_fingerprint(&many), "long rows fall back");
    }
}
