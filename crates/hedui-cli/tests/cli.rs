//! The `hedui` binary: help, a small synth run, and exit codes for user errors.

use std::process::Command;

fn hedui() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hedui"))
}

#[test]
fn help_lists_synth() {
    let out = hedui().arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("synth"));
}

#[test]
fn synth_writes_files_and_prints_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let out = hedui()
        .args([
            "-q",
            "synth",
            "--households",
            "40",
            "--seed",
            "9",
            "--rate",
            "id_typo=0.05",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("households") && stdout.contains("elapsed"),
        "{stdout}"
    );
    assert!(dir.path().join("truth/manifest.json").is_file());
}

#[test]
fn user_errors_exit_with_1_and_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let rates = dir.path().join("rates.toml");
    std::fs::write(&rates, "id_typo = 0.1\nid_tpyo = 0.2\n").unwrap();
    let out = hedui()
        .args(["synth", "--households", "10", "--out"])
        .arg(dir.path().join("o"))
        .arg("--defects")
        .arg(&rates)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("id_tpyo"));

    let out = hedui()
        .args(["synth", "--households", "10", "--rate", "nope=1", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope"));

    let out = hedui()
        .args(["synth", "--households", "ten"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
