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
use std::process::Output;

use crate::common::{DEMO_CONFIG, TestContext, fail, succeed};

/// `validate` on the demo world into the context's folder; stdout with that folder as
/// `[OUT]`.
fn validate_demo(extra: &[&str]) -> (Output, String, TestContext) {
    let context = TestContext::new();
    let out_path = context.path().to_str().unwrap().to_owned();
    let mut args = vec!["validate", "--config", DEMO_CONFIG, "--out", &out_path];
    args.extend_from_slice(extra);
    let output = succeed(context.hedui().args(&args));
    let stdout = String::from_utf8(output.stdout.clone())
        .unwrap()
        .replace(&out_path, "[OUT]");
    (output, stdout, context)
}

#[test]
fn text_report() {
    let (_, stdout, context) = validate_demo(&["-q"]);
    insta::assert_snapshot!("validate_demo_text", stdout);
    assert!(context.child("rejects.csv").is_file());
}

#[test]
fn json_report() {
    let (_, stdout, _context) = validate_demo(&["-q", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["rejects_file"], "[OUT]/rejects.csv");
    insta::assert_snapshot!("validate_demo_json", stdout);
}

/// With JSON logs, stdout holds the report and nothing else, and every stderr line is a
/// JSON log event.
#[test]
fn json_logs_keep_stdout_clean() {
    let (output, stdout, _context) = validate_demo(&["--log-format", "json", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document ({e}):\n{stdout}"));
    assert_eq!(report["sources"].as_array().unwrap().len(), 7);
    let (_, quiet, _context) = validate_demo(&["-q", "--format", "json"]);
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
    let context = TestContext::new();
    let output = fail(context.hedui().args([
        "-q",
        "validate",
        "--config",
        config,
        "--out",
        context.path().to_str().unwrap(),
    ]));
    assert!(output.stdout.is_empty(), "no report on failure");
    let stderr = String::from_utf8(output.stderr).unwrap();
    insta::assert_snapshot!("validate_missing_column", stderr);
    // The error is printed once, not once by the log and once more by main.
    assert_eq!(stderr.matches("required column").count(), 1, "{stderr}");
    assert!(!context.child("rejects.csv").exists());

    // With JSON logs the error is one JSON event instead of a plain line.
    let output = fail(context.hedui().args([
        "--log-format",
        "json",
        "validate",
        "--config",
        config,
        "--out",
        context.path().to_str().unwrap(),
    ]));
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
