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
