//! Snapshots of `hedui validate` on the committed demo world: the text report, the JSON
//! report, and the error for a source that lacks a required column.
//!
//! The binary runs with the crate folder as working directory and relative paths, so the
//! paths it prints are the same on every machine; only the temporary output folder varies,
//! and it is replaced by `[OUT]`. The reports include each file's SHA-256, so regenerating
//! `fixtures/demo` changes these snapshots: review them with
//! `INSTA_UPDATE=always cargo test -p hedui-cli --test it validate_snapshots` and a diff.

#![allow(clippy::unwrap_used)] // a failed expectation should panic with its message

use std::path::Path;
use std::process::{Command, Output};

const DEMO_CONFIG: &str = "../../fixtures/demo/hedui.toml";

/// Runs `hedui` in the crate folder with a clean logging environment.
fn hedui(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hedui"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// `validate` on the demo world into a fresh folder; stdout with that folder as `[OUT]`.
fn validate_demo(extra: &[&str]) -> (Output, String, tempfile::TempDir) {
    let out_dir = tempfile::tempdir().unwrap();
    let out_path = out_dir.path().to_str().unwrap().to_owned();
    let mut args = vec!["validate", "--config", DEMO_CONFIG, "--out", &out_path];
    args.extend_from_slice(extra);
    let output = hedui(&args);
    assert!(
        output.status.success(),
        "exit {:?}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout.clone())
        .unwrap()
        .replace(&out_path, "[OUT]");
    (output, stdout, out_dir)
}

#[test]
fn text_report() {
    let (_, stdout, out_dir) = validate_demo(&["-q"]);
    insta::assert_snapshot!("validate_demo_text", stdout);
    assert!(out_dir.path().join("rejects.csv").is_file());
}

#[test]
fn json_report() {
    let (_, stdout, _out_dir) = validate_demo(&["-q", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["rejects_file"], "[OUT]/rejects.csv");
    insta::assert_snapshot!("validate_demo_json", stdout);
}

/// With JSON logs, stdout holds the report and nothing else, and every stderr line is a
/// JSON log event.
#[test]
fn json_logs_keep_stdout_clean() {
    let (output, stdout, _out_dir) = validate_demo(&["--log-format", "json", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{stdout}"));
    assert_eq!(report["sources"].as_array().unwrap().len(), 4);
    let (_, quiet, _dir) = validate_demo(&["-q", "--format", "json"]);
    assert_eq!(stdout, quiet, "logging must not change stdout");

    let stderr = String::from_utf8(output.stderr).unwrap();
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("stderr line is not JSON ({e}): {line}"))
        })
        .collect();
    assert!(
        events
            .iter()
            .any(|e| e["fields"]["message"] == "source read"),
        "{stderr}"
    );
}

#[test]
fn missing_required_column_is_a_user_error() {
    let config = "tests/data/missing_column/hedui.toml";
    assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(config).is_file());
    let out_dir = tempfile::tempdir().unwrap();
    let output = hedui(&[
        "-q",
        "validate",
        "--config",
        config,
        "--out",
        out_dir.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "no report on failure");
    let stderr = String::from_utf8(output.stderr).unwrap();
    insta::assert_snapshot!("validate_missing_column", stderr);
    // The error is printed once, not once by the log and once more by main.
    assert_eq!(stderr.matches("required column").count(), 1, "{stderr}");
    assert!(!out_dir.path().join("rejects.csv").exists());

    // With JSON logs the error is one JSON event instead of a plain line.
    let output = hedui(&[
        "--log-format",
        "json",
        "validate",
        "--config",
        config,
        "--out",
        out_dir.path().to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let errors: Vec<serde_json::Value> = stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .filter(|e: &serde_json::Value| e["level"] == "ERROR")
        .collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(
        errors[0]["fields"]["message"]
            .as_str()
            .unwrap()
            .contains("required column for `owner_name` not found"),
        "{stderr}"
    );
}
