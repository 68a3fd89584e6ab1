//! What every test of the `hedui` binary needs (after uv's `tests/it/common`): a
//! [`TestContext`] with a temporary folder of the test's own and a `hedui` command with a
//! clean environment, and the checks for "it worked" and "it refused, exit 1".
//!
//! The binary runs in the crate folder, so a relative path such as [`DEMO_CONFIG`] is
//! printed the same on every machine and snapshots stay stable.

#![allow(dead_code)] // each topic uses a different subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub use hedui_testkit::folder::{entries, files, folder_bytes};

/// The committed demo world's run configuration, relative to the crate folder.
pub const DEMO_CONFIG: &str = "../../fixtures/demo/hedui.toml";

/// The committed demo world.
pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/demo")
}

/// Copies every file of the demo world (not its `truth/`) into `dir`, except `except`.
pub fn copy_demo(dir: &Path, except: &[&str]) {
    for entry in std::fs::read_dir(demo_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if path.is_file() && !except.contains(&name.as_str()) {
            std::fs::copy(&path, dir.join(&name)).unwrap();
        }
    }
}

/// One test's surroundings: a temporary folder, removed with the context, and the commands
/// that run `hedui`.
#[derive(Debug)]
pub struct TestContext {
    temp_dir: tempfile::TempDir,
}

impl TestContext {
    pub fn new() -> Self {
        Self {
            temp_dir: tempfile::tempdir().unwrap(),
        }
    }

    /// The temporary folder.
    pub fn path(&self) -> &Path {
        self.temp_dir.path()
    }

    /// `name` inside the temporary folder (not created).
    pub fn child(&self, name: &str) -> PathBuf {
        self.temp_dir.path().join(name)
    }

    /// `hedui` in the crate folder with a clean environment: no `RUST_LOG` or
    /// `RAYON_NUM_THREADS` from whoever runs the tests, and no colour.
    pub fn hedui(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_hedui"));
        command
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("RUST_LOG")
            .env_remove("RAYON_NUM_THREADS")
            .env("NO_COLOR", "1");
        command
    }
}

/// Runs `command` to the end, whatever its exit code.
pub fn run(command: &mut Command) -> Output {
    command.output().expect("hedui runs")
}

/// Runs `command`, which must exit 0; if it does not, the panic shows the exit code and
/// stderr.
#[track_caller]
pub fn succeed(command: &mut Command) -> Output {
    let output = run(command);
    assert!(
        output.status.success(),
        "exit {:?}\n{}",
        output.status.code(),
        stderr(&output)
    );
    output
}

/// Runs `command`, which must exit 1, hedui's exit code for a user error; if it does not,
/// the panic shows the exit code and stderr.
#[track_caller]
pub fn fail(command: &mut Command) -> Output {
    let output = run(command);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    output
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A copy of the demo world in the context's folder whose run configuration keeps a case
/// store (`hedui.db` beside it); returns the configuration's path.
pub fn demo_world_with_store(ctx: &TestContext) -> String {
    copy_demo(ctx.path(), &["hedui.toml"]);
    let config = std::fs::read_to_string(demo_dir().join("hedui.toml"))
        .unwrap()
        .replacen(
            "policy = \"policy.toml\"",
            "policy = \"policy.toml\"\nstore = \"hedui.db\"",
            1,
        );
    std::fs::write(ctx.child("hedui.toml"), config).unwrap();
    ctx.child("hedui.toml").to_str().unwrap().to_owned()
}

/// Asserts that two `hedui check` folders hold the same results: the same files, each the
/// same bytes, except `manifest.json`'s `generated_at`, `timings` and `execution` (how the
/// run was carried out) and the one place the report shows `generated_at`.
pub fn assert_same_results(first: &Path, second: &Path) {
    let manifest = |dir: &Path| -> (serde_json::Value, String) {
        let mut m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
        let object = m.as_object_mut().unwrap();
        let at = object.remove("generated_at").unwrap();
        object.remove("timings").unwrap();
        object.remove("execution").unwrap();
        (m, at.as_str().unwrap().to_owned())
    };
    let ((manifest_1, at_1), (manifest_2, at_2)) = (manifest(first), manifest(second));
    assert_eq!(
        manifest_1, manifest_2,
        "manifest.json differs beyond generated_at, timings and execution"
    );
    let (files_1, files_2) = (folder_bytes(first), folder_bytes(second));
    assert_eq!(
        files_1.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        files_2.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        "the folders hold different files"
    );
    let mut clock_shown = 0;
    for ((name, bytes_1), (_, bytes_2)) in files_1.iter().zip(&files_2) {
        if name == "manifest.json" || bytes_1 == bytes_2 {
            continue;
        }
        let (text_1, text_2) = (
            String::from_utf8_lossy(bytes_1),
            String::from_utf8_lossy(bytes_2),
        );
        clock_shown += 1;
        assert!(
            text_1.replace(&at_1, "[GENERATED_AT]") == text_2.replace(&at_2, "[GENERATED_AT]"),
            "{name} differs beyond generated_at"
        );
    }
    assert!(clock_shown <= 1, "{clock_shown} files differ by the clock");
}
