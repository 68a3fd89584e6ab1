//! The nightly service: the scheduled job that runs a check every night (or when new
//! exports land in an inbox), writes each cycle into a dated folder, keeps the case store in
//! step and says what changed. The only async crate: it waits on a clock, a folder and
//! signals; the check itself runs on a blocking thread.
//!
//! - **One run at a time.** A lock file in the output root holds the holder's pid, host and
//!   start time; a second instance names the holder and stops. A lock left by a process
//!   that no longer exists is taken over, with a warning.
//! - **Cycles.** Each writes `<out-root>/<date>-<run id>/`, built under a hidden name and
//!   renamed into place only when complete, compared with the newest folder before it.
//! - **Retention.** The newest `keep` folders stay; older ones go. Decisions are in the
//!   store and are never deleted.
//! - **Stopping.** SIGTERM or SIGINT lets the current cycle finish within a grace period;
//!   past it, the service leaves and the store marks the cycle interrupted. A cycle's
//!   output folder is never left half-written.

mod lock;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{NaiveTime, Timelike};
use hedui_engine::RunConfig;
use hedui_engine::cases::{CaseCounts, check_and_write, open_store};
use hedui_engine::output::baseline::Baseline;
use hedui_engine::output::{OutputOptions, recover_folder, replace_folder};
use serde::Serialize;

pub use lock::{Holder, Lock};

/// Why the service stopped or a cycle failed.
#[derive(Debug, thiserror::Error)]
pub enum NightlyError {
    #[error(transparent)]
    Engine(#[from] hedui_engine::EngineError),
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Another instance holds the lock.
    #[error(
        "{}: another hedui nightly is running (pid {}, host {}, since {}); one run at a time",
        path.display(), holder.pid, holder.host, holder.started_at
    )]
    Locked { path: PathBuf, holder: Holder },
    #[error("{0}")]
    Invalid(String),
}

impl NightlyError {
    /// Whether the person running hedui can fix it (all but an engine bug).
    pub fn is_user_error(&self) -> bool {
        match self {
            Self::Engine(e) => e.is_user_error(),
            _ => true,
        }
    }
}

/// How the service runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub config: PathBuf,
    pub out_root: PathBuf,
    /// Run folders kept (the newest); at least 1.
    pub keep: usize,
    /// The time of day of the nightly cycle.
    pub at: NaiveTime,
    /// A folder whose new files start a cycle once they stop growing.
    pub inbox: Option<PathBuf>,
    /// How long a dropped file must stay the same size before it is read.
    pub settle: Duration,
    /// How long a cycle may go on after SIGTERM or SIGINT.
    pub grace: Duration,
}

/// What one cycle did, for the log and the terminal.
#[derive(Debug, Clone, Serialize)]
pub struct CycleReport {
    pub folder: String,
    pub run_id: String,
    pub candidates: usize,
    /// Against the previous cycle's folder.
    pub new: u64,
    pub dropped: u64,
    pub resolved: u64,
    /// Where the cases stand in the store, when the configuration keeps one.
    pub cases: Option<CaseCounts>,
    /// Older folders removed by retention.
    pub removed: Vec<String>,
}

impl std::fmt::Display for CycleReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} candidates; since the previous cycle {} new, {} dropped, {} resolved",
            self.folder, self.candidates, self.new, self.dropped, self.resolved
        )?;
        if let Some(cases) = &self.cases {
            write!(f, "; cases: {cases}")?;
        }
        Ok(())
    }
}

/// Runs one cycle, holding the lock for its length.
pub fn run_once(options: &Options) -> Result<CycleReport, NightlyError> {
    let _lock = Lock::acquire(&options.out_root)?;
    cycle(options)
}

/// One check into a new dated folder of the output root, then retention.
fn cycle(options: &Options) -> Result<CycleReport, NightlyError> {
    let config = RunConfig::load(&options.config)?;
    let root = &options.out_root;
    tidy(root)?;
    let previous = run_folders(root)?.pop();
    let baseline = match &previous {
        Some(dir) => Baseline::load(dir).map_err(hedui_engine::EngineError::from)?,
        None => None,
    };
    let date = chrono::Local::now().format("%Y-%m-%d").to_string();
    // Built under a hidden name: the run id that names the folder is known only once the
    // inputs are read, and a folder with a final name is always complete.
    let building = root.join(format!(".{date}-cycle"));
    let done = check_and_write(
        &config,
        &building,
        OutputOptions::default(),
        baseline.as_ref(),
        &|stage| {
            tracing::info!(stage, "cycle");
        },
    )?;
    let run_id = hedui_engine::output::run_id(&done.run, &config);
    let folder = root.join(format!("{date}-{run_id}"));
    // The same inputs twice in a day give the same name: the new folder replaces the old
    // one whole, and a kill part-way leaves one of them where `tidy` finds it.
    replace_folder(&building, &folder).map_err(hedui_engine::EngineError::from)?;
    if let (Some(seq), Some(mut store)) = (done.seq, open_store(&config)?) {
        store
            .relocate_run(seq, &folder.display().to_string())
            .map_err(hedui_engine::EngineError::from)?;
    }
    let removed = retain(root, options.keep.max(1))?;
    Ok(CycleReport {
        folder: folder.display().to_string(),
        run_id,
        candidates: done.run.evidence.len(),
        new: done.changes.counts.new,
        dropped: done.changes.counts.dropped,
        resolved: done.changes.counts.resolved,
        cases: done.cases,
        removed,
    })
}

/// What a killed cycle left in the root: a cycle folder moved aside in a swap goes back
/// under its name; half-built hidden folders go. Runs under the lock, so nothing else is
/// writing them.
fn tidy(root: &Path) -> Result<(), NightlyError> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Ok(());
    };
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| NightlyError::Io { path, source }
    };
    let mut hidden: Vec<(String, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| Some((e.file_name().to_str()?.to_owned(), e.path())))
        .filter(|(name, _)| name.starts_with('.'))
        .collect();
    hidden.sort();
    for (name, path) in hidden {
        if let Some(cycle) = name
            .strip_prefix('.')
            .and_then(|n| n.strip_suffix(".old"))
            .filter(|n| is_cycle_name(n))
        {
            let target = root.join(cycle);
            recover_folder(&target).map_err(hedui_engine::EngineError::from)?;
            if path.exists() {
                std::fs::remove_dir_all(&path).map_err(io(&path))?;
            }
        } else if name.ends_with("-cycle")
            || name.ends_with("-cycle.tmp")
            || name.ends_with("-cycle.old")
        {
            tracing::warn!(folder = %path.display(), "removing what an interrupted cycle left");
            std::fs::remove_dir_all(&path).map_err(io(&path))?;
        }
    }
    Ok(())
}

/// The cycle folders of the root (`<date>-<run id>`), oldest first.
fn run_folders(root: &Path) -> Result<Vec<PathBuf>, NightlyError> {
    let entries = match std::fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(NightlyError::Io {
                path: root.to_owned(),
                source,
            });
        }
    };
    let mut folders: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_cycle_name)
        })
        .collect();
    // The date leads the name, so the names sort by age; the modification time breaks a
    // tie within a day.
    folders.sort_by_key(|p| {
        let modified = std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        (name.and_then(|n| n.get(..10).map(str::to_owned)), modified)
    });
    Ok(folders)
}

/// `2026-12-04-R0123456789ab`.
fn is_cycle_name(name: &str) -> bool {
    name.get(..10)
        .is_some_and(|date| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok())
        && name.get(10..12) == Some("-R")
        && name.len() > 12
}

/// Removes all but the newest `keep` cycle folders; returns what it removed.
fn retain(root: &Path, keep: usize) -> Result<Vec<String>, NightlyError> {
    let folders = run_folders(root)?;
    let extra = folders.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for old in &folders[..extra] {
        std::fs::remove_dir_all(old).map_err(|source| NightlyError::Io {
            path: old.clone(),
            source,
        })?;
        removed.push(old.display().to_string());
    }
    Ok(removed)
}

/// The service: a cycle at `at` every day and whenever the inbox settles, until SIGTERM or
/// SIGINT. Holds the lock for its whole life.
pub async fn serve(options: Options) -> Result<(), NightlyError> {
    let _lock = Lock::acquire(&options.out_root)?;
    let mut inbox = options.inbox.as_deref().map(Inbox::new);
    loop {
        let wait = until(options.at, chrono::Local::now().time());
        tracing::info!(seconds = wait.as_secs(), "next nightly cycle");
        let trigger = tokio::select! {
            () = tokio::time::sleep(wait) => "schedule",
            () = settled(inbox.as_mut(), options.settle) => "inbox",
            () = stop_signal() => return Ok(()),
        };
        let cycle_options = options.clone();
        let mut task = tokio::task::spawn_blocking(move || cycle(&cycle_options));
        let outcome = tokio::select! {
            joined = &mut task => Some(joined),
            () = stop_signal() => {
                // Let the cycle finish if it can; its folder appears whole or not at all.
                match tokio::time::timeout(options.grace, &mut task).await {
                    Ok(joined) => {
                        report(trigger, joined);
                        return Ok(());
                    }
                    Err(_) => {
                        tracing::warn!("cycle still running after the grace period; stopping it, recorded as interrupted");
                        give_up(&options.config);
                        return Ok(());
                    }
                }
            }
        };
        if let Some(joined) = outcome {
            report(trigger, joined);
        }
    }
}

/// Records the cycle being abandoned as interrupted in the store. Its folder is still
/// hidden and half-built; the next cycle removes it.
fn give_up(config: &Path) {
    let now = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let marked = RunConfig::load(config)
        .map_err(NightlyError::from)
        .and_then(|c| open_store(&c).map_err(NightlyError::from))
        .and_then(|store| match store {
            Some(mut store) => store
                .interrupt_running(&now)
                .map_err(|e| NightlyError::from(hedui_engine::EngineError::from(e))),
            None => Ok(0),
        });
    match marked {
        Ok(runs) => tracing::info!(runs, "marked interrupted"),
        Err(e) => {
            tracing::warn!(error = %e, "could not mark the cycle interrupted; the next run will")
        }
    }
}

fn report(
    trigger: &str,
    joined: Result<Result<CycleReport, NightlyError>, tokio::task::JoinError>,
) {
    match joined {
        Ok(Ok(report)) => {
            println!("{report}");
            tracing::info!(trigger, report = %serde_json::to_string(&report).unwrap_or_default(), "cycle done");
        }
        Ok(Err(e)) => {
            tracing::error!(trigger, error = %e, "cycle failed; the previous folders are intact")
        }
        Err(e) => tracing::error!(trigger, error = %e, "cycle panicked"),
    }
}

/// Time until the next `at`, today or tomorrow.
fn until(at: NaiveTime, now: NaiveTime) -> Duration {
    let day = 24 * 3600;
    let secs = |t: NaiveTime| i64::from(t.num_seconds_from_midnight());
    let wait = (secs(at) - secs(now)).rem_euclid(day);
    Duration::from_secs(u64::try_from(if wait == 0 { day } else { wait }).unwrap_or(0))
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// New files in the inbox, noticed once they stop growing: an export still being copied
/// must not be read half-way.
struct Inbox {
    dir: PathBuf,
    /// (path, size, modified) of every file at the last look.
    seen: Vec<(PathBuf, u64, Option<std::time::SystemTime>)>,
}

impl Inbox {
    fn new(dir: &Path) -> Self {
        let mut inbox = Self {
            dir: dir.to_owned(),
            seen: Vec::new(),
        };
        inbox.seen = inbox.look();
        inbox
    }

    fn look(&self) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
        let mut files: Vec<_> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                meta.is_file()
                    .then(|| (e.path(), meta.len(), meta.modified().ok()))
            })
            .collect();
        files.sort();
        files
    }
}

/// Resolves when the inbox changed and then stayed the same for one poll; never without one.
async fn settled(inbox: Option<&mut Inbox>, poll: Duration) {
    let Some(inbox) = inbox else {
        return std::future::pending().await;
    };
    let poll = poll.max(Duration::from_millis(100));
    loop {
        tokio::time::sleep(poll).await;
        let now = inbox.look();
        if now == inbox.seen {
            continue;
        }
        // Changed: wait until two looks agree, so a file still being written is not read.
        let mut last = now;
        loop {
            tokio::time::sleep(poll).await;
            let again = inbox.look();
            if again == last {
                inbox.seen = again;
                return;
            }
            last = again;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_cycle_is_today_or_tomorrow() {
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        assert_eq!(until(t("02:00"), t("01:00")), Duration::from_secs(3600));
        assert_eq!(
            until(t("02:00"), t("03:00")),
            Duration::from_secs(23 * 3600)
        );
        assert_eq!(
            until(t("02:00"), t("02:00")),
            Duration::from_secs(24 * 3600)
        );
    }

    #[test]
    fn only_dated_run_folders_count_and_retention_keeps_the_newest() {
        let root = tempfile::tempdir().unwrap();
        for name in [
            "2026-12-01-R000000000001",
            "2026-12-02-R000000000002",
            "2026-12-03-R000000000003",
            ".2026-12-04-cycle",
            "notes",
            "中文名字的文件夹",
        ] {
            std::fs::create_dir(root.path().join(name)).unwrap();
        }
        let removed = retain(root.path(), 2).unwrap();
        assert_eq!(removed.len(), 1);
        assert!(removed[0].ends_with("2026-12-01-R000000000001"));
        assert!(root.path().join(".2026-12-04-cycle").exists());
        assert!(root.path().join("notes").exists());
        let left = run_folders(root.path()).unwrap();
        assert!(left[1].ends_with("2026-12-03-R000000000003"));
    }
}
