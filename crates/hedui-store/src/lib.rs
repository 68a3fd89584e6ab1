//! The case store: every run, every case it proposed, and what reviewers decided.
//!
//! Verification is a loop: propose, review, decide, remember. The store remembers, in one
//! embedded SQLite file beside the run configuration, so that a case a person dismissed is
//! not proposed as work again, and one whose evidence changed is.
//!
//! - A **case** is a `candidate_id` (household, rule, record, member), as in every output.
//! - Each run's version of a case has an **evidence hash**: it changes when the source row,
//!   the match or the rule's values change.
//! - A **decision** (`confirmed`, `dismissed`, `needs_visit`) is made on one evidence hash,
//!   by a named reviewer with a reason. Decisions are append-only: the schema refuses any
//!   update or delete of one.
//!
//! The store is an index of the run folders, not the only copy of anything but decisions.
//! It takes plain data (ids, hashes, times as text) and knows no other hedui crate.

mod schema;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use strum_macros::IntoStaticStr;

pub use hedui_core::{CaseStatus, Decision};
pub use schema::SCHEMA_VERSION;

/// Why the store could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Written by a newer hedui, whose schema this one does not know.
    #[error(
        "{}: the store has schema version {found}, written by a newer hedui; this hedui knows \
         versions up to {known}. Use the newer hedui, or restore a backup",
        path.display()
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// A decision on a case the store has never seen.
    #[error("no case {0} in the store: decide on a candidate_id from a run's candidates.csv")]
    UnknownCase(String),
    #[error("{0}")]
    Invalid(String),
}

/// A decision to record, from a worksheet or the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDecision {
    pub candidate_id: String,
    pub decision: Decision,
    pub reviewer: String,
    pub reason: String,
    pub decided_at: String,
    /// The case version decided on; the case's latest when `None`.
    pub evidence_hash: Option<String>,
}

/// One case of a run, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseVersion {
    pub candidate_id: String,
    pub household_id: String,
    pub rule: String,
    pub department: String,
    pub record_key: String,
    pub member_id: String,
    pub county: String,
    /// `candidate` or `review`, as the run wrote it.
    pub band: String,
    pub evidence_hash: String,
}

/// A case with its latest version and status, for `review list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseRow {
    #[serde(flatten)]
    pub case: CaseVersion,
    pub status: CaseStatus,
    /// The store's sequence numbers of the first and the last run that proposed it.
    pub first_run: i64,
    pub last_run: i64,
}

/// One decision, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionRow {
    pub id: i64,
    pub candidate_id: String,
    pub decision: Decision,
    pub reviewer: String,
    pub decided_at: String,
    pub reason: String,
    pub evidence_hash: String,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, IntoStaticStr, Deserialize)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum RunOutcome {
    Running,
    Ok,
    Failed,
    /// Started and never finished: killed, or the machine stopped.
    Interrupted,
}

/// One run, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRow {
    pub seq: i64,
    pub run_id: String,
    pub out_dir: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub outcome: RunOutcome,
}

/// The store, open.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the store at `path`, creating it (owner-only: it holds identity numbers) and
    /// bringing its schema up to date. A store of a newer schema is refused.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if !path.exists() {
            create_owner_only(path)?;
        }
        let conn = Connection::open(path).map_err(sqlite(path))?;
        let mut store = Store {
            conn,
            path: path.to_owned(),
        };
        schema::migrate(&mut store.conn, path)?;
        Ok(store)
    }

    /// The store's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records the start of a run and returns its sequence number. Runs left `running` by
    /// a process that never finished them are marked interrupted first: only one run at a
    /// time writes to a store.
    pub fn begin_run(
        &mut self,
        run_id: &str,
        out_dir: &str,
        started_at: &str,
    ) -> Result<i64, StoreError> {
        let tx = self.conn.transaction().map_err(sqlite(&self.path))?;
        tx.execute(
            "UPDATE runs SET outcome = 'interrupted' WHERE outcome = 'running'",
            [],
        )
        .map_err(sqlite(&self.path))?;
        tx.execute(
            "INSERT INTO runs (run_id, out_dir, started_at, outcome) VALUES (?1, ?2, ?3, 'running')",
            params![run_id, out_dir, started_at],
        )
        .map_err(sqlite(&self.path))?;
        let seq = tx.last_insert_rowid();
        tx.commit().map_err(sqlite(&self.path))?;
        Ok(seq)
    }

    /// Names a run once its inputs are read: the run id derives from their hashes, which are
    /// not known when the run starts.
    pub fn name_run(&mut self, seq: i64, run_id: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE runs SET run_id = ?2 WHERE seq = ?1",
                params![seq, run_id],
            )
            .map_err(sqlite(&self.path))?;
        Ok(())
    }

    /// The status each case would have in a run with these evidence hashes, in order.
    pub fn statuses(&self, cases: &[(&str, &str)]) -> Result<Vec<CaseStatus>, StoreError> {
        cases
            .iter()
            .map(|(id, hash)| Ok(self.standing(id, hash)?.0))
            .collect()
    }

    /// A case's status with evidence `hash`, and every decision on it (oldest first): one
    /// read of its history serves both.
    pub fn standing(
        &self,
        candidate_id: &str,
        hash: &str,
    ) -> Result<(CaseStatus, Vec<DecisionRow>), StoreError> {
        let seen = self.knows(candidate_id, None)?;
        let history = self.history(candidate_id)?;
        let last = history
            .last()
            .map(|d| (d.decision, d.evidence_hash.as_str()));
        let status = CaseStatus::of(seen, last, hash);
        Ok((status, history))
    }

    /// Records a finished run and every case it proposed, in one transaction.
    pub fn finish_run(
        &mut self,
        seq: i64,
        finished_at: &str,
        manifest: &str,
        cases: &[CaseVersion],
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(sqlite(&path))?;
        {
            let mut upsert = tx
                .prepare(
                    "INSERT INTO cases (candidate_id, household_id, rule, department, record_key,
                         member_id, county, band, evidence_hash, first_run, last_run)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
                     ON CONFLICT (candidate_id) DO UPDATE SET
                         band = excluded.band, evidence_hash = excluded.evidence_hash,
                         county = excluded.county, last_run = excluded.last_run",
                )
                .map_err(sqlite(&path))?;
            let mut version = tx
                .prepare(
                    "INSERT OR REPLACE INTO case_versions (candidate_id, run, band, evidence_hash)
                     VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(sqlite(&path))?;
            for c in cases {
                upsert
                    .execute(params![
                        c.candidate_id,
                        c.household_id,
                        c.rule,
                        c.department,
                        c.record_key,
                        c.member_id,
                        c.county,
                        c.band,
                        c.evidence_hash,
                        seq
                    ])
                    .map_err(sqlite(&path))?;
                version
                    .execute(params![c.candidate_id, seq, c.band, c.evidence_hash])
                    .map_err(sqlite(&path))?;
            }
        }
        let updated = tx
            .execute(
                "UPDATE runs SET outcome = 'ok', finished_at = ?2, manifest = ?3
                 WHERE seq = ?1 AND outcome = 'running'",
                params![seq, finished_at, manifest],
            )
            .map_err(sqlite(&path))?;
        if updated != 1 {
            return Err(StoreError::Invalid(format!(
                "run {seq} is not running: it was finished or marked interrupted meanwhile"
            )));
        }
        tx.commit().map_err(sqlite(&path))
    }

    /// Records where a finished run's folder went when it was moved into place after the
    /// run (the nightly cycle's dated folder), so `verify` reads the right one.
    pub fn relocate_run(&mut self, seq: i64, out_dir: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE runs SET out_dir = ?2 WHERE seq = ?1",
                params![seq, out_dir],
            )
            .map_err(sqlite(&self.path))?;
        Ok(())
    }

    /// Marks every run still `running` as interrupted, for a service that gives up on a
    /// cycle; returns how many.
    pub fn interrupt_running(&mut self, finished_at: &str) -> Result<usize, StoreError> {
        self.conn
            .execute(
                "UPDATE runs SET outcome = 'interrupted', finished_at = ?1
                 WHERE outcome = 'running'",
                params![finished_at],
            )
            .map_err(sqlite(&self.path))
    }

    /// Records that a run stopped with an error.
    pub fn fail_run(&mut self, seq: i64, finished_at: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE runs SET outcome = 'failed', finished_at = ?2
                 WHERE seq = ?1 AND outcome = 'running'",
                params![seq, finished_at],
            )
            .map_err(sqlite(&self.path))?;
        Ok(())
    }

    /// Appends a decision on the case's latest evidence. A blank reviewer or reason is
    /// refused: an audit must be able to ask who decided and why.
    pub fn decide(
        &mut self,
        candidate_id: &str,
        decision: Decision,
        reviewer: &str,
        reason: &str,
        decided_at: &str,
    ) -> Result<DecisionRow, StoreError> {
        if reviewer.trim().is_empty() {
            return Err(StoreError::Invalid("a decision needs a reviewer".into()));
        }
        if reason.trim().is_empty() {
            return Err(StoreError::Invalid("a decision needs a reason".into()));
        }
        let hash: Option<String> = self
            .conn
            .query_row(
                "SELECT evidence_hash FROM cases WHERE candidate_id = ?1",
                [candidate_id],
                |row| row.get(0),
            )
            .optional()
            .map_err(sqlite(&self.path))?;
        let hash = hash.ok_or_else(|| StoreError::UnknownCase(candidate_id.to_owned()))?;
        self.conn
            .execute(
                "INSERT INTO decisions (candidate_id, decision, reviewer, decided_at, reason,
                     evidence_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    candidate_id,
                    decision.as_str(),
                    reviewer.trim(),
                    decided_at,
                    reason.trim(),
                    hash
                ],
            )
            .map_err(sqlite(&self.path))?;
        Ok(DecisionRow {
            id: self.conn.last_insert_rowid(),
            candidate_id: candidate_id.to_owned(),
            decision,
            reviewer: reviewer.trim().to_owned(),
            decided_at: decided_at.to_owned(),
            reason: reason.trim().to_owned(),
            evidence_hash: hash,
        })
    }

    /// Whether a case exists and, when `hash` is given, whether some run proposed it with
    /// that evidence hash.
    pub fn knows(&self, candidate_id: &str, hash: Option<&str>) -> Result<bool, StoreError> {
        let found = match hash {
            None => self
                .conn
                .query_row(
                    "SELECT 1 FROM cases WHERE candidate_id = ?1",
                    [candidate_id],
                    |_| Ok(()),
                )
                .optional(),
            Some(hash) => self
                .conn
                .query_row(
                    "SELECT 1 FROM case_versions WHERE candidate_id = ?1 AND evidence_hash = ?2",
                    [candidate_id, hash],
                    |_| Ok(()),
                )
                .optional(),
        };
        Ok(found.map_err(sqlite(&self.path))?.is_some())
    }

    /// Appends decisions all at once, each on the evidence hash given (or the case's latest
    /// when `None`), or none if one fails. A decision identical to one already recorded
    /// (same case, decision, reviewer, reason and evidence) is skipped, so importing the
    /// same worksheet twice changes nothing. Returns how many were new.
    pub fn import(&mut self, decisions: &[NewDecision]) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(sqlite(&path))?;
        let mut added = 0;
        for d in decisions {
            let hash: String = match &d.evidence_hash {
                Some(hash) => hash.clone(),
                None => tx
                    .query_row(
                        "SELECT evidence_hash FROM cases WHERE candidate_id = ?1",
                        [&d.candidate_id],
                        |row| row.get(0),
                    )
                    .optional()
                    .map_err(sqlite(&path))?
                    .ok_or_else(|| StoreError::UnknownCase(d.candidate_id.clone()))?,
            };
            let exists = tx
                .query_row(
                    "SELECT 1 FROM decisions WHERE candidate_id = ?1 AND decision = ?2
                         AND reviewer = ?3 AND reason = ?4 AND evidence_hash = ?5",
                    params![
                        d.candidate_id,
                        d.decision.as_str(),
                        d.reviewer.trim(),
                        d.reason.trim(),
                        hash
                    ],
                    |_| Ok(()),
                )
                .optional()
                .map_err(sqlite(&path))?
                .is_some();
            if exists {
                continue;
            }
            tx.execute(
                "INSERT INTO decisions (candidate_id, decision, reviewer, decided_at, reason,
                     evidence_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    d.candidate_id,
                    d.decision.as_str(),
                    d.reviewer.trim(),
                    d.decided_at,
                    d.reason.trim(),
                    hash
                ],
            )
            .map_err(|e| match e {
                // The case is unknown (foreign key) or a field is blank (check).
                rusqlite::Error::SqliteFailure(..) => {
                    StoreError::Invalid(format!("decision on {} not recorded: {e}", d.candidate_id))
                }
                other => StoreError::Sqlite {
                    path: path.clone(),
                    source: other,
                },
            })?;
            added += 1;
        }
        tx.commit().map_err(sqlite(&path))?;
        Ok(added)
    }

    /// The latest decision on a case.
    pub fn last_decision(&self, candidate_id: &str) -> Result<Option<DecisionRow>, StoreError> {
        Ok(self.history(candidate_id)?.pop())
    }

    /// Every decision on a case, oldest first.
    pub fn history(&self, candidate_id: &str) -> Result<Vec<DecisionRow>, StoreError> {
        self.decisions_where("WHERE candidate_id = ?1", [candidate_id])
    }

    /// The whole decision log, oldest first: for audit, and to rebuild a store.
    pub fn decisions(&self) -> Result<Vec<DecisionRow>, StoreError> {
        self.decisions_where("", [])
    }

    fn decisions_where<P: rusqlite::Params>(
        &self,
        filter: &str,
        args: P,
    ) -> Result<Vec<DecisionRow>, StoreError> {
        let sql = format!(
            "SELECT id, candidate_id, decision, reviewer, decided_at, reason, evidence_hash
             FROM decisions {filter} ORDER BY id"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(sqlite(&self.path))?;
        let rows = stmt
            .query_map(args, |row| {
                let decision: String = row.get(2)?;
                Ok(DecisionRow {
                    id: row.get(0)?,
                    candidate_id: row.get(1)?,
                    decision: from_word(&decision).map_err(|_| {
                        rusqlite::Error::InvalidColumnType(
                            2,
                            "decision".into(),
                            rusqlite::types::Type::Text,
                        )
                    })?,
                    reviewer: row.get(3)?,
                    decided_at: row.get(4)?,
                    reason: row.get(5)?,
                    evidence_hash: row.get(6)?,
                })
            })
            .map_err(sqlite(&self.path))?;
        rows.collect::<Result<_, _>>().map_err(sqlite(&self.path))
    }

    /// Every case with its latest version and status, by household then id; only those of
    /// `status` and of the county whose name or code is `county`, when given.
    pub fn cases(
        &self,
        status: Option<CaseStatus>,
        county: Option<&str>,
    ) -> Result<Vec<CaseRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT candidate_id, household_id, rule, department, record_key, member_id,
                     county, band, evidence_hash, first_run, last_run
                 FROM cases ORDER BY household_id, candidate_id",
            )
            .map_err(sqlite(&self.path))?;
        let versions: Vec<(CaseVersion, i64, i64)> = stmt
            .query_map([], |row| {
                Ok((
                    CaseVersion {
                        candidate_id: row.get(0)?,
                        household_id: row.get(1)?,
                        rule: row.get(2)?,
                        department: row.get(3)?,
                        record_key: row.get(4)?,
                        member_id: row.get(5)?,
                        county: row.get(6)?,
                        band: row.get(7)?,
                        evidence_hash: row.get(8)?,
                    },
                    row.get(9)?,
                    row.get(10)?,
                ))
            })
            .map_err(sqlite(&self.path))?
            .collect::<Result<_, _>>()
            .map_err(sqlite(&self.path))?;
        let mut out = Vec::new();
        for (case, first_run, last_run) in versions {
            if county.is_some_and(|c| case.county != c && !case.household_id.starts_with(c)) {
                continue;
            }
            let last = self.last_decision(&case.candidate_id)?;
            let seen_before = first_run < last_run;
            let current = CaseStatus::of(
                seen_before,
                last.as_ref()
                    .map(|d| (d.decision, d.evidence_hash.as_str())),
                &case.evidence_hash,
            );
            if status.is_some_and(|s| s != current) {
                continue;
            }
            out.push(CaseRow {
                case,
                status: current,
                first_run,
                last_run,
            });
        }
        Ok(out)
    }

    /// `(candidate_id, evidence_hash)` of every case a run proposed, by id.
    pub fn run_cases(&self, seq: i64) -> Result<Vec<(String, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT candidate_id, evidence_hash FROM case_versions WHERE run = ?1
                 ORDER BY candidate_id",
            )
            .map_err(sqlite(&self.path))?;
        let rows = stmt
            .query_map([seq], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(sqlite(&self.path))?;
        rows.collect::<Result<_, _>>().map_err(sqlite(&self.path))
    }

    /// Every run, oldest first.
    pub fn runs(&self) -> Result<Vec<RunRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, run_id, out_dir, started_at, finished_at, outcome FROM runs ORDER BY seq",
            )
            .map_err(sqlite(&self.path))?;
        let rows = stmt
            .query_map([], |row| {
                let outcome: String = row.get(5)?;
                Ok(RunRow {
                    seq: row.get(0)?,
                    run_id: row.get(1)?,
                    out_dir: row.get(2)?,
                    started_at: row.get(3)?,
                    finished_at: row.get(4)?,
                    outcome: from_word(&outcome).unwrap_or(RunOutcome::Interrupted),
                })
            })
            .map_err(sqlite(&self.path))?;
        rows.collect::<Result<_, _>>().map_err(sqlite(&self.path))
    }
}

/// A word the store wrote, read back as its type.
pub fn from_word<T: for<'de> Deserialize<'de>>(word: &str) -> Result<T, StoreError> {
    T::deserialize(serde::de::IntoDeserializer::<serde::de::value::Error>::into_deserializer(word))
        .map_err(|e| StoreError::Invalid(format!("{word:?}: {e}")))
}

fn sqlite(path: &Path) -> impl FnOnce(rusqlite::Error) -> StoreError + use<> {
    let path = path.to_owned();
    move |source| StoreError::Sqlite { path, source }
}

/// Creates an empty file readable by its owner only, before SQLite opens it.
fn create_owner_only(path: &Path) -> Result<(), StoreError> {
    let io = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop).map_err(io)
}

#[cfg(test)]
mod tests;
