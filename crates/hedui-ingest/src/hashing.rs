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

/// A 128-bit fingerprint of a row's cells. 128 bits make an accidental collision between
/// two different rows of one run negligible, so equal fingerprints are treated as equal rows.
pub(crate) fn row_fingerprint<S: AsRef<str>>(cells: &[S]) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for cell in cells {
        hasher.update(cell.as_ref().as_bytes());
        // A separator that cannot occur in decoded text keeps ["ab","c"] apart from ["a","bc"].
        hasher.update(&[0xff]);
    }
    hasher.digest128()
}
