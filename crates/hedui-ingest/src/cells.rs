//! The rows' raw cells, kept on disk instead of in memory.
//!
//! Every accepted row keeps its cells as read, for the evidence of the few rows that end
//! up in a candidate. Held in memory they were a seventh of a run's heap; a store writes
//! them to an unnamed temporary file as the rows are accepted, and the rows keep only
//! where they are ([`StoredCells`]).
//!
//! The file is created already unlinked where the system allows it (`O_TMPFILE` on
//! Linux), readable by its owner only, so it leaves nothing behind when the run ends or is
//! killed. It lives in the system's temporary folder (`TMPDIR`): where that is a RAM disk,
//! point `TMPDIR` at a disk, or the cells take the memory they were moved out of.

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use hedui_core::record::{RawRow, StoredCells};

use crate::error::IngestError;

/// An append-only file of packed rows, written by many threads and read back by offset.
#[derive(Debug)]
pub struct CellStore {
    file: File,
    /// The folder it was made in, for messages.
    dir: PathBuf,
    /// The end of what has been reserved so far: writers take disjoint ranges.
    end: AtomicU64,
}

impl CellStore {
    /// A store in the system's temporary folder.
    pub fn new() -> Result<Self, IngestError> {
        Self::new_in(&std::env::temp_dir())
    }

    /// A store in `dir`.
    pub fn new_in(dir: &Path) -> Result<Self, IngestError> {
        Self::create(dir).map_err(|source| IngestError::CellStore {
            dir: dir.to_owned(),
            source,
        })
    }

    fn create(dir: &Path) -> io::Result<Self> {
        let file = tempfile::tempfile_in(dir)?;
        // An unnamed file is made with the umask's mode; the cells are personal data.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(Self {
            file,
            dir: dir.to_owned(),
            end: AtomicU64::new(0),
        })
    }

    /// The folder the store's file is in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `source`, as the error of this store: naming its folder and the remedies.
    fn error(&self, source: io::Error) -> IngestError {
        IngestError::CellStore {
            dir: self.dir.clone(),
            source,
        }
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.end.load(Ordering::Relaxed)
    }

    /// Writes the held rows among `rows` with one write, and makes each of them a stored
    /// row. Rows already stored are left as they are. On an error no row is changed.
    pub fn keep<'a>(&self, rows: impl Iterator<Item = &'a mut RawRow>) -> Result<(), IngestError> {
        self.write(rows).map_err(|e| self.error(e))
    }

    fn write<'a>(&self, rows: impl Iterator<Item = &'a mut RawRow>) -> io::Result<()> {
        let mut rows: Vec<&mut RawRow> = rows.filter(|r| r.packed().is_some()).collect();
        let total: usize = rows
            .iter()
            .filter_map(|r| r.packed())
            .map(|(p, _)| p.len())
            .sum();
        if total == 0 {
            return Ok(());
        }
        let mut buffer = Vec::with_capacity(total);
        let mut places = Vec::with_capacity(rows.len());
        for row in &rows {
            if let Some((packed, text_len)) = row.packed() {
                let len = u32::try_from(packed.len()).map_err(|_| too_long(packed.len()))?;
                places.push((buffer.len() as u64, len, text_len));
                buffer.extend_from_slice(packed);
            }
        }
        let start = self.end.fetch_add(buffer.len() as u64, Ordering::Relaxed);
        write_all_at(&self.file, &buffer, start)?;
        for (row, (offset, len, text_len)) in rows.iter_mut().zip(places) {
            **row = RawRow::stored(StoredCells {
                at: start + offset,
                len,
                text_len,
            });
        }
        Ok(())
    }

    /// The row's cells: a held row as it is, a stored one read back from the file.
    pub fn load<'a>(&self, row: &'a RawRow) -> Result<Cow<'a, RawRow>, IngestError> {
        self.read(row).map_err(|e| self.error(e))
    }

    fn read<'a>(&self, row: &'a RawRow) -> io::Result<Cow<'a, RawRow>> {
        let Some(stored) = row.stored_at() else {
            return Ok(Cow::Borrowed(row));
        };
        let end = stored.at.saturating_add(u64::from(stored.len));
        if end > self.bytes() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "cells at {}..{end} lie past the store's end ({})",
                    stored.at,
                    self.bytes()
                ),
            ));
        }
        let mut packed = vec![0u8; stored.len as usize].into_boxed_slice();
        read_exact_at(&self.file, &mut packed, stored.at)?;
        RawRow::from_packed(packed, stored.text_len)
            .map(Cow::Owned)
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("the cells stored at {} are not a row", stored.at),
                )
            })
    }
}

fn too_long(len: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("a row of {len} bytes is too long to store"),
    )
}

#[cfg(unix)]
fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

// Windows has positioned reads and writes that may stop short; loop until done.
#[cfg(windows)]
fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_write(buf, offset)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => {
                buf = &buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_rows_read_back_as_written_from_several_threads() {
        let dir = tempfile::tempdir().unwrap();
        let store = CellStore::new_in(dir.path()).unwrap();
        let rows: Vec<Vec<RawRow>> = (0..8)
            .map(|t| {
                (0..50)
                    .map(|i| {
                        RawRow::new(&[format!("云G{t}{i:04}"), "张三".repeat(i % 4), String::new()])
                    })
                    .collect()
            })
            .collect();
        let mut stored = rows.clone();
        std::thread::scope(|s| {
            for batch in &mut stored {
                let store = &store;
                s.spawn(move || store.keep(batch.iter_mut()).unwrap());
            }
        });
        for (batch, original) in stored.iter().zip(&rows) {
            for (row, original) in batch.iter().zip(original) {
                assert!(row.stored_at().is_some(), "{row:?}");
                assert_eq!(&*store.load(row).unwrap(), original);
            }
        }
        let bytes: usize = rows
            .iter()
            .flatten()
            .map(|r| r.packed().unwrap().0.len())
            .sum();
        assert_eq!(store.bytes(), bytes as u64);
        // Nothing is left in the folder: the file has no name.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_held_row_is_lent_and_a_stored_one_past_the_end_refused() {
        let store = CellStore::new().unwrap();
        let held = RawRow::new(&["a", "b"]);
        assert!(matches!(store.load(&held).unwrap(), Cow::Borrowed(_)));
        let nowhere = RawRow::stored(StoredCells {
            at: 0,
            len: 10,
            text_len: 2,
        });
        let err = store.load(&nowhere).unwrap_err();
        assert!(err.to_string().contains("past the store's end"), "{err}");
        // Storing a stored row again changes nothing and writes nothing.
        let mut again = [nowhere.clone()];
        store.keep(again.iter_mut()).unwrap();
        assert_eq!(again[0], nowhere);
        assert_eq!(store.bytes(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_the_owners_only() {
        use std::os::unix::fs::PermissionsExt;
        let store = CellStore::new().unwrap();
        let mode = store.file.metadata().unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
}
