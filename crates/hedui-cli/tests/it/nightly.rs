//! `hedui nightly --once`: dated cycle folders, retention, the store, and the lock.

use std::path::Path;

use crate::common::{TestContext, demo_world_with_store, fail, stderr, stdout, succeed};

fn cycle_folders(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn two_cycles_keep_one_folder_and_the_cases_move_on() {
    let ctx = TestContext::new();
    let config = demo_world_with_store(&ctx);
    let root = ctx.child("nightly");
    let root_arg = root.to_str().unwrap();
    let once = |ctx: &TestContext| {
        stdout(&succeed(ctx.hedui().args([
            "-q",
            "nightly",
            "--config",
            &config,
            "--out-root",
            root_arg,
            "--once",
            "--keep",
            "1",
        ])))
    };
    let first = once(&ctx);
    assert!(first.contains("new, 0 changed, 0 open"), "{first}");
    let folders = cycle_folders(&root);
    assert_eq!(folders.len(), 1, "{folders:?}");
    assert!(root.join(&folders[0]).join("candidates.csv").is_file());

    // New exports (one more row in the licence file) make another run id; the older folder
    // goes, the store remembers.
    let licences = ctx.child("licences.csv");
    let mut text = std::fs::read_to_string(&licences).unwrap();
    text.push('\n');
    std::fs::write(&licences, text).unwrap();
    let second = once(&ctx);
    assert!(
        second.contains("0 new, 0 changed") && second.contains("open"),
        "{second}"
    );
    let after = cycle_folders(&root);
    assert_eq!(after.len(), 1, "{after:?}");
    assert_ne!(after[0], folders[0]);
    assert!(!root.join(&folders[0]).exists());
}

#[test]
fn a_second_instance_is_refused_naming_the_holder() {
    let ctx = TestContext::new();
    let config = demo_world_with_store(&ctx);
    let root = ctx.child("nightly");
    std::fs::create_dir_all(&root).unwrap();
    // This test's own process holds the lock: alive, on this host.
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default();
    let holder = format!(
        "{{\"pid\":{},\"host\":\"{host}\",\"started_at\":\"2026-12-04T02:00:00\"}}",
        std::process::id()
    );
    std::fs::write(root.join(".hedui-nightly.lock"), holder).unwrap();
    let refused = fail(ctx.hedui().args([
        "nightly",
        "--config",
        &config,
        "--out-root",
        root.to_str().unwrap(),
        "--once",
    ]));
    let err = stderr(&refused);
    assert!(
        err.contains(&format!("pid {}", std::process::id())) && err.contains("one run at a time"),
        "{err}"
    );
    assert!(cycle_folders(&root).is_empty());
}

/// Runs of the test's store, oldest first.
fn runs(ctx: &TestContext) -> Vec<hedui_store::RunRow> {
    hedui_store::Store::open(&ctx.child("hedui.db"))
        .unwrap()
        .runs()
        .unwrap()
}

fn verify_agrees(ctx: &TestContext, config: &str) {
    let verified = stdout(&succeed(
        ctx.hedui().args(["store", "verify", "--config", config]),
    ));
    assert!(verified.contains("agrees"), "{verified}");
}

fn candidate_ids(dir: &Path) -> Vec<String> {
    let mut reader = csv::Reader::from_path(dir.join("candidates.csv")).unwrap();
    reader.records().map(|r| r.unwrap()[0].to_owned()).collect()
}

#[cfg(unix)]
#[test]
fn a_nightly_cycle_killed_anywhere_leaves_the_previous_folder_and_the_store_whole() {
    use std::time::Duration;
    let ctx = TestContext::new();
    let config = demo_world_with_store(&ctx);
    let root = ctx.child("nightly");
    let once = || {
        let mut command = ctx.hedui();
        command
            .args(["-q", "nightly", "--config", &config, "--out-root"])
            .arg(&root)
            .args(["--once", "--keep", "2"]);
        command
    };
    succeed(&mut once());
    let first = cycle_folders(&root);
    assert_eq!(first.len(), 1, "{first:?}");
    let complete = candidate_ids(&root.join(&first[0]));
    // The same inputs give the same run id, so every cycle replaces the same folder: the
    // kills land in the check, in the swap of that folder and in retention.
    let delays_ms = [
        20, 60, 120, 200, 300, 420, 560, 720, 900, 1100, 1300, 1550, 1800, 2100, 2400, 2800, 3200,
        3700, 4300, 5000,
    ];
    for delay in delays_ms {
        let mut child = once().spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // The folder may sit under its hidden old name for a moment of a swap; the next
        // cycle puts it back. Either way a whole copy is on disk.
        let folder = root.join(&first[0]);
        let moved_aside = root.join(format!(".{}.old", first[0]));
        let whole = if folder.exists() { folder } else { moved_aside };
        assert_eq!(candidate_ids(&whole), complete, "killed after {delay} ms");
        verify_agrees(&ctx, &config);
    }
    let last = stdout(&succeed(&mut once()));
    assert!(last.contains("0 new"), "{last}");
    assert_eq!(cycle_folders(&root), first);
    assert_eq!(candidate_ids(&root.join(&first[0])), complete);
    // Nothing half-built is left beside the folders, and no run is left running.
    let hidden: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.') && n != ".hedui-nightly.lock")
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    let runs = runs(&ctx);
    assert!(
        runs.iter()
            .all(|r| r.outcome != hedui_store::RunOutcome::Running),
        "{runs:?}"
    );
    let interrupted = runs
        .iter()
        .filter(|r| r.outcome == hedui_store::RunOutcome::Interrupted)
        .count();
    assert!(interrupted >= 10, "{interrupted} of {} runs", runs.len());
    let newest = runs.last().unwrap();
    assert_eq!(newest.outcome, hedui_store::RunOutcome::Ok);
    // The store names the dated folder, not the hidden one it was built in, so `verify`
    // compares the cycle's cases with it.
    assert_eq!(Path::new(&newest.out_dir), root.join(&first[0]));
    verify_agrees(&ctx, &config);
}

/// Starts the service with an inbox that settles after a second, drops an export into it,
/// and waits until the cycle it starts is recorded as running.
#[cfg(unix)]
fn service_in_a_cycle(ctx: &TestContext, config: &str, grace: &str) -> std::process::Child {
    use std::time::{Duration, Instant};
    let root = ctx.child("nightly");
    let inbox = ctx.child("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    // The scheduled time is half a day away, so only the inbox starts a cycle.
    let at = (chrono::Local::now() + chrono::Duration::hours(12))
        .format("%H:%M")
        .to_string();
    let child = ctx
        .hedui()
        .args(["nightly", "--config", config, "--out-root"])
        .arg(&root)
        .arg("--inbox")
        .arg(&inbox)
        .args(["--settle", "1", "--grace", grace, "--at", &at])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !root.join(".hedui-nightly.lock").exists() {
        assert!(Instant::now() < deadline, "the service never took the lock");
        std::thread::sleep(Duration::from_millis(50));
    }
    // The inbox's first look happens right after the lock; a file dropped later is new.
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(inbox.join("vehicles-2026-12-04.csv"), "号牌号码\n").unwrap();
    while !runs(ctx)
        .iter()
        .any(|r| r.outcome == hedui_store::RunOutcome::Running)
    {
        assert!(Instant::now() < deadline, "no cycle started");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

#[cfg(unix)]
fn terminate(child: &mut std::process::Child) -> std::process::Output {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    // Reads what it printed; the service must leave on its own.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the service did not stop"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let mut output = std::process::Output {
        status: child.wait().unwrap(),
        stdout: Vec::new(),
        stderr: Vec::new(),
    };
    use std::io::Read;
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut output.stdout)
        .unwrap();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_end(&mut output.stderr)
        .unwrap();
    output
}

#[cfg(unix)]
#[test]
fn sigterm_within_the_grace_period_lets_the_cycle_finish() {
    let ctx = TestContext::new();
    let config = demo_world_with_store(&ctx);
    let mut service = service_in_a_cycle(&ctx, &config, "600");
    let output = terminate(&mut service);
    assert!(output.status.success(), "{}", stderr(&output));
    let folders = cycle_folders(&ctx.child("nightly"));
    assert_eq!(folders.len(), 1, "{folders:?}");
    assert!(stdout(&output).contains("candidates; since the previous cycle"));
    let runs = runs(&ctx);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].outcome, hedui_store::RunOutcome::Ok);
    verify_agrees(&ctx, &config);
    // The lock goes with the service.
    assert!(!ctx.child("nightly").join(".hedui-nightly.lock").exists());
}

#[cfg(unix)]
#[test]
fn sigterm_past_the_grace_period_records_the_cycle_interrupted_with_no_outputs() {
    let ctx = TestContext::new();
    let config = demo_world_with_store(&ctx);
    let mut service = service_in_a_cycle(&ctx, &config, "0");
    let output = terminate(&mut service);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("grace period"),
        "{}",
        stderr(&output)
    );
    // No dated folder: the cycle's outputs were hidden and half-built, or not begun.
    assert!(cycle_folders(&ctx.child("nightly")).is_empty());
    let runs = runs(&ctx);
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].outcome, hedui_store::RunOutcome::Interrupted);
    verify_agrees(&ctx, &config);
    // The next cycle clears what the abandoned one left and runs whole.
    succeed(
        ctx.hedui()
            .args(["-q", "nightly", "--config", &config, "--out-root"])
            .arg(ctx.child("nightly"))
            .arg("--once"),
    );
    let hidden: Vec<String> = std::fs::read_dir(ctx.child("nightly"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    assert_eq!(cycle_folders(&ctx.child("nightly")).len(), 1);
}
