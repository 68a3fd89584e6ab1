//! SIGKILL at any point of a check leaves the previous outputs whole and the store
//! consistent, leaves nothing in the temporary folder, and the next run marks the killed
//! one interrupted.

use std::time::Duration;

use hedui_store::{RunOutcome, Store};

use crate::common::{TestContext, demo_world_with_store, stdout, succeed};

#[cfg(unix)]
#[test]
fn a_check_killed_anywhere_leaves_the_previous_results_and_the_store_whole() {
    let ctx = TestContext::new();
    demo_world_with_store(&ctx);
    let config = ctx.child("hedui.toml");
    let out = ctx.child("out");
    // The run's own temporary folder: the cell store's unnamed file must never show in it.
    let tmp = ctx.child("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let check = || {
        let mut command = ctx.hedui();
        command
            .env("TMPDIR", &tmp)
            .args(["-q", "check", "--config"])
            .arg(&config)
            .arg("--out")
            .arg(&out);
        command
    };
    succeed(&mut check());
    let ids = |dir: &std::path::Path| -> Vec<String> {
        let mut reader = csv::Reader::from_path(dir.join("candidates.csv")).unwrap();
        reader.records().map(|r| r.unwrap()[0].to_owned()).collect()
    };
    let complete = ids(&out);
    let files = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let expected_files = files();
    // Delays spread over a check's length, from reading the sources to swapping the folder.
    let delays_ms = [
        20, 60, 120, 200, 300, 420, 560, 720, 900, 1100, 1300, 1550, 1800, 2100, 2400, 2800, 3200,
        3700, 4300, 5000,
    ];
    for delay in delays_ms {
        let mut child = check().spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        assert_eq!(files(), expected_files, "killed after {delay} ms");
        assert_eq!(ids(&out), complete, "killed after {delay} ms");
        let left: Vec<_> = std::fs::read_dir(&tmp).unwrap().collect();
        assert!(left.is_empty(), "killed after {delay} ms: {left:?}");
        let verified = stdout(&succeed(
            ctx.hedui()
                .args(["store", "verify", "--config"])
                .arg(&config),
        ));
        assert!(verified.contains("agrees"), "{verified}");
    }
    // The next run completes, and no killed run is left running.
    succeed(&mut check());
    let store = Store::open(&ctx.child("hedui.db")).unwrap();
    let runs = store.runs().unwrap();
    assert!(
        runs.iter().all(|r| r.outcome != RunOutcome::Running),
        "{runs:?}"
    );
    let interrupted = runs
        .iter()
        .filter(|r| r.outcome == RunOutcome::Interrupted)
        .count();
    assert!(
        interrupted >= 10,
        "{interrupted} of {} runs interrupted",
        runs.len()
    );
    assert_eq!(runs.last().unwrap().outcome, RunOutcome::Ok);
}
