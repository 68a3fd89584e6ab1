//! One run at a time: a lock file in the output root naming its holder.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::NightlyError;

/// The lock file's name in the output root.
const LOCK: &str = ".hedui-nightly.lock";

/// Who holds the lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    pub host: String,
    pub started_at: String,
}

/// The lock, held until dropped.
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
}

impl Lock {
    /// Takes the lock of `root` (created if missing). A lock whose holder is alive on this
    /// host is refused, naming it; one whose holder is gone is taken over with a warning.
    pub fn acquire(root: &Path) -> Result<Lock, NightlyError> {
        let io = |source| NightlyError::Io {
            path: root.to_owned(),
            source,
        };
        std::fs::create_dir_all(root).map_err(io)?;
        let path = root.join(LOCK);
        let me = Holder {
            pid: std::process::id(),
            host: host(),
            started_at: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
        };
        let text = serde_json::to_string(&me).unwrap_or_default();
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    file.write_all(text.as_bytes()).map_err(io)?;
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder: Option<Holder> = std::fs::read_to_string(&path)
                        .ok()
                        .and_then(|t| serde_json::from_str(&t).ok());
                    match holder {
                        Some(holder) if holder.host != me.host || alive(holder.pid) => {
                            return Err(NightlyError::Locked { path, holder });
                        }
                        stale => {
                            tracing::warn!(
                                lock = %path.display(),
                                holder = ?stale,
                                "taking over a lock whose holder is gone"
                            );
                            std::fs::remove_file(&path).map_err(io)?;
                        }
                    }
                }
                Err(e) => return Err(io(e)),
            }
        }
        Err(NightlyError::Invalid(format!(
            "{}: the lock changed hands while it was being taken; try again",
            path.display()
        )))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether a process of this host is alive; where that cannot be told, it is taken to be.
fn alive(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new(&format!("/proc/{pid}")).exists()
    } else {
        true
    }
}

fn host() -> String {
    std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_holder_is_named_and_a_dead_one_is_replaced() {
        let root = tempfile::tempdir().unwrap();
        let held = Lock::acquire(root.path()).unwrap();
        let err = Lock::acquire(root.path()).unwrap_err().to_string();
        assert!(
            err.contains(&format!("pid {}", std::process::id())) && err.contains("host"),
            "{err}"
        );
        drop(held);
        // A holder that no longer exists (pid beyond the kernel's maximum).
        let dead = Holder {
            pid: 4_194_304 + 7,
            host: host(),
            started_at: "2026-12-01T02:00:00".to_owned(),
        };
        std::fs::write(
            root.path().join(LOCK),
            serde_json::to_string(&dead).unwrap(),
        )
        .unwrap();
        let taken = Lock::acquire(root.path()).unwrap();
        let now: Holder =
            serde_json::from_str(&std::fs::read_to_string(root.path().join(LOCK)).unwrap())
                .unwrap();
        assert_eq!(now.pid, std::process::id());
        drop(taken);
        assert!(!root.path().join(LOCK).exists());
    }
}
