//! The store's schema and its migrations.
//!
//! Each migration is one SQL batch; the database's `user_version` says how many have run.
//! A store with a higher version than this hedui knows was written by a newer hedui and is
//! refused rather than read wrongly.

use std::path::Path;

use rusqlite::Connection;

use crate::{StoreError, sqlite};

/// Migrations in order; the schema version is their count.
const MIGRATIONS: &[&str] = &[
    // 1: runs, cases with their versions, append-only decisions.
    "CREATE TABLE runs (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         run_id TEXT NOT NULL,
         out_dir TEXT NOT NULL,
         started_at TEXT NOT NULL,
         finished_at TEXT,
         outcome TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed', 'interrupted')),
         manifest TEXT
     );
     CREATE TABLE cases (
         candidate_id TEXT PRIMARY KEY,
         household_id TEXT NOT NULL,
         rule TEXT NOT NULL,
         department TEXT NOT NULL,
         record_key TEXT NOT NULL,
         member_id TEXT NOT NULL,
         county TEXT NOT NULL,
         band TEXT NOT NULL,
         evidence_hash TEXT NOT NULL,
         first_run INTEGER NOT NULL REFERENCES runs (seq),
         last_run INTEGER NOT NULL REFERENCES runs (seq)
     );
     CREATE TABLE case_versions (
         candidate_id TEXT NOT NULL REFERENCES cases (candidate_id),
         run INTEGER NOT NULL REFERENCES runs (seq),
         band TEXT NOT NULL,
         evidence_hash TEXT NOT NULL,
         PRIMARY KEY (candidate_id, run)
     );
     CREATE TABLE decisions (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         candidate_id TEXT NOT NULL REFERENCES cases (candidate_id),
         decision TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed', 'needs_visit')),
         reviewer TEXT NOT NULL CHECK (length(trim(reviewer)) > 0),
         decided_at TEXT NOT NULL,
         reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
         evidence_hash TEXT NOT NULL
     );
     CREATE INDEX decisions_by_case ON decisions (candidate_id, id);
     CREATE TRIGGER decisions_are_never_updated BEFORE UPDATE ON decisions
         BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
     CREATE TRIGGER decisions_are_never_deleted BEFORE DELETE ON decisions
         BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;",
];

/// The schema version this hedui writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Sets the connection up (WAL, foreign keys) and runs the migrations it lacks.
pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    // WAL: a reader (`review list`) never blocks the nightly run's writes.
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(sqlite(path))?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(sqlite(path))?;
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(sqlite(path))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path.to_owned(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let tx = conn.transaction().map_err(sqlite(path))?;
        tx.execute_batch(sql).map_err(sqlite(path))?;
        tx.pragma_update(None, "user_version", i as i64 + 1)
            .map_err(sqlite(path))?;
        tx.commit().map_err(sqlite(path))?;
    }
    Ok(())
}
